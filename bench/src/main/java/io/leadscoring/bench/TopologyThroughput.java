package io.leadscoring.bench;

import io.leadscoring.scoring.RuleSet;
import java.util.ArrayList;
import java.util.List;

/** Section 2: the whole topology in a TopologyTestDriver, records per second of one thread. */
final class TopologyThroughput {

    /** Event time of the first generated record: fixed, so runs are comparable. */
    static final long EPOCH = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    /** One record per second of event time: a day of traffic every 86,400 records. */
    static final long STEP_MILLIS = 1000;

    record Result(long records, long outputs, double seconds, long leads) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    private TopologyThroughput() {
    }

    /** Pipes {@code warmup} records (not timed), then {@code records} timed ones, over {@code activeLeads} leads. */
    static Result run(RuleSet rules, long seed, int activeLeads, int warmup, int records) {
        try (TopologyHarness harness = new TopologyHarness(rules)) {
            LeadTraffic traffic = new LeadTraffic(seed, activeLeads, harness.topics());
            long t = EPOCH;
            for (int i = 0; i < warmup; i++) {
                harness.pipe(harness.serialize(traffic.next(t)));
                t += STEP_MILLIS;
            }
            List<TopologyHarness.Piped> batch = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                batch.add(harness.serialize(traffic.next(t)));
                t += STEP_MILLIS;
            }
            long outputsBefore = harness.drain();
            long start = System.nanoTime();
            for (TopologyHarness.Piped record : batch) {
                harness.pipe(record);
            }
            long outputs = harness.drain() - outputsBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(records, outputs, seconds, traffic.leadsStarted());
        }
    }
}
