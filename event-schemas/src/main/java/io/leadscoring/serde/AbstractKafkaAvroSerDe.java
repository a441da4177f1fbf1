package io.leadscoring.serde;

import io.leadscoring.serde.registry.SchemaRegistryClient;
import io.leadscoring.serde.registry.SchemaRegistryClients;

/** The registry client a serializer or deserializer uses: the one it was given, or one made from its config. */
abstract class AbstractKafkaAvroSerDe {

    static final byte MAGIC_BYTE = 0x0;
    static final int ID_SIZE = 4;
    static final int HEADER_SIZE = 1 + ID_SIZE;

    protected SchemaRegistryClient schemaRegistry;
    private boolean ownsClient;

    AbstractKafkaAvroSerDe() {
    }

    AbstractKafkaAvroSerDe(SchemaRegistryClient client) {
        this.schemaRegistry = client;
    }

    /** As Confluent: a client passed to the constructor wins over schema.registry.url. */
    void configureClient(AbstractKafkaSchemaSerDeConfig config) {
        if (schemaRegistry == null) {
            schemaRegistry = SchemaRegistryClients.create(config);
            ownsClient = true;
        }
    }

    SchemaRegistryClient client() {
        if (schemaRegistry == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not configured: call configure() or pass a SchemaRegistryClient");
        }
        return schemaRegistry;
    }

    public void close() {
        if (ownsClient && schemaRegistry != null) {
            schemaRegistry.close();
            schemaRegistry = null;
            ownsClient = false;
        }
    }
}
