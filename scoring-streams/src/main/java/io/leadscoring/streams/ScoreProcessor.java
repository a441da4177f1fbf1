package io.leadscoring.streams;

import io.leadscoring.events.Activity;
import io.leadscoring.events.FitGrade;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Reason;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.Temperature;
import io.leadscoring.scoring.Award;
import io.leadscoring.scoring.Evaluation;
import io.leadscoring.scoring.LeadState;
import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.Scorer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Scores one lead's record against its state: loads the lead, lets the core apply the record, stores the lead and
 * forwards its new {@link LeadScore} and, on a change of stage, the {@link StageChange}; reports what it did to
 * {@link ScoringMetrics}. No scoring logic here.
 */
final class ScoreProcessor implements Processor<String, ScoringInput, String, SpecificRecord> {

    /**
     * Longest lead id and event id, in characters. They are keys of the outputs and of the stores' changelogs (an
     * event id is part of a {@code seen-events} key), so a multi-megabyte id would make a record no topic takes and
     * fail the task on every retry; such a record breaks the input contract instead.
     */
    static final int MAX_ID_LENGTH = 1024;

    /**
     * Most characters of text in a profile (its fields and attributes): its changelog record and the StageChange
     * that carries its contact details must stay far below the 1 MiB a topic takes by default.
     */
    static final int MAX_PROFILE_CHARS = 100_000;

    private final Scorer scorer;
    private final ScoringMetrics metrics;
    private final long maxAheadMs;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, LeadState> leads;
    private TimestampedKeyValueStore<String, LeadProfile> profiles;
    private StoreWindowedState windows;

    /**
     * @param maxAhead how far past the wall clock an event may lie: window stores drop what is older than the newest
     *     time they hold minus their retention, so one event further ahead than the late-event horizon would make
     *     every current event of its partition too old to remember (caps, duplicates, activity) from then on
     */
    ScoreProcessor(Scorer scorer, ScoringMetrics metrics, java.time.Duration maxAhead) {
        this.scorer = scorer;
        this.metrics = metrics;
        this.maxAheadMs = maxAhead.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.leads = context.getStateStore(Names.LEAD_STATE_STORE);
        this.profiles = context.getStateStore(Names.PROFILES_STORE);
        this.windows = new StoreWindowedState(
                context.getStateStore(Names.SEEN_EVENTS_STORE),
                context.getStateStore(Names.RULE_CAPS_STORE),
                context.getStateStore(Names.ACTIVITY_STORE));
    }

    @Override
    public void process(Record<String, ScoringInput> record) {
        String leadId = record.key();
        ScoringInput input = record.value();
        validate(leadId, input);
        if (input.event() != null && input.event().occurredAt() - maxAheadMs > context.currentSystemTimeMs()) {
            throw new InvalidRecordException("occurredAt " + Instant.ofEpochMilli(input.event().occurredAt())
                    + " is more than " + java.time.Duration.ofMillis(maxAheadMs) + " (late.event.horizon.ms) ahead of"
                    + " the clock, " + Instant.ofEpochMilli(context.currentSystemTimeMs()));
        }
        windows.startRecord();

        LeadState state = leads.get(leadId);
        if (state == null) {
            state = LeadState.empty(leadId);
        }
        ProfileView profile;
        Evaluation evaluation;
        if (input.event() != null) {
            ValueAndTimestamp<LeadProfile> current = profiles.get(leadId);
            profile = AvroViews.of(current == null ? null : current.value());
            evaluation = scorer.onEvent(state, input.event(), profile, windows);
            if (evaluation == null) {
                metrics.duplicate(input.event().source());
                return; // a duplicate is ignored altogether
            }
            metrics.event(input.event().source(), input.eventType());
            List<Award> awards = evaluation.awards();
            for (int i = 0; i < awards.size(); i++) { // indexed: no iterator per event
                Award award = awards.get(i);
                if (award.points() != 0) {
                    metrics.awarded(award.rule(), award.points());
                }
            }
        } else {
            profile = input.profile();
            evaluation = scorer.onProfile(state, profile, windows);
        }
        leads.put(leadId, state);
        metrics.evaluated(evaluation.score());

        List<Reason> reasons = reasons(evaluation);
        context.forward(new Record<>(leadId, (SpecificRecord) leadScore(evaluation, reasons), evaluation.at()));
        if (evaluation.transition() != null) {
            context.forward(new Record<>(leadId, (SpecificRecord) stageChange(evaluation, reasons, profile),
                    evaluation.at()));
            io.leadscoring.scoring.Stage to = evaluation.transition().to();
            metrics.stageChanged(to);
            if (to == io.leadscoring.scoring.Stage.SQL) {
                // The context's wall clock: the system time of this processing loop live, the mock clock in tests.
                metrics.handoff(context.currentSystemTimeMs() - input.time());
            }
        }
    }

