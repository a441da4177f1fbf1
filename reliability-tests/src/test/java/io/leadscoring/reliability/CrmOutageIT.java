package io.leadscoring.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRM goes down mid-stream (its HTTP server stops: connections are refused) while handoffs keep coming, stays down
 * for {@value #OUTAGE_SECONDS} s with handoffs waiting, then comes back on the same address with its data. Every
 * handoff must reach it exactly once by idempotency key, and none may be dead-lettered: an outage is transient.
 */
@EmbeddedKafka
class CrmOutageIT {

    static final int OUTAGE_SECONDS = 15;

    @Test
    void everyHandoffReachesTheCrmOnceAfterAnOutage(KafkaBroker kafka) throws Exception {
        try (Pipeline pipeline = new Pipeline("crm-outage", kafka::bootstrapServers, doc -> { })) {
            pipeline.start();
            pipeline.feedUntil(0.4);
            Pipeline.await("a first handoff in the CRM", Pipeline.DELIVERY_TIMEOUT,
                    () -> pipeline.crm().distinct() > 0, () -> pipeline.connect().tail());

            pipeline.fault();
            int deliveredBefore = pipeline.crm().distinct();
            pipeline.crm().stop();
            pipeline.feedUntil(0.7);
            // Down with work waiting: handoffs the CRM has not had are committed on the topic.
            pipeline.awaitHandoffs(deliveredBefore + 1);
            Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS).toMillis());
            int waiting = pipeline.pollHandoffs() - deliveredBefore;
            pipeline.crm().start();
            pipeline.feedUntil(1.0);

            Map<String, Object> figures = pipeline.verify("CrmOutageIT",
                    "CRM refuses connections for " + OUTAGE_SECONDS + " s",
                    Map.of("outageSeconds", OUTAGE_SECONDS, "handoffsWaitingDuringOutage", waiting));
            assertThat(waiting).as("handoffs waiting while the CRM was down").isPositive();
            assertThat(figures.get("deliveredToCrm")).isEqualTo(figures.get("handoffsExpected"));
        }
    }
}
