package io.leadscoring.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one single-node KRaft broker per JVM, lazily, on the first test class that uses it, and injects
 * {@link KafkaBroker} parameters. The broker lives in the root {@link ExtensionContext.Store}, so JUnit
 * closes it after the last test of the run.
 *
 * <p>Broker properties can be added or overridden without code changes through system properties
 * prefixed with {@value BrokerConfig#SYSTEM_PROPERTY_PREFIX}, e.g.
 * {@code -Dembedded.kafka.broker.log.cleaner.enable=false}.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(EmbeddedKafkaExtension.class);
    private static final Object START_LOCK = new Object();

    @Override
    public void beforeAll(ExtensionContext context) {
        // Start here rather than on first injection so the start-up cost lands on class setup.
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /** The JVM's shared broker, started on first call. For extensions built on top of this one. */
    public static KafkaBroker broker(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        // The store memoizes too; the lock keeps "start once" independent of JUnit's implementation.
        synchronized (START_LOCK) {
            return store.getOrComputeIfAbsent(EmbeddedBroker.class, key -> EmbeddedBroker.start(), EmbeddedBroker.class)
                    .handle();
        }
    }
}
