package io.leadscoring.reliability;

import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scoring application halted without closing (SIGKILL: no shutdown hook, no commit, a transaction left open),
 * twice: once mid-stream while events keep coming, once while it catches up on the backlog that built up. Each time it
 * restarts on its own state directory. The handoffs committed on {@code leads.sql-handoffs} must be replay's, each
 * once, and reach the CRM once each.
 */
@EmbeddedKafka
class ScoringAppKillIT {

    @Test
    void killedScoringApplicationLosesAndDuplicatesNoHandoff(KafkaBroker kafka) throws Exception {
        try (Pipeline pipeline = new Pipeline("app-kill", kafka::bootstrapServers, doc -> { })) {
            pipeline.start();
            pipeline.feedUntil(0.4);
            pipeline.awaitHandoffs(1);

            pipeline.fault();
            pipeline.app(0).kill();
            pipeline.feedUntil(0.7);   // events keep coming while it is down
            int before = pipeline.pollHandoffs();
            pipeline.startApp(0);
            // Killed again once it is busy with the backlog: a transaction is open while it catches up.
            pipeline.awaitHandoffs(before + 1);
            pipeline.fault();
            pipeline.app(0).kill();
            pipeline.startApp(0);
            pipeline.feedUntil(1.0);

            pipeline.verify("ScoringAppKillIT", "scoring app SIGKILL + restart (x2)", Map.of());
        }
    }
}
