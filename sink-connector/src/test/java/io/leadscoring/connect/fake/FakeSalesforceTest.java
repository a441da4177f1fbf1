package io.leadscoring.connect.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's own contract, with raw HTTP: the shapes the real REST API documents. */
class FakeSalesforceTest {

    static FakeSalesforce org;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        org = FakeSalesforce.start();
    }

    @AfterAll
    static void stop() {
        org.close();
    }

    @BeforeEach
    void reset() {
        org.reset();
    }

    static HttpResponse<String> tokenRequest(String clientId, String secret) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(org.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token() throws Exception {
        return JSON.readTree(tokenRequest(org.clientId(), org.clientSecret()).body()).get("access_token").asText();
    }

    static HttpResponse<String> upsert(String token, String version, String leadId, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(org.baseUrl() + "/services/data/" + version
                        + "/sobjects/Lead/Lead_Scoring_Id__c/" + leadId))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "h-" + leadId)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void issuesTokensForTheClientCredentialsAndRefusesOthers() throws Exception {
        HttpResponse<String> ok = tokenRequest(org.clientId(), org.clientSecret());
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode t = JSON.readTree(ok.body());
        assertThat(t.get("instance_url").asText()).isEqualTo(org.baseUrl().toString());
        assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.get("access_token").asText()).startsWith("00D");
        assertThat(t.has("issued_at") && t.has("signature") && t.has("id") && t.has("scope")).isTrue();

        HttpResponse<String> badSecret = tokenRequest(org.clientId(), "nope");
        assertThat(badSecret.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badSecret.body()).get("error").asText()).isEqualTo("invalid_client");
        HttpResponse<String> badId = tokenRequest("someone-else", org.clientSecret());
        assertThat(JSON.readTree(badId.body()).get("error").asText()).isEqualTo("invalid_client_id");
        assertThat(org.tokenRequests()).hasSize(3);
    }

    @Test
    void upsertCreatesThenUpdatesWithTheVersionsStatusCodes() throws Exception {
        String token = token();
        HttpResponse<String> created = upsert(token, "v62.0", "L-1",
                "{\"LastName\":\"Lovelace\",\"Company\":\"AE\",\"Lead_Score__c\":50}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = JSON.readTree(created.body());
        assertThat(c.get("created").asBoolean()).isTrue();
        assertThat(c.get("success").asBoolean()).isTrue();
        assertThat(c.get("id").asText()).startsWith("00Q").hasSize(18);

        HttpResponse<String> updated = upsert(token, "v62.0", "L-1", "{\"Lead_Score__c\":80}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).get("created").asBoolean()).isFalse();
        assertThat(upsert(token, "v45.0", "L-1", "{\"Lead_Score__c\":90}").statusCode()).isEqualTo(204);

        assertThat(org.leads()).hasSize(1);
        SalesforceLead lead = org.lead("L-1");
        assertThat(lead.get("Lead_Score__c")).isEqualTo(90);
        assertThat(lead.get("Lead_Scoring_Id__c")).isEqualTo("L-1");
        assertThat(lead.writes()).isEqualTo(3);
        assertThat(org.writesOf("h-L-1")).extracting(SalesforceWrite::status).containsExactly(201, 200, 204);
    }

    @Test
    void answersSalesforceErrors() throws Exception {
        String token = token();
        HttpResponse<String> missing = upsert(token, "v62.0", "L-2", "{\"LastName\":\"Only\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode m = JSON.readTree(missing.body()).get(0);
        assertThat(m.get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(m.get("fields").toString()).isEqualTo("[\"Company\"]");

        HttpResponse<String> noField = upsert(token, "v62.0", "L-2", "{\"Nope__c\":1}");
        assertThat(JSON.readTree(noField.body()).get(0).get("message").asText())
                .isEqualTo("No such column 'Nope__c' on sobject of type Lead");

        assertThat(upsert("stale", "v62.0", "L-2", "{}").statusCode()).isEqualTo(401);
        org.expireTokens();
        HttpResponse<String> expired = upsert(token, "v62.0", "L-2", "{}");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(expired.body()).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");

        String fresh = token();
        org.failNext(1, 403);
        HttpResponse<String> limited = upsert(fresh, "v62.0", "L-2", "{}");
        assertThat(limited.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(limited.body()).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");

        org.duplicateExternalId("L-3");
        HttpResponse<String> dup = upsert(fresh, "v62.0", "L-3", "{\"LastName\":\"X\",\"Company\":\"Y\"}");
        assertThat(dup.statusCode()).isEqualTo(300);
        assertThat(JSON.readTree(dup.body()).size()).isEqualTo(2);
        assertThat(org.leads()).isEmpty();
        assertThat(org.writes()).isEmpty();
    }
}
