package io.leadscoring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/lead-scoring run} as an operator starts it: a separate JVM, a properties file, then SIGTERM. */
@EmbeddedKafka
class RunCommandIT {

    private static final Path ROOT = CliRuns.ROOT;
    private static final Path LAUNCHER = CliRuns.LAUNCHER;

    @TempDir
    Path dir;

    @Test
    void createsTheTopicsRunsAndStopsCleanlyOnSigterm(KafkaBroker broker) throws Exception {
        String prefix = broker.uniqueTopic("run");
        Path config = writeConfig(broker, prefix, "");
        Path log = dir.resolve("run.log");
        Process process = start(config, log);
        try {
            CliRuns.awaitLog(log, "State transition from REBALANCING to RUNNING", Duration.ofSeconds(60), process);

            Set<String> topics = broker.admin().listTopics().names().get();
            assertThat(topics).contains(prefix + ".web-events", prefix + ".email-events",
                    prefix + ".download-events", prefix + ".profiles", prefix + ".scores",
                    prefix + ".stage-changes", prefix + ".sql-handoffs", prefix + ".dead-letter");
            assertThat(broker.admin().describeTopics(Set.of(prefix + ".web-events")).allTopicNames().get()
                    .get(prefix + ".web-events").partitions()).hasSize(2);
            assertThat(topicConfig(broker, prefix + ".scores", TopicConfig.CLEANUP_POLICY_CONFIG))
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(topicConfig(broker, prefix + ".sql-handoffs", TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG))
                    .isEqualTo("LogAppendTime");
            assertThat(Files.readString(log)).contains("processing.guarantee=exactly_once_v2")
                    .containsPattern("HTTP API listening on http://127\\.0\\.0\\.1:\\d+");
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("Shutting down", "State transition from PENDING_SHUTDOWN to NOT_RUNNING");
        assertThat(output).doesNotContain("Exception");
    }

    @Test
    void aBadRuleFileStopsStartUpWithItsFileLineAndRule(KafkaBroker broker) throws Exception {
        Path rules = dir.resolve("bad-rules.yaml");
        Files.writeString(rules, """
                name: broken
                version: 1
                thresholds: { mql: 50, sql: 100 }
                behavior:
                  - name: pricing
                    when: { source: web, pth: /pricing }
                    points: 20
                """);
        Path config = writeConfig(broker, broker.uniqueTopic("bad"), "rules.file=" + rules + "\n");
        Path log = dir.resolve("bad.log");
        Process process = start(config, log);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains(rules + ":6: rule 'pricing': unknown field 'pth'")
                .as("a message, not a stack trace").doesNotContain("\tat ");
    }

    @Test
    void missingTopicsWithCreationOffStopStartUpNamingThem(KafkaBroker broker) throws Exception {
        String prefix = broker.uniqueTopic("nocreate");
        Path config = writeConfig(broker, prefix, "topics.create=false\n");
        Path log = dir.resolve("nocreate.log");
        Process process = start(config, log);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        String output = Files.readString(log);
        assertThat(output).contains("lead-scoring run: Missing topics", prefix + ".web-events", "topics.create=false");
        assertThat(output).as("a message, not a stack trace").doesNotContain("\tat ");
    }

    private Path writeConfig(KafkaBroker broker, String prefix, String extra) throws IOException {
        StringBuilder props = new StringBuilder()
                .append("bootstrap.servers=").append(broker.bootstrapServers()).append('\n')
                .append("application.id=").append(prefix).append('\n')
                .append("state.dir=").append(dir.resolve("state")).append('\n')
                .append("schema.registry.url=mock://").append(prefix).append('\n')
                .append("rules.file=").append(ROOT.resolve("samples/rules.yaml")).append('\n')
                .append("topics.partitions=2\n")
                .append("topics.replication.factor=1\n")
                .append("commit.interval.ms=100\n")
                .append("http.port=0\n");
        for (String topic : new String[] {"web-events", "email-events", "download-events", "profiles", "scores",
                "stage-changes", "sql-handoffs", "dead-letter", "erasures"}) {
            props.append("topic.").append(topic).append('=').append(prefix).append('.').append(topic).append('\n');
        }
        props.append(extra);
        Path file = dir.resolve(prefix + ".properties");
        // A later line wins in a properties file, so extra settings override the ones above.
        Files.writeString(file, props.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static Process start(Path config, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "run", "--config", config.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("LEAD_SCORING_OPTS", "-Xmx256m");
        return builder.start();
    }

    private static String topicConfig(KafkaBroker broker, String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                broker.admin().describeConfigs(Set.of(resource)).all().get();
        ConfigEntry entry = configs.get(resource).get(name);
        return entry == null ? null : entry.value();
    }
}
