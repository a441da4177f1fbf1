package io.leadscoring.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 5, one size per JVM: the topology in a TopologyTestDriver with {@code N} leads in play. After a warm-up on
 * other leads (for the JIT), {@code load × N} records give most leads a profile and an event or two; the state is
 * then measured (serialized store bytes, live heap), and {@code measured} more records of the same traffic are timed.
 *
 * <p>Stores: {@code rocksdb}, the application's (RocksDB under {@code STATE_DIR}, cached as the application caches
 * them, no changelogs); or {@code memory}, replay's in-memory stores.
 *
 * <p>Arguments: {@code RULES LEADS LOAD MEASURED WARMUP SEED STORES STATE_DIR}; prints {@code RESULT <json>}.
 */
public final class ScalingHost {

    private ScalingHost() {
    }

    public static void main(String[] args) throws Exception {
        RuleSet rules = RuleFileLoader.load(Path.of(args[0]));
        int leads = Integer.parseInt(args[1]);
        double load = Double.parseDouble(args[2]);
        int measured = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        long seed = Long.parseLong(args[5]);
        boolean rocksDb = args[6].equals("rocksdb");
        Path stateDir = rocksDb ? Path.of(args[7]) : null;

        TopologyThroughput.run(rules, seed + 1, 2000, 0, warmup);
        long heapBefore = Memory.heapLive();

        ObjectNode result = new ObjectMapper().createObjectNode();
        try (TopologyHarness harness = new TopologyHarness(rules, stateDir)) {
            LeadTraffic traffic = new LeadTraffic(seed, leads, harness.topics());
            long t = TopologyThroughput.EPOCH;
            long loadRecords = (long) (load * leads);
            long loadStart = System.nanoTime();
            for (long i = 0; i < loadRecords; i++) {
                harness.pipe(harness.serialize(traffic.next(t)));
                t += TopologyThroughput.STEP_MILLIS;
            }
            harness.drain();
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            // State after the load, when every size has had the same traffic per lead (about load records each).
            TopologyHarness.StoreSizes sizes = harness.storeSizes();
            long sstBytes = 0;
            if (rocksDb) {
                harness.flushStores(); // memtables to SST files: what RocksDB holds on disk
                sstBytes = AppHost.sizeOf(stateDir, true);
            }
            long heapLive = Memory.heapLive() - heapBefore;

            List<TopologyHarness.Piped> batch = new ArrayList<>(measured);
            for (int i = 0; i < measured; i++) {
                batch.add(harness.serialize(traffic.next(t)));
                t += TopologyThroughput.STEP_MILLIS;
            }
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (TopologyHarness.Piped record : batch) {
                harness.pipe(record);
            }
            harness.drain();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;

            result.put("stores", rocksDb ? "rocksdb" : "memory");
            result.put("leadsInPlay", leads);
            result.put("leads", sizes.leads());
            result.put("loadRecords", loadRecords);
            result.put("loadSeconds", loadSeconds);
            result.put("records", measured);
            result.put("seconds", seconds);
            result.put("recordsPerSecond", measured / seconds);
            // CPU time of the thread that runs the topology: what a record costs, whatever else the machine does.
            result.put("threadCpuSeconds", cpuSeconds);
            result.put("recordsPerThreadCpuSecond", measured / cpuSeconds);
            result.put("stateBytes", sizes.totalBytes());
            result.put("stateBytesPerLead", sizes.totalBytes() / (double) sizes.leads());
            ObjectNode stores = result.putObject("stateBytesByStore");
            sizes.bytesByStore().forEach(stores::put);
            if (rocksDb) {
                result.put("sstBytes", sstBytes);
                result.put("sstBytesPerLead", sstBytes / (double) sizes.leads());
            }
            result.put("heapBytes", heapLive);
            result.put("heapBytesPerLead", heapLive / (double) sizes.leads());
            result.put("rssPeakBytes", Memory.rssPeak());
        }
        System.out.println(AppHost.RESULT + result);
        System.out.flush();
        System.exit(0);
    }
}
