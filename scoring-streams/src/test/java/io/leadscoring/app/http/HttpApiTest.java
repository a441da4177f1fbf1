package io.leadscoring.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's routing, authentication and parameter checks over real HTTP, with a recording backend. */
class HttpApiTest {

    private static final String TOKEN = "t0ken-for-tests";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private final ApiBackend backend = new ApiBackend() {
        @Override
        public Reply health() {
            calls.add("health");
            return Reply.json(200, LeadJson.MAPPER.createObjectNode().put("status", "UP"));
        }

        @Override
        public Reply metrics() {
            calls.add("metrics");
            return Reply.text(200, StreamsApiBackend.PROMETHEUS_TEXT, "up 1\n");
        }

        @Override
        public Reply lead(String leadId, String forwardedBy) {
            calls.add("lead " + leadId + " " + forwardedBy);
            return leadId.equals("nobody") ? Reply.error(404, "unknown lead: nobody")
                    : Reply.json(200, LeadJson.MAPPER.createObjectNode().put("leadId", leadId));
        }

        @Override
        public Reply top(int n) {
            calls.add("top " + n);
            return Reply.unavailable("rebalancing");
        }

        @Override
        public Reply localTop(int n, long at) {
            calls.add("localTop " + n + " " + at);
            return Reply.json(200, LeadJson.MAPPER.createObjectNode().putArray("leads"));
        }
    };

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        return send("GET", pathAndQuery, headers);
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void start(String token) {
        api = HttpApi.bind(new HttpApi.Settings("127.0.0.1", 0, "", BearerAuth.of(token)));
        api.start(backend);
    }

    @Test
    void routesEachEndpointToTheBackend() throws Exception {
        start(null);
        assertThat(api.port()).isPositive();
        assertThat(api.advertisedEndpoint()).isEqualTo("127.0.0.1:" + api.port());

        HttpResponse<String> lead = get("/leads/a%2Fb", HttpApi.FORWARDED_BY_HEADER, "other:1");
        assertThat(lead.statusCode()).isEqualTo(200);
        assertThat(lead.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(lead).get("leadId").asText()).isEqualTo("a/b");
        assertThat(get("/leads/nobody").statusCode()).isEqualTo(404);
        assertThat(get("/leads/top?n=3").statusCode()).isEqualTo(503);
        assertThat(get("/leads/top?n=3").headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get("/internal/leads/top?n=5&at=1234").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(StreamsApiBackend.PROMETHEUS_TEXT);
        assertThat(metrics.body()).isEqualTo("up 1\n");
        assertThat(get("/health").statusCode()).isEqualTo(200);

        assertThat(calls).containsExactly("lead a/b other:1", "lead nobody null", "top 3", "top 3",
                "localTop 5 1234", "metrics", "health");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        start(null);
        for (String path : new String[] {"/leads", "/leads/", "/leads/a/b", "/nope", "/health/x"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).get("error").asText()).contains("no such endpoint");
        }
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> response = send(method, "/leads/lead-ana");
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        }
        assertThat(send("HEAD", "/health").statusCode()).isEqualTo(405);
        assertThat(calls).isEmpty();
    }

    @Test
    void aBadNIs400BeforeTheBackendIsAsked() throws Exception {
        start(null);
        for (String n : new String[] {"0", "1001", "x", "-3"}) {
            HttpResponse<String> response = get("/leads/top?n=" + n);
            assertThat(response.statusCode()).as(n).isEqualTo(400);
            assertThat(json(response).get("error").asText()).contains("from 1 to 1000");
        }
        assertThat(get("/internal/leads/top?n=3").statusCode()).as("no at").isEqualTo(400);
        assertThat(get("/leads/top").statusCode()).as("n defaults to 10").isEqualTo(503);
        assertThat(calls).containsExactly("top 10");
    }

    @Test
    void withATokenEverythingButHealthNeedsIt() throws Exception {
        start(TOKEN);
        for (String path : new String[] {"/leads/lead-ana", "/leads/top", "/internal/leads/top?n=1&at=1", "/metrics",
                "/nope"}) {
            HttpResponse<String> none = get(path);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(get(path, "Authorization", "Bearer wrong").statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Authorization", "Basic " + TOKEN).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(calls).isEmpty();

        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/leads/lead-ana", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/nope", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(calls).containsExactly("health", "lead lead-ana null", "metrics");
    }

    @Test
    void aBackendFailureIs500AndTheServerGoesOn() throws Exception {
        api = HttpApi.bind(new HttpApi.Settings("127.0.0.1", 0, "", BearerAuth.of(null)));
        api.start(new ApiBackend() {
            @Override
            public Reply health() {
                throw new IllegalStateException("boom");
            }

            @Override
            public Reply metrics() {
                return backend.metrics();
            }

            @Override
            public Reply lead(String leadId, String forwardedBy) {
                return backend.lead(leadId, forwardedBy);
            }

            @Override
            public Reply top(int n) {
                return backend.top(n);
            }

            @Override
            public Reply localTop(int n, long at) {
                return backend.localTop(n, at);
            }
        });
        assertThat(get("/health").statusCode()).isEqualTo(500);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aTakenPortStopsStartUpNamingIt() {
        start(null);
        assertThatThrownBy(() -> HttpApi.bind(new HttpApi.Settings("127.0.0.1", api.port(), "", BearerAuth.of(null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + api.port())
                .hasMessageContaining("http.port");
    }

    @Test
    void theAdvertisedHostIsTheConfiguredOneOrTheBindAddressOrTheHostNameForAWildcard() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetAddress any = InetAddress.getByName("0.0.0.0");
        assertThat(HttpApi.advertisedHost("scoring-1.internal", "0.0.0.0", any)).isEqualTo("scoring-1.internal");
        assertThat(HttpApi.advertisedHost("", "127.0.0.1", loopback)).isEqualTo("127.0.0.1");
        assertThat(HttpApi.advertisedHost("", "localhost", loopback)).isEqualTo("localhost");
        assertThat(HttpApi.advertisedHost("", "0.0.0.0", any)).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertThat(HttpApi.hostForUrl("::1")).isEqualTo("[::1]");
        assertThat(HttpApi.hostForUrl("example.com")).isEqualTo("example.com");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return LeadJson.MAPPER.readTree(response.body());
    }
}
