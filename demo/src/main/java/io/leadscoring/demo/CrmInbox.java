package io.leadscoring.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's CRM: an HTTP endpoint for the sink connector's webhook, with what a real CRM integration does. It
 * checks each request's HMAC-SHA256 signature, takes each {@code Idempotency-Key} once (201 the first time, 200 for
 * a repeat, which changes nothing), keeps the latest handoffs in memory and lists them at {@code GET /inbox}.
 *
 * <p>Like a real CRM it is sometimes busy: with {@link #answeringFaults} every n-th webhook request gets no verdict but
 * a {@code 503 Service Unavailable} or (alternately) a {@code 429 Too Many Requests} with {@code Retry-After: 1}, which
 * the connector retries. Counted by request, so a run with the same traffic fails the same requests.
 *
 * <p>Accepted handoffs are appended to a journal file, so the inbox remembers its idempotency keys across restarts of
 * the demo, as a CRM would.
 */
final class CrmInbox implements AutoCloseable {

    /** What the inbox made of one delivery, with the HTTP status it answers. */
    enum Verdict {
        CREATED(201), DUPLICATE(200), BAD_SIGNATURE(401), BAD_REQUEST(400);

        final int status;

        Verdict(int status) {
            this.status = status;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(CrmInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };
    private static final String SIGNATURE_PREFIX = "sha256=";
    private static final int HTTP_THREADS = 4;

    private final byte[] secret;
    private final String signatureHeader;
    private final int capacity;
    private final Path journal;
    private final Consumer<InboxHandoff> listener;
    private final Clock clock;

    private final Set<String> keys = new HashSet<>();
    private final Deque<InboxHandoff> latest = new ArrayDeque<>();
    private long createdThisRun;
    private long duplicates;
    private long rejected;
    private long faults;
    private long webhookRequests;
    private int faultEvery;
    private BufferedWriter journalWriter;

    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param secret the webhook's shared secret
     * @param journal file of accepted handoffs (one JSON object a line), read at start; null keeps nothing
     * @param listener told of each new handoff, once per idempotency key
     */
    CrmInbox(byte[] secret, String signatureHeader, int capacity, Path journal, Consumer<InboxHandoff> listener,
            Clock clock) {
        this.secret = secret.clone();
        this.signatureHeader = signatureHeader;
        this.capacity = capacity;
        this.journal = journal;
        this.listener = listener;
        this.clock = clock;
    }

    /** Reads the journal and starts serving on {@code host:port} (0 for any free port). */
    CrmInbox start(String host, int port) throws IOException {
        if (journal != null) {
            load();
            journalWriter = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "crm-inbox-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext(DemoDefaults.INBOX_WEBHOOK_PATH, this::handleWebhook);
        server.createContext(DemoDefaults.INBOX_LIST_PATH, this::handleList);
        server.setExecutor(executor);
        server.start();
        return this;
    }

    /** Answers every {@code every}-th webhook request 503 or 429 (alternately) before looking at it; 0: never. */
    CrmInbox answeringFaults(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("every must be 0 or more");
        }
        synchronized (this) {
            faultEvery = every;
        }
        return this;
    }

    /** Requests answered 503 or 429 on purpose. */
    synchronized long faults() {
        return faults;
    }

    URI webhookUrl() {
        return url(DemoDefaults.INBOX_WEBHOOK_PATH);
    }

    URI listUrl() {
        return url(DemoDefaults.INBOX_LIST_PATH);
    }

    /** Handles one delivery, without HTTP: checks the signature, then takes the key once. */
    Verdict receive(byte[] body, String signature, String idempotencyKey) {
        if (!validSignature(body, signature)) {
            synchronized (this) {
                rejected++;
            }
            return Verdict.BAD_SIGNATURE;
        }
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            synchronized (this) {
                rejected++;
            }
            return Verdict.BAD_REQUEST;
        }
        Map<String, Object> document;
        try {
            document = JSON.readValue(body, JSON_OBJECT);
        } catch (IOException e) {
            synchronized (this) {
                rejected++;
            }
            return Verdict.BAD_REQUEST;
        }
        InboxHandoff handoff;
        synchronized (this) {
            if (!keys.add(idempotencyKey)) {
                duplicates++;
                return Verdict.DUPLICATE;
            }
            handoff = InboxHandoff.of(document, idempotencyKey, clock.instant());
            remember(handoff);
            createdThisRun++;
            append(idempotencyKey, handoff);
        }
        listener.accept(handoff);
        return Verdict.CREATED;
    }

    /** The latest handoffs, newest first (at most the capacity). */
    synchronized List<InboxHandoff> handoffs() {
        return List.copyOf(latest);
    }

    /** Distinct handoffs ever accepted, previous runs included. */
    synchronized int distinct() {
        return keys.size();
    }

    /** Whether every one of these handoff ids has been accepted. */
    synchronized boolean containsAll(Set<String> handoffIds) {
        return keys.containsAll(handoffIds);
    }

    /** Handoffs accepted since this inbox started. */
    synchronized long createdThisRun() {
        return createdThisRun;
    }

    /** Repeated deliveries refused by their idempotency key. */
    synchronized long duplicates() {
        return duplicates;
    }

    /** Requests with a bad signature or no idempotency key. */
    synchronized long rejected() {
        return rejected;
    }

    synchronized Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("distinct", keys.size());
        json.put("createdThisRun", createdThisRun);
        json.put("duplicates", duplicates);
        json.put("rejected", rejected);
        json.put("handoffs", latest.stream().map(InboxHandoff::toJson).toList());
        return json;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
        synchronized (this) {
            if (journalWriter != null) {
                try {
                    journalWriter.close();
                } catch (IOException e) {
                    log.warn("Could not close the inbox journal {}", journal, e);
                }
                journalWriter = null;
            }
        }
    }

    private void handleWebhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!DemoDefaults.INBOX_WEBHOOK_PATH.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, Map.of("error", "not found"));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, Map.of("error", "use POST"));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                respond(exchange, 413, Map.of("error", "body too large"));
                return;
            }
            int fault = nextFault();
            if (fault == 429) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 429, Map.of("error", "rate limit: try again in 1 s"));
                return;
            }
            if (fault == 503) {
                respond(exchange, 503, Map.of("error", "busy: try again"));
                return;
            }
            Verdict verdict = receive(body, exchange.getRequestHeaders().getFirst(signatureHeader),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            respond(exchange, verdict.status, Map.of("status", verdict.name().toLowerCase(Locale.ROOT)));
        }
    }

    private void handleList(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!DemoDefaults.INBOX_LIST_PATH.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, Map.of("error", "not found"));
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, Map.of("error", "use GET"));
            } else {
                respond(exchange, 200, toJson());
            }
        }
    }

    /** 503, 429 or 0 (no fault) for the next webhook request. */
    private synchronized int nextFault() {
        webhookRequests++;
        if (faultEvery == 0 || webhookRequests % faultEvery != 0) {
            return 0;
        }
        faults++;
        return (webhookRequests / faultEvery) % 2 == 1 ? 503 : 429;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(DemoDefaults.INBOX_MAX_BODY_BYTES + 1);
        return body.length > DemoDefaults.INBOX_MAX_BODY_BYTES ? null : body;
    }

    private static void respond(HttpExchange exchange, int status, Object json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Constant-time comparison of {@code sha256=<hex>} with the HMAC of the exact body bytes. */
    private boolean validSignature(byte[] body, String signature) {
        if (signature == null || !signature.startsWith(SIGNATURE_PREFIX)) {
            return false;
        }
        byte[] expected = (SIGNATURE_PREFIX + hmacSha256Hex(secret, body)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    static String hmacSha256Hex(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private void remember(InboxHandoff handoff) {
        latest.addFirst(handoff);
        while (latest.size() > capacity) {
            latest.removeLast();
        }
    }

    private void append(String key, InboxHandoff handoff) {
        if (journalWriter == null) {
            return;
        }
        try {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("idempotencyKey", key);
            line.putAll(handoff.toJson());
            journalWriter.write(JSON.writeValueAsString(line));
            journalWriter.newLine();
            journalWriter.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the inbox journal " + journal, e);
        }
    }

    private void load() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        List<InboxHandoff> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<String, Object> json = JSON.readValue(line, JSON_OBJECT);
                Object key = json.remove("idempotencyKey");
                Object receivedAt = json.remove("receivedAt");
                if (key == null) {
                    continue;
                }
                if (keys.add(key.toString())) {
                    loaded.add(InboxHandoff.of(json, key.toString(),
                            receivedAt == null ? Instant.EPOCH : Instant.parse(receivedAt.toString())));
                }
            } catch (IOException | RuntimeException e) {
                // A line cut short by a crash: the rest of the journal still counts.
                log.warn("Skipping an unreadable line of the inbox journal {}", journal);
            }
        }
        loaded.forEach(this::remember);
    }

    private URI url(String path) {
        return URI.create("http://" + DemoDefaults.LOOPBACK + ":" + server.getAddress().getPort() + path);
    }
}
