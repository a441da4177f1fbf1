package io.leadscoring.scoring;

import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.scoring.rules.Durations;
import io.leadscoring.scoring.rules.FitRule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The scoring model of SCORING.md. Stateless and thread-safe: the lead's state lives in {@link LeadState} and
 * {@link WindowedState}, which the caller owns (one lead at a time).
 */
public final class Scorer {
    /** Events with the same id for the same lead within this much event time are duplicates. */
    public static final long DUPLICATE_WINDOW_MILLIS = 7 * Durations.DAY;
    /** Length of the epoch-aligned activity weeks. */
    public static final long WEEK_MILLIS = Durations.WEEK;
    /** ACTIVE: at least this many accepted events in {@code [T − 7d, T]}. */
    public static final int ACTIVE_EVENTS = 3;
    /** LATENT: accepted events in at least this many distinct weeks ... */
    public static final int LATENT_WEEKS = 3;
    /** ... among this many weeks, T's week included. */
    public static final int LATENT_WINDOW_WEEKS = 12;
    /** At most this many reasons. */
    public static final int MAX_REASONS = 10;
    /** Score comparisons with thresholds accept {@code S ≥ threshold − EPSILON}. */
    public static final double EPSILON = 1e-9;

    private static final Comparator<Reason> REASON_ORDER =
            Comparator.comparingDouble((Reason r) -> -Math.abs(r.points())).thenComparing(Reason::rule);

    private final RuleSet rules;

    public Scorer(RuleSet rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public RuleSet ruleSet() {
        return rules;
    }

    /**
     * Applies one event; returns null when the event is a duplicate (ignored altogether: no state changes).
     *
     * @param currentProfileOrNull the lead's current profile, for fit; null when the lead has none yet
     */
    public Evaluation onEvent(
            LeadState state, ScoringEvent event, ProfileView currentProfileOrNull, WindowedState windows) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(windows, "windows");
        Source source = Objects.requireNonNull(event.source(), "event source");
        String leadId = state.leadId();
        if (!leadId.equals(event.leadId())) {
            throw new IllegalArgumentException("event of lead " + event.leadId() + " applied to the state of " + leadId);
        }
        checkProfile(state, currentProfileOrNull);
        long t = event.occurredAt();

        String eventId = event.eventId();
        if (eventId != null) {
            // Only the part of the window where the lead can have an earlier event is looked up: none after
            // its newest accepted one, none at all before its first record.
            long from = saturatedAdd(t, -DUPLICATE_WINDOW_MILLIS);
            long to = Math.min(saturatedAdd(t, DUPLICATE_WINDOW_MILLIS), newestAcceptedBound(state));
            if (from <= to && windows.previousOccurrence(leadId, eventId, from, to) != null) {
                return null;
            }
            windows.rememberEvent(leadId, eventId, t);
        }

        summarize(state, windows);
        state.bind(rules);
        long T = state.hasRecords() ? Math.max(state.evaluationTime(), t) : t;
        state.setEvaluationTime(T);

        List<Award> awards = null;
        int sourceBit = source.bit();
        for (BehaviorRule rule : rules.rulesFor(source)) {
            if (!rule.matches(event, sourceBit)) {
                continue;
            }
            double award = rule.points();
            if (rule.capped()) {
                long per = rule.capPerMillis();
                long windowStart = Math.floorDiv(t, per) * per;
                double used = windows.capUsed(leadId, rule.name(), windowStart);
                double room = rule.capPoints() - used;
                if (room <= 0) {
                    award = 0;
                } else if (Math.abs(award) > room) {
                    award = Math.copySign(room, award);
                }
                if (award != 0) {
                    windows.setCapUsed(leadId, rule.name(), windowStart, used + Math.abs(award));
                }
            }
            if (awards == null) {
                awards = new ArrayList<>(4);
            }
            awards.add(new Award(rule.name(), award == 0 ? 0.0 : award));
            if (award != 0) {
                state.addAward(rule.index(), award, t, rule.halfLifeMillis());
            }
        }

        recordActivity(state, t, windows);
        return evaluate(state, currentProfileOrNull, windows, T, awards == null ? List.of() : awards);
    }

