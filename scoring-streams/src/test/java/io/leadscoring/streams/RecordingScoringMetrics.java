package io.leadscoring.streams;

import io.leadscoring.scoring.Source;
import io.leadscoring.scoring.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records every call, for exact assertions; one thread (a TopologyTestDriver) at a time. */
final class RecordingScoringMetrics implements ScoringMetrics {

    /** By {@code source/type}, e.g. {@code web/PAGE_VIEW}. */
    final Map<String, Integer> events = new TreeMap<>();
    final Map<Source, Integer> duplicates = new TreeMap<>();
    final Map<String, Double> points = new TreeMap<>();
    final Map<String, Integer> awards = new TreeMap<>();
    final List<Double> scores = new ArrayList<>();
    final Map<Stage, Integer> stageChanges = new TreeMap<>();
    final List<Long> handoffLatencies = new ArrayList<>();
    final Map<String, Integer> deadLetters = new TreeMap<>();
    int erasures;

    @Override
    public synchronized void event(Source source, Enum<?> type) {
        events.merge(source.yamlName() + "/" + type.name(), 1, Integer::sum);
    }

    @Override
    public synchronized void duplicate(Source source) {
        duplicates.merge(source, 1, Integer::sum);
    }

    @Override
    public synchronized void awarded(String rule, double awarded) {
        points.merge(rule, awarded, Double::sum);
        awards.merge(rule, 1, Integer::sum);
    }

    @Override
    public synchronized void evaluated(double score) {
        scores.add(score);
    }

    @Override
    public synchronized void stageChanged(Stage stage) {
        stageChanges.merge(stage, 1, Integer::sum);
    }

    @Override
    public synchronized void handoff(long latencyMillis) {
        handoffLatencies.add(latencyMillis);
    }

    @Override
    public synchronized void erased() {
        erasures++;
    }

    @Override
    public synchronized void deadLetter(String reason) {
        deadLetters.merge(reason, 1, Integer::sum);
    }
}
