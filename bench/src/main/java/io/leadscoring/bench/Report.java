package io.leadscoring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The suite's figures as a plain-text table, from the JSON document {@link BenchMain} writes. */
final class Report {

    private Report() {
    }

    static String table(JsonNode r) {
        StringBuilder out = new StringBuilder();
        JsonNode machine = r.path("machine");
        line(out, "Lead-scoring benchmarks, " + r.path("suite").path("size").asText() + " size, rules "
                + r.path("suite").path("rules").asText());
        line(out, machine.path("availableProcessors").asInt() + " cores (" + machine.path("cpuModel").asText()
                + "), " + machine.path("jdk").asText());
        line(out, "");
        row(out, "figure", "value", "note");
        row(out, "------", "-----", "----");

        JsonNode core = r.path("core");
        if (!core.isMissingNode()) {
            for (String name : new String[] {"objects", "storedBytes"}) {
                JsonNode b = core.path(name);
                row(out, "1 core: " + name, rate(b.path("recordsPerSecond").asDouble()) + " rec/s/core",
                        "± " + rate(b.path("error").asDouble()) + " (JMH, " + b.path("iterations").asInt()
                                + " iterations)");
            }
        }
        JsonNode lookups = core.path("windowLookupsPerRecord");
        if (!lookups.isMissingNode()) {
            row(out, "1 core: window-store reads per record",
                    String.format(Locale.ROOT, "%.1f", lookups.path("seenEventIds").asDouble()
                            + lookups.path("capWindows").asDouble() + lookups.path("activityWeeks").asDouble()),
                    String.format(Locale.ROOT, "ids %.1f, caps %.2f, activity weeks %.1f",
                            lookups.path("seenEventIds").asDouble(), lookups.path("capWindows").asDouble(),
                            lookups.path("activityWeeks").asDouble()));
        }
        JsonNode topology = r.path("topology");
        if (!topology.isMissingNode()) {
            row(out, "2 topology (TopologyTestDriver)", rate(topology.path("recordsPerSecond").asDouble()) + " rec/s",
                    topology.path("records").asLong() + " records, in-memory stores, 1 thread");
        }
        JsonNode e2e = r.path("endToEnd");
        if (!e2e.isMissingNode()) {
            for (String[] app : new String[][] {{"scoring", "scoring application"},
                    {"passThroughAvro", "pass-through, Avro decode+encode"},
                    {"passThroughBytes", "pass-through, bytes"}}) {
                JsonNode a = e2e.path(app[0]);
                row(out, "3 e2e: " + app[1], rate(a.path("steadyRecordsPerSecond").asDouble()) + " rec/s",
                        String.format(Locale.ROOT, "drain %.1f s, %s rec/CPU-s", a.path("drainSeconds").asDouble(),
                                rate(a.path("recordsPerCpuSecond").asDouble())));
            }
            row(out, "3 e2e: scoring / pass-through (Avro)", ratio(e2e.path("ratioToPassThroughAvro").asDouble()),
                    "headline; bytes: " + ratio(e2e.path("ratioToPassThroughBytes").asDouble()) + ", per CPU-s: "
                            + ratio(e2e.path("cpuRatioToPassThroughAvro").asDouble()));
        }
        JsonNode latency = r.path("latency");
        if (!latency.isMissingNode()) {
            JsonNode h = latency.path("handoffMillis");
            row(out, "4 latency event->handoff p50/p95/p99",
                    String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", h.path("p50").asDouble(),
                            h.path("p95").asDouble(), h.path("p99").asDouble()),
                    String.format(Locale.ROOT, "%d handoffs at %s rec/s offered (%s achieved), max %.0f ms",
                            h.path("count").asLong(), rate(latency.path("offeredRecordsPerSecond").asDouble()),
                            rate(latency.path("achievedRecordsPerSecond").asDouble()), h.path("max").asDouble()));
            JsonNode s = latency.path("scoreMillis");
            row(out, "4 latency event->score p50/p95/p99",
                    String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", s.path("p50").asDouble(),
                            s.path("p95").asDouble(), s.path("p99").asDouble()),
                    s.path("count").asLong() + " scores");
        }
        JsonNode scaling = r.path("scaling");
        if (!scaling.isMissingNode()) {
            for (String series : new String[] {"sizes", "inMemorySizes"}) {
                for (JsonNode size : scaling.path(series)) {
                    boolean rocksDb = size.path("stores").asText().equals("rocksdb");
                    row(out, String.format(Locale.ROOT, "5 scaling, %s: %,d leads", rocksDb ? "RocksDB" : "in-memory",
                                    size.path("leadsInPlay").asLong()),
                            rate(size.path("recordsPerSecond").asDouble()) + " rec/s",
                            String.format(Locale.ROOT, "%s rec/CPU-s; %,d leads; %.0f B/lead serialized, %s",
                                    rate(size.path("recordsPerThreadCpuSecond").asDouble()),
                                    size.path("leads").asLong(), size.path("stateBytesPerLead").asDouble(),
                                    rocksDb ? String.format(Locale.ROOT, "%.0f B/lead SST",
                                            size.path("sstBytesPerLead").asDouble())
                                            : String.format(Locale.ROOT, "heap %.0f B/lead",
                                                    size.path("heapBytesPerLead").asDouble())));
                }
            }
        }
        if (!e2e.isMissingNode()) {
            for (String[] app : new String[][] {{"scoring", "scoring app"}, {"passThroughAvro", "pass-through"}}) {
                JsonNode a = e2e.path(app[0]);
                row(out, "6 memory: " + app[1] + " heap peak / live",
                        mib(a.path("heapPeakBytes").asLong()) + " / " + mib(a.path("heapLiveBytes").asLong()),
                        "RSS peak " + mib(a.path("rssPeakBytes").asLong()) + ", -Xmx "
                                + mib(a.path("heapMaxBytes").asLong()));
            }
            JsonNode s = e2e.path("scoring");
            row(out, "6 memory: scoring app RocksDB SST", mib(s.path("stateSstBytes").asLong()),
                    String.format(Locale.ROOT, "%.0f B/lead over %,d leads", s.path("stateSstBytesPerLead").asDouble(),
                            e2e.path("leads").asLong()));
        }
        line(out, "");
        line(out, String.format(Locale.ROOT, "suite took %.0f s", r.path("suite").path("seconds").asDouble()));
        return out.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }

    private static void row(StringBuilder out, String figure, String value, String note) {
        out.append(String.format(Locale.ROOT, "%-42s %-22s %s%n", figure, value, note));
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
