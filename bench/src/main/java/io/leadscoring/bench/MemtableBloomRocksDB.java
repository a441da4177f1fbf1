package io.leadscoring.bench;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * A candidate RocksDB setting measured by the suite ({@code bench/run --app-prop
 * rocksdb.config.setter=io.leadscoring.bench.MemtableBloomRocksDB}): a whole-key bloom filter on the memtables. Most
 * of the scoring application's store reads are point lookups of keys that do not exist (earlier weeks of activity, an
 * event id seen before, a cap window not used yet), and a small store lives in its memtables, where Kafka Streams'
 * default configuration has no filter: each miss walks the skip list.
 */
public class MemtableBloomRocksDB implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtablePrefixBloomSizeRatio(0.1);
        options.setMemtableWholeKeyFiltering(true);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing allocated here.
    }
}
