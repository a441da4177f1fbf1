package io.leadscoring.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.serde.registry.RestClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The part of Confluent's Schema Registry REST API that serializers and deserializers use (register, look up, schema
 * by id), on loopback, requiring HTTP Basic authentication, backed by {@link MockSchemaRegistry}. It lets a test
 * run the application with {@code basic.auth.user.info} and check the secret stays out of the logs.
 */
final class BasicAuthSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockSchemaRegistry backend = new MockSchemaRegistry();
    private final String expectedAuthorization;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    final AtomicInteger authorized = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    BasicAuthSchemaRegistry(String user, String password) throws IOException {
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                respond(exchange, 401, Map.of("error_code", 401, "message", "Unauthorized"));
                return;
            }
            authorized.incrementAndGet();
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            try {
                if (method.equals("GET") && path.startsWith("/schemas/ids/")) {
                    int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
                    respond(exchange, 200, Map.of("schema", backend.getSchemaById(id).toString()));
                } else if (method.equals("POST") && path.startsWith("/subjects/")) {
                    String rest = path.substring("/subjects/".length());
                    boolean register = rest.endsWith("/versions");
                    String subject = URLDecoder.decode(register ? rest.substring(0, rest.length() - 9) : rest,
                            StandardCharsets.UTF_8);
                    JsonNode body = JSON.readTree(exchange.getRequestBody());
                    Schema schema = new Schema.Parser().parse(body.get("schema").asText());
                    int id = register ? backend.register(subject, schema) : backend.getId(subject, schema);
                    respond(exchange, 200, Map.of("id", id));
                } else {
                    respond(exchange, 404, Map.of("error_code", 404, "message", "not served by this test registry"));
                }
            } catch (RestClientException e) {
                respond(exchange, e.status(), Map.of("error_code", e.errorCode(), "message", e.getMessage()));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
