package io.leadscoring.demo;

import io.leadscoring.demo.Script.ScriptStep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Decides, record by record, what the simulated leads do: a pure function of the seed, with no clock. Time is counted
 * in ticks (one record each), so a run is reproducible whatever the machine's speed.
 *
 * <p>{@code activeLeads} leads are in play at any time. Each tick picks one at random (a lead in the middle of a burst
 * goes first) and emits its next step. A lead whose script is done leaves, after a silence for some personas, and a
 * new lead with a persona drawn by weight takes its place: a steady flow of newcomers, hence of handoffs.
 */
final class TrafficPlan {

    private static final int PICK_ATTEMPTS = 16;

    private final Random random;
    private final int activeLeads;
    private final long silenceTicks;
    private final double badRate;
    private final List<Lead> slots = new ArrayList<>();
    private final Deque<Lead> bursting = new ArrayDeque<>();
    private final Map<Persona, Integer> started = new EnumMap<>(Persona.class);
    private long nextLeadNumber;
    private long tick;

    /**
     * @param seed the whole run follows from it
     * @param activeLeads leads in play at once
     * @param silenceTicks how many ticks a silent lead (an executive after the burst) stays before it leaves
     * @param firstLeadNumber number of the first lead ({@code lead-000001}); a restarted demo continues the count
     * @param badRate share of ticks that emit garbage bytes instead of an event
     */
    TrafficPlan(long seed, int activeLeads, long silenceTicks, long firstLeadNumber, double badRate) {
        if (activeLeads < 1) {
            throw new IllegalArgumentException("activeLeads must be at least 1");
        }
        this.random = new Random(seed);
        this.activeLeads = activeLeads;
        this.silenceTicks = silenceTicks;
        this.nextLeadNumber = firstLeadNumber;
        this.badRate = badRate;
        for (int i = 0; i < activeLeads; i++) {
            slots.add(newLead());
        }
    }

    static String leadId(long number) {
        return String.format("lead-%06d", number);
    }

    /** The next record; null on a tick where every lead in play is silent. */
    SimEvent next() {
        tick++;
        if (badRate > 0 && random.nextDouble() < badRate) {
            Lead victim = slots.get(random.nextInt(slots.size()));
            return new SimEvent(victim.id, victim.persona, victim.id + "-bad-" + tick, new Step.Garbage());
        }
        Lead lead = bursting.pollFirst();
        if (lead == null) {
            lead = pickReady();
            if (lead == null) {
                return null;
            }
        }
        ScriptStep step = lead.script.steps().get(lead.position++);
        SimEvent event = new SimEvent(lead.id, lead.persona, lead.id + "-" + lead.position, step.step());
        if (lead.position < lead.script.steps().size()) {
            if (lead.script.steps().get(lead.position).burst()) {
                bursting.addLast(lead);
            }
        } else if (lead.script.silenceAfter() && silenceTicks > 0) {
            lead.silentUntil = tick + silenceTicks;
        } else {
            replace(lead);
        }
        return event;
    }

    /** Number the next new lead will get; saved so that a restarted demo brings new leads. */
    long nextLeadNumber() {
        return nextLeadNumber;
    }

    /** Leads that have entered the simulation so far, by persona. */
    Map<Persona, Integer> started() {
        return Map.copyOf(started);
    }

    private Lead pickReady() {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            Lead lead = ready(slots.get(random.nextInt(slots.size())));
            if (lead != null) {
                return lead;
            }
        }
        // Most leads in play are silent: scan from a random place.
        int start = random.nextInt(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Lead lead = ready(slots.get((start + i) % slots.size()));
            if (lead != null) {
                return lead;
            }
        }
        return null;
    }

    /** The lead, or its successor when its silence is over; null while it is silent. */
    private Lead ready(Lead lead) {
        if (lead.silentUntil == 0) {
            return lead;
        }
        if (tick < lead.silentUntil) {
            return null;
        }
        return replace(lead);
    }

    private Lead replace(Lead done) {
        Lead successor = newLead();
        slots.set(slots.indexOf(done), successor);
        return successor;
    }

    private Lead newLead() {
        Persona persona = Persona.draw(random);
        Person person = persona.person(random);
        started.merge(persona, 1, Integer::sum);
        return new Lead(leadId(nextLeadNumber++), persona, persona.script(random, person));
    }

    private static final class Lead {
        final String id;
        final Persona persona;
        final Script script;
        int position;
        long silentUntil;

        Lead(String id, Persona persona, Script script) {
            this.id = id;
            this.persona = persona;
            this.script = script;
        }
    }
}
