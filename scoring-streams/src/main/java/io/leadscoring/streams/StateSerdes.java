package io.leadscoring.streams;

import io.leadscoring.scoring.LeadState;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes of the topology's internal state; the formats belong to the core, these only adapt them. */
final class StateSerdes {

    private StateSerdes() {
    }

    static Serde<LeadState> leadState() {
        return Serdes.serdeFrom(
                (topic, state) -> state == null ? null : state.toBytes(),
                (topic, bytes) -> bytes == null ? null : LeadState.fromBytes(bytes));
    }

    static Serde<long[]> longArray() {
        return Serdes.serdeFrom(
                (topic, values) -> {
                    if (values == null) {
                        return null;
                    }
                    ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES * values.length);
                    for (long v : values) {
                        buffer.putLong(v);
                    }
                    return buffer.array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    long[] values = new long[bytes.length / Long.BYTES];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = buffer.getLong();
                    }
                    return values;
                });
    }
}
