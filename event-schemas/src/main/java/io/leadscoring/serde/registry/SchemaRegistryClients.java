package io.leadscoring.serde.registry;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;

/** Builds the client a configuration asks for: the scope's {@link MockSchemaRegistry}, or a REST client. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient create(AbstractConfig config) {
        return create(config.originals());
    }

    public static SchemaRegistryClient create(Map<String, ?> configs) {
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(configs);
        String scope = config.mockScope();
        return scope != null ? MockSchemaRegistry.forScope(scope) : new RestSchemaRegistryClient(config);
    }
}
