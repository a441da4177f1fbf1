package io.leadscoring.app;

import io.leadscoring.streams.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Makes sure the pipeline's topics exist before Kafka Streams starts, or says clearly why they cannot. */
final class TopicProvisioner {

    private final Admin admin;
    private final long timeoutMs;

    TopicProvisioner(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Creates the missing topics (compacted where the topic is a latest-value view) when {@code create} is set, and
     * checks that the inputs are co-partitioned: a lead's events, profile and erasure requests must meet in one task.
     */
    void provision(Topics topics, boolean create, int partitions, short replicationFactor) throws Exception {
        List<String> all = new ArrayList<>(topics.coPartitioned());
        all.addAll(topics.outputs());
        Set<String> existing = call(admin.listTopics().names());
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : all) {
            if (!existing.contains(topic)) {
                Map<String, String> configs = new HashMap<>();
                if (topics.isCompacted(topic)) {
                    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                }
                if (topics.outputs().contains(topic)) {
                    // Outputs carry event time; an old backlog would be deleted by time retention on arrival.
                    configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
                }
                missing.add(new NewTopic(topic, Optional.of(partitions), Optional.of(replicationFactor))
                        .configs(configs));
            }
        }
        if (!missing.isEmpty()) {
            List<String> names = missing.stream().map(NewTopic::name).toList();
            if (!create) {
                throw new IllegalStateException("Missing topics " + names + " and topics.create=false: create them "
                        + "(inputs and " + topics.erasures() + " with equal partition counts, " + topics.profiles()
                        + " and " + topics.scores() + " compacted) or set topics.create=true");
            }
            try {
                call(admin.createTopics(missing).all());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topics " + names + ": " + e.getCause().getMessage()
                            + " (check topics.partitions, topics.replication.factor and the principal's ACLs)",
                            e.getCause());
                }
            }
        }
        Map<String, TopicDescription> inputs = describe(topics.coPartitioned());
        Set<Integer> counts = new java.util.TreeSet<>();
        inputs.values().forEach(d -> counts.add(d.partitions().size()));
        if (counts.size() > 1) {
            StringBuilder detail = new StringBuilder();
            inputs.forEach((name, d) -> detail.append(' ').append(name).append('=').append(d.partitions().size()));
            throw new IllegalStateException("Input topics are not co-partitioned (partitions:" + detail
                    + "): a lead's events, profile and erasure requests must share a partition number");
        }
    }

    /** A topic just created reaches the brokers' metadata a moment later; until then it is "unknown". */
    private Map<String, TopicDescription> describe(List<String> names)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return call(admin.describeTopics(names).allTopicNames());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private <T> T call(org.apache.kafka.common.KafkaFuture<T> future)
            throws ExecutionException, InterruptedException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("No answer from the Kafka cluster within " + timeoutMs
                    + " ms: check bootstrap.servers and the security settings", e);
        }
    }
}
