package io.leadscoring.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Regression: the profiles table stores a profile before the scoring processor can refuse it. A profile that breaks
 * the input contract (empty lead id, or a lead id other than its key) is dead-lettered, but it used to stay in the
 * table, and the lead's next event then failed in the core ("profile of lead X applied to the state of Y"): the
 * processing handler does not dead-letter that, so the task failed on every retry and its partition stopped.
 */
class DeadLetteredProfileTest {

    private static final String RULES = """
            name: dead-lettered-profile
            version: 1
            thresholds: { mql: 50, sql: 100 }
            fit:
              rules:
                - name: ceo
                  when: { jobTitle: { regex: "(?i)ceo" } }
                  points: 25
            behavior:
              - name: pricing-page
                when: { source: web, path: /pricing }
                points: 20
            """;

    @Test
    void aDeadLetteredProfileIsNotUsedToScoreTheLeadsNextEvents() throws Exception {
        RuleSet rules = RuleFileLoader.parse(RULES, "dead-lettered-profile.yaml");
        Topics topics = Topics.defaults();
        String scope = "dead-lettered-profile-" + UUID.randomUUID();
        ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
        Properties props = ScoringTopology.streamsDefaults(topics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-lettered-profile");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "test.invalid:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        var settings = new ScoringTopology.Settings(topics, rules, Duration.ofDays(30), true);
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), props)) {
            var profiles = driver.createInputTopic(topics.profiles(), new StringSerializer(),
                    serdes.profile().serializer());
            var web = driver.createInputTopic(topics.webEvents(), new StringSerializer(),
                    serdes.webEvent().serializer());
            var scores = driver.createOutputTopic(topics.scores(), new StringDeserializer(),
                    serdes.leadScore().deserializer());
            var deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());

            // lead-y's valid profile (not a CEO) must survive the invalid one filed under its key below.
            profiles.pipeInput("lead-y", LeadProfile.newBuilder().setLeadId("lead-y").setUpdatedAt(t)
                    .setJobTitle("Analyst").build());
            profiles.pipeInput("lead-x", LeadProfile.newBuilder().setLeadId("").setUpdatedAt(t).setJobTitle("CEO")
                    .build());
            profiles.pipeInput("lead-y", LeadProfile.newBuilder().setLeadId("lead-z").setUpdatedAt(t)
                    .setJobTitle("CEO").build());
            web.pipeInput("lead-x", pricing("lead-x", "e1", t.plusSeconds(60)));
            web.pipeInput("lead-y", pricing("lead-y", "e2", t.plusSeconds(60)));

            List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
            assertThat(dead).hasSize(2);
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetterHandler.HEADER_REASON)).isEqualTo(
                        DeadLetterHandler.REASON_INVALID_RECORD);
                assertThat(header(r, DeadLetterHandler.HEADER_TOPIC)).isEqualTo(topics.profiles());
            });
            List<LeadScore> scored = scores.readValuesToList();
            assertThat(scored).extracting(LeadScore::getLeadId).containsExactly("lead-y", "lead-x", "lead-y");
            scored = scored.subList(1, 3);
            assertThat(driver.<String, LeadProfile>getTimestampedKeyValueStore(
                    Names.PROFILES_STORE).get("lead-y").value().getJobTitle()).isEqualTo("Analyst");
            assertThat(scored).allSatisfy(s -> {
                assertThat(s.getFit()).as("no fit from a dead-lettered profile").isEqualTo(0.0);
                assertThat(s.getScore()).isEqualTo(20.0);
                assertThat(s.getReasons()).extracting(r -> r.getRule()).containsExactly("pricing-page");
            });
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static WebEvent pricing(String lead, String id, Instant at) {
        return WebEvent.newBuilder().setEventId(id).setLeadId(lead).setOccurredAt(at)
                .setUrl("https://www.example.com/pricing").setAction(WebAction.PAGE_VIEW).build();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
