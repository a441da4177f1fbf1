package io.leadscoring.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A lead's scoring state: its stage, its evaluation time T, and per behaviour rule a decayed sum of awards at a
 * reference time. Mutable, one per lead, bounded by the number of rules (never a list of past events).
 *
 * <p>Sums are kept by rule <em>name</em>, so the state survives a new version of the rule file; rules no longer in
 * the file are dropped the next time the state is used with that file and written.
 */
public final class LeadState {
    /** {@link #evaluationTime()} of a lead that has no processed record yet. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Current binary format. */
    static final byte FORMAT_V1 = 1;

    private static final String[] NO_NAMES = new String[0];

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

    void setEvaluationTime(long t) {
        this.evaluationTime = t;
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
     * Version 1: byte 1; leadId; stage byte (0 NEW, 1 MQL, 2 SQL); long T; varint n; n × (rule name, double sum,
     * long reference time). Texts are a varint byte length and UTF-8. Only rules with a non-zero sum are written.
     */
    public byte[] toBytes() {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (sums[i] != 0) {
                count++;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + count * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_V1);
            writeText(out, leadId);
            out.writeByte(stage.ordinal());
            out.writeLong(evaluationTime);
            writeVarint(out, count);
            for (int i = 0; i < size; i++) {
                if (sums[i] != 0) {
                    writeText(out, names[i]);
                    out.writeDouble(sums[i]);
                    out.writeLong(refs[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are not a LeadState of a known format version
     */
    public static LeadState fromBytes(byte[] b) {
        Objects.requireNonNull(b, "bytes");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_V1) {
                throw new IllegalArgumentException("unsupported LeadState format version " + version);
            }
            LeadState s = new LeadState(readText(in));
            int stage = in.readUnsignedByte();
            if (stage >= Stage.values().length) {
                throw new IllegalArgumentException("bad stage " + stage + " in LeadState");
            }
            s.stage = Stage.values()[stage];
            s.evaluationTime = in.readLong();
            int n = readVarint(in);
            if (n < 0 || n > b.length) {
                throw new IllegalArgumentException("bad rule count " + n + " in LeadState");
            }
            s.names = new String[n];
            s.sums = new double[n];
            s.refs = new long[n];
            for (int i = 0; i < n; i++) {
                s.names[i] = readText(in);
                s.sums[i] = in.readDouble();
                s.refs[i] = in.readLong();
            }
            s.size = n;
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after LeadState");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt LeadState: " + e, e);
        }
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        int len = readVarint(in);
        if (len < 0 || len > in.available()) {
            throw new IOException("bad text length " + len);
        }
        byte[] utf8 = new byte[len];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void writeVarint(DataOutputStream out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint too long");
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
                && entries().equals(other.entries());
    }

    @Override
    public int hashCode() {
        return Objects.hash(leadId, stage, evaluationTime, entries());
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
        return sb.append(']').toString();
    }
}
