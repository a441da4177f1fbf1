package io.leadscoring.streams;

import io.leadscoring.events.LeadProfile;
import io.leadscoring.scoring.Evaluation;
import io.leadscoring.scoring.LeadState;
import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.scoring.Scorer;
import io.leadscoring.scoring.WindowedState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries on this instance's active stores of the topology: a lead's score as of its last evaluation
 * and decayed to a later time, and the local top leads. Read-only and outside the event path (HTTP threads); the
 * arithmetic is the core's ({@link Scorer#evaluateAt}), so a query agrees with the topology to the last bit.
 *
 * <p>Store exceptions ({@link org.apache.kafka.streams.errors.InvalidStateStoreException} while a task migrates or
 * the instance rebalances) reach the caller, which answers "try again".
 */
public final class LeadQueries {

    /** Largest first, ties by lead id; the order of {@link #top}. */
    public static final Comparator<LeadView> HOTTEST_FIRST = Comparator
            .comparingDouble((LeadView v) -> -v.current().score())
            .thenComparing(v -> v.current().leadId());

    /**
     * A lead as the API shows it.
     *
     * @param lastEvaluation the lead's score at its evaluation time T (what its latest {@code leads.scores} record
     *     says, recomputed from the stores)
     * @param current the same lead decayed to the time asked for (or T when that is later): fit does not decay,
     *     the stage is unchanged since only a record changes it
     */
    public record LeadView(Evaluation lastEvaluation, Evaluation current) {
    }

    private final KafkaStreams streams;
    private final Scorer scorer;
    private final int scoringSubtopology;

    public LeadQueries(KafkaStreams streams, RuleSet rules, Topology topology) {
        this.streams = streams;
        this.scorer = new Scorer(rules);
        this.scoringSubtopology = subtopologyOf(topology, Names.LEAD_STATE_STORE);
    }

    /** Which instance holds the lead and in which partition ({@link KeyQueryMetadata#NOT_AVAILABLE} while unknown). */
    public KeyQueryMetadata metadataFor(String leadId) {
        return streams.queryMetadataForKey(Names.LEAD_STATE_STORE, leadId, Serdes.String().serializer());
    }

    /** The lead from this instance's active stores of {@code partition}, at T and at {@code now}; null if unknown. */
    public LeadView lead(String leadId, int partition, long now) {
        LeadState state = store(Names.LEAD_STATE_STORE, QueryableStoreTypes.<String, LeadState>keyValueStore(),
                partition).get(leadId);
        if (state == null || !state.hasRecords()) {
            return null;
        }
        LeadProfile profile = store(Names.PROFILES_STORE, QueryableStoreTypes.<String, LeadProfile>keyValueStore(),
                partition).get(leadId);
        return view(state, AvroViews.of(profile), activity(partition), now);
    }

    /**
     * The {@code n} hottest leads of this instance's active partitions, by their score decayed to {@code at}
     * ({@link #HOTTEST_FIRST}). One pass over the local lead states with a bounded heap: O(leads · log n).
     */
    public List<LeadView> top(int n, long at) {
        record Candidate(double score, String leadId, LeadState state, ProfileView profile, int partition) {
        }
        Comparator<Candidate> hottestFirst = Comparator.comparingDouble((Candidate c) -> -c.score())
                .thenComparing(Candidate::leadId);
        PriorityQueue<Candidate> coolestOnTop = new PriorityQueue<>(n + 1, hottestFirst.reversed());
        for (int partition : localPartitions()) {
            ReadOnlyKeyValueStore<String, LeadProfile> profiles = store(Names.PROFILES_STORE,
                    QueryableStoreTypes.<String, LeadProfile>keyValueStore(), partition);
            try (KeyValueIterator<String, LeadState> all = store(Names.LEAD_STATE_STORE,
                    QueryableStoreTypes.<String, LeadState>keyValueStore(), partition).all()) {
                while (all.hasNext()) {
                    KeyValue<String, LeadState> entry = all.next();
                    LeadState state = entry.value;
                    if (state == null || !state.hasRecords()) {
                        continue;
                    }
                    ProfileView profile = AvroViews.of(profiles.get(entry.key));
                    double score = scorer.scoreAt(state, profile, Math.max(at, state.evaluationTime()));
                    coolestOnTop.add(new Candidate(score, entry.key, state, profile, partition));
                    if (coolestOnTop.size() > n) {
                        coolestOnTop.poll();
                    }
                }
            }
        }
        List<Candidate> chosen = new ArrayList<>(coolestOnTop);
        chosen.sort(hottestFirst);
        List<LeadView> top = new ArrayList<>(chosen.size());
        for (Candidate c : chosen) {
            top.add(view(c.state(), c.profile(), activity(c.partition()), at));
        }
        top.sort(HOTTEST_FIRST);
        return top;
    }

    private LeadView view(LeadState state, ProfileView profile, WindowedState windows, long now) {
        long evaluatedAt = state.evaluationTime();
        Evaluation last = scorer.evaluateAt(state, profile, windows, evaluatedAt);
        Evaluation current = now > evaluatedAt ? scorer.evaluateAt(state, profile, windows, now) : last;
        return new LeadView(last, current);
    }

    /** The partitions whose scoring task is active here: only those answer a partition-specific store query. */
    private List<Integer> localPartitions() {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                if (task.taskId().subtopology() == scoringSubtopology) {
                    partitions.add(task.taskId().partition());
                }
            }
        }
        return List.copyOf(partitions);
    }

    private <T> T store(String name, QueryableStoreType<T> type, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
    }

    /** The activity weeks of one partition, read-only: all {@link Scorer#evaluateAt} reads. */
    private WindowedState activity(int partition) {
        ReadOnlyWindowStore<String, long[]> weeks = store(Names.ACTIVITY_STORE,
                QueryableStoreTypes.<String, long[]>windowStore(), partition);
        return new WindowedState() {
            @Override
            public long[] activityWeek(String leadId, long weekStart) {
                return weeks.fetch(leadId, weekStart);
            }

            @Override
            public Long previousOccurrence(String leadId, String eventId, long from, long to) {
                throw new UnsupportedOperationException("read-only: a query processes no event");
            }

            @Override
            public void rememberEvent(String leadId, String eventId, long occurredAt) {
                throw new UnsupportedOperationException("read-only: a query processes no event");
            }

            @Override
            public double capUsed(String leadId, String rule, long windowStart) {
                throw new UnsupportedOperationException("read-only: a query processes no event");
            }

            @Override
            public void setCapUsed(String leadId, String rule, long windowStart, double used) {
                throw new UnsupportedOperationException("read-only: a query processes no event");
            }

            @Override
            public void setActivityWeek(String leadId, long weekStart, long[] latestTimes) {
                throw new UnsupportedOperationException("read-only: a query processes no event");
            }
        };
    }

    /** The sub-topology whose processor holds {@code store}: its tasks are the partitions of that store. */
    static int subtopologyOf(Topology topology, String store) {
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p && p.stores().contains(store)) {
                    return sub.id();
                }
            }
        }
        throw new IllegalArgumentException("no processor of the topology holds store " + store);
    }
}
