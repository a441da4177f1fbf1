package io.leadscoring.demo;

import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.streams.Topics;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The demo's plumbing, opened to the reliability tests: its broker ({@link DemoBroker}), its Connect worker and
 * connector settings ({@link ConnectWorker}), its CRM inbox ({@link CrmInbox}), its traffic personas
 * ({@link TrafficPlan}) and its schema registrations. In the demo's package because those classes are
 * package-private there (the bench module opens the personas the same way).
 */
public final class DemoParts {

    private DemoParts() {
    }

    /** Registers every schema in the demo's fixed order: the in-process registry then numbers them alike in every JVM. */
    public static void registerSchemas(String registryScope) {
        Demo.registerSchemas(MockSchemaRegistry.forScope(registryScope), Topics.defaults());
    }

    /** One input record of the simulated traffic: its topic, key (lead id), Avro value and event time. */
    public record Input(String topic, String leadId, SpecificRecord value, long timestamp) {
    }

    /**
     * {@code count} records of the demo's personas (no garbage), stamped {@code start}, {@code start + step}, ...:
     * deterministic for a seed, whatever the clock.
     */
    public static List<Input> traffic(long seed, int activeLeads, int count, Topics topics, Instant start,
            Duration step) {
        TrafficPlan plan = new TrafficPlan(seed, activeLeads, activeLeads / 2, 1, 0);
        List<Input> inputs = new ArrayList<>(count);
        long at = start.toEpochMilli();
        while (inputs.size() < count) {
            SimEvent event = plan.next();
            if (event == null) {
                continue;
            }
            inputs.add(new Input(AvroRecords.topic(topics, event.step()), event.leadId(),
                    (SpecificRecord) AvroRecords.value(event, Instant.ofEpochMilli(at)), at));
            at += step.toMillis();
        }
        return inputs;
    }

    /** The demo's Connect worker settings: loopback REST on a free port, read_committed, short session timeout. */
    public static Map<String, String> workerConfig(String bootstrapServers, Path offsetsFile) {
        return ConnectWorker.workerConfig(bootstrapServers, offsetsFile);
    }

    /** The demo's CRM sink: webhook mode, Avro handoffs, errors to a dead-letter topic. */
    public static Map<String, String> connectorConfig(String name, String topic, URI webhookUrl, String secret,
            String schemaRegistryUrl) {
        return ConnectWorker.connectorConfig(name, topic, webhookUrl, secret, schemaRegistryUrl);
    }

    /** The demo broker's settings ({@link DemoBroker#config}). */
    public static Map<String, String> brokerConfig(Path logDir, int brokerPort, int controllerPort) {
        return DemoBroker.config(logDir, brokerPort, controllerPort);
    }

    /**
     * A child JVM's entry point: the demo's broker on these ports and log directory, formatted on its first start and
     * reused afterwards; prints {@code READY} once it answers, then runs until it is killed.
     *
     * <p>Arguments: {@code LOG-DIR CLUSTER-ID BROKER-PORT CONTROLLER-PORT}.
     */
    public static void main(String[] args) throws Exception {
        DataDir.State state = new DataDir.State(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), 1);
        DemoBroker broker = DemoBroker.start(Path.of(args[0]), state, DemoDefaults.STARTUP_TIMEOUT);
        System.out.println("READY " + broker.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * The demo's CRM inbox: checks each request's signature and takes each idempotency key once (201, then 200 for
     * a repeat). Its journal keeps the keys across a restart, as a CRM's database would.
     */
    public static final class Crm implements AutoCloseable {

        public static final String SIGNATURE_HEADER = DemoDefaults.SIGNATURE_HEADER;

        private final byte[] secret;
        private final Path journal;
        private final Consumer<Map<String, Object>> listener;
        private CrmInbox inbox;
        private int port;
        private long duplicatesBefore;
        private long rejectedBefore;

        /** @param listener told of each new handoff (its webhook document) before the CRM answers the request */
        public Crm(String secret, Path journal, Consumer<Map<String, Object>> listener) {
            this.secret = secret.getBytes(StandardCharsets.UTF_8);
            this.journal = journal;
            this.listener = listener;
        }

        /** Starts serving on loopback: on a free port the first time, on the same port after {@link #stop}. */
        public synchronized Crm start() throws IOException {
            inbox = new CrmInbox(secret, SIGNATURE_HEADER, Integer.MAX_VALUE, journal,
                    handoff -> listener.accept(handoff.document()), Clock.systemUTC())
                    .start(DemoDefaults.LOOPBACK, port);
            port = inbox.webhookUrl().getPort();
            return this;
        }

        /** Stops serving: requests are refused until {@link #start} (the keys stay in the journal). */
        public synchronized void stop() {
            if (inbox != null) {
                duplicatesBefore += inbox.duplicates();
                rejectedBefore += inbox.rejected();
                inbox.close();
                inbox = null;
            }
        }

        public synchronized URI webhookUrl() {
            return URI.create("http://" + DemoDefaults.LOOPBACK + ":" + port + DemoDefaults.INBOX_WEBHOOK_PATH);
        }

        /** Every idempotency key the CRM ever accepted. */
        public synchronized int distinct() {
            return inbox == null ? -1 : inbox.distinct();
        }

        public synchronized boolean containsAll(Set<String> keys) {
            return inbox != null && inbox.containsAll(keys);
        }

        /** Webhook documents by idempotency key, as received. */
        public synchronized Map<String, Map<String, Object>> documents() {
            Map<String, Map<String, Object>> byKey = new java.util.LinkedHashMap<>();
            if (inbox != null) {
                for (InboxHandoff handoff : inbox.handoffs()) {
                    byKey.put(handoff.handoffId(), handoff.document());
                }
            }
            return byKey;
        }

        /** Repeated deliveries that the idempotency key turned into no-ops, over every start. */
        public synchronized long duplicates() {
            return duplicatesBefore + (inbox == null ? 0 : inbox.duplicates());
        }

        /** Requests with a bad signature or no idempotency key, over every start. */
        public synchronized long rejected() {
            return rejectedBefore + (inbox == null ? 0 : inbox.rejected());
        }

        @Override
        public void close() {
            stop();
        }
    }
}
