package io.leadscoring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's smoke size, through the same command {@code bench/run} runs: every section runs on little data and every
 * figure must be present and sane (positive, percentiles in order). No figure is compared with a threshold of time:
 * a slow machine must not fail the build.
 */
class SmokeBenchIT {

    @TempDir
    Path tmp;

    @Test
    void smokeRunReportsEveryFigure() throws Exception {
        Path out = tmp.resolve("results.json");
        int exit = BenchMain.runCli(new String[] {"--smoke", "--out", out.toString(), "--work",
                tmp.resolve("work").toString(), "--rules", BenchMain.findRules().toString(),
                "--scaling-stores", "rocksdb,memory"}); // both series, though the default size runs only RocksDB
        assertThat(exit).isZero();
        JsonNode r = new ObjectMapper().readTree(Files.readString(out));

        assertThat(r.path("suite").path("size").asText()).isEqualTo("smoke");
        assertThat(r.path("suite").path("rules").asText()).isEqualTo("b2b-default@1");
        assertThat(r.path("machine").path("availableProcessors").asInt()).isPositive();

        // 1. core
        for (String benchmark : new String[] {"objects", "storedBytes"}) {
            assertPositive(r.path("core").path(benchmark), "recordsPerSecond");
        }

        // 2. topology: one score per record at least (the traffic has no duplicates)
        JsonNode topology = r.path("topology");
        assertPositive(topology, "recordsPerSecond");
        assertThat(topology.path("outputs").asLong()).isGreaterThanOrEqualTo(topology.path("records").asLong());

        // 3. end to end
        JsonNode e2e = r.path("endToEnd");
        for (String app : new String[] {"scoring", "passThroughAvro", "passThroughBytes"}) {
            JsonNode a = e2e.path(app);
            assertThat(a.path("records").asLong()).as(app).isEqualTo(e2e.path("records").asLong());
            for (String field : new String[] {"steadyRecordsPerSecond", "recordsPerSecond", "drainSeconds",
                    "cpuSeconds", "recordsPerCpuSecond", "heapPeakBytes", "heapLiveBytes", "rssPeakBytes"}) {
                assertPositive(a, field);
            }
            assertThat(a.path("heapPeakBytes").asLong()).as(app).isLessThanOrEqualTo(a.path("heapMaxBytes").asLong());
        }
        assertPositive(e2e.path("scoring"), "stateSstBytes");
        assertPositive(e2e, "ratioToPassThroughAvro");
        assertPositive(e2e, "ratioToPassThroughBytes");
        assertPositive(e2e, "cpuRatioToPassThroughAvro");

        // 4. latency
        JsonNode latency = r.path("latency");
        assertPositive(latency, "offeredRecordsPerSecond");
        assertPositive(latency, "achievedRecordsPerSecond");
        for (String histogram : new String[] {"handoffMillis", "handoffAppendMillis", "scoreMillis"}) {
            assertOrderedPercentiles(latency.path(histogram), histogram);
        }
        assertThat(latency.path("scoreMaxMillisBySecond").size()).isPositive();

        // 5. scaling: three sizes, growing, with the application's stores (RocksDB) and with replay's (in memory)
        for (String series : new String[] {"sizes", "inMemorySizes"}) {
            JsonNode sizes = r.path("scaling").path(series);
            assertThat(sizes.size()).as(series).isEqualTo(3);
            long previous = 0;
            for (JsonNode size : sizes) {
                assertThat(size.path("stores").asText()).isEqualTo(series.equals("sizes") ? "rocksdb" : "memory");
                assertThat(size.path("leadsInPlay").asLong()).isGreaterThan(previous);
                previous = size.path("leadsInPlay").asLong();
                assertThat(size.path("leads").asLong()).isPositive().isLessThanOrEqualTo(2 * previous);
                for (String field : new String[] {"recordsPerSecond", "recordsPerThreadCpuSecond", "stateBytesPerLead",
                        "rssPeakBytes"}) {
                    assertPositive(size, field);
                }
                // RocksDB's state is off the heap, on disk; the in-memory stores' on the heap.
                assertPositive(size, series.equals("sizes") ? "sstBytesPerLead" : "heapBytesPerLead");
            }
        }

        // The table names every section.
        String table = Report.table(r);
        assertThat(table).contains("1 core", "2 topology", "3 e2e", "4 latency", "5 scaling", "6 memory");
    }

    private static void assertPositive(JsonNode node, String field) {
        assertThat(node.has(field)).as(field + " in " + node).isTrue();
        double value = node.path(field).asDouble();
        assertThat(Double.isFinite(value) && value > 0).as(field + " = " + value + " in " + node).isTrue();
    }

    private static void assertOrderedPercentiles(JsonNode h, String name) {
        assertThat(h.path("count").asLong()).as(name + " count").isPositive();
        double p50 = h.path("p50").asDouble();
        double p95 = h.path("p95").asDouble();
        double p99 = h.path("p99").asDouble();
        double max = h.path("max").asDouble();
        assertThat(p50).as(name + " p50").isGreaterThanOrEqualTo(0);
        assertThat(p95).as(name + " p95").isGreaterThanOrEqualTo(p50);
        assertThat(p99).as(name + " p99").isGreaterThanOrEqualTo(p95);
        assertThat(max).as(name + " max").isGreaterThanOrEqualTo(p99);
    }
}
