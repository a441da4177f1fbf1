package io.leadscoring.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring application's HTTP API: {@code GET /leads/{id}}, {@code /leads/top?n=}, {@code /health},
 * {@code /metrics}, and {@code /internal/leads/top} between instances.
 *
 * <p>On the JDK's own {@code com.sun.net.httpserver}: five read-only GET endpoints need no web framework, and this
 * keeps the runnable jar free of one (and of its dependencies and CVEs). Requests run on a bounded pool; when the
 * pool and its queue are full, the server closes new connections at once rather than queue without limit.
 *
 * <p>Lifecycle: {@link #bind} takes the port (so that a port 0 is known before Kafka Streams is configured with
 * {@code application.server}), {@link #start} serves, {@link #close} stops.
 */
public final class HttpApi implements AutoCloseable {

    /** Marks a request forwarded by another instance, which must answer it itself: no forwarding loops. */
    public static final String FORWARDED_BY_HEADER = "X-Lead-Scoring-Forwarded-By";

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final int THREADS = 8;
    private static final int QUEUE = 64;
    private static final int BACKLOG = 64;

    /**
     * @param host bind address ({@code http.host})
     * @param port 0 for any free port ({@code http.port})
     * @param advertisedHost how the other instances reach this one; empty for the default
     *     ({@code http.advertised.host})
     * @param auth the bearer token, if any ({@code http.auth.token})
     */
    public record Settings(String host, int port, String advertisedHost, BearerAuth auth) {

        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", advertisedHost=" + advertisedHost + ", " + auth
                    + "]";
        }
    }

    private final Settings settings;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final String advertisedHost;

    private HttpApi(Settings settings, HttpServer server, String advertisedHost) {
        this.settings = settings;
        this.server = server;
        this.advertisedHost = advertisedHost;
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemonThreads(), new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
    }

    /** Binds the port, serving nothing yet. */
    public static HttpApi bind(Settings settings) {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        if (address.isUnresolved()) {
            throw new IllegalStateException("HTTP API: cannot resolve http.host '" + settings.host() + "'");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (BindException e) {
            throw new IllegalStateException("HTTP API cannot listen on " + settings.host() + ":" + settings.port()
                    + " (http.host, http.port): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("HTTP API cannot start: " + e.getMessage(), e);
        }
        return new HttpApi(settings, server, advertisedHost(settings.advertisedHost(), settings.host(),
                address.getAddress()));
    }

    /**
     * The configured advertised host; else the bind address as configured; else, when bound to every interface,
     * the machine's host name (the address others can reach it at is not known, the name usually resolves).
     */
    static String advertisedHost(String configured, String bindHost, InetAddress bound) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        if (!bound.isAnyLocalAddress()) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            log.warn("Cannot find this machine's host name ({}); advertising 'localhost': set http.advertised.host",
                    e.getMessage());
            return "localhost";
        }
    }

    /** The bound port (the chosen one when {@code http.port} is 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} that the other instances reach this one at: the default {@code application.server}. */
    public String advertisedEndpoint() {
        return hostForUrl(advertisedHost) + ":" + port();
    }

    /** Serves the API from the backend; logs where. */
    public void start(ApiBackend backend) {
        server.createContext("/", exchange -> handle(exchange, backend));
        server.start();
        String listening = "http://" + hostForUrl(settings.host()) + ":" + port();
        String advertised = "http://" + advertisedEndpoint();
        log.info("HTTP API listening on {}{}{}", listening,
                advertised.equals(listening) ? "" : " (advertised as " + advertised + ")",
                settings.auth().required() ? ", bearer token required" : "");
    }

    private void handle(HttpExchange exchange, ApiBackend backend) {
        try (exchange) {
            Reply reply;
            try {
                reply = dispatch(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst(FORWARDED_BY_HEADER), backend);
            } catch (RuntimeException e) {
                log.warn("HTTP API: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        e);
                reply = Reply.error(500, "internal error: " + e.getClass().getSimpleName());
            }
            send(exchange, reply);
        } catch (IOException clientGone) {
            log.debug("HTTP API: could not answer {}: {}", exchange.getRequestURI(), clientGone.toString());
        }
    }

    /** Routing, authentication and parameter checks; the answers themselves are the backend's. */
    Reply dispatch(String method, String rawPath, String rawQuery, String authorization, String forwardedBy,
            ApiBackend backend) {
        ApiRoute route = ApiRoute.of(method, rawPath);
        // /health stays open (load balancers and probes carry no token); everything else needs the token first,
        // so that a client without it learns nothing, not even which paths exist.
        // The page is static (its data calls carry the token from ?token=), so it is open like /health.
        boolean health = route.kind() == ApiRoute.Kind.HEALTH || route.kind() == ApiRoute.Kind.PAGE
                || (route.kind() == ApiRoute.Kind.METHOD_NOT_ALLOWED && ApiRoute.HEALTH.equals(rawPath));
        if (!health && !settings.auth().allows(authorization)) {
            return Reply.error(401, "a bearer token is required").withHeader("WWW-Authenticate",
                    "Bearer realm=\"lead-scoring\"");
        }
        try {
            return switch (route.kind()) {
                case HEALTH -> backend.health();
                case METRICS -> backend.metrics();
                case LEAD -> backend.lead(route.leadId(), forwardedBy);
                case TOP -> backend.top(TopLeads.n(rawQuery));
                case LOCAL_TOP -> backend.localTop(TopLeads.n(rawQuery), TopLeads.at(rawQuery));
                case HANDOFFS -> backend.handoffs(TopLeads.limit(rawQuery));
                case PAGE -> WebPage.reply();
                case METHOD_NOT_ALLOWED -> Reply.error(405, "only GET").withHeader("Allow", "GET");
                case BAD_PATH -> Reply.error(400, "malformed percent-encoding in the path");
                case NOT_FOUND -> Reply.error(404, "no such endpoint: " + rawPath);
            };
        } catch (IllegalArgumentException badParameter) {
            return Reply.error(400, badParameter.getMessage());
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
        if (!head && reply.body().length > 0) {
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(reply.body());
            }
        }
    }

    /** Stops serving at once (in-flight requests are cut: clients of a stopping instance retry elsewhere). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "http-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
