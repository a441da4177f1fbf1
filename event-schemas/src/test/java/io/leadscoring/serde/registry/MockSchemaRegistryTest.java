package io.leadscoring.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.UUID;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    static final Schema V1 = record("{\"name\":\"id\",\"type\":\"string\"}");
    static final Schema V2_OPTIONAL = record("{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
    static final Schema V2_REQUIRED = record("{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"tenant\",\"type\":\"string\"}");

    static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"test\","
                + "\"fields\":[" + fields + "]}");
    }

    @Test
    void idsStartAtOneAndFollowTheSchemaNotTheSubject() {
        MockSchemaRegistry registry = new MockSchemaRegistry();

        assertThat(registry.register("a-value", V1)).isEqualTo(1);
        assertThat(registry.register("a-value", V1)).isEqualTo(1);
        assertThat(registry.register("b-value", new Schema.Parser().parse(V1.toString()))).isEqualTo(1);
        assertThat(registry.register("a-value", V2_OPTIONAL)).isEqualTo(2);

        assertThat(registry.getAllSubjects()).containsExactly("a-value", "b-value");
        assertThat(registry.getAllVersions("a-value")).containsExactly(1, 2);
        assertThat(registry.getAllVersions("b-value")).containsExactly(1);
        assertThat(registry.getLatestVersion("a-value")).isEqualTo(new RegisteredSchema("a-value", 2, 2, V2_OPTIONAL));
        assertThat(registry.getId("b-value", V1)).isEqualTo(1);
        assertThat(registry.getSchemaById(2)).isEqualTo(V2_OPTIONAL);
    }

    @Test
    void scopesAreSharedByNameAndDroppable() {
        String scope = "mock-" + UUID.randomUUID();
        MockSchemaRegistry.forScope(scope).register("s", V1);
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactly("s");
        MockSchemaRegistry.forScope(scope).close();
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactly("s");

        MockSchemaRegistry.dropScope(scope);
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).isEmpty();
        assertThat(MockSchemaRegistry.forScope(scope).register("s", V2_OPTIONAL)).isEqualTo(1);
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void backwardByDefaultRefusesANewRequiredField() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("s", V1);

        assertThat(registry.getCompatibility("s")).isEqualTo("BACKWARD");
        assertThat(registry.testCompatibility("s", V2_REQUIRED)).isFalse();
        assertThat(registry.testCompatibility("s", V2_OPTIONAL)).isTrue();
        RestClientException e = catchThrowableOfType(RestClientException.class, () -> registry.register("s", V2_REQUIRED));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo(409);
        assertThat(registry.getAllVersions("s")).containsExactly(1);

        assertThat(registry.updateCompatibility("s", "none")).isEqualTo("NONE");
        assertThat(registry.register("s", V2_REQUIRED)).isEqualTo(2);
    }

    @Test
    void forwardAndTransitiveLevels() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.updateCompatibility(null, "FORWARD");
        registry.register("s", V2_REQUIRED);
        // dropping a required field: old readers (V2_REQUIRED) cannot read new data
        assertThat(registry.testCompatibility("s", V1)).isFalse();
        assertThat(registry.getCompatibility("s")).isEqualTo("FORWARD");

        MockSchemaRegistry full = new MockSchemaRegistry();
        full.updateCompatibility("s", "FULL_TRANSITIVE");
        full.register("s", V1);
        full.register("s", V2_OPTIONAL);
        Schema v3 = record("{\"name\":\"id\",\"type\":\"string\"}, {\"name\":\"n\",\"type\":\"int\",\"default\":0}");
        assertThat(full.testCompatibility("s", v3)).isTrue();
        assertThat(full.testCompatibility("s", V2_REQUIRED)).isFalse();
    }

    @Test
    void notFoundAnswersCarryConfluentErrorCodes() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("s", V1);

        assertThat(catchThrowableOfType(RestClientException.class, () -> registry.getSchemaById(7)).errorCode())
                .isEqualTo(40403);
        assertThat(catchThrowableOfType(RestClientException.class, () -> registry.getLatestVersion("x")).errorCode())
                .isEqualTo(40401);
        assertThat(catchThrowableOfType(RestClientException.class, () -> registry.getId("x", V1)).errorCode())
                .isEqualTo(40401);
        assertThat(catchThrowableOfType(RestClientException.class, () -> registry.getId("s", V2_OPTIONAL))
                .errorCode()).isEqualTo(40403);
        assertThat(catchThrowableOfType(RestClientException.class, () -> registry.updateCompatibility("s", "SOMETIMES"))
                .errorCode()).isEqualTo(42203);
    }
}
