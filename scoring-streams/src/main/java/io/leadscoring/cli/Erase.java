package io.leadscoring.cli;

import io.leadscoring.streams.ScoringConfig;
import io.leadscoring.streams.Topics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bin/lead-scoring erase}: writes, for each lead id, a tombstone to the profiles topic (a compacted topic
 * keeps a profile until a tombstone replaces it) and then an erasure request to the erasure topic, which the running
 * application carries out (docs/ERASURE.md). Both records go to the lead's partition, in this order.
 */
final class Erase {

    /** How long to wait for the cluster: an erasure is not urgent, a silently lost one is a breach. */
    static final long TIMEOUT_MS = 120_000;

    private final ScoringConfig config;
    private final PrintStream out;

    Erase(ScoringConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Blank ids are refused before anything is written: an erasure must name its lead. */
    static String checkLeadIds(List<String> leadIds) {
        for (int i = 0; i < leadIds.size(); i++) {
            if (leadIds.get(i) == null || leadIds.get(i).isBlank()) {
                return "lead id #" + (i + 1) + " is empty";
            }
        }
        return null;
    }

    /**
     * Writes the records of every lead and waits until the cluster has them all.
     *
     * @throws IllegalStateException when a topic is missing or the cluster does not confirm a write
     */
    void erase(List<String> leadIds) throws InterruptedException {
        Topics topics = config.topics();
        checkTopicsExist(List.of(topics.profiles(), topics.erasures()));
        Map<String, Object> producerConfig = clientConfig(ProducerConfig.configNames());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "lead-scoring-erase");
        List<Future<RecordMetadata>> tombstones = new ArrayList<>();
        List<Future<RecordMetadata>> requests = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            for (String leadId : leadIds) {
                tombstones.add(producer.send(new ProducerRecord<>(topics.profiles(), leadId, null)));
                requests.add(producer.send(new ProducerRecord<>(topics.erasures(), leadId, leadId)));
            }
            producer.flush();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < leadIds.size(); i++) {
                try {
                    RecordMetadata tombstone = tombstones.get(i).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    RecordMetadata request = requests.get(i).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    out.println(leadIds.get(i) + ": erasure requested at " + where(request) + ", profile tombstone at "
                            + where(tombstone));
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    failed.add(leadIds.get(i) + " (" + cause.getMessage() + ")");
                }
            }
            if (!failed.isEmpty()) {
                throw new IllegalStateException("not confirmed by the cluster, run erase again for: "
                        + String.join(", ", failed));
            }
        }
    }

    private void checkTopicsExist(List<String> names) throws InterruptedException {
        try (Admin admin = Admin.create(clientConfig(AdminClientConfig.configNames()))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
            if (!missing.isEmpty()) {
                // Never let the producer auto-create one: a topic with the broker's partition count would put a
                // lead's erasure in another task than its events.
                throw new IllegalStateException("missing topics " + missing + ": start 'run' once (it creates "
                        + "them) or create them like the inputs");
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot list the cluster's topics: " + cause.getMessage()
                    + " (check bootstrap.servers and the security settings)", cause);
        }
    }

    /** The same Kafka client settings as {@code run} (bootstrap servers, SASL, SSL), for one kind of client. */
    private Map<String, Object> clientConfig(Set<String> names) {
        Map<String, Object> client = new HashMap<>(config.passThrough());
        client.keySet().retainAll(names);
        return client;
    }

    private static String where(RecordMetadata metadata) {
        return metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset();
    }
}
