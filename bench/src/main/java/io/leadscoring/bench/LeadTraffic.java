package io.leadscoring.bench;

import io.leadscoring.demo.PersonaScripts;
import io.leadscoring.demo.PersonaScripts.LeadScript;
import io.leadscoring.streams.Topics;
import java.time.Instant;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * Deterministic input over the demo's personas: {@code activeLeads} leads are in play; each record picks one at random
 * (a lead in the middle of a burst goes first) and emits its next step, its profile first. A lead whose script is done
 * is replaced by a new lead. The same seed and sizes give the same records whatever the clock, except the timestamps,
 * which the caller chooses.
 *
 * <p>Only a lead number and a position are kept per slot; a lead's script is rebuilt from the seed and its number when
 * it is picked, so a million leads in play cost a few megabytes, not gigabytes.
 */
public final class LeadTraffic {

    /** One input record: its topic, key (lead id), Avro value and timestamp (= the event's time). */
    public record Event(String topic, String leadId, SpecificRecord value, long timestamp) {
    }

    private final long seed;
    private final Topics topics;
    private final Random random;
    private final long[] leadNumbers;
    private final int[] positions;
    private final int[] burstQueue;
    private int burstHead;
    private int burstSize;
    private long nextLeadNumber = 1;
    private long emitted;
    private long leadsSeen;

    public LeadTraffic(long seed, int activeLeads, Topics topics) {
        if (activeLeads < 1) {
            throw new IllegalArgumentException("activeLeads must be at least 1");
        }
        this.seed = seed;
        this.topics = topics;
        this.random = new Random(seed);
        this.leadNumbers = new long[activeLeads];
        this.positions = new int[activeLeads];
        this.burstQueue = new int[activeLeads];
        for (int i = 0; i < activeLeads; i++) {
            leadNumbers[i] = nextLeadNumber++;
        }
    }

    public static String leadId(long number) {
        return String.format("lead-%07d", number);
    }

    /** The next record, stamped {@code timestamp} (its {@code occurredAt} / {@code updatedAt}). */
    public Event next(long timestamp) {
        int slot;
        if (burstSize > 0) {
            slot = burstQueue[burstHead];
            burstHead = (burstHead + 1) % burstQueue.length;
            burstSize--;
        } else {
            slot = random.nextInt(leadNumbers.length);
        }
        LeadScript script = script(leadNumbers[slot]);
        int position = positions[slot]++;
        if (position == 0) {
            leadsSeen++;
        }
        String eventId = script.leadId() + "-" + (position + 1);
        Event event = new Event(script.topic(topics, position), script.leadId(),
                script.record(position, eventId, Instant.ofEpochMilli(timestamp)), timestamp);
        if (positions[slot] < script.size()) {
            if (script.burst(positions[slot])) {
                burstQueue[(burstHead + burstSize) % burstQueue.length] = slot;
                burstSize++;
            }
        } else {
            leadNumbers[slot] = nextLeadNumber++;
            positions[slot] = 0;
        }
        emitted++;
        return event;
    }

    /** Leads that have entered so far (each with its profile as its first record once picked). */
    public long leadsStarted() {
        return nextLeadNumber - 1;
    }

    /** Leads that have emitted at least one record (their profile): the leads a pipeline fed this holds. */
    public long leadsSeen() {
        return leadsSeen;
    }

    public long emitted() {
        return emitted;
    }

    /** A lead's script is a pure function of the seed and its number. */
    private LeadScript script(long leadNumber) {
        return PersonaScripts.newLead(new Random(mix(seed * 0x9E3779B97F4A7C15L + leadNumber)), leadId(leadNumber));
    }

    /** SplitMix64's finaliser: java.util.Random's first draws are correlated for neighbouring seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
