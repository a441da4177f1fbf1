package io.leadscoring.streams;

import static io.leadscoring.streams.TopologyHarness.day;
import static io.leadscoring.streams.TopologyHarness.downloadEvent;
import static io.leadscoring.streams.TopologyHarness.emailEvent;
import static io.leadscoring.streams.TopologyHarness.pageView;
import static io.leadscoring.streams.TopologyHarness.profile;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.scoring.LeadState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Erasure requests (GDPR, docs/ERASURE.md) in the topology, with explicit timestamps: every store forgets the lead,
 * other leads keep every entry, {@code leads.scores} gets a tombstone, and the lead starts from scratch afterwards.
 * In-memory and RocksDB stores: the erasure's key-range fetches must find every window in both.
 */
class LeadErasureTest {

    static final String RULES = """
            name: erasure-test
            version: 1
            halfLife: 14d
            thresholds: { mql: 40, sql: 100 }
            fit:
              maxPoints: 50
              rules:
                - name: director
                  when: { jobTitle: { regex: "(?i)director" } }
                  points: 25
            behavior:
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 10
                cap: { points: 20, per: 1d }
              - name: email-open
                when: { source: email, type: OPENED }
                points: 5
                cap: { points: 10, per: 7d }
              - name: ebook
                when: { source: download, assetType: EBOOK }
                points: 20
            """;

    static final String ERASED = "lead-1";
    /** Its id starts with the erased one's, and one holds the character after the key separator: both survive. */
    static final List<String> OTHERS = List.of("lead-10", "lead-1 b", "lead-2");

    /** Three weeks of activity, a capped rule hit twice a day, a profile: an entry in every store. */
    static void history(TopologyHarness t, String lead) {
        history(t, lead, 0);
    }

    static void history(TopologyHarness t, String lead, double from) {
        t.send(profile(lead, day(from)).setJobTitle("Marketing Director").build());
        for (int d = 0; d < 21; d += 3) {
            t.send(pageView(lead, "w" + d + "a", day(from + d + 0.1), "/blog/post-" + d));
            t.send(pageView(lead, "w" + d + "b", day(from + d + 0.2), "/blog/other-" + d));
            t.send(pageView(lead, "w" + d + "c", day(from + d + 0.3), "/blog/third-" + d)); // capped: 0 points
            t.send(emailEvent(lead, "m" + d, day(from + d + 0.4), EmailEventType.OPENED));
        }
        t.send(downloadEvent(lead, "d1", day(from + 20), AssetType.EBOOK));
    }

