package io.leadscoring.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.serde.AvroSerializationException;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Which failures are the record's fault (dead letter) and which must fail the task (retry, nothing lost). */
class DeadLetterHandlerTest {

    @Test
    void badBytesAreDeadLetteredWithTheSerdesReason() {
        var noMagic = new AvroSerializationException("t", AvroSerializationException.Reason.NO_MAGIC_BYTE, -1,
                "no magic byte", null);
        assertThat(DeadLetterHandler.unreadableReason(noMagic)).isEqualTo("NO_MAGIC_BYTE");
        var unknownId = new AvroSerializationException("t", AvroSerializationException.Reason.UNKNOWN_SCHEMA_ID, 42,
                "unknown schema id 42", null);
        assertThat(DeadLetterHandler.unreadableReason(unknownId)).isEqualTo("UNKNOWN_SCHEMA_ID");
        assertThat(DeadLetterHandler.unreadableReason(new SerializationException("bad key bytes")))
                .isEqualTo("UNREADABLE");
    }

    @Test
    void aRegistryThatIsDownOrRefusesIsNeverTheRecordsFault() {
        var down = new SchemaRegistryUnavailableException("registry unreachable", 503, null);
        var refused = new RestClientException("Unauthorized", 401, 40101);
        assertThat(DeadLetterHandler.unreadableReason(down)).isNull();
        assertThat(DeadLetterHandler.unreadableReason(refused)).isNull();
        assertThat(DeadLetterHandler.unreadableReason(new SerializationException("wrapped", refused))).isNull();
        assertThat(DeadLetterHandler.unreadableReason(new SerializationException("wrapped", down))).isNull();
    }

    @Test
    void otherFailuresAreNotUnreadableRecords() {
        assertThat(DeadLetterHandler.unreadableReason(new IllegalStateException("bug"))).isNull();
    }
}
