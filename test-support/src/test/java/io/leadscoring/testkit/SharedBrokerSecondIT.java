package io.leadscoring.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One of two identical classes: together they prove the broker is started once and shared. */
@EmbeddedKafka
class SharedBrokerSecondIT {

    private static KafkaBroker fromBeforeAll;
    private final KafkaBroker fromConstructor;
    private KafkaBroker fromBeforeEach;

    SharedBrokerSecondIT(KafkaBroker broker) {
        this.fromConstructor = broker;
    }

    @BeforeAll
    static void beforeAll(KafkaBroker broker) {
        fromBeforeAll = broker;
    }

    @BeforeEach
    void beforeEach(KafkaBroker broker) {
        fromBeforeEach = broker;
    }

    @Test
    void everyInjectionPointGetsTheSameBroker(KafkaBroker broker) {
        assertThat(broker).isSameAs(fromConstructor).isSameAs(fromBeforeEach).isSameAs(fromBeforeAll);
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
    }

    @Test
    void theJvmStartedOneBrokerForAllTestClasses(KafkaBroker broker) throws Exception {
        assertThat(EmbeddedBroker.starts()).isEqualTo(1);
        assertThat(SeenBrokers.record(broker)).hasSize(1);
    }
}
