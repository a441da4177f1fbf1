package io.leadscoring.demo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A standalone Kafka Connect worker in this JVM, started as {@code connect-standalone.sh} starts one, running the CRM
 * sink connector. The connector and its Avro converter are on the class path ({@code plugin.discovery=service_load}
 * finds them through their {@code META-INF/services} files).
 */
final class ConnectWorker implements AutoCloseable {

    private static final String RUNNING = "RUNNING";
    private static final String FAILED = "FAILED";

    private final Connect<StandaloneHerder> connect;
    private final String connectorName;

    private ConnectWorker(Connect<StandaloneHerder> connect, String connectorName) {
        this.connect = connect;
        this.connectorName = connectorName;
    }

    /** The worker's settings: loopback REST on any free port, offsets in a file, committed records only. */
    static Map<String, String> workerConfig(String bootstrapServers, Path offsetsFile) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("listeners", "http://" + DemoDefaults.LOOPBACK + ":0");
        config.put("rest.advertised.host.name", DemoDefaults.LOOPBACK);
        config.put("plugin.discovery", "service_load");
        config.put("offset.storage.file.filename", offsetsFile.toString());
        config.put("offset.flush.interval.ms", Long.toString(DemoDefaults.CONNECT_OFFSET_FLUSH_MS));
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        // The handoffs are written in transactions: hand the CRM only what was committed.
        config.put("consumer.isolation.level", "read_committed");
        config.put("consumer.session.timeout.ms", Integer.toString(DemoDefaults.SESSION_TIMEOUT_MS));
        config.put("consumer.heartbeat.interval.ms", Integer.toString(DemoDefaults.HEARTBEAT_INTERVAL_MS));
        return config;
    }

    /** The CRM sink in webhook mode, reading Avro handoffs, with bad records to its own dead-letter topic. */
    static Map<String, String> connectorConfig(String name, String topic, URI webhookUrl, String secret,
            String schemaRegistryUrl) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("connector.class", "io.leadscoring.connect.CrmSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("crm.target", "WEBHOOK");
        config.put("webhook.url", webhookUrl.toString());
        config.put("webhook.secret", secret);
        config.put("webhook.signature.header", DemoDefaults.SIGNATURE_HEADER);
        config.put("webhook.headers", "X-Source:lead-scoring-demo");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "io.leadscoring.connect.avro.AvroConverter");
        config.put("value.converter.schema.registry.url", schemaRegistryUrl);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DemoDefaults.CRM_DEAD_LETTER_TOPIC);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("errors.log.enable", "true");
        config.put("errors.log.include.messages", "false");
        return config;
    }

    /** Starts the worker, creates the connector and waits until its task runs. */
    static ConnectWorker start(Map<String, String> workerConfig, Map<String, String> connectorConfig,
            Duration timeout) throws Exception {
        Files.createDirectories(Path.of(workerConfig.get("offset.storage.file.filename")).getParent());
        Connect<StandaloneHerder> connect;
        // startConnect ends the JVM when the worker cannot start; in the demo that must be an exception instead.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka Connect could not start (exit " + status + ")"
                    + (message == null ? "" : ": " + message));
        });
        try {
            connect = new ConnectStandalone().startConnect(workerConfig);
        } finally {
            Exit.resetExitProcedure();
        }
        ConnectWorker worker = new ConnectWorker(connect, connectorConfig.get("name"));
        try {
            FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
            connect.herder().putConnectorConfig(worker.connectorName, connectorConfig, true, created);
            created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            worker.awaitTaskRunning(timeout);
        } catch (Exception | Error e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    /** The worker's REST API. */
    URI restUrl() {
        return connect.rest().advertisedUrl();
    }

    String connectorName() {
        return connectorName;
    }

    /** Stops the connector and the worker; its consumer commits what was delivered. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }

    private void awaitTaskRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not created";
        while (System.nanoTime() < deadline) {
            try {
                ConnectorStateInfo status = connect.herder().connectorStatus(connectorName);
                if (FAILED.equals(status.connector().state())) {
                    throw new IllegalStateException("Connector " + connectorName + " failed: "
                            + status.connector().trace());
                }
                for (ConnectorStateInfo.TaskState task : status.tasks()) {
                    if (FAILED.equals(task.state())) {
                        throw new IllegalStateException("Task " + connectorName + "-" + task.id() + " failed: "
                                + task.trace());
                    }
                }
                if (RUNNING.equals(status.connector().state()) && !status.tasks().isEmpty()
                        && status.tasks().stream().allMatch(t -> RUNNING.equals(t.state()))) {
                    return;
                }
                last = status.connector().state() + ", tasks " + status.tasks().stream().map(t -> t.state())
                        .toList();
            } catch (NotFoundException notYet) {
                // The herder has not registered the connector yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Connector " + connectorName + " not running within " + timeout.toSeconds()
                + " s (" + last + ")");
    }
}
