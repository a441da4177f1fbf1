package io.leadscoring.connect.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake answers like HubSpot's batch upsert, checked with raw HTTP (no client code involved). */
class FakeHubSpotTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static FakeHubSpot hubspot;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        hubspot = FakeHubSpot.start("tok");
    }

    @AfterAll
    static void stop() {
        hubspot.close();
    }

    @AfterEach
    void reset() {
        hubspot.reset();
    }

    record Answer(int status, HttpResponse<String> response, JsonNode body) {
    }

    Answer post(String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + FakeHubSpot.UPSERT_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r, JSON.readTree(r.body()));
    }

    static String input(String email, String trace, String handoffId) {
        return "{\"idProperty\":\"email\",\"id\":\"" + email + "\"" + (trace == null ? ""
                : ",\"objectWriteTraceId\":\"" + trace + "\"") + ",\"properties\":{\"email\":\"" + email
                + "\",\"lead_handoff_id\":\"" + handoffId + "\"}}";
    }

    static String inputs(String... inputs) {
        return "{\"inputs\":[" + String.join(",", inputs) + "]}";
    }

    @Test
    void refusesAMissingOrWrongTokenLikeHubSpot() throws Exception {
        String body = inputs(input("a@example.com", null, "h-1"));
        for (String token : new String[] {null, "other"}) {
            Answer a = post(token, body);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body().get("status").asText()).isEqualTo("error");
            assertThat(a.body().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
            assertThat(a.body().get("message").asText()).startsWith("Authentication credentials not found.");
            assertThat(a.body().has("correlationId")).isTrue();
        }
        hubspot.rotateToken("tok2");
        assertThat(post("tok", body).status()).isEqualTo(401);
        assertThat(post("tok2", body).status()).isEqualTo(200);
        assertThat(hubspot.requests()).isEqualTo(4);
    }

    @Test
    void createsThenUpdatesByLowercasedEmailAnsweringInAnyOrder() throws Exception {
        Answer first = post("tok", inputs(input("Ada@Example.com", "t1", "h-1"), input("b@example.com", "t2", "h-2")));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("status").asText()).isEqualTo("COMPLETE");
        JsonNode results = first.body().get("results");
        assertThat(results.findValuesAsText("objectWriteTraceId")).containsExactly("t2", "t1");
        assertThat(results.get(1).get("properties").get("email").asText()).isEqualTo("ada@example.com");
        assertThat(results.get(1).get("new").asBoolean()).isTrue();

        Answer second = post("tok", inputs(input("ada@example.com", "t3", "h-3")));
        assertThat(second.body().get("results").get(0).get("new").asBoolean()).isFalse();
        assertThat(second.body().get("results").get(0).get("id").asText())
                .isEqualTo(results.get(1).get("id").asText());
        assertThat(hubspot.contacts()).hasSize(2);
        assertThat(hubspot.contact("ADA@example.com").orElseThrow().writes()).isEqualTo(2);
        assertThat(hubspot.upsertsOf("h-1")).isEqualTo(1);
        assertThat(hubspot.upsertsOf("h-3")).isEqualTo(1);
    }

    @Test
    void refusesDuplicateIdsAndOversizedBatchesWithoutWriting() throws Exception {
        Answer dup = post("tok", inputs(input("a@example.com", "t1", "h-1"), input("A@example.com", "t2", "h-2")));
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.body().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(dup.body().get("message").asText())
                .isEqualTo("Duplicate IDs found in batch input: [A@example.com]. IDs must be unique");
        assertThat(dup.body().get("context").get("ids").get(0).asText()).isEqualTo("A@example.com");

        StringJoiner many = new StringJoiner(",");
        for (int i = 0; i <= FakeHubSpot.MAX_INPUTS; i++) {
            many.add(input("l" + i + "@example.com", "t" + i, "h-" + i));
        }
        assertThat(post("tok", "{\"inputs\":[" + many + "]}").status()).isEqualTo(400);
        assertThat(post("tok", "{\"inputs\":[{\"idProperty\":\"firstname\",\"id\":\"Ada\"}]}").status())
                .isEqualTo(400);
        assertThat(hubspot.contacts()).isEmpty();
    }

    @Test
    void aRejectedInputGives207WithTraceIdsElse400() throws Exception {
        hubspot.rejectInvalidEmail("bad@example.com");

        Answer multi = post("tok", inputs(input("a@example.com", "t1", "h-1"), input("bad@example.com", "t2", "h-2")));
        assertThat(multi.status()).isEqualTo(207);
        assertThat(multi.body().get("numErrors").asInt()).isEqualTo(1);
        JsonNode error = multi.body().get("errors").get(0);
        assertThat(error.get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.get("context").get("objectWriteTraceId").get(0).asText()).isEqualTo("t2");
        assertThat(multi.body().get("results")).hasSize(1);
        assertThat(hubspot.contacts()).containsOnlyKeys("a@example.com");

        Answer whole = post("tok", inputs(input("c@example.com", null, "h-3"), input("bad@example.com", null, "h-4")));
        assertThat(whole.status()).isEqualTo(400);
        assertThat(whole.body().get("message").asText()).contains("Email address bad@example.com is invalid");
        assertThat(hubspot.contacts()).containsOnlyKeys("a@example.com");
    }

    @Test
    void injectsRateLimitsAndErrorsThenRecovers() throws Exception {
        hubspot.failNext(1, 429, 3);
        hubspot.rateLimitNext(1, FakeHubSpot.DAILY, null);
        hubspot.failNext(1, 503, null);
        String body = inputs(input("a@example.com", "t1", "h-1"));

        Answer limited = post("tok", body);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.response().headers().firstValue("Retry-After")).contains("3");
        assertThat(limited.response().headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds"))
                .contains("10000");
        assertThat(limited.body().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.body().get("errorType").asText()).isEqualTo("RATE_LIMIT");
        Answer daily = post("tok", body);
        assertThat(daily.body().get("policyName").asText()).isEqualTo("DAILY");
        assertThat(daily.body().get("message").asText()).isEqualTo("You have reached your daily limit.");
        assertThat(post("tok", body).status()).isEqualTo(503);
        assertThat(hubspot.contacts()).isEmpty();
        assertThat(post("tok", body).status()).isEqualTo(200);

        hubspot.reset();
        assertThat(hubspot.contacts()).isEmpty();
        assertThat(hubspot.requests()).isZero();
    }
}
