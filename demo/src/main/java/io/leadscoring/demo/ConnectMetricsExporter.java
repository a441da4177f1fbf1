package io.leadscoring.demo;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Connect worker's JMX metrics (Connect's own and the CRM sink's plugin metrics) in Prometheus format over HTTP,
 * as docker-compose.yml exposes them: the same exporter jar ({@code jmx_prometheus_javaagent}, which docker-compose
 * loads as a javaagent) and the same rules file ({@code docker/connect/jmx-exporter.yml}). The demo runs Connect in
 * its own JVM, so the exporter reads this JVM's MBeans.
 *
 * <p>The agent jar carries unrelocated Prometheus client classes of its own version, which would clash with the
 * scoring application's Micrometer registry on one class path: it gets a class loader of its own, and is driven
 * through reflection (its collector and HTTP server, on a loopback port of the system's choosing).
 */
final class ConnectMetricsExporter implements AutoCloseable {

    /** The agent jar the demo module's build copies beside its class path (demo/pom.xml). */
    static final String AGENT_JAR = "demo/target/jmx-exporter/jmx_prometheus_javaagent.jar";
    static final String RULES = "docker/connect/jmx-exporter.yml";

    private final URLClassLoader loader;
    private final AutoCloseable server;
    private final int port;

    private ConnectMetricsExporter(URLClassLoader loader, AutoCloseable server, int port) {
        this.loader = loader;
        this.server = server;
        this.port = port;
    }

    /** Starts serving /metrics on {@code host}, any free port. */
    static ConnectMetricsExporter start(Path agentJar, Path rules, String host) throws IOException {
        if (!Files.isRegularFile(agentJar)) {
            throw new IOException("no JMX exporter jar at " + agentJar + " (built by ./mvnw package)");
        }
        if (!Files.isRegularFile(rules)) {
            throw new IOException("no exporter rules at " + rules);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {agentJar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        try {
            Class<?> registryType = loader.loadClass("io.prometheus.metrics.model.registry.PrometheusRegistry");
            Object registry = registryType.getConstructor().newInstance();
            Class<?> modeType = loader.loadClass("io.prometheus.jmx.JmxCollector$Mode");
            Object agentMode = modeType.getField("AGENT").get(null);
            Class<?> collectorType = loader.loadClass("io.prometheus.jmx.JmxCollector");
            Object collector = collectorType.getConstructor(File.class, modeType).newInstance(rules.toFile(), agentMode);
            collectorType.getMethod("register", registryType).invoke(collector, registry);

            Class<?> serverType = loader.loadClass("io.prometheus.metrics.exporter.httpserver.HTTPServer");
            Object builder = serverType.getMethod("builder").invoke(null);
            Class<?> builderType = builder.getClass();
            builderType.getMethod("hostname", String.class).invoke(builder, host);
            builderType.getMethod("port", int.class).invoke(builder, 0);
            builderType.getMethod("registry", registryType).invoke(builder, registry);
            AutoCloseable server = (AutoCloseable) builderType.getMethod("buildAndStart").invoke(builder);
            int port = (int) serverType.getMethod("getPort").invoke(server);
            return new ConnectMetricsExporter(loader, server, port);
        } catch (InvocationTargetException e) {
            loader.close();
            throw new IOException("the JMX exporter did not start: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            loader.close();
            throw new IOException("the JMX exporter jar " + agentJar + " is not the expected version: " + e, e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            loader.close();
        }
    }
}
