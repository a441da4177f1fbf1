package io.leadscoring.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.streams.LeadQueries;
import io.leadscoring.streams.LeadQueries.LeadView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The API on a Kafka Streams instance: interactive queries on its own active stores ({@link LeadQueries}), and
 * HTTP to the other instances of the application for what they hold.
 *
 * <ul>
 *   <li>A lead lives in one partition, active on one instance ({@code queryMetadataForKey}); another instance
 *       forwards the request there, marked with {@link HttpApi#FORWARDED_BY_HEADER}, and a marked request is never
 *       forwarded again (ownership moved between the two looks: 503, try again).
 *   <li>The top list asks every instance with partitions for its own top n at one instant (the answering
 *       instance's clock) and merges them.
 *   <li>Answers need Kafka Streams RUNNING: while it rebalances, starts or stops, stores move and queries answer 503
 *       with {@code Retry-After}; {@code /health} says which state it is in.
 * </ul>
 */
public final class StreamsApiBackend implements ApiBackend {

    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final LeadQueries queries;
    private final HostInfo self;
    private final BearerAuth auth;
    private final Supplier<String> metrics;
    private final String ruleSet;
    private final Clock clock;
    private final HttpClient client;
    private final IntFunction<Map<String, Object>> handoffs;

    /**
     * @param self this instance's {@code application.server}, as the other instances see it
     * @param auth the token that requests to the other instances carry
     * @param metrics the Prometheus scrape
     */
    public StreamsApiBackend(KafkaStreams streams, LeadQueries queries, HostInfo self, BearerAuth auth,
            Supplier<String> metrics, String ruleSet, Clock clock) {
        this(streams, queries, self, auth, metrics, ruleSet, clock, null);
    }

    /** @param handoffs the newest handoffs, at most the given number ({@link io.leadscoring.app.RecentHandoffs}) */
    public StreamsApiBackend(KafkaStreams streams, LeadQueries queries, HostInfo self, BearerAuth auth,
            Supplier<String> metrics, String ruleSet, Clock clock, IntFunction<Map<String, Object>> handoffs) {
        this.handoffs = handoffs;
        this.streams = streams;
        this.queries = queries;
        this.self = self;
        this.auth = auth;
        this.metrics = metrics;
        this.ruleSet = ruleSet;
        this.clock = clock;
        // HTTP/1.1: the JDK's server speaks nothing else, and a plain-text HTTP/2 upgrade attempt is wasted.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * RUNNING: 200 "UP". REBALANCING: 200 "REBALANCING", since the instance is healthy and a rebalance ends by
     * itself (a liveness probe that failed on it would restart instances mid-rebalance, causing the next one);
     * queries answer 503 meanwhile. Any other state (created, stopping, stopped, failed): 503 "DOWN".
     */
    @Override
    public Reply health() {
        KafkaStreams.State state = streams.state();
        String status = switch (state) {
            case RUNNING -> "UP";
            case REBALANCING -> "REBALANCING";
            default -> "DOWN";
        };
        ObjectNode json = LeadJson.MAPPER.createObjectNode()
                .put("status", status)
                .put("state", state.name())
                .put("instance", self.host() + ":" + self.port())
                .put("ruleSet", ruleSet);
        json.put("streamThreads", streams.metadataForLocalThreads().size());
        return Reply.json(status.equals("DOWN") ? 503 : 200, json);
    }

    @Override
    public Reply metrics() {
        return Reply.text(200, PROMETHEUS_TEXT, metrics.get());
    }

    @Override
    public Reply lead(String leadId, String forwardedBy) {
        return whileRunning(() -> {
            KeyQueryMetadata owner = queries.metadataFor(leadId);
            if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost() == null) {
                return Reply.unavailable("the instance that holds the lead is not known yet");
            }
            if (owner.activeHost().equals(self)) {
                LeadView view = queries.lead(leadId, owner.partition(), clock.millis());
                return view == null ? Reply.error(404, "unknown lead: " + leadId)
                        : Reply.json(200, LeadJson.render(view));
            }
            if (forwardedBy != null) {
                return Reply.unavailable("the lead moved from this instance while " + forwardedBy + " forwarded it");
            }
            return forward(owner.activeHost(), ApiRoute.leadPath(leadId));
        });
    }

    @Override
    public Reply top(int n) {
        return whileRunning(() -> {
            long at = clock.millis();
            List<CompletableFuture<List<JsonNode>>> parts = new ArrayList<>();
            List<String> asked = new ArrayList<>();
            boolean local = false;
            for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
                if (instance.topicPartitions().isEmpty()) {
                    continue; // an instance with no active partition has no lead to offer
                }
                if (instance.hostInfo().equals(self)) {
                    local = true;
                } else {
                    asked.add(instance.hostInfo().toString());
                    parts.add(remoteTop(instance.hostInfo(), n, at));
                }
            }
            // This instance's own list while the others compute theirs.
            List<List<JsonNode>> lists = new ArrayList<>();
            if (local) {
                lists.add(localTopJson(n, at));
            }
            for (int i = 0; i < parts.size(); i++) {
                try {
                    lists.add(parts.get(i).join());
                } catch (CompletionException e) {
                    return Reply.unavailable("instance " + asked.get(i) + " did not answer: "
                            + e.getCause().getMessage());
                }
            }
            ObjectNode json = LeadJson.MAPPER.createObjectNode().put("n", n).put("at", at);
            json.putArray("leads").addAll(TopLeads.merge(lists, n));
            return Reply.json(200, json);
        });
    }

    @Override
    public Reply localTop(int n, long at) {
        return whileRunning(() -> {
            ObjectNode json = LeadJson.MAPPER.createObjectNode();
            json.putArray("leads").addAll(localTopJson(n, at));
            return Reply.json(200, json);
        });
    }

    private List<JsonNode> localTopJson(int n, long at) {
        List<JsonNode> leads = new ArrayList<>();
        queries.top(n, at).forEach(view -> leads.add(LeadJson.render(view)));
        return leads;
    }

    /**
     * The query's answer while Kafka Streams is RUNNING; 503 before, and when stores move or Kafka Streams leaves
     * RUNNING during the query (its metadata calls then throw IllegalStateException).
     */
    private Reply whileRunning(Supplier<Reply> query) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return notRunning();
        }
        try {
            return query.get();
        } catch (InvalidStateStoreException moving) {
            return Reply.unavailable("the lead stores are not queryable now: " + moving.getMessage());
        } catch (IllegalStateException e) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                throw e;
            }
            return notRunning();
        }
    }

    private Reply notRunning() {
        return Reply.unavailable("Kafka Streams is " + streams.state() + ", not RUNNING: stores are not queryable");
    }

    /** The owner's answer, relayed as it is (status, body, Retry-After); 503 when it cannot be reached. */
    private Reply forward(HostInfo owner, String rawPath) {
        try {
            HttpResponse<byte[]> response = client.send(request(owner, rawPath),
                    HttpResponse.BodyHandlers.ofByteArray());
            Reply reply = new Reply(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(Reply.JSON), response.body(), Map.of());
            return response.headers().firstValue("Retry-After").map(v -> reply.withHeader("Retry-After", v))
                    .orElse(reply);
        } catch (IOException e) {
            return Reply.unavailable("the instance that holds the lead, " + owner + ", did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.unavailable("interrupted while asking " + owner);
        }
    }

    private CompletableFuture<List<JsonNode>> remoteTop(HostInfo instance, int n, long at) {
        String path = ApiRoute.LOCAL_TOP + "?n=" + n + "&at=" + at;
        return client.sendAsync(request(instance, path), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new CompletionException(new IOException("HTTP " + response.statusCode() + " "
                                + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    try {
                        List<JsonNode> leads = new ArrayList<>();
                        LeadJson.MAPPER.readTree(response.body()).path("leads").forEach(leads::add);
                        return leads;
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                });
    }

    private HttpRequest request(HostInfo to, String rawPathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + HttpApi.hostForUrl(to.host()) + ":" + to.port() + rawPathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header(HttpApi.FORWARDED_BY_HEADER, self.host() + ":" + self.port())
                .GET();
        if (auth.headerValue() != null) {
            request.header("Authorization", auth.headerValue());
        }
        return request.build();
    }

    @Override
    public Reply handoffs(int limit) {
        if (handoffs == null) {
            return ApiBackend.super.handoffs(limit);
        }
        return Reply.json(200, LeadJson.MAPPER.valueToTree(handoffs.apply(limit)));
    }
}
