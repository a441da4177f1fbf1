package io.leadscoring.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a real single-node KRaft broker, shared by every test class in the JVM.
 * Declare a {@link KafkaBroker} parameter (constructor, lifecycle or test method) to use it.
 *
 * <pre>{@code
 * @EmbeddedKafka
 * class ScoringIT {
 *     @Test
 *     void scores(KafkaBroker kafka) {
 *         String input = kafka.createTopic("lead-events", 3);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * @see EmbeddedKafkaExtension
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedKafkaExtension.class)
public @interface EmbeddedKafka {
}
