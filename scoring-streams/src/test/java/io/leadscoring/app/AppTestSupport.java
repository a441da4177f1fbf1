package io.leadscoring.app;

import io.leadscoring.streams.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/** What the ITs that run {@link ScoringApplication} in-process share: its topic settings and waiting for it. */
final class AppTestSupport {

    private AppTestSupport() {
    }

    /**
     * Every topic setting, the erasure topic included: ITs share one broker per JVM, and start-up checks that all
     * inputs, erasures too, have the same partition count, so no IT may fall back on a default topic name.
     */
    static void putTopics(Map<String, Object> config, Topics topics) {
        config.put("topic.web-events", topics.webEvents());
        config.put("topic.email-events", topics.emailEvents());
        config.put("topic.download-events", topics.downloadEvents());
        config.put("topic.profiles", topics.profiles());
        config.put("topic.scores", topics.scores());
        config.put("topic.stage-changes", topics.stageChanges());
        config.put("topic.sql-handoffs", topics.sqlHandoffs());
        config.put("topic.dead-letter", topics.deadLetter());
        config.put("topic.erasures", topics.erasures());
    }

    static void awaitRunning(ScoringApplication app, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not RUNNING within " + timeout + ": " + app.streams().state());
            }
            Thread.sleep(50);
        }
    }

    static Set<String> threadNames(ScoringApplication app) {
        return app.streams().metadataForLocalThreads().stream().map(ThreadMetadata::threadName)
                .collect(Collectors.toSet());
    }
}
