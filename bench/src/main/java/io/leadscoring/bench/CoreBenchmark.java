package io.leadscoring.bench;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.LeadState;
import io.leadscoring.scoring.MapProfileView;
import io.leadscoring.scoring.MapScoringEvent;
import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.Scorer;
import io.leadscoring.scoring.ScoringEvent;
import io.leadscoring.scoring.Source;
import io.leadscoring.streams.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Section 1: the scoring core alone, one record per operation on one thread, no Kafka. The records are the suite's
 * traffic (the demo's personas over {@code samples/rules.yaml}), as the core's map-backed views; a cycle of them is
 * replayed, and the leads' state is dropped when it starts over so every cycle does the same work.
 *
 * <ul>
 *   <li>{@link #objects}: the lead's {@link LeadState} stays an object between its records (the model's own cost);
 *   <li>{@link #storedBytes}: the lead's state is kept as bytes and decoded, re-bound to the rule set and encoded
 *       again around every record, as the topology's key-value store makes it.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoreBenchmark {

    /** System property with the rule file's path (the suite sets it for the forked JVMs). */
    public static final String RULES_PROPERTY = "bench.rules";

    @Param("2000")
    public int activeLeads;

    @Param("200000")
    public int records;

    private Scorer scorer;
    private String[] leadIds;
    private ScoringEvent[] events;
    private ProfileView[] profiles;
    private int next;

    private Map<String, LeadState> states;
    private Map<String, byte[]> storedStates;
    private Map<String, ProfileView> currentProfiles;
    private LeadWindows windows;

    @Setup(Level.Trial)
    public void generate() throws Exception {
        scorer = new Scorer(RuleFileLoader.load(Path.of(System.getProperty(RULES_PROPERTY, "samples/rules.yaml"))));
        LeadTraffic traffic = new LeadTraffic(7, activeLeads, Topics.defaults());
        leadIds = new String[records];
        events = new ScoringEvent[records];
        profiles = new ProfileView[records];
        long t = TopologyThroughput.EPOCH;
        for (int i = 0; i < records; i++) {
            LeadTraffic.Event e = traffic.next(t);
            t += TopologyThroughput.STEP_MILLIS;
            leadIds[i] = e.leadId().intern(); // one String per lead, as a store-backed caller has per record
            if (e.value() instanceof LeadProfile) {
                profiles[i] = profile(e.value());
            } else {
                events[i] = event(e.value());
            }
        }
        reset();
    }

    private void reset() {
        next = 0;
        states = new HashMap<>();
        storedStates = new HashMap<>();
        currentProfiles = new HashMap<>();
        windows = new LeadWindows();
    }

    @Benchmark
    public Object objects() {
        int i = advance();
        String leadId = leadIds[i];
        LeadState state = states.computeIfAbsent(leadId, LeadState::empty);
        return apply(i, leadId, state);
    }

    @Benchmark
    public Object storedBytes() {
        int i = advance();
        String leadId = leadIds[i];
        byte[] stored = storedStates.get(leadId);
        LeadState state = stored == null ? LeadState.empty(leadId) : LeadState.fromBytes(stored);
        Object evaluation = apply(i, leadId, state);
        if (evaluation != null) {
            storedStates.put(leadId, state.toBytes());
        }
        return evaluation;
    }

    /**
     * Replays one cycle and counts the reads of windowed state that a store-backed implementation makes per record
     * (seen event ids, cap windows, activity weeks); each is a store lookup in the topology.
     */
    public static Map<String, Double> windowLookupsPerRecord(int activeLeads, int records) throws Exception {
        CoreBenchmark b = new CoreBenchmark();
        b.activeLeads = activeLeads;
        b.records = records;
        b.generate();
        for (int i = 0; i < records; i++) {
            b.objects();
        }
        Map<String, Double> perRecord = new java.util.LinkedHashMap<>();
        perRecord.put("seenEventIds", b.windows.seenLookups / (double) records);
        perRecord.put("capWindows", b.windows.capLookups / (double) records);
        perRecord.put("activityWeeks", b.windows.activityLookups / (double) records);
        return perRecord;
    }

    private int advance() {
        if (next == records) {
            reset();
        }
        return next++;
    }

    private Object apply(int i, String leadId, LeadState state) {
        if (events[i] != null) {
            return scorer.onEvent(state, events[i], currentProfiles.get(leadId), windows);
        }
        currentProfiles.put(leadId, profiles[i]);
        return scorer.onProfile(state, profiles[i], windows);
    }

    /** The record's fields by their Avro names, which are the rule fields' names (SCORING.md, Inputs). */
    static ScoringEvent event(SpecificRecord record) {
        Source source = record instanceof WebEvent ? Source.WEB
                : record instanceof EmailEvent ? Source.EMAIL
                : record instanceof DownloadEvent ? Source.DOWNLOAD
                : null;
        if (source == null) {
            throw new IllegalArgumentException("not an event: " + record.getClass());
        }
        MapScoringEvent.Builder b = MapScoringEvent.builder(source, text(record, "leadId"), text(record, "eventId"),
                ((Instant) record.get(record.getSchema().getField("occurredAt").pos())).toEpochMilli());
        copyFields(record, b::set);
        return b.build();
    }

    static ProfileView profile(SpecificRecord record) {
        MapProfileView.Builder b = MapProfileView.builder(text(record, "leadId"),
                ((Instant) record.get(record.getSchema().getField("updatedAt").pos())).toEpochMilli());
        copyFields(record, b::set);
        return b.build();
    }

    private interface Setter {
        void set(String field, Object value);
    }

    private static void copyFields(SpecificRecord record, Setter setter) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value == null || value instanceof Instant || value instanceof Map) {
                continue; // times are passed above; attributes are empty in the traffic
            }
            setter.set(field.name(), value instanceof Enum<?> e ? e.name() : value instanceof CharSequence
                    ? value.toString() : value);
        }
    }

    private static String text(SpecificRecord record, String field) {
        Object value = record.get(record.getSchema().getField(field).pos());
        return value == null ? null : value.toString();
    }
}
