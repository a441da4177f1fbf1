package io.leadscoring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.streams.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bench/run}: the whole suite, one section after the other; prints a table and writes the figures as JSON.
 *
 * <pre>
 * bench/run [--smoke] [--out FILE] [--work DIR] [--rules FILE] [--only core,topology,e2e,latency,scaling]
 *           [--app-prop KEY=VALUE]... [--scaling-stores rocksdb,memory] [--e2e-scoring-only]
 *           [--latency-rate RECORDS_PER_S]
 * </pre>
 */
public final class BenchMain {

    static final List<String> SECTIONS = List.of("core", "topology", "e2e", "latency", "scaling");
    private static final long SEED = 20_260_101L;

    /** How big each section runs. */
    record Size(String name, int jmhForks, int jmhWarmups, TimeValue jmhWarmupTime, int jmhIterations,
            TimeValue jmhTime, int jmhRecords, int activeLeads, int topologyWarmup, int topologyRecords,
            int e2eRecords, int partitions, Duration latencyWarmup, Duration latencyMaxWarmup,
            Duration latencyMeasure, int[] scalingLeads,
            double scalingLoad, int scalingMeasured, int scalingWarmup, String scalingHeap, String appHeap) {

        static Size defaults() {
            return new Size("default", 1, 3, TimeValue.seconds(2), 5, TimeValue.seconds(2), 200_000, 2000,
                    50_000, 200_000, 300_000, 6, Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofSeconds(60),
                    new int[] {10_000, 100_000, 1_000_000}, 2.0, 100_000, 100_000, "6g", "1g");
        }

        /** Every figure, on little data: well under a minute. */
        static Size smoke() {
            return new Size("smoke", 0, 1, TimeValue.milliseconds(100), 1, TimeValue.milliseconds(200), 20_000,
                    200, 1000, 5000, 4000, 2, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5),
                    new int[] {1000, 2000, 4000}, 2.0, 2000, 2000, "512m", "512m");
        }
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        // Exit explicitly: the broker's and clients' non-daemon threads must not keep the JVM alive.
        System.exit(runCli(args));
    }

    /** The command: runs the suite, prints the table, writes the JSON; returns the exit code. */
    static int runCli(String[] args) throws Exception {
        Size size = Size.defaults();
        Path out = Path.of("bench/target/results.json");
        Path work = null;
        Path rules = null;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Map<String, String> appProps = new LinkedHashMap<>();
        List<String> scalingStores = List.of("rocksdb"); // the in-memory series: --scaling-stores rocksdb,memory
        boolean scoringOnly = false;
        double latencyRate = Double.NaN;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> size = Size.smoke();
                case "--out" -> out = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--rules" -> rules = Path.of(args[++i]);
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--scaling-stores" -> scalingStores = List.of(args[++i].split(","));
                case "--e2e-scoring-only" -> scoringOnly = true;
                case "--latency-rate" -> latencyRate = Double.parseDouble(args[++i]);
                case "--app-prop" -> {
                    String[] kv = args[++i].split("=", 2);
                    appProps.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                default -> {
                    System.err.println("bench: unknown argument " + args[i] + "\nusage: bench/run [--smoke] "
                            + "[--out FILE] [--work DIR] [--rules FILE] [--only " + String.join(",", SECTIONS) + "] "
                            + "[--app-prop KEY=VALUE]... [--scaling-stores rocksdb,memory] [--e2e-scoring-only] [--latency-rate RECORDS_PER_S]");
                    return 2;
                }
            }
        }
        if (!List.of("rocksdb", "memory").containsAll(scalingStores) || scalingStores.isEmpty()) {
            System.err.println("bench: --scaling-stores takes rocksdb and/or memory");
            return 2;
        }
        if (!SECTIONS.containsAll(only)) {
            System.err.println("bench: --only takes " + SECTIONS);
            return 2;
        }
        if (rules == null) {
            rules = findRules();
        }
        if (work == null) {
            work = out.toAbsolutePath().getParent().resolve("bench-work");
        }
        JsonNode results = run(size, only, rules.toAbsolutePath(), work.toAbsolutePath(), appProps, scalingStores,
                scoringOnly, latencyRate, System.out);
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), results);
        System.out.println();
        System.out.print(Report.table(results));
        System.out.println("\nJSON: " + out);
        System.out.println("Logs: " + work.resolve("logs") + " (applications, scaling), " + work.resolve("jmh.log"));
        return 0;
    }

    /** samples/rules.yaml from the repository root or from a module directory. */
    static Path findRules() {
        for (Path candidate : List.of(Path.of("samples/rules.yaml"), Path.of("../samples/rules.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("samples/rules.yaml not found: run from the repository root or pass --rules");
    }

    /** Runs the chosen sections; returns every figure as one JSON document. */
    static ObjectNode run(Size size, Set<String> only, Path rulesFile, Path work, Map<String, String> appProps,
            PrintStream progress) throws Exception {
        return run(size, only, rulesFile, work, appProps, List.of("rocksdb", "memory"), false, Double.NaN, progress);
    }

    /**
     * @param scalingStores the store types section 5 runs, of rocksdb (the application's) and memory (replay's)
     * @param scoringOnly section 3 without the pass-throughs (to compare settings of the scoring application)
     * @param latencyRate section 4's offered load; NaN: half the scoring application's rate in section 3
     */
    static ObjectNode run(Size size, Set<String> only, Path rulesFile, Path work, Map<String, String> appProps,
            List<String> scalingStores, boolean scoringOnly, double latencyRate, PrintStream progress)
            throws Exception {
        long begin = System.nanoTime();
        deleteRecursively(work);
        Files.createDirectories(work);
        RuleSet rules = RuleFileLoader.load(rulesFile);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode suite = root.putObject("suite");
        suite.put("size", size.name());
        suite.put("startedAt", Instant.now().toString());
        suite.put("rules", rules.id());
        suite.put("seed", SEED);
        ObjectNode overrides = suite.putObject("appProperties");
        appProps.forEach(overrides::put);
        root.set("machine", Machine.describe());
        List<String> childJvm = List.of("-Xmx" + size.appHeap());

        if (only.contains("core")) {
            progress.println("[1/5] core: JMH, CoreBenchmark");
            long t = System.nanoTime();
            var scores = CoreThroughput.run(rulesFile, size.jmhForks(), size.jmhWarmups(), size.jmhWarmupTime(),
                    size.jmhIterations(), size.jmhTime(), size.jmhRecords(), work.resolve("jmh.log"));
            ObjectNode core = root.putObject("core");
            core.put("threads", 1);
            core.put("forks", size.jmhForks());
            core.put("warmup", size.jmhWarmups() + " x " + size.jmhWarmupTime());
            core.put("measurement", size.jmhIterations() + " x " + size.jmhTime());
            scores.forEach((name, score) -> {
                ObjectNode b = core.putObject(name);
                b.put("recordsPerSecond", score.recordsPerSecond());
                b.put("error", score.error());
                b.put("iterations", score.iterations());
            });
            ObjectNode lookups = core.putObject("windowLookupsPerRecord");
            CoreBenchmark.windowLookupsPerRecord(size.activeLeads(), size.jmhRecords()).forEach(lookups::put);
            core.put("seconds", seconds(t));
        }

        if (only.contains("topology")) {
            progress.println("[2/5] topology: TopologyTestDriver, " + size.topologyRecords() + " records");
            long t = System.nanoTime();
            var r = TopologyThroughput.run(rules, SEED, size.activeLeads(), size.topologyWarmup(),
                    size.topologyRecords());
            ObjectNode topology = root.putObject("topology");
            topology.put("records", r.records());
            topology.put("outputs", r.outputs());
            topology.put("leads", r.leads());
            topology.put("measuredSeconds", r.seconds());
            topology.put("recordsPerSecond", r.recordsPerSecond());
            topology.put("seconds", seconds(t));
        }

        if (only.contains("e2e") || only.contains("latency")) {
            progress.println("      starting the embedded broker");
            Schemas.registerAll();
            try (BenchBroker broker = BenchBroker.start()) {
                EndToEnd e2e = new EndToEnd(broker, work, rulesFile, size.partitions(), childJvm, appProps);
                double scoringRate = Double.NaN;
                if (only.contains("e2e")) {
                    long t = System.nanoTime();
                    ObjectNode section = root.putObject("endToEnd");
                    section.put("brokerStartSeconds", broker.startupTime().toMillis() / 1000.0);
                    Topics inputs = EndToEnd.inputs("");
                    e2e.createInputs(inputs);
                    progress.println("[3/5] end to end: producing " + size.e2eRecords() + " records");
                    long leads = e2e.produceBacklog(inputs, new LeadTraffic(SEED, size.activeLeads(), inputs),
                            size.e2eRecords(), 1000);
                    section.put("records", size.e2eRecords());
                    section.put("leads", leads);
                    section.put("partitions", size.partitions());
                    section.put("processingGuarantee", "exactly_once_v2");
                    section.put("commitIntervalMs", 100);
                    Duration timeout = Duration.ofMinutes(10);
                    EndToEnd.Drain passBytes = null;
                    EndToEnd.Drain passAvro = null;
                    if (!scoringOnly) {
                        String bytes = "passthrough-";
                        e2e.createPassThroughOutputs(inputs, bytes);
                        progress.println("      pass-through (bytes)");
                        passBytes = e2e.drain("passthrough-bytes", "passthrough-bytes", inputs,
                                Map.of(AppHost.PASS_THROUGH_PREFIX, bytes), timeout);
                        String avro = "passthrough-avro-";
                        e2e.createPassThroughOutputs(inputs, avro);
                        progress.println("      pass-through (Avro)");
                        passAvro = e2e.drain("passthrough-avro", "passthrough-avro", inputs,
                                Map.of(AppHost.PASS_THROUGH_PREFIX, avro), timeout);
                    }
                    progress.println("      scoring application");
                    var scoring = e2e.drain("scoring", "scoring", EndToEnd.appTopics(inputs, "scoring."), Map.of(),
                            timeout);
                    put(section.putObject("scoring"), scoring, leads);
                    if (!scoringOnly) {
                        put(section.putObject("passThroughAvro"), passAvro, leads);
                        put(section.putObject("passThroughBytes"), passBytes, leads);
                        section.put("ratioToPassThroughAvro",
                                scoring.steadyRecordsPerSecond() / passAvro.steadyRecordsPerSecond());
                        section.put("ratioToPassThroughBytes",
                                scoring.steadyRecordsPerSecond() / passBytes.steadyRecordsPerSecond());
                        section.put("cpuRatioToPassThroughAvro",
                                scoring.recordsPerCpuSecond() / passAvro.recordsPerCpuSecond());
                    }
                    section.put("seconds", seconds(t));
                    scoringRate = scoring.steadyRecordsPerSecond();
                }
                if (only.contains("latency")) {
                    long t = System.nanoTime();
                    if (Double.isNaN(scoringRate)) {
                        scoringRate = size.name().equals("smoke") ? 400 : 4000;
                    }
                    double rate = Double.isNaN(latencyRate) ? Math.max(1, Math.floor(scoringRate / 2)) : latencyRate;
                    progress.printf(Locale.ROOT, "[4/5] latency: %.0f records/s for %d s (+%d s warm-up)%n", rate,
                            size.latencyMeasure().toSeconds(), size.latencyWarmup().toSeconds());
                    var r = Latency.run(e2e, new LeadTraffic(SEED + 1, size.activeLeads(), EndToEnd.inputs("lat.")),
                            rate, size.latencyWarmup(), size.latencyMaxWarmup(), size.latencyMeasure());
                    ObjectNode latency = root.putObject("latency");
                    latency.put("offeredRecordsPerSecond", r.offeredRate());
                    latency.put("achievedRecordsPerSecond", r.achievedRate());
                    latency.put("measuredSeconds", r.seconds());
                    latency.put("warmupSeconds", r.warmupSeconds());
                    latency.put("records", r.records());
                    latency.put("leads", r.leads());
                    latency.put("clock", "read_committed consumer receive time - StageChange.at (the event's time)");
                    put(latency.putObject("handoffMillis"), r.handoffs());
                    put(latency.putObject("handoffAppendMillis"), r.handoffsAppended());
                    put(latency.putObject("scoreMillis"), r.scores());
                    ArrayNode bySecond = latency.putArray("scoreMaxMillisBySecond");
                    for (long max : r.scoreMaxBySecond()) {
                        bySecond.add(max);
                    }
                    latency.set("app", r.child());
                    latency.put("seconds", seconds(t));
                }
            }
        }

        if (only.contains("scaling")) {
            long t = System.nanoTime();
            ObjectNode scaling = root.putObject("scaling");
            scaling.put("loadRecordsPerLead", size.scalingLoad());
            scaling.put("measuredRecords", size.scalingMeasured());
            scaling.put("heap", size.scalingHeap());
            for (String stores : scalingStores) {
                // "sizes": the application's stores; "inMemorySizes": replay's.
                ArrayNode sizes = scaling.putArray(stores.equals("rocksdb") ? "sizes" : "inMemorySizes");
                for (int leads : size.scalingLeads()) {
                    progress.printf(Locale.ROOT, "[5/5] scaling: %,d leads, %s stores%n", leads,
                            stores.equals("rocksdb") ? "RocksDB" : "in-memory");
                    Path stateDir = work.resolve("scaling-state-" + leads);
                    try (ChildJvm child = ChildJvm.start(List.of("-Xmx" + size.scalingHeap()), ScalingHost.class,
                            List.of(rulesFile.toString(), Integer.toString(leads), Double.toString(size.scalingLoad()),
                                    Integer.toString(size.scalingMeasured()), Integer.toString(size.scalingWarmup()),
                                    Long.toString(SEED), stores, stateDir.toString()),
                            work.resolve("logs").resolve("scaling-" + stores + "-" + leads + ".log"))) {
                        sizes.add(child.awaitResult(Duration.ofMinutes(10)));
                    }
                    deleteRecursively(stateDir);
                }
            }
            scaling.put("seconds", seconds(t));
        }

        suite.put("seconds", seconds(begin));
        ((ObjectNode) root.get("machine")).put("loadAverageAtEnd", Machine.loadAverage());
        return root;
    }

    private static void put(ObjectNode node, EndToEnd.Drain drain, long leads) {
        node.put("records", drain.records());
        node.put("drainSeconds", drain.seconds());
        node.put("firstCommitSeconds", drain.firstCommitSeconds());
        node.put("recordsPerSecond", drain.recordsPerSecond());
        node.put("steadyRecordsPerSecond", drain.steadyRecordsPerSecond());
        node.put("cpuSeconds", drain.child().path("cpuSeconds").asDouble());
        node.put("recordsPerCpuSecond", drain.recordsPerCpuSecond());
        node.put("heapPeakBytes", drain.child().path("heapPeakBytes").asLong());
        node.put("heapLiveBytes", drain.child().path("heapLiveBytes").asLong());
        node.put("heapMaxBytes", drain.child().path("heapMaxBytes").asLong());
        node.put("rssPeakBytes", drain.child().path("rssPeakBytes").asLong());
        node.put("stateSstBytes", drain.child().path("stateSstBytes").asLong());
        node.put("stateDirBytes", drain.child().path("stateDirBytes").asLong());
        node.put("stateSstBytesPerLead", drain.child().path("stateSstBytes").asLong() / (double) leads);
    }

    private static void put(ObjectNode node, Latency.Percentiles p) {
        node.put("count", p.count());
        node.put("p50", p.p50());
        node.put("p95", p.p95());
        node.put("p99", p.p99());
        node.put("max", p.max());
        node.put("mean", p.mean());
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(paths.get(i));
        }
    }
}
