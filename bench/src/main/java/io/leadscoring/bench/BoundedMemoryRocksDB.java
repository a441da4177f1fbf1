package io.leadscoring.bench;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * A candidate RocksDB setting measured by the suite ({@code bench/run --app-prop
 * rocksdb.config.setter=io.leadscoring.bench.BoundedMemoryRocksDB}), not adopted (docs/BENCHMARKS.md): one block
 * cache for every store of the JVM, with the memtables charged to it (Kafka Streams' bounded-memory recipe), instead of Kafka Streams' default of a 50 MiB cache and up to 3 × 16 MiB memtables for each RocksDB
 * instance (a window store is one instance per segment: with 6 partitions the topology opens about 60). Bounds the
 * off-heap memory whatever the number of partitions; index and filter blocks (the bloom filters of the point
 * lookups) are kept in the cache with high priority. Sizes: {@value #CACHE_BYTES} (total, default 128 MiB) and
 * {@value #MEMTABLE_BYTES} (the memtables' share of it, default 32 MiB), in bytes, as {@code --app-prop}s.
 */
public class BoundedMemoryRocksDB implements RocksDBConfigSetter {

    public static final String CACHE_BYTES = "rocksdb.cache.bytes";
    public static final String MEMTABLE_BYTES = "rocksdb.memtable.bytes";
    static final long DEFAULT_CACHE_BYTES = 128L << 20;
    static final long DEFAULT_MEMTABLE_BYTES = 32L << 20;
    private static final long WRITE_BUFFER_BYTES = 8L << 20;

    private static Shared shared;

    /** The cache and write-buffer manager every store shares; never closed while the JVM runs stores. */
    private record Shared(long cacheBytes, long memtableBytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    private static synchronized Shared shared(long cacheBytes, long memtableBytes) {
        if (shared == null || shared.cacheBytes() != cacheBytes || shared.memtableBytes() != memtableBytes) {
            // A high-priority pool of 10 % for index and filter blocks.
            Cache cache = new LRUCache(cacheBytes, -1, false, 0.1);
            shared = new Shared(cacheBytes, memtableBytes, cache, new WriteBufferManager(memtableBytes, cache));
        }
        return shared;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long cacheBytes = bytes(configs, CACHE_BYTES, DEFAULT_CACHE_BYTES);
        long memtableBytes = bytes(configs, MEMTABLE_BYTES, DEFAULT_MEMTABLE_BYTES);
        if (memtableBytes > cacheBytes) {
            throw new IllegalArgumentException(MEMTABLE_BYTES + " (" + memtableBytes + ") exceeds " + CACHE_BYTES
                    + " (" + cacheBytes + ")");
        }
        Shared s = shared(cacheBytes, memtableBytes);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(s.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(s.writeBuffers());
        options.setWriteBufferSize(Math.min(WRITE_BUFFER_BYTES, memtableBytes));
        options.setMaxWriteBufferNumber(2);
    }

    private static long bytes(Map<String, Object> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long bytes = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            if (bytes <= 0) {
                throw new NumberFormatException("not positive");
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive number of bytes, not '" + value + "'", e);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store: not closed here.
    }
}
