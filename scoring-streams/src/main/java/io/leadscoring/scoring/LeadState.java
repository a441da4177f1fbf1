package io.leadscoring.scoring;

import io.leadscoring.scoring.rules.Durations;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A lead's scoring state: its stage, its evaluation time T, per behaviour rule a decayed sum of awards at a
 * reference time, and a summary of its accepted event times that decides its activity label (the up to 3 latest
 * within {@link #SUMMARY_HORIZON} of T, and which of the 12 weeks up to T's week hold one). Mutable, one per lead,
 * bounded by the number of rules (never a list of past events).
 *
 * <p>Sums are kept by rule <em>name</em>, so the state survives a new version of the rule file; rules no longer in
 * the file are dropped the next time the state is used with that file and written.
 */
public final class LeadState {
    /** {@link #evaluationTime()} of a lead that has no processed record yet. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Binary format without the activity summary: still read (the summary is then rebuilt once, see Scorer). */
    static final byte FORMAT_V1 = 1;
    /** Current binary format: version 1 and the activity summary. */
    static final byte FORMAT_V2 = 2;
    /**
     * The summary keeps event times this recent (before T): older ones can make no lead ACTIVE (7 days) and tell
     * nothing about the week an on-time event falls in. Fits the format's unsigned 32-bit offsets.
     */
    public static final long SUMMARY_HORIZON = 6 * Durations.WEEK;
    /** Weeks in the summary's mask: T's week and the 11 before it (SCORING.md's LATENT window). */
    static final int MASK_WEEKS = 12;
    private static final int MASK = (1 << MASK_WEEKS) - 1;
    private static final long ABSENT = 0xFFFF_FFFFL;

    private static final String[] NO_NAMES = new String[0];
    private static final long[] NO_TIMES = new long[0];
    private static final Stage[] STAGES = Stage.values();

    private final String leadId;
    private Stage stage = Stage.NEW;
    private long evaluationTime = NO_TIME;

    // Per-rule storage. When bound to a rule set, index i is the rule set's behaviour rule i (names is the rule
    // set's own array, never modified here); unbound, the entries are in the order they were read.
    private RuleSet boundTo;
    private String[] names = NO_NAMES;
    private double[] sums = new double[0];
    private long[] refs = new long[0];
    private int size;

    // Activity summary. False only for a version-1 state that has records, until Scorer rebuilds it from windows.
    private boolean summarized = true;
    // The up to 3 largest accepted event times ≥ T − SUMMARY_HORIZON, largest first (never modified in place).
    private long[] latest = NO_TIMES;
    // Bit k: week (week of T) − k holds an accepted event, k < 12.
    private int weekMask;

    private LeadState(String leadId) {
        if (leadId == null || leadId.isEmpty()) {
            throw new IllegalArgumentException("leadId must be a non-empty string");
        }
        this.leadId = leadId;
    }

    public static LeadState empty(String leadId) {
        return new LeadState(leadId);
    }

    public String leadId() {
        return leadId;
    }

    public Stage stage() {
        return stage;
    }

    /** T: the largest event time among the lead's processed records; {@link #NO_TIME} before the first one. */
    public long evaluationTime() {
        return evaluationTime;
    }

    /** Whether any record of the lead has been processed. */
    public boolean hasRecords() {
        return evaluationTime != NO_TIME;
    }

    /** The stored decayed sum of a behaviour rule at its reference time (0 when the rule awarded nothing). */
    public double decayedSum(String rule) {
        int i = find(rule);
        return i < 0 ? 0 : sums[i];
    }

    /** The reference time of a rule's decayed sum, {@link #NO_TIME} when the rule awarded nothing. */
    public long referenceTime(String rule) {
        int i = find(rule);
        return i < 0 || sums[i] == 0 ? NO_TIME : refs[i];
    }

    /** Rules with a non-zero sum, with their sums, in storage order. */
    public Map<String, Double> decayedSums() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                out.put(names[i], sums[i]);
            }
        }
        return out;
    }

    private int find(String rule) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(rule)) {
                return i;
            }
        }
        return -1;
    }

    // ---- used by the Scorer

    void setStage(Stage stage) {
        this.stage = stage;
    }

    /** Moves T (never back); the summary follows it: its mask is relative to T's week, its horizon to T. */
    void setEvaluationTime(long t) {
        long old = evaluationTime;
        this.evaluationTime = t;
        if (old == NO_TIME || t == old || !summarized) {
            return;
        }
        long shift = weekIndex(t) - weekIndex(old);
        weekMask = shift >= MASK_WEEKS ? 0 : (weekMask << shift) & MASK;
        int keep = latest.length;
        while (keep > 0 && latest[keep - 1] < horizonStart()) {
            keep--;
        }
        if (keep < latest.length) {
            latest = Arrays.copyOf(latest, keep);
        }
    }

    // ---- activity summary, used by the Scorer

    /** Whether the activity summary is there (false for a version-1 state with records until it is rebuilt). */
    boolean summarized() {
        return summarized;
    }

    /** The up to 3 latest accepted event times within {@link #SUMMARY_HORIZON} of T, largest first; do not modify. */
    long[] latestTimes() {
        return latest;
    }

    /** Bit k: week (week of {@code at}) − k holds an accepted event, k < 12; {@code at} ≥ T. */
    int weekMaskAt(long at) {
        if (evaluationTime == NO_TIME) {
            return 0;
        }
        long shift = weekIndex(at) - weekIndex(evaluationTime);
        return shift >= MASK_WEEKS ? 0 : (weekMask << shift) & MASK;
    }

    /** Earliest time the summary's latest times cover: T − {@link #SUMMARY_HORIZON}. */
    long horizonStart() {
        long start = evaluationTime - SUMMARY_HORIZON;
        return start > evaluationTime ? Long.MIN_VALUE : start;
    }

    /** Adds an accepted event at {@code t} ≤ T to the summary. */
    void recordAccepted(long t) {
        if (!summarized) {
            throw new IllegalStateException("the activity summary of " + leadId + " has not been rebuilt");
        }
        if (t > evaluationTime || evaluationTime == NO_TIME) {
            throw new IllegalArgumentException("event time " + t + " after T " + evaluationTime);
        }
        long k = weekIndex(evaluationTime) - weekIndex(t);
        if (k < MASK_WEEKS) {
            weekMask |= 1 << k;
        }
        if (t >= horizonStart()) {
            latest = Scorer.insertLatest(latest, t);
        }
    }

    /** Sets a rebuilt summary ({@code latest} largest first; {@code mask} relative to T's week). */
    void setSummary(long[] latestTimes, int mask) {
        int keep = 0;
        while (keep < latestTimes.length && keep < 3 && latestTimes[keep] >= horizonStart()) {
            keep++;
        }
        latest = Arrays.copyOf(latestTimes, keep);
        weekMask = mask & MASK;
        summarized = true;
    }

    static long weekIndex(long t) {
        return Math.floorDiv(t, Durations.WEEK);
    }

    /** Re-indexes the sums by the rule set's behaviour rules; sums of rules the set does not have are dropped. */
    void bind(RuleSet rules) {
        if (boundTo == rules) {
            return;
        }
        String[] newNames = rules.behaviorNames();
        double[] newSums = new double[newNames.length];
        long[] newRefs = new long[newNames.length];
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                int j = rules.behaviorIndex(names[i]);
                if (j >= 0) {
                    newSums[j] = sums[i];
                    newRefs[j] = refs[i];
                }
            }
        }
        boundTo = rules;
        names = newNames;
        sums = newSums;
        refs = newRefs;
        size = newNames.length;
    }

    boolean isBoundTo(RuleSet rules) {
        return boundTo == rules;
    }

    /** An independent copy (the rule-name arrays are shared: they are never modified). */
    LeadState copy() {
        LeadState c = new LeadState(leadId);
        c.stage = stage;
        c.evaluationTime = evaluationTime;
        c.boundTo = boundTo;
        c.names = names;
        c.sums = sums.clone();
        c.refs = refs.clone();
        c.size = size;
        c.summarized = summarized;
        c.latest = latest;
        c.weekMask = weekMask;
        return c;
    }

    double sumAt(int i) {
        return sums[i];
    }

    long refAt(int i) {
        return refs[i];
    }

    /**
     * Adds an award of {@code points} made at time {@code t} to rule {@code i} (bound state). With a half-life h the
     * sum is kept at the reference time ref: an award earlier than ref adds {@code p·2^(−(ref−t)/h)}; a later one
     * first decays the sum to t, then adds p and moves ref to t. Without decay the sum just grows.
     */
    void addAward(int i, double points, long t, long halfLifeMillis) {
        if (sums[i] == 0) {
            sums[i] = points;
            refs[i] = t;
        } else if (halfLifeMillis <= 0) {
            sums[i] += points;
            refs[i] = Math.max(refs[i], t);
        } else if (t <= refs[i]) {
            sums[i] += points * decay(refs[i] - t, halfLifeMillis);
        } else {
            sums[i] = sums[i] * decay(t - refs[i], halfLifeMillis) + points;
            refs[i] = t;
        }
    }

    /** {@code 2^(−dt/h)}. */
    static double decay(long dt, long halfLifeMillis) {
        return dt == 0 ? 1.0 : Math.pow(2, -dt / (double) halfLifeMillis);
    }

    // ---- binary format

    /**
     * Version 2: byte 2; leadId; stage byte (0 NEW, 1 MQL, 2 SQL); long T; varint n; n × (rule name, double sum,
     * long reference time); the activity summary: unsigned short week mask (bit k: T's week − k), 3 × unsigned int
     * T − latest time (0xFFFFFFFF: none), a fixed 14 bytes. Texts are a varint byte length and UTF-8. Only rules
     * with a non-zero sum are written. Version 1 is version 2 without the summary: a state without records, which
     * has nothing to summarize, and a state read from version 1 until its summary has been rebuilt are written so.
     */
    public byte[] toBytes() {
        boolean withSummary = summarized && hasRecords(); // nothing to summarize before the first record
        byte[] id = leadId.getBytes(StandardCharsets.UTF_8);
        byte[][] ruleNames = new byte[size][];
        int count = 0;
        int length = 1 + varintSize(id.length) + id.length + 1 + 8 + (withSummary ? 14 : 0);
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
                ruleNames[i] = name;
                length += varintSize(name.length) + name.length + 16;
                count++;
            }
        }
        length += varintSize(count);
        // Big-endian, as DataOutputStream wrote version 1.
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put(withSummary ? FORMAT_V2 : FORMAT_V1);
        putText(out, id);
        out.put((byte) stage.ordinal());
        out.putLong(evaluationTime);
        putVarint(out, count);
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                putText(out, ruleNames[i]);
                out.putDouble(sums[i]);
                out.putLong(refs[i]);
            }
        }
        if (withSummary) {
            out.putShort((short) weekMask);
            for (int i = 0; i < 3; i++) {
                out.putInt((int) (i < latest.length ? evaluationTime - latest[i] : ABSENT));
            }
        }
        return out.array();
    }

    /**
     * Reads {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are not a LeadState of a known format version
     */
    public static LeadState fromBytes(byte[] b) {
        Objects.requireNonNull(b, "bytes");
        ByteBuffer in = ByteBuffer.wrap(b);
        try {
            int version = Byte.toUnsignedInt(in.get());
            if (version != FORMAT_V1 && version != FORMAT_V2) {
                throw new IllegalArgumentException("unsupported LeadState format version " + version);
            }
            LeadState s = new LeadState(readText(in));
            int stage = Byte.toUnsignedInt(in.get());
            if (stage >= STAGES.length) {
                throw new IllegalArgumentException("bad stage " + stage + " in LeadState");
            }
            s.stage = STAGES[stage];
            s.evaluationTime = in.getLong();
            int n = readVarint(in);
            if (n < 0 || n > b.length) {
                throw new IllegalArgumentException("bad rule count " + n + " in LeadState");
            }
            s.names = new String[n];
            s.sums = new double[n];
            s.refs = new long[n];
            for (int i = 0; i < n; i++) {
                s.names[i] = readText(in);
                s.sums[i] = in.getDouble();
                s.refs[i] = in.getLong();
            }
            s.size = n;
            if (version == FORMAT_V2) {
                readSummary(in, s);
            } else {
                s.summarized = !s.hasRecords(); // nothing to summarize without a record
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes after LeadState");
            }
            return s;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated or corrupt LeadState: " + e, e);
        }
    }

    private static void readSummary(ByteBuffer in, LeadState s) {
        int mask = Short.toUnsignedInt(in.getShort());
        long[] times = new long[3];
        int n = 0;
        for (int i = 0; i < 3; i++) {
            long offset = Integer.toUnsignedLong(in.getInt());
            if (offset == ABSENT) {
                continue;
            }
            if (n < i || offset > SUMMARY_HORIZON || !s.hasRecords()
                    || (n > 0 && s.evaluationTime - offset > times[n - 1])) {
                throw new IllegalArgumentException("bad activity summary in LeadState");
            }
            times[n++] = s.evaluationTime - offset;
        }
        if (mask > MASK || (!s.hasRecords() && mask != 0)) {
            throw new IllegalArgumentException("bad activity week mask in LeadState");
        }
        s.weekMask = mask;
        s.latest = n == 0 ? NO_TIMES : Arrays.copyOf(times, n);
    }

    private static void putText(ByteBuffer out, byte[] utf8) {
        putVarint(out, utf8.length);
        out.put(utf8);
    }

    private static String readText(ByteBuffer in) {
        int len = readVarint(in);
        if (len < 0 || len > in.remaining()) {
            throw new IllegalArgumentException("truncated or corrupt LeadState: bad text length " + len);
        }
        String text = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return text;
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private static void putVarint(ByteBuffer out, int v) {
        while ((v & ~0x7F) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = Byte.toUnsignedInt(in.get());
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("truncated or corrupt LeadState: varint too long");
    }

    /** Equal when leadId, stage, T and the non-zero per-rule sums and reference times are equal. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LeadState other)) {
            return false;
        }
        return leadId.equals(other.leadId)
                && stage == other.stage
                && evaluationTime == other.evaluationTime
                && entries().equals(other.entries())
                && summarized == other.summarized
                && weekMask == other.weekMask
                && Arrays.equals(latest, other.latest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leadId, stage, evaluationTime, entries(), weekMask, Arrays.hashCode(latest));
    }

    private Map<String, String> entries() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                out.put(names[i], Double.doubleToLongBits(sums[i]) + "@" + refs[i]);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LeadState[").append(leadId).append(", ").append(stage).append(", T=")
                .append(evaluationTime == NO_TIME ? "none" : Long.toString(evaluationTime));
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                sb.append(", ").append(names[i]).append('=').append(sums[i]).append('@').append(refs[i]);
            }
        }
        if (summarized) {
            sb.append(", latest=").append(Arrays.toString(latest)).append(", weeks=")
                    .append(Integer.toBinaryString(weekMask));
        } else {
            sb.append(", no activity summary");
        }
        return sb.append(']').toString();
    }
}
