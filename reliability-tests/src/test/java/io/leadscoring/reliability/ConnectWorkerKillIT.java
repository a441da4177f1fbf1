package io.leadscoring.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The Connect worker killed mid-batch (SIGKILL) at the worst moment: the CRM has just stored a handoff and has not
 * answered yet, so the worker never learns of it and its offset is not committed. After the restart the connector
 * sends it again, and the CRM must take it as the same handoff by its idempotency key: no duplicate, none lost.
 */
@EmbeddedKafka
class ConnectWorkerKillIT {

    /** The worker dies while the CRM holds the request of this handoff (counted from the first). */
    static final int KILL_AT = 5;

    @Test
    void killedWorkerDuplicatesNothingInTheCrm(KafkaBroker kafka) throws Exception {
        AtomicReference<Pipeline> self = new AtomicReference<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicReference<Throwable> killFailure = new AtomicReference<>();
        CountDownLatch killed = new CountDownLatch(1);
        try (Pipeline pipeline = new Pipeline("connect-kill", kafka::bootstrapServers, doc -> {
            if (accepted.incrementAndGet() == KILL_AT) {
                // Inside the CRM's request handler: stored, not yet answered.
                try {
                    self.get().fault();
                    self.get().connect().kill();
                } catch (Throwable t) {
                    killFailure.set(t);
                } finally {
                    killed.countDown();
                }
            }
        })) {
            self.set(pipeline);
            pipeline.start();
            pipeline.feedUntil(0.5);
            assertThat(killed.await(Pipeline.DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("the CRM got %d handoffs", KILL_AT).isTrue();
            assertThat(killFailure.get()).as("killing the worker").isNull();
            assertThat(pipeline.connect().isAlive()).isFalse();

            pipeline.feedUntil(0.7);   // handoffs pile up while no worker runs
            pipeline.startConnect();
            pipeline.feedUntil(1.0);

            Map<String, Object> figures = pipeline.verify("ConnectWorkerKillIT",
                    "Connect worker SIGKILL mid-batch + restart", Map.of("killedAtCrmHandoff", KILL_AT));
            // The handoff whose answer the kill cut off was sent again and taken as a repeat.
            assertThat((Long) figures.get("crmRedeliveriesDeduplicated")).as("redeliveries after the kill")
                    .isPositive();
        }
    }
}
