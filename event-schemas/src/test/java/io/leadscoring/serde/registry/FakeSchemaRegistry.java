package io.leadscoring.serde.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * Confluent's REST API on loopback, backed by a {@link MockSchemaRegistry}, with Confluent's error bodies
 * ({"error_code": 40401, "message": "..."}). Records every request, can be told to answer the next requests with a
 * given status, to require an Authorization header, or to be slow.
 */
final class FakeSchemaRegistry implements AutoCloseable {

    record Request(String method, String rawPath, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final MockSchemaRegistry backend = new MockSchemaRegistry();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    /** Statuses to answer the next requests with, before any normal handling. */
    final ConcurrentLinkedDeque<Integer> forcedStatuses = new ConcurrentLinkedDeque<>();
    volatile String requiredAuthorization;
    volatile long delayMs;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    private FakeSchemaRegistry(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeSchemaRegistry http() throws IOException {
        return new FakeSchemaRegistry(HttpServer.create(loopback(), 0));
    }

    static FakeSchemaRegistry https(SSLContext context, boolean needClientAuth) throws IOException {
        HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(ssl);
            }
        });
        return new FakeSchemaRegistry(server);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
    }

    long count(String method, String rawPathPrefix) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method.equals(method) && r.rawPath.startsWith(rawPathPrefix))
                    .count();
        }
    }

    Request last() {
        synchronized (requests) {
            return requests.get(requests.size() - 1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(new Request(method, rawPath + (query == null ? "" : "?" + query),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            Integer forced = forcedStatuses.poll();
            if (forced != null) {
                respond(exchange, forced, error(forced, "Forced failure " + forced));
                return;
            }
            if (requiredAuthorization != null
                    && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            int status = 200;
            Object answer;
            try {
                answer = route(method, rawPath, body);
            } catch (RestClientException e) {
                status = e.status();
                answer = error(e.errorCode(), e.getMessage().replaceFirst("; error code: \\d+$", ""));
            }
            respond(exchange, status, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Object route(String method, String rawPath, String body) throws IOException {
        String[] parts = rawPath.substring(1).split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        String route = method + " " + String.join("/", shape(parts));
        switch (route) {
            case "GET subjects":
                return backend.getAllSubjects();
            case "POST subjects/*/versions":
                return Map.of("id", backend.register(parts[1], schemaOf(body)));
            case "POST subjects/*": {
                RegisteredSchema found = backend.lookupVersion(parts[1], schemaOf(body));
                return describe(found);
            }
            case "GET subjects/*/versions":
                return backend.getAllVersions(parts[1]);
            case "GET subjects/*/versions/latest":
                return describe(backend.getLatestVersion(parts[1]));
            case "GET schemas/ids/*":
                return Map.of("schema", backend.getSchemaById(Integer.parseInt(parts[2])).toString());
            case "POST compatibility/subjects/*/versions/latest":
                return Map.of("is_compatible", backend.testCompatibility(parts[2], schemaOf(body)));
            case "GET config/*":
                return Map.of("compatibilityLevel", backend.getCompatibility(parts[1]));
            case "PUT config/*":
                return Map.of("compatibility",
                        backend.updateCompatibility(parts[1], JSON.readTree(body).path("compatibility").asText()));
            default:
                throw new RestClientException("HTTP 404 Not Found", 404, 404);
        }
    }

    /** The path with the variable segments (subject, id) replaced by "*". */
    private static List<String> shape(String[] parts) {
        List<String> shape = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            boolean variable = (i == 1 && parts[0].equals("subjects")) || (i == 1 && parts[0].equals("config"))
                    || (i == 2 && (parts[0].equals("schemas") || parts[0].equals("compatibility")));
            shape.add(variable ? "*" : parts[i]);
        }
        return shape;
    }

    private static Map<String, Object> describe(RegisteredSchema found) {
        return Map.of("subject", found.subject(), "id", found.id(), "version", found.version(), "schema",
                found.schema().toString());
    }

    private static Schema schemaOf(String body) throws IOException {
        JsonNode node = JSON.readTree(body);
        return new Schema.Parser().parse(node.path("schema").asText());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
