package io.leadscoring.reliability;

import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the scoring application mid-stream: a second one joins (its tasks move to it and their state is
 * restored from the changelogs), then the first one leaves (SIGTERM: it closes, and its tasks move back). Events keep
 * coming throughout. The handoffs must be replay's, each once.
 */
@EmbeddedKafka
class RebalanceIT {

    @Test
    void rebalancingInstancesLoseAndDuplicateNoHandoff(KafkaBroker kafka) throws Exception {
        try (Pipeline pipeline = new Pipeline("rebalance", kafka::bootstrapServers, doc -> { })) {
            pipeline.start();
            pipeline.feedUntil(0.3);
            pipeline.awaitHandoffs(1);

            pipeline.fault();
            pipeline.startApp(1);      // scale out: tasks move to the new instance
            pipeline.feedUntil(0.6);
            pipeline.fault();
            pipeline.app(0).stop(Duration.ofSeconds(60));   // scale in: the first leaves cleanly
            pipeline.feedUntil(1.0);

            pipeline.verify("RebalanceIT", "second instance joins, then the first leaves", Map.of());
        }
    }
}
