package io.leadscoring.bench;

import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The comparison for the end-to-end runs: every input record copied to an output topic of its own
 * ({@code prefix + input}), on the same inputs, partitions and Kafka Streams configuration as the scoring
 * application. With serdes, each value is decoded to its Avro class and encoded again with the application's serdes
 * (what the scoring application pays for its inputs and outputs); without, bytes are copied as they are (what Kafka
 * Streams with exactly-once costs on its own).
 */
final class PassThroughTopology {

    private PassThroughTopology() {
    }

    static Topology build(Topics topics, String prefix, ScoringSerdes serdesOrNull) {
        StreamsBuilder builder = new StreamsBuilder();
        if (serdesOrNull == null) {
            for (String input : topics.inputs()) {
                copy(builder, input, prefix + input, Serdes.ByteArray());
            }
        } else {
            copy(builder, topics.webEvents(), prefix + topics.webEvents(), serdesOrNull.webEvent());
            copy(builder, topics.emailEvents(), prefix + topics.emailEvents(), serdesOrNull.emailEvent());
            copy(builder, topics.downloadEvents(), prefix + topics.downloadEvents(), serdesOrNull.downloadEvent());
            copy(builder, topics.profiles(), prefix + topics.profiles(), serdesOrNull.profile());
        }
        return builder.build();
    }

    private static <V> void copy(StreamsBuilder builder, String from, String to, Serde<V> serde) {
        builder.stream(from, Consumed.with(Serdes.String(), serde)).to(to, Produced.with(Serdes.String(), serde));
    }
}
