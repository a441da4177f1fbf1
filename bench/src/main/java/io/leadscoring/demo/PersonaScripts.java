package io.leadscoring.demo;

import io.leadscoring.streams.Topics;
import java.time.Instant;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * The demo simulator's personas for the benchmarks: who a lead is and what it does, as the demo's traffic has it
 * ({@link Persona}, written against {@code samples/rules.yaml}). In the demo's package because those classes are
 * package-private there; the benchmarks schedule leads themselves (the demo's {@link TrafficPlan} is sized for a few
 * hundred leads in play, the scaling runs keep up to a million).
 */
public final class PersonaScripts {

    private PersonaScripts() {
    }

    /** A new lead: a persona drawn by the demo's weights, a person, and that persona's script, profile first. */
    public static LeadScript newLead(Random random, String leadId) {
        Persona persona = Persona.draw(random);
        Person person = persona.person(random);
        return new LeadScript(leadId, persona, persona.script(random, person));
    }

    /** One simulated lead's records, in order. */
    public static final class LeadScript {
        private final String leadId;
        private final Persona persona;
        private final Script script;

        private LeadScript(String leadId, Persona persona, Script script) {
            this.leadId = leadId;
            this.persona = persona;
            this.script = script;
        }

        public String leadId() {
            return leadId;
        }

        public String persona() {
            return persona.label();
        }

        public int size() {
            return script.steps().size();
        }

        /** Whether step {@code i} follows its predecessor at once (the executive's burst). */
        public boolean burst(int i) {
            return script.steps().get(i).burst();
        }

        /** The input topic of step {@code i}. */
        public String topic(Topics topics, int i) {
            return AvroRecords.topic(topics, script.steps().get(i).step());
        }

        /** Step {@code i} as the Avro record its producer publishes, stamped {@code at}. */
        public SpecificRecord record(int i, String eventId, Instant at) {
            SimEvent event = new SimEvent(leadId, persona, eventId, script.steps().get(i).step());
            return (SpecificRecord) AvroRecords.value(event, at);
        }
    }
}
