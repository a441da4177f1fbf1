package io.leadscoring.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The running broker, as tests see it. Thread-safe; shared by every test class in the JVM, so tests
 * isolate themselves with unique topic, group and transactional ids rather than by cleaning up.
 */
public final class KafkaBroker {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_RECORDS_IN_FAILURE = 20;

    private final String bootstrapServers;
    private final Admin admin;
    private final Duration startupTime;

    KafkaBroker(String bootstrapServers, Admin admin, Duration startupTime) {
        this.bootstrapServers = bootstrapServers;
        this.admin = nonClosing(admin);
        this.startupTime = startupTime;
    }

    /** {@code host:port} of the broker's client listener, bound to 127.0.0.1. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long formatting, starting and waiting for the broker took. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The shared admin client. Do not close it; {@code close()} is ignored anyway. */
    public Admin admin() {
        return admin;
    }

    /** {@code prefix-<counter>-<4 hex>}, unique in the JVM; characters illegal in topic names become '_'. */
    public String uniqueTopic(String prefix) {
        return UniqueNames.next(prefix, "topic");
    }

    public String uniqueGroupId(String prefix) {
        return UniqueNames.next(prefix, "group");
    }

    public String uniqueTransactionalId(String prefix) {
        return UniqueNames.next(prefix, "tx");
    }

    /** Creates a topic with a unique name ({@link #uniqueTopic}), waits until it has a leader, returns its name. */
    public String createTopic(String prefix, int partitions) {
        return createTopic(prefix, partitions, Map.of());
    }

    /** As {@link #createTopic(String, int)}, with topic configs such as {@code cleanup.policy=compact}. */
    public String createTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = uniqueTopic(prefix);
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        await(admin.createTopics(List.of(topic)).all(), "create topic " + name);
        awaitLeaders(List.of(name));
        return name;
    }

    /**
     * Creates single-partition topics with exactly these names, for code with fixed topic names. Names are
     * JVM-wide: a topic that already exists is reused as is, with whatever it already holds.
     */
    public void createTopics(String... exactNames) {
        List<NewTopic> topics = Arrays.stream(exactNames)
                .map(name -> new NewTopic(name, 1, (short) 1))
                .collect(Collectors.toList());
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                await(future, "create topic " + name);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        });
        awaitLeaders(List.of(exactNames));
    }

    /** Idempotent producer: {@code acks=all}, {@code enable.idempotence=true}. Mutable; add serializers. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /** {@link #producerConfig()} plus {@code transactional.id}; see {@link #uniqueTransactionalId}. */
    public Map<String, Object> transactionalProducerConfig(String transactionalId) {
        Map<String, Object> config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Objects.requireNonNull(transactionalId, "transactionalId"));
        return config;
    }

    /** Group consumer: earliest, {@code read_committed}, no auto-commit. Mutable; add deserializers. */
    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = readerConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        return config;
    }

    /**
     * Reads the topic from the beginning ({@code read_committed}, all partitions, no consumer group) until at
     * least {@code expectedCount} records arrived, and returns all it read: records of one partition are in
     * offset order. Throws {@link AssertionError} listing what it got if the timeout passes first.
     * The deserializers are not closed.
     */
    public <K, V> List<ConsumerRecord<K, V>> consume(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, int expectedCount, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = reader(topic, keyDeserializer, valueDeserializer, timeout)) {
            while (records.size() < expectedCount) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("Expected at least " + expectedCount + " committed records in topic '"
                            + topic + "' within " + timeout + " but got " + records.size() + describe(records));
                }
                consumer.poll(Duration.ofNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100))))
                        .forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Reads the topic from the beginning ({@code read_committed}) for the whole {@code duration} and returns
     * everything: for asserting that nothing (more) arrives. The deserializers are not closed.
     */
    public <K, V> List<ConsumerRecord<K, V>> consumeFor(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = reader(topic, keyDeserializer, valueDeserializer, duration)) {
            for (long remaining = deadline - System.nanoTime(); remaining > 0; remaining = deadline - System.nanoTime()) {
                consumer.poll(Duration.ofNanos(remaining)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + "]";
    }

    private Map<String, Object> readerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    /** A group-less consumer assigned to every partition of the topic, at the beginning. */
    private <K, V> KafkaConsumer<K, V> reader(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, Duration timeout) {
        List<TopicPartition> partitions = partitionsOf(topic, timeout);
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(readerConfig(),
                new NonClosingDeserializer<>(keyDeserializer), new NonClosingDeserializer<>(valueDeserializer));
        try {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private List<TopicPartition> partitionsOf(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                return description.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .collect(Collectors.toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + topic, e.getCause());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("Topic '" + topic + "' does not exist (auto-creation is disabled; "
                            + "create it with createTopic/createTopics)");
                }
                sleep(50);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Timed out describing topic " + topic, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted describing topic " + topic, e);
            }
        }
    }

    /** Created is not usable yet: wait until every partition has a leader in the broker's metadata. */
    private void awaitLeaders(List<String> topics) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean ready = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(KafkaBroker::hasLeader);
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topics " + topics, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Timed out describing topics " + topics, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for topics " + topics, e);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Topics " + topics + " have no leader after " + ADMIN_TIMEOUT);
            }
            sleep(20);
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty() && !partition.isr().isEmpty();
    }

    private static void await(org.apache.kafka.common.KafkaFuture<?> future, String what) {
        try {
            future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out trying to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted trying to " + what, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static String describe(List<? extends ConsumerRecord<?, ?>> records) {
        if (records.isEmpty()) {
            return ".";
        }
        String shown = records.stream()
                .limit(MAX_RECORDS_IN_FAILURE)
                .map(r -> "  p" + r.partition() + "@" + r.offset() + " " + r.key() + " -> " + r.value())
                .collect(Collectors.joining("\n", ":\n", records.size() > MAX_RECORDS_IN_FAILURE ? "\n  ..." : ""));
        return shown;
    }

    /** Tests habitually close what they are given; closing the shared admin would break every later test. */
    private static Admin nonClosing(Admin delegate) {
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            return null;
                        case "toString":
                            return "shared " + delegate;
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        default:
                            try {
                                return method.invoke(delegate, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    /** The consumer closes its deserializers; the caller's may be reused. */
    private static final class NonClosingDeserializer<T> implements Deserializer<T> {
        private final Deserializer<T> delegate;

        NonClosingDeserializer(Deserializer<T> delegate) {
            this.delegate = Objects.requireNonNull(delegate, "deserializer");
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            return delegate.deserialize(topic, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            return delegate.deserialize(topic, headers, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
            return delegate.deserialize(topic, headers, data);
        }

        @Override
        public void close() {
        }
    }
}
