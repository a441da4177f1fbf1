package io.leadscoring.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link CoreBenchmark} with JMH and returns records per second per benchmark (one thread = one core). */
final class CoreThroughput {

    /** A JMH score: the mean over measurement iterations and its 99.9 % confidence half-width. */
    record Score(double recordsPerSecond, double error, int iterations) {
    }

    private CoreThroughput() {
    }

    /**
     * @param forks 0 runs in this JVM (the smoke run); otherwise each benchmark gets fresh JVMs
     */
    static Map<String, Score> run(Path rules, int forks, int warmups, TimeValue warmupTime, int iterations,
            TimeValue iterationTime, int records, Path log) throws Exception {
        System.setProperty(CoreBenchmark.RULES_PROPERTY, rules.toString());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(CoreBenchmark.class.getName() + "\\.")
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(warmupTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .param("records", Integer.toString(records))
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString())
                .jvmArgsAppend("-D" + CoreBenchmark.RULES_PROPERTY + "=" + rules, "-Xmx1g");
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Score> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> primary = result.getPrimaryResult();
            double error = primary.getScoreError();
            scores.put(name, new Score(primary.getScore(), Double.isNaN(error) ? 0 : error,
                    (int) primary.getStatistics().getN()));
        }
        return scores;
    }
}