    @ParameterizedTest(name = "in-memory stores: {0}")
    @ValueSource(booleans = {true, false})
    void erasureEmptiesEveryStoreForTheLeadAndLeavesOtherLeadsUntouched(boolean inMemory) {
        RecordingScoringMetrics metrics = new RecordingScoringMetrics();
        try (var t = new TopologyHarness(RULES, Duration.ofDays(30), metrics, inMemory)) {
            history(t, ERASED);
            OTHERS.forEach(lead -> history(t, lead));
            t.scores.readRecordsToList();
            t.changes();

            Snapshot before = Snapshot.of(t);
            assertThat(before.of(ERASED).isEmpty()).isFalse();
            assertThat(before.of(ERASED).leadState).isNotNull();
            assertThat(before.of(ERASED).profile).isNotNull();
            assertThat(before.of(ERASED).seenEvents).hasSize(7 * 4 + 1);
            assertThat(before.of(ERASED).ruleCaps).isNotEmpty();
            assertThat(before.of(ERASED).activity).hasSizeGreaterThanOrEqualTo(3);

            Instant erasedAt = day(25);
            t.erase(ERASED, erasedAt);

            Snapshot after = Snapshot.of(t);
            assertThat(after.of(ERASED).isEmpty()).as("every store, lead %s", ERASED).isTrue();
            for (String other : OTHERS) {
                assertThat(after.of(other)).as("lead %s", other).isEqualTo(before.of(other));
                assertThat(after.of(other).isEmpty()).isFalse();
            }
            assertThat(t.leadStates().get(ERASED)).isNull();

            List<TestRecord<String, LeadScore>> scores = t.scores.readRecordsToList();
            assertThat(scores).hasSize(1);
            assertThat(scores.get(0).key()).isEqualTo(ERASED);
            assertThat(scores.get(0).value()).as("a tombstone").isNull();
            assertThat(scores.get(0).timestamp()).isEqualTo(erasedAt.toEpochMilli());
            assertThat(t.changes()).isEmpty();
            assertThat(t.deadLetterRecords()).isEmpty();
            assertThat(metrics.erasures).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "in-memory stores: {0}")
    @ValueSource(booleans = {true, false})
    void anErasedLeadThatComesBackStartsFromScratch(boolean inMemory) {
        // The second history lies 30 days past the driver's clock: within a horizon of 60 days, not refused as future.
        Duration horizon = Duration.ofDays(60);
        List<LeadScore> again;
        List<StageChange> changesAgain;
        try (var t = new TopologyHarness(RULES, horizon, ScoringMetrics.NONE, inMemory)) {
            history(t, ERASED);
            history(t, "lead-2");
            assertThat(t.changes()).extracting(StageChange::getStage).contains(Stage.MQL, Stage.SQL);
            t.erase(ERASED, day(22));
            t.scores.readRecordsToList();

            // The same event ids, later: nothing of the first history is remembered (no duplicate, no cap used).
            history(t, ERASED, 30);
            again = values(t.scores.readRecordsToList());
            changesAgain = t.changes();
        }
        // The reference: the same records for a lead the topology has never seen.
        List<LeadScore> fresh;
        List<StageChange> freshChanges;
        try (var t = new TopologyHarness(RULES, horizon, ScoringMetrics.NONE, inMemory)) {
            history(t, ERASED, 30);
            fresh = values(t.scores.readRecordsToList());
            freshChanges = t.changes();
        }
        assertThat(again).hasSize(7 * 4 + 2).isEqualTo(fresh);
        assertThat(changesAgain).isEqualTo(freshChanges);
        assertThat(changesAgain).extracting(StageChange::getPreviousStage).startsWith(Stage.NEW);
    }

    @Test
    void aProfileAfterTheErasureIsANewLeadWithThatProfileAlone() {
        try (var t = new TopologyHarness(RULES)) {
            history(t, ERASED);
            t.erase(ERASED, day(22));
            t.scores.readRecordsToList();
            // A stale profile (its time is before the erasure) arrives afterwards: documented, it is scored anew.
            LeadProfile stale = profile(ERASED, day(21)).setJobTitle("Sales Director").build();
            t.send(stale);
            List<LeadScore> scores = values(t.scores.readRecordsToList());
            assertThat(scores).hasSize(1);
            assertThat(scores.get(0).getEngagement()).isZero();
            assertThat(scores.get(0).getFit()).isEqualTo(25.0);
            assertThat(scores.get(0).getStage()).isEqualTo(Stage.NEW);
            assertThat(t.leadStates().get(ERASED).evaluationTime()).isEqualTo(day(21).toEpochMilli());
        }
    }

    @Test
    void theProfileTombstoneAndTheRequestThatEraseWritesLeaveNothing() {
        RecordingScoringMetrics metrics = new RecordingScoringMetrics();
        try (var t = new TopologyHarness(RULES, Duration.ofDays(30), metrics)) {
            history(t, ERASED);
            history(t, "lead-2");
            Snapshot before = Snapshot.of(t);
            t.scores.readRecordsToList();
            // bin/lead-scoring erase: the profiles topic's tombstone first, then the request, both at one time.
            t.profiles.pipeInput(ERASED, null, day(22));
            t.erase(ERASED, day(22));

            Snapshot after = Snapshot.of(t);
            assertThat(after.of(ERASED).isEmpty()).isTrue();
            assertThat(after.of("lead-2")).isEqualTo(before.of("lead-2"));
            // The profile's deletion re-scores nothing; the request's tombstone is the only output.
            List<TestRecord<String, LeadScore>> scores = t.scores.readRecordsToList();
            assertThat(scores).extracting(TestRecord::key).containsExactly(ERASED);
            assertThat(scores.get(0).value()).isNull();
            assertThat(t.deadLetterRecords()).isEmpty();
            assertThat(metrics.erasures).isEqualTo(1);
        }
    }

    @Test
    void erasingAnUnknownLeadOrTwiceStillTombstonesAndCounts() {
        RecordingScoringMetrics metrics = new RecordingScoringMetrics();
        try (var t = new TopologyHarness(RULES, Duration.ofDays(30), metrics)) {
            history(t, "lead-2");
            Snapshot before = Snapshot.of(t);
            t.scores.readRecordsToList();
            t.erase("never-seen", day(22));
            t.erase("never-seen", day(23));

            assertThat(t.scores.readRecordsToList()).extracting(TestRecord::key, TestRecord::value)
                    .containsExactly(org.assertj.core.api.Assertions.tuple("never-seen", null),
                            org.assertj.core.api.Assertions.tuple("never-seen", null));
            assertThat(Snapshot.of(t)).isEqualTo(before);
            assertThat(metrics.erasures).isEqualTo(2);
        }
    }

    @Test
    void badErasureRequestsAreDeadLetteredWithTheirReasonAndEraseNothing() {
        RecordingScoringMetrics metrics = new RecordingScoringMetrics();
        try (var t = new TopologyHarness(RULES, Duration.ofDays(30), metrics)) {
            history(t, ERASED);
            Snapshot before = Snapshot.of(t);
            t.scores.readRecordsToList();

            t.erasures.pipeInput("", "", day(22));
            t.erasures.pipeInput(null, ERASED, day(22));
            t.erasures.pipeInput(ERASED, "", day(22));
            t.erasures.pipeInput(ERASED, "lead-2", day(22));

            List<TestRecord<byte[], byte[]>> dead = t.deadLetterRecords();
            assertThat(dead).hasSize(4);
            assertThat(dead).extracting(r -> header(r, DeadLetterHandler.HEADER_REASON))
                    .containsOnly(DeadLetterHandler.REASON_INVALID_RECORD);
            assertThat(dead).extracting(r -> header(r, DeadLetterHandler.HEADER_PROCESSOR))
                    .containsOnly(Names.ERASE_LEADS);
            assertThat(dead).extracting(r -> header(r, DeadLetterHandler.HEADER_TOPIC))
                    .containsOnly(t.topics.erasures());
            assertThat(dead).extracting(r -> header(r, DeadLetterHandler.HEADER_ERROR)).containsExactly(
                    "erasure request: the record key, the lead id, is empty",
                    "erasure request: the record key, the lead id, is empty",
                    "erasure request: the value, the lead id, is empty",
                    "erasure request: key 'lead-1' differs from the value 'lead-2'");
            // The original bytes, so that a corrected request can be sent again.
            assertThat(new String(dead.get(3).value(), StandardCharsets.UTF_8)).isEqualTo("lead-2");
            assertThat(Snapshot.of(t)).isEqualTo(before);
            assertThat(t.scores.isEmpty()).isTrue();
            assertThat(metrics.erasures).isZero();
            assertThat(metrics.deadLetters).isEqualTo(Map.of(DeadLetterHandler.REASON_INVALID_RECORD, 4));

            // The pipeline goes on: a valid request after them is carried out.
            t.erase(ERASED, day(23));
            assertThat(Snapshot.of(t).of(ERASED).isEmpty()).isTrue();
            assertThat(metrics.erasures).isEqualTo(1);
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <V extends SpecificRecord> List<V> values(List<TestRecord<String, V>> records) {
        return records.stream().map(TestRecord::value).toList();
    }

    /** What every store holds for one lead: its lead state and profile, and its windows in each window store. */
    record LeadEntries(String leadState, String profile, Map<String, String> seenEvents,
            Map<String, String> ruleCaps, Map<String, String> activity) {

        boolean isEmpty() {
            return leadState == null && profile == null && seenEvents.isEmpty() && ruleCaps.isEmpty()
                    && activity.isEmpty();
        }
    }

    /** Every store's content, read through the stores' full-scan APIs (not the erasure's key ranges). */
    record Snapshot(Map<String, LeadEntries> byLead) {

        static Snapshot of(TopologyHarness t) {
            Map<String, String> states = new TreeMap<>();
            try (KeyValueIterator<String, LeadState> all = t.leadStates().all()) {
                all.forEachRemaining(kv -> states.put(kv.key, describe(kv.value)));
            }
            Map<String, String> profiles = new TreeMap<>();
            KeyValueStore<String, ValueAndTimestamp<LeadProfile>> profileStore =
                    t.driver.getTimestampedKeyValueStore(Names.PROFILES_STORE);
            try (KeyValueIterator<String, ValueAndTimestamp<LeadProfile>> all = profileStore.all()) {
                all.forEachRemaining(kv -> profiles.put(kv.key, String.valueOf(kv.value)));
            }
            Map<String, Map<String, String>> seen = windows(t.seenEvents(), String::valueOf);
            Map<String, Map<String, String>> caps = windows(t.ruleCaps(), String::valueOf);
            Map<String, Map<String, String>> activity = windows(t.activity(), Arrays::toString);

            java.util.Set<String> leads = new java.util.TreeSet<>(states.keySet());
            leads.addAll(profiles.keySet());
            leads.addAll(seen.keySet());
            leads.addAll(caps.keySet());
            leads.addAll(activity.keySet());
            Map<String, LeadEntries> byLead = new TreeMap<>();
            for (String lead : leads) {
                byLead.put(lead, new LeadEntries(states.get(lead), profiles.get(lead),
                        seen.getOrDefault(lead, Map.of()), caps.getOrDefault(lead, Map.of()),
                        activity.getOrDefault(lead, Map.of())));
            }
            return new Snapshot(byLead);
        }

        LeadEntries of(String lead) {
            return byLead.getOrDefault(lead, new LeadEntries(null, null, Map.of(), Map.of(), Map.of()));
        }

        /** Window entries by lead: the key's part before the separator (activity keys are the lead id). */
        private static <V> Map<String, Map<String, String>> windows(WindowStore<String, V> store,
                java.util.function.Function<V, String> show) {
            Map<String, Map<String, String>> byLead = new TreeMap<>();
            try (KeyValueIterator<Windowed<String>, V> all = store.all()) {
                all.forEachRemaining(kv -> {
                    String key = kv.key.key();
                    int separator = key.indexOf('\u001f');
                    String lead = separator < 0 ? key : key.substring(0, separator);
                    byLead.computeIfAbsent(lead, l -> new TreeMap<>())
                            .put(key + "@" + kv.key.window().start(), show.apply(kv.value));
                });
            }
            return byLead;
        }

        /** The state as the store keeps it: its serialized bytes. */
        private static String describe(LeadState state) {
            return java.util.Base64.getEncoder().encodeToString(
                    StateSerdes.leadState().serializer().serialize(Names.LEAD_STATE_STORE, state));
        }
    }
}
