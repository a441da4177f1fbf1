package io.leadscoring.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker killed mid-stream (SIGKILL: no controlled shutdown, open transactions, unflushed logs recovered at
 * start) and started again on the same ports and log directory while the scoring application, the Connect worker
 * and the producers of events keep running. The handoffs must be replay's, each once, and reach the CRM once each.
 */
class BrokerRestartIT {

    /** How long the broker stays down: clients time out requests and reconnect meanwhile. */
    static final Duration DOWN = Duration.ofSeconds(5);

    @Test
    void brokerRestartLosesAndDuplicatesNoHandoff() throws Exception {
        try (ChildBroker broker = new ChildBroker(Reliability.outDir().resolve("broker-restart-kafka"))) {
            broker.start();
            try (Pipeline pipeline = new Pipeline("broker-restart", broker::bootstrapServers, doc -> { })) {
                pipeline.start();
                pipeline.feedUntil(0.4);
                pipeline.awaitHandoffs(1);

                pipeline.fault();
                broker.kill();
                Thread.sleep(DOWN.toMillis());
                broker.start();
                pipeline.feedUntil(1.0);

                pipeline.verify("BrokerRestartIT", "broker SIGKILL + restart, same ports and log dir",
                        Map.of("brokerStarts", broker.starts(), "brokerDownSeconds", DOWN.toSeconds()));
                assertThat(pipeline.app(0).isAlive()).as("the scoring application rode it out").isTrue();
            }
        }
    }
}
