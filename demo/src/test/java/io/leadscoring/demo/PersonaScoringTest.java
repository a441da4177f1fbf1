package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.ScoringTopology;
import io.leadscoring.streams.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated traffic through the production topology (in {@link TopologyTestDriver}) with
 * {@code samples/rules.yaml}: each persona reaches MQL and SQL, or not, as its role says, and buyers reach SQL soon
 * enough at the default rate for a demo.
 */
class PersonaScoringTest {

    private static final Path RULES = Path.of("..", DemoDefaults.RULES);
    /** A midnight UTC: the daily caps start afresh with the run. */
    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final double RATE = Double.parseDouble(DemoDefaults.RATE);
    private static final int FIVE_MINUTES = (int) (5 * 60 * RATE);
    private static final Duration FIRST_HANDOFF_WITHIN = Duration.ofSeconds(30);

    private final Topics topics = Topics.defaults();
    private final String scope = "persona-test-" + UUID.randomUUID();
    private ScoringSerdes serdes;
    private TopologyTestDriver driver;
    private TestOutputTopic<String, StageChange> stageChanges;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final Map<String, TestInputTopic<String, Object>> inputs = new HashMap<>();
    private TestInputTopic<String, byte[]> rawWeb;

    @BeforeEach
    void startTopology() throws Exception {
        Map<String, Object> registry = Map.of("schema.registry.url", "mock://" + scope);
        serdes = ScoringSerdes.avro(registry);
        var settings = new ScoringTopology.Settings(topics, RuleFileLoader.load(RULES), Duration.ofDays(30), true);
        Properties props = ScoringTopology.streamsDefaults(topics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "persona-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // The driver cannot crash, and under exactly-once it would hold back the dead letters.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), props, START);
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(registry, false);
        for (String topic : topics.inputs()) {
            inputs.put(topic, driver.createInputTopic(topic, new StringSerializer(), values));
        }
        rawWeb = driver.createInputTopic(topics.webEvents(), new StringSerializer(), new ByteArraySerializer());
        stageChanges = driver.createOutputTopic(topics.stageChanges(), new StringDeserializer(),
                serdes.stageChange().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        driver.close();
        serdes.close();
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void personasQualifyAsTheirRolesSay() {
        Outcome outcome = simulate(42, 1, 0.002, FIVE_MINUTES);

        assertThat(outcome.sql.keySet()).as("only buyers become SQLs")
                .allMatch(lead -> outcome.personas.get(lead) == Persona.BUYER);
        assertThat(outcome.formAt.keySet()).as("every buyer who asked for a demo or sales is handed over")
                .isNotEmpty().allMatch(outcome.sql::containsKey);
        outcome.sql.forEach((lead, change) -> {
            assertThat(change.getAt().toEpochMilli()).as("the SQL comes with the form, not before")
                    .isEqualTo(outcome.formAt.get(lead));
            assertThat(change.getReasons().get(0).getRule()).isIn("demo-request", "contact-sales");
            assertThat(change.getFitGrade().name()).isEqualTo("A");
            assertThat(change.getEmail()).isNotBlank();
        });
        assertThat(outcome.mql.keySet()).as("MQLs are buyers and executives")
                .allMatch(lead -> Set.of(Persona.BUYER, Persona.EXECUTIVE).contains(outcome.personas.get(lead)));
        assertThat(outcome.finishedExecutives).as("every executive whose burst is over is an MQL, never an SQL")
                .isNotEmpty().allMatch(outcome.mql::containsKey).noneMatch(outcome.sql::containsKey);
        assertThat(outcome.deadLetters).as("garbage is dead-lettered, nothing else").isEqualTo(outcome.garbage);
        assertThat(outcome.garbage).isPositive();
    }

    @Test
    void theFirstHandoffComesWithinHalfAMinuteAtTheDefaultRate() {
        for (long seed = 1; seed <= 5; seed++) {
            Outcome outcome = simulate(seed, seed * 1_000_000, 0, (int) (FIRST_HANDOFF_WITHIN.toSeconds() * RATE));
            assertThat(outcome.sql).as("SQLs within %s s with seed %d", FIRST_HANDOFF_WITHIN.toSeconds(), seed)
                    .isNotEmpty();
        }
    }

    /** What the pipeline made of one simulated run. */
    private static final class Outcome {
        final Map<String, Persona> personas = new HashMap<>();
        final Map<String, Long> formAt = new HashMap<>();
        final Map<String, StageChange> mql = new HashMap<>();
        final Map<String, StageChange> sql = new HashMap<>();
        final Set<String> finishedExecutives = new HashSet<>();
        long garbage;
        long deadLetters;
    }

    /** Traffic at the default rate, stamped as the simulator would stamp it. */
    private Outcome simulate(long seed, long firstLead, double badRate, int ticks) {
        Outcome outcome = new Outcome();
        long silenceTicks = (long) (DemoDefaults.EXECUTIVE_SILENCE.toSeconds() * RATE);
        int leads = Integer.parseInt(DemoDefaults.LEADS);
        TrafficPlan plan = new TrafficPlan(seed, leads, silenceTicks, firstLead, badRate);
        Map<String, Integer> executiveSteps = new HashMap<>();
        for (int tick = 0; tick < ticks; tick++) {
            SimEvent event = plan.next();
            if (event == null) {
                continue;
            }
            Instant at = START.plusMillis(Math.round(tick * 1000 / RATE));
            Object value = AvroRecords.value(event, at);
            String topic = AvroRecords.topic(topics, event.step());
            if (value instanceof byte[] garbage) {
                rawWeb.pipeInput(event.leadId(), garbage, at);
                outcome.garbage++;
                continue;
            }
            outcome.personas.put(event.leadId(), event.persona());
            if (event.step() instanceof Step.Web web && web.action() == WebAction.FORM_SUBMIT
                    && (web.path().equals("/demo") || web.path().equals("/contact"))
                    && event.persona() == Persona.BUYER) {
                outcome.formAt.put(event.leadId(), at.toEpochMilli());
            }
            if (event.persona() == Persona.EXECUTIVE && executiveSteps.merge(event.leadId(), 1, Integer::sum) == 5) {
                outcome.finishedExecutives.add(event.leadId());
            }
            inputs.get(topic).pipeInput(event.leadId(), value, at);
        }
        for (StageChange change : stageChanges.readValuesToList()) {
            (change.getStage() == Stage.SQL ? outcome.sql : outcome.mql).put(change.getLeadId(), change);
        }
        if (badRate > 0) { // the driver warns about an output topic that got nothing
            outcome.deadLetters = deadLetters.readRecordsToList().size();
        }
        return outcome;
    }
}