    private static void validate(String key, ScoringInput input) {
        if (input.event() != null) {
            validateLeadId(key, input.leadId());
            if (input.event().eventId() == null || input.event().eventId().isBlank()) {
                throw new InvalidRecordException("eventId is empty");
            }
            if (input.event().eventId().length() > MAX_ID_LENGTH) {
                throw new InvalidRecordException("eventId is " + input.event().eventId().length()
                        + " characters long, longer than " + MAX_ID_LENGTH);
            }
            if (input.event().occurredAt() < 0) {
                throw new InvalidRecordException("occurredAt is before 1970: " + input.event().occurredAt());
            }
        }
    }

    /** Every input record must be keyed by its non-empty lead id, so a lead's records meet in one task. */
    static void validateLeadId(String key, String leadId) {
        if (key == null || key.isBlank()) {
            throw new InvalidRecordException("the record key, the lead id, is empty");
        }
        if (leadId == null || leadId.isBlank()) {
            throw new InvalidRecordException("the lead id (leadId) is empty");
        }
        if (key.length() > MAX_ID_LENGTH || leadId.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException("the lead id is " + Math.max(key.length(), leadId.length())
                    + " characters long, longer than " + MAX_ID_LENGTH);
        }
        if (!key.equals(leadId)) {
            throw new InvalidRecordException("key '" + key + "' differs from leadId '" + leadId + "'");
        }
    }

    static void validateProfileSize(LeadProfile profile) {
        long chars = 0;
        for (org.apache.avro.Schema.Field field : profile.getSchema().getFields()) {
            if (profile.get(field.pos()) instanceof CharSequence text) {
                chars += text.length();
            }
        }
        if (profile.getAttributes() != null) {
            for (var attribute : profile.getAttributes().entrySet()) {
                chars += String.valueOf(attribute.getKey()).length() + String.valueOf(attribute.getValue()).length();
            }
        }
        if (chars > MAX_PROFILE_CHARS) {
            throw new InvalidRecordException("the profile holds " + chars + " characters of text, more than "
                    + MAX_PROFILE_CHARS);
        }
    }

    static LeadScore leadScore(Evaluation e, List<Reason> reasons) {
        return LeadScore.newBuilder()
                .setLeadId(e.leadId())
                .setScore(e.score())
                .setEngagement(e.engagement())
                .setFit(e.fit())
                .setFitGrade(FitGrade.valueOf(e.fitGrade().name()))
                .setTemperature(Temperature.valueOf(e.temperature().name()))
                .setActivity(Activity.valueOf(e.activity().name()))
                .setStage(Stage.valueOf(e.stage().name()))
                .setRuleSet(e.ruleSet())
                .setReasons(reasons)
                .setAsOf(Instant.ofEpochMilli(e.at()))
                .build();
    }

    static StageChange stageChange(Evaluation e, List<Reason> reasons, ProfileView profile) {
        return StageChange.newBuilder()
                .setHandoffId(e.transition().handoffId())
                .setLeadId(e.leadId())
                .setStage(Stage.valueOf(e.transition().to().name()))
                .setPreviousStage(Stage.valueOf(e.transition().from().name()))
                .setAt(Instant.ofEpochMilli(e.at()))
                .setScore(e.score())
                .setEngagement(e.engagement())
                .setFit(e.fit())
                .setFitGrade(FitGrade.valueOf(e.fitGrade().name()))
                .setTemperature(Temperature.valueOf(e.temperature().name()))
                .setActivity(Activity.valueOf(e.activity().name()))
                .setRuleSet(e.ruleSet())
                .setReasons(reasons)
                .setEmail(profile == null ? null : profile.email())
                .setFirstName(profile == null ? null : profile.firstName())
                .setLastName(profile == null ? null : profile.lastName())
                .setCompany(profile == null ? null : profile.company())
                .build();
    }

    private static List<Reason> reasons(Evaluation e) {
        List<Reason> reasons = new ArrayList<>(e.reasons().size());
        for (var r : e.reasons()) {
            reasons.add(new Reason(r.rule(), r.points()));
        }
        return reasons;
    }
}