    /** A profile change re-evaluates its lead (T moves to the profile's {@code updatedAt} when that is later). */
    public Evaluation onProfile(LeadState state, ProfileView profile, WindowedState windows) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(windows, "windows");
        checkProfile(state, profile);
        summarize(state, windows);
        state.bind(rules);
        long t = profile.updatedAt();
        long T = state.hasRecords() ? Math.max(state.evaluationTime(), t) : t;
        state.setEvaluationTime(T);
        return evaluate(state, profile, windows, T, List.of());
    }

    /**
     * The stage-change id: a name-based UUID of leadId, target stage, T and rule set, so a replay or a re-processing
     * of the same records yields the same id.
     */
    public static String handoffId(String leadId, Stage to, long at, String ruleSetId) {
        String key = "lead-scoring|" + leadId + "|" + to + "|" + at + "|" + ruleSetId;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- evaluation

    private Evaluation evaluate(
            LeadState state, ProfileView profile, WindowedState windows, long T, List<Award> awards) {
        List<Reason> reasons = new ArrayList<>();
        double engagement = engagement(state, T, reasons);
        double fit = fit(profile, reasons);
        double score = engagement + fit;

        Stage from = state.stage();
        Stage to = nextStage(from, score);
        StageTransition transition = null;
        if (to != from) {
            state.setStage(to);
            transition = new StageTransition(from, to, handoffId(state.leadId(), to, T, rules.id()));
        }
        return new Evaluation(state.leadId(), T, score, engagement, fit, fitGrade(fit), temperature(score),
                activity(state, T, windows), to, rules.id(), topReasons(reasons), awards, transition);
    }

    /**
     * The lead's score at {@code at} without a new record, for queries: every behaviour rule's sum decayed to
     * {@code at}, the fit of the given profile, the labels and reasons at {@code at}, and the lead's stage as it is
     * (only a record changes a stage, SCORING.md; {@code transition} is null and {@code awards} empty). With
     * {@code at} = the lead's T and its current profile it is the lead's last evaluation. Pure: neither the state
     * nor the windows are modified (only {@link WindowedState#activityWeek} is read, for a state of format version 1
     * that has no activity summary yet).
     *
     * @param at at least the lead's evaluation time T: decay only runs forward
     * @throws IllegalArgumentException when the lead has no processed record, or {@code at} is before its T
     */
    public Evaluation evaluateAt(LeadState state, ProfileView currentProfileOrNull, WindowedState windows, long at) {
        Objects.requireNonNull(windows, "windows");
        LeadState bound = boundView(state, currentProfileOrNull, at);
        List<Reason> reasons = new ArrayList<>();
        double engagement = engagement(bound, at, reasons);
        double fit = fit(currentProfileOrNull, reasons);
        double score = engagement + fit;
        return new Evaluation(state.leadId(), at, score, engagement, fit, fitGrade(fit), temperature(score),
                activity(state, at, windows), state.stage(), rules.id(), topReasons(reasons), List.of(),
                null);
    }

    /**
     * Only the score of {@link #evaluateAt} (no labels, reasons or window reads): to rank many leads cheaply.
     * Pure, with the same arguments and checks.
     */
    public double scoreAt(LeadState state, ProfileView currentProfileOrNull, long at) {
        LeadState bound = boundView(state, currentProfileOrNull, at);
        return engagement(bound, at, null) + fit(currentProfileOrNull, null);
    }

    /** The state itself when it is already bound to these rules, else a bound copy: queries never modify it. */
    private LeadState boundView(LeadState state, ProfileView profile, long at) {
        Objects.requireNonNull(state, "state");
        checkProfile(state, profile);
        if (!state.hasRecords()) {
            throw new IllegalArgumentException("lead " + state.leadId() + " has no processed record");
        }
        if (at < state.evaluationTime()) {
            throw new IllegalArgumentException("cannot evaluate lead " + state.leadId() + " at " + at
                    + ", before its evaluation time " + state.evaluationTime());
        }
        LeadState bound = state.isBoundTo(rules) ? state : state.copy();
        bound.bind(rules);
        return bound;
    }

    /** E(at): every behaviour rule's sum decayed to {@code at}, in rule-file order; adds their reasons. */
    private double engagement(LeadState bound, long at, List<Reason> reasonsOrNull) {
        BehaviorRule[] behavior = rules.behaviorArray();
        double engagement = 0;
        for (int i = 0; i < behavior.length; i++) {
            double sum = bound.sumAt(i);
            if (sum == 0) {
                continue;
            }
            long h = behavior[i].halfLifeMillis();
            double contribution = h <= 0 ? sum : sum * LeadState.decay(at - bound.refAt(i), h);
            engagement += contribution;
            if (contribution != 0 && reasonsOrNull != null) {
                reasonsOrNull.add(new Reason(behavior[i].name(), contribution));
            }
        }
        return engagement;
    }

    /** F: the matching fit rules' points, capped at maxPoints; 0 without a profile; adds their (raw) reasons. */
    private double fit(ProfileView profile, List<Reason> reasonsOrNull) {
        double rawFit = 0;
        if (profile != null) {
            for (FitRule rule : rules.fitArray()) {
                if (rule.matches(profile)) {
                    rawFit += rule.points();
                    if (rule.points() != 0 && reasonsOrNull != null) {
                        reasonsOrNull.add(new Reason(rule.name(), rule.points()));
                    }
                }
            }
        }
        return Math.min(rawFit, rules.fitMaxPoints());
    }

    private static List<Reason> topReasons(List<Reason> reasons) {
        reasons.sort(REASON_ORDER);
        return reasons.size() > MAX_REASONS ? reasons.subList(0, MAX_REASONS) : reasons;
    }

    private Stage nextStage(Stage from, double score) {
        boolean sql = reaches(score, rules.sqlThreshold());
        boolean mql = reaches(score, rules.mqlThreshold());
        return switch (from) {
            case NEW -> sql ? Stage.SQL : mql ? Stage.MQL : Stage.NEW;
            case MQL -> sql ? Stage.SQL : Stage.MQL;
            case SQL -> Stage.SQL;
        };
    }

    /** The fit grade of a fit value against this rule set's effective {@code fit.maxPoints}. */
    public FitGrade fitGrade(double fit) {
        double max = rules.fitMaxPoints();
        if (reaches(fit, 0.75 * max)) {
            return FitGrade.A;
        }
        if (reaches(fit, 0.5 * max)) {
            return FitGrade.B;
        }
        if (reaches(fit, 0.25 * max)) {
            return FitGrade.C;
        }
        return FitGrade.D;
    }

    /** The temperature of a score under this rule set's thresholds. */
    public Temperature temperature(double score) {
        if (reaches(score, rules.sqlThreshold())) {
            return Temperature.HOT;
        }
        if (reaches(score, rules.mqlThreshold())) {
            return Temperature.WARM;
        }
        return Temperature.COLD;
    }

    private static boolean reaches(double value, double threshold) {
        return value >= threshold - EPSILON;
    }

    // ---- activity

    /** Start of the epoch-aligned week holding t. */
    public static long weekStart(long t) {
        return Math.floorDiv(t, WEEK_MILLIS) * WEEK_MILLIS;
    }

    /**
     * Keeps the week's latest times in the windows (what a state of format version 1 is rebuilt from, and what
     * queries of the windows see) and adds t to the state's summary. The week is read only for a late event: for
     * one in the newest week, or a later one, the summary already holds what the week holds.
     */
    private static void recordActivity(LeadState state, long t, WindowedState windows) {
        String leadId = state.leadId();
        long week = weekStart(t);
        long[] latest = weekFromSummary(state, week);
        if (latest == UNKNOWN) {
            latest = windows.activityWeek(leadId, week);
        }
        long[] updated = insertLatest(latest, t);
        if (updated != latest) {
            windows.setActivityWeek(leadId, week, updated);
        }
        state.recordAccepted(t);
    }

    private static final long[] UNKNOWN = new long[0];

    /**
     * The up to 3 latest accepted times of the week starting at {@code week} (null: none) when the summary holds
     * them all, else {@link #UNKNOWN}. It does when the week starts after T − horizon (no event of it has left
     * the summary) and is not older than the newest accepted event's week: events of the week the summary does not
     * hold are then below its third-latest time, which lies in the same week.
     */
    private static long[] weekFromSummary(LeadState state, long week) {
        if (!state.summarized() || week <= state.horizonStart()) {
            return UNKNOWN;
        }
        long[] latest = state.latestTimes();
        if (latest.length == 0 || week > latest[0]) {
            return null; // every accepted event is older than the week
        }
        if (week != weekStart(latest[0])) {
            return UNKNOWN;
        }
        int n = 0;
        while (n < latest.length && latest[n] >= week) {
            n++;
        }
        return Arrays.copyOf(latest, n);
    }

    /**
     * An upper bound of the lead's accepted event times (T is one: it is the largest time of its records); the
     * newest one when the summary has it; Long.MIN_VALUE before its first record.
     */
    private static long newestAcceptedBound(LeadState state) {
        if (!state.hasRecords()) {
            return Long.MIN_VALUE;
        }
        if (!state.summarized()) {
            return state.evaluationTime();
        }
        long[] latest = state.latestTimes();
        return latest.length > 0 ? latest[0] : state.horizonStart();
    }

    /**
     * Rebuilds the activity summary of a state read from format version 1 (once per lead) from its 12 activity
     * weeks up to T's week, which hold every accepted event the summary covers.
     */
    private static void summarize(LeadState state, WindowedState windows) {
        if (state.summarized()) {
            return;
        }
        long week = weekStart(state.evaluationTime());
        long[] latest = null;
        int mask = 0;
        for (int k = 0; k < LATENT_WINDOW_WEEKS; k++) {
            long[] times = windows.activityWeek(state.leadId(), week - k * WEEK_MILLIS);
            if (!isEmpty(times)) {
                mask |= 1 << k;
                for (long time : times) {
                    latest = insertLatest(latest, time);
                }
            }
        }
        state.setSummary(latest == null ? new long[0] : latest, mask);
    }

    /** The up-to-3 largest of {@code latest ∪ {t}}, largest first; {@code latest} itself when t does not enter. */
    static long[] insertLatest(long[] stored, long t) {
        long[] latest = descending(stored);
        int n = latest == null ? 0 : latest.length;
        if (n >= ACTIVE_EVENTS && t <= latest[n - 1]) {
            return latest == stored && n == ACTIVE_EVENTS ? stored : java.util.Arrays.copyOf(latest, ACTIVE_EVENTS);
        }
        int keep = Math.min(n + 1, ACTIVE_EVENTS);
        long[] out = new long[keep];
        int i = 0;
        int j = 0;
        boolean placed = false;
        while (j < keep) {
            if (!placed && (i >= n || t > latest[i])) {
                out[j++] = t;
                placed = true;
            } else {
                out[j++] = latest[i++];
            }
        }
        return out;
    }

    /**
     * ACTIVE iff the third-largest accepted time is ≥ T − 7d (no accepted time is later than T); LATENT iff at
     * least 3 of the weeks W−11..W hold an accepted event; DORMANT otherwise (W = T's week). From the state's
     * summary; from the windows for a state of format version 1 that has none yet.
     */
    static Activity activity(LeadState state, long T, WindowedState windows) {
        if (!state.summarized()) {
            return activity(state.leadId(), T, windows);
        }
        long[] latest = state.latestTimes();
        if (latest.length >= ACTIVE_EVENTS && latest[ACTIVE_EVENTS - 1] >= saturatedAdd(T, -7 * Durations.DAY)) {
            return Activity.ACTIVE;
        }
        return Integer.bitCount(state.weekMaskAt(T)) >= LATENT_WEEKS ? Activity.LATENT : Activity.DORMANT;
    }

    /**
     * {@link #activity(LeadState, long, WindowedState)} from the windows alone: ACTIVE iff the third-largest accepted
     * time in weeks W and W−1 is ≥ T − 7d; LATENT iff at least 3 of the weeks W−11..W hold an accepted event;
     * DORMANT otherwise (W = T's week). See docs/SCORING-NOTES.md for why this is exact.
     */
    static Activity activity(String leadId, long T, WindowedState windows) {
        long week = weekStart(T);
        long[] current = windows.activityWeek(leadId, week);
        long[] previous = windows.activityWeek(leadId, week - WEEK_MILLIS);
        long third = thirdLargest(current, previous);
        if (third != Long.MIN_VALUE && third >= saturatedAdd(T, -7 * Durations.DAY)) {
            return Activity.ACTIVE;
        }
        int weeks = (isEmpty(current) ? 0 : 1) + (isEmpty(previous) ? 0 : 1);
        for (int k = 2; k < LATENT_WINDOW_WEEKS && weeks < LATENT_WEEKS; k++) {
            if (!isEmpty(windows.activityWeek(leadId, week - k * WEEK_MILLIS))) {
                weeks++;
            }
        }
        return weeks >= LATENT_WEEKS ? Activity.LATENT : Activity.DORMANT;
    }

    private static boolean isEmpty(long[] a) {
        return a == null || a.length == 0;
    }

    /** The third-largest value of the union of two descending arrays, Long.MIN_VALUE when there are fewer than 3. */
    private static long thirdLargest(long[] storedA, long[] storedB) {
        long[] a = descending(storedA);
        long[] b = descending(storedB);
        int na = a == null ? 0 : a.length;
        int nb = b == null ? 0 : b.length;
        if (na + nb < ACTIVE_EVENTS) {
            return Long.MIN_VALUE;
        }
        int i = 0;
        int j = 0;
        long v = Long.MIN_VALUE;
        for (int k = 0; k < ACTIVE_EVENTS; k++) {
            if (j >= nb || (i < na && a[i] >= b[j])) {
                v = a[i++];
            } else {
                v = b[j++];
            }
        }
        return v;
    }

    // ---- helpers

    /** The array itself when it is sorted largest first (as the scorer stores it), else a sorted copy. */
    private static long[] descending(long[] a) {
        if (a == null) {
            return null;
        }
        for (int i = 1; i < a.length; i++) {
            if (a[i - 1] < a[i]) {
                long[] copy = a.clone();
                java.util.Arrays.sort(copy);
                for (int l = 0, r = copy.length - 1; l < r; l++, r--) {
                    long tmp = copy[l];
                    copy[l] = copy[r];
                    copy[r] = tmp;
                }
                return copy;
            }
        }
        return a;
    }

    private static void checkProfile(LeadState state, ProfileView profile) {
        if (profile != null && profile.leadId() != null && !profile.leadId().equals(state.leadId())) {
            throw new IllegalArgumentException(
                    "profile of lead " + profile.leadId() + " applied to the state of " + state.leadId());
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
