package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.connect.fake.FakeSalesforce;
import io.leadscoring.connect.fake.SalesforceLead;
import io.leadscoring.connect.fake.SalesforceRequest;
import io.leadscoring.connect.fake.SalesforceWrite;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SalesforceCrmClient against {@link FakeSalesforce}: OAuth, upsert shape, classification, ordering, bounds. */
class SalesforceCrmClientTest {

    static final Map<String, String> MAPPING =
            FieldMapping.parse(List.of(CrmSinkConfig.SALESFORCE_FIELD_MAPPING_DEFAULT.split(",")));
    static final ObjectMapper JSON = new ObjectMapper();

    static FakeSalesforce org;
    final List<SalesforceCrmClient> clients = new ArrayList<>();

    @BeforeAll
    static void startOrg() {
        org = FakeSalesforce.start();
    }

    @AfterAll
    static void stopOrg() {
        org.close();
    }

    @BeforeEach
    void resetOrg() {
        org.reset();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SalesforceCrmClient::close);
    }

    SalesforceCrmClient client() {
        return client(new Password(org.clientSecret()), "v62.0", null, Duration.ofSeconds(5), 8);
    }

    SalesforceCrmClient client(Password secret, String version, String status, Duration timeout, int maxInFlight) {
        return client(org.clientId(), secret, version, status, timeout, maxInFlight);
    }

    SalesforceCrmClient client(String clientId, Password secret, String version, String status, Duration timeout,
            int maxInFlight) {
        SalesforceCrmClient c = new SalesforceCrmClient(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), org.baseUrl(), clientId,
                secret, version, FakeSalesforce.DEFAULT_EXTERNAL_ID_FIELD, MAPPING, status, timeout, maxInFlight,
                Clock.systemUTC());
        clients.add(c);
        return c;
    }

    static Handoff handoff(String id, String leadId, double score) {
        return handoff(id, leadId, score, "Lovelace", "Analytical Engines");
    }

    static Handoff handoff(String id, String leadId, double score, String lastName, String company) {
        return new Handoff(id, leadId, "SQL", "MQL", Instant.ofEpochMilli(1_772_360_130_123L), score, 72.5, 40.0,
                "A", "HOT", "ACTIVE", "default@3",
                List.of(new Handoff.Reason("pricing-page", 30.25), new Handoff.Reason("unsubscribed", -10.0)),
                "ada@example.com", "Ada", lastName, company);
    }

    static List<Handoff> batch(String prefix, int n) {
        List<Handoff> batch = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            batch.add(handoff(prefix + "-h" + i, prefix + "-lead-" + i, 50 + i));
        }
        return batch;
    }

    static List<String> reasons(DeliveryResult r) {
        return r.outcomes().stream().map(DeliveryResult.RecordOutcome::outcome).map(o ->
                o instanceof Outcome.Transient t ? t.reason()
                        : o instanceof Outcome.Permanent p ? p.reason() : "delivered").toList();
    }

    // ---- token ------------------------------------------------------------------------------------------------

    @Test
    void fetchesTheTokenOnceAndReusesItAcrossBatches() {
        SalesforceCrmClient client = client();

        assertThat(client.deliver(batch("a", 5)).allDelivered()).isTrue();
        assertThat(client.deliver(batch("b", 5)).allDelivered()).isTrue();

        assertThat(org.tokenRequests()).hasSize(1);
        SalesforceRequest token = org.tokenRequests().get(0);
        assertThat(token.method()).isEqualTo("POST");
        assertThat(token.path()).isEqualTo("/services/oauth2/token");
        assertThat(token.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(token.body()).startsWith("grant_type=client_credentials&client_id=")
                .contains("client_secret=");
        assertThat(org.leads()).hasSize(10);
    }

    @Test
    void expiredSessionRefreshesTheTokenOnceAndRetriesInTheSameDelivery() {
        SalesforceCrmClient client = client(new Password(org.clientSecret()), "v62.0", null, Duration.ofSeconds(5), 4);
        assertThat(client.deliver(batch("a", 1)).allDelivered()).isTrue();
        org.expireTokens();

        DeliveryResult result = client.deliver(batch("b", 4));

        assertThat(result.allDelivered()).as(reasons(result).toString()).isTrue();
        assertThat(org.tokenRequests()).as("one refresh shared by the concurrent 401s").hasSize(2);
        long unauthorized = org.apiRequests().stream().filter(r -> r.status() == 401).count();
        assertThat(unauthorized).isBetween(1L, 4L);
        for (Handoff h : batch("b", 4)) {
            assertThat(org.writesOf(h.handoffId())).hasSize(1);
        }
    }

    @Test
    void sessionStillRefusedAfterTheRefreshIsTransient() {
        SalesforceCrmClient client = client();
        org.failNext(2, 401);

        DeliveryResult result = client.deliver(List.of(handoff("h-1", "lead-1", 80)));

        Outcome o = result.outcomes().get(0).outcome();
        assertThat(o).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) o).reason()).contains("INVALID_SESSION_ID").contains("new access token");
        assertThat(org.tokenRequests()).hasSize(2);
        assertThat(org.apiRequests()).hasSize(2);
    }

    @Test
    void wrongSecretIsTransientOncePerDeliveryAndNeverShowsTheSecret() {
        String secret = "WRONG-s3cr3t+value/xyz";
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        DeliveryResult first;
        DeliveryResult second;
        SalesforceCrmClient client;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            client = client(new Password(secret), "v62.0", null, Duration.ofSeconds(5), 4);
            first = client.deliver(batch("a", 6));
            second = client.deliver(batch("a", 6));
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        for (DeliveryResult r : List.of(first, second)) {
            assertThat(r.withKind(Outcome.Kind.TRANSIENT)).hasSize(6);
            assertThat(reasons(r)).allSatisfy(reason -> assertThat(reason)
                    .contains("invalid_client").contains("salesforce.client.secret")
                    .doesNotContain(secret).doesNotContain("s3cr3t"));
        }
        assertThat(org.tokenRequests()).as("one token request per delivery, not per handoff").hasSize(2);
        assertThat(org.apiRequests()).isEmpty();
        assertThat(log).contains("invalid_client").doesNotContain("s3cr3t");
        assertThat(client.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void wrongClientIdNamesTheSetting() {
        SalesforceCrmClient client = client("3MVG9-other-app", new Password(org.clientSecret()), "v62.0", null,
                Duration.ofSeconds(5), 8);

        List<String> reasons = reasons(client.deliver(batch("a", 2)));

        assertThat(reasons).allSatisfy(r -> assertThat(r).contains("invalid_client_id")
                .contains("salesforce.client.id").doesNotContain(org.clientSecret()));
    }

    @Test
    void tokenEndpointOutageIsTransientAndRecovers() {
        SalesforceCrmClient client = client();
        org.failNextTokenRequests(1, 503);

        DeliveryResult failed = client.deliver(batch("a", 3));
        assertThat(failed.withKind(Outcome.Kind.TRANSIENT)).hasSize(3);
        assertThat(reasons(failed).get(0)).contains("token").contains("503");

        assertThat(client.deliver(batch("a", 3)).allDelivered()).isTrue();
        assertThat(org.tokenRequests()).hasSize(2);
    }

    // ---- request shape ----------------------------------------------------------------------------------------

    @Test
    void upsertsByExternalIdWithTheMappedFields() throws Exception {
        SalesforceCrmClient client = client(new Password(org.clientSecret()), "v62.0", "Sales Qualified",
                Duration.ofSeconds(5), 8);
        String leadId = "lead 42+ü#1@x";
        Handoff h = handoff("h-42", leadId, 112.5);

        assertThat(client.deliver(List.of(h)).allDelivered()).isTrue();

        assertThat(org.apiRequests()).hasSize(1);
        SalesforceRequest r = org.apiRequests().get(0);
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.path()).isEqualTo("/services/data/v62.0/sobjects/Lead/Lead_Scoring_Id__c/"
                + "lead%2042%2B%C3%BC%231%40x");
        assertThat(r.header("Authorization")).startsWith("Bearer 00D");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Idempotency-Key")).isEqualTo("h-42");
        assertThat(r.header("Sforce-Auto-Assign")).isEqualTo("FALSE");

        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("Lead_Score__c").asDouble()).isEqualTo(112.5);
        assertThat(body.get("Lead_Fit_Grade__c").asText()).isEqualTo("A");
        assertThat(body.get("Lead_Score_Reasons__c").asText()).isEqualTo(HandoffFields.reasonsText(h.reasons()))
                .startsWith("pricing-page +30.");
        assertThat(body.get("Lead_Handoff_Id__c").asText()).isEqualTo("h-42");
        assertThat(body.get("Email").asText()).isEqualTo("ada@example.com");
        assertThat(body.get("FirstName").asText()).isEqualTo("Ada");
        assertThat(body.get("LastName").asText()).isEqualTo("Lovelace");
        assertThat(body.get("Company").asText()).isEqualTo("Analytical Engines");
        assertThat(body.get("Status").asText()).isEqualTo("Sales Qualified");
        assertThat(body.has("Lead_Scoring_Id__c")).as("the external id is the URL, not the body").isFalse();
        assertThat(body.size()).isEqualTo(9);

        SalesforceLead lead = org.lead(leadId);
        assertThat(lead).isNotNull();
        assertThat(lead.get("Lead_Scoring_Id__c")).isEqualTo(leadId);
        assertThat(lead.get("Status")).isEqualTo("Sales Qualified");
    }

    @Test
    void leavesStatusAloneWhenNotConfiguredAndSkipsAbsentValues() throws Exception {
        Handoff partial = new Handoff("h-p", "lead-p", "SQL", null, null, 90.0, null, null, null, null, null, null,
                List.of(), null, null, "Doe", "Acme");

        assertThat(client().deliver(List.of(partial)).allDelivered()).isTrue();

        JsonNode body = JSON.readTree(org.apiRequests().get(0).body());
        assertThat(body.has("Status")).isFalse();
        assertThat(body.has("Email")).as("absent values must not clear Lead fields").isFalse();
        assertThat(body.has("Lead_Score_Reasons__c")).isFalse();
        assertThat(body.get("Lead_Score__c").asDouble()).isEqualTo(90.0);
    }

    @Test
    void redeliveryUpdatesTheSameLead() {
        SalesforceCrmClient client = client();

        assertThat(client.deliver(List.of(handoff("h-1", "lead-1", 50))).allDelivered()).isTrue();
        assertThat(client.deliver(List.of(handoff("h-1", "lead-1", 50))).allDelivered()).isTrue();
        assertThat(client.deliver(List.of(handoff("h-2", "lead-1", 80))).allDelivered()).isTrue();

        assertThat(org.leads()).hasSize(1);
        assertThat(org.lead("lead-1").get("Lead_Score__c")).isEqualTo(80.0);
        assertThat(org.writesOf("h-1")).extracting(SalesforceWrite::status).containsExactly(201, 200);
        assertThat(org.writesOf("h-1")).extracting(SalesforceWrite::created).containsExactly(true, false);
        assertThat(org.writesOf("h-2")).extracting(SalesforceWrite::status).containsExactly(200);
    }

    @Test
    void olderApiVersionsAnswerUpdatesWith204() {
        SalesforceCrmClient client = client(new Password(org.clientSecret()), "v45.0", null, Duration.ofSeconds(5), 8);

        assertThat(client.deliver(List.of(handoff("h-1", "lead-1", 50))).allDelivered()).isTrue();
        assertThat(client.deliver(List.of(handoff("h-2", "lead-1", 60))).allDelivered()).isTrue();

        assertThat(org.writes()).extracting(SalesforceWrite::status).containsExactly(201, 204);
        assertThat(org.apiRequests().get(0).path()).startsWith("/services/data/v45.0/");
    }

    // ---- classification ---------------------------------------------------------------------------------------

    @Test
    void missingRequiredFieldsArePermanent() {
        DeliveryResult result = client().deliver(List.of(handoff("h-1", "lead-1", 50, null, null),
                handoff("h-2", "lead-2", 50)));

        Outcome o = result.outcomes().get(0).outcome();
        assertThat(o).isInstanceOf(Outcome.Permanent.class);
        assertThat(((Outcome.Permanent) o).reason()).contains("HTTP 400").contains("REQUIRED_FIELD_MISSING")
                .contains("LastName").contains("Company");
        assertThat(result.outcomes().get(1).outcome().kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(org.leads()).containsOnlyKeys("lead-2");
    }

    @Test
    void recordErrorsArePermanentButConfigurationErrorsAreTransient() {
        org.rejectLead("lead-1", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Company must not be a free-mail domain");
        org.duplicateExternalId("lead-2");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "lead-1", 50), handoff("h-2", "lead-2", 50)));

        assertThat(reasons(result).get(0)).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION")
                .contains("free-mail");
        assertThat(result.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(result.outcomes().get(1).outcome().kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(reasons(result).get(1)).contains("HTTP 300").contains("several Leads");

        // a mapped field missing in the org would reject every record: the task must fail, not dead-letter all
        org.removeLeadField("Lead_Score__c");
        DeliveryResult misconfigured = client().deliver(List.of(handoff("h-3", "lead-3", 50)));
        assertThat(misconfigured.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reasons(misconfigured).get(0)).contains("INVALID_FIELD")
                .contains("No such column 'Lead_Score__c' on sobject of type Lead")
                .contains("salesforce.field.mapping");
    }

    @Test
    void aLockedRowIsTransientAndTheRetrySucceeds() {
        SalesforceCrmClient client = client();
        org.failNext(1, 400, "UNABLE_TO_LOCK_ROW",
                "unable to obtain exclusive access to this record or 1 records: 00Q5g00000AbCdE");

        DeliveryResult locked = client.deliver(List.of(handoff("h-1", "lead-1", 50)));
        assertThat(locked.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reasons(locked).get(0)).contains("UNABLE_TO_LOCK_ROW").contains("locked");

        assertThat(client.deliver(List.of(handoff("h-1", "lead-1", 50))).allDelivered()).isTrue();
    }

    @Test
    void aConfigurationErrorAnywhereInTheListIsTransientAsIsAStatusOutsideTheRestrictedPicklist() {
        SalesforceCrmClient client = client(new Password(org.clientSecret()), "v62.0", "Sales Qualified",
                Duration.ofSeconds(5), 8);
        Handoff h = handoff("h-1", "lead-1", 50);

        Outcome secondIsConfig = client.classify(answer(400, "[{\"message\":\"Required fields are missing: "
                + "[Company]\",\"errorCode\":\"REQUIRED_FIELD_MISSING\",\"fields\":[\"Company\"]},"
                + "{\"message\":\"No such column 'Lead_Score__c' on sobject of type Lead\","
                + "\"errorCode\":\"INVALID_FIELD\"}]"), h, false);
        assertThat(secondIsConfig.kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(((Outcome.Transient) secondIsConfig).reason()).contains("salesforce.field.mapping");

        Outcome status = client.classify(answer(400, "[{\"message\":\"Lead Status: bad value for restricted "
                + "picklist field: Sales Qualified\",\"errorCode\":\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\","
                + "\"fields\":[\"Status\"]}]"), h, false);
        assertThat(status.kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(((Outcome.Transient) status).reason()).contains("salesforce.lead.status");

        // the same error about a field the record fills is the record's: permanent
        Outcome grade = client.classify(answer(400, "[{\"message\":\"Lead Fit Grade: bad value for restricted "
                + "picklist field: E\",\"errorCode\":\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\","
                + "\"fields\":[\"Lead_Fit_Grade__c\"]}]"), h, false);
        assertThat(grade.kind()).isEqualTo(Outcome.Kind.PERMANENT);
    }

    @Test
    void aDotSegmentLeadIdFailsPermanentlyWithoutARequest() {
        DeliveryResult result = client().deliver(List.of(handoff("h-1", "..", 50), handoff("h-2", ".", 50),
                handoff("h-3", "lead.3", 50)));

        assertThat(result.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(result.outcomes().get(1).outcome().kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(reasons(result).get(0)).contains("lead id '..'");
        assertThat(result.outcomes().get(2).outcome().kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(org.apiRequests()).extracting(SalesforceRequest::path)
                .containsExactly("/services/data/v62.0/sobjects/Lead/Lead_Scoring_Id__c/lead.3");
    }

    @Test
    void theTokenARequestCarriedIsHiddenEvenAfterAnotherRequestReplacedIt() throws Exception {
        // lead-b is refused with the first token, so the client fetches a second one; lead-a's answer, echoing the
        // first token (as a proxy's error page may), arrives only afterwards: that token is no longer current.
        AtomicInteger tokens = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        String instance = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/services/oauth2/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 200, "{\"access_token\":\"00Dtoken-" + tokens.incrementAndGet()
                    + "-abcdefghijklmnop\",\"instance_url\":\"" + instance + "\"}");
        });
        server.createContext("/services/data/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (exchange.getRequestURI().getPath().endsWith("/lead-a")) {
                sleep(600);
                respond(exchange, 403, "<html>Forbidden: Authorization: " + auth + "</html>");
            } else if (auth.contains("00Dtoken-1-")) {
                respond(exchange, 401, "[{\"message\":\"Session expired or invalid\","
                        + "\"errorCode\":\"INVALID_SESSION_ID\"}]");
            } else {
                respond(exchange, 201, "{\"id\":\"00Q000000000001\",\"success\":true,\"errors\":[],"
                        + "\"created\":true}");
            }
        });
        server.start();
        try (SalesforceCrmClient client = new SalesforceCrmClient(HttpClient.newHttpClient(), URI.create(instance),
                "client-id", new Password("s3cret"), "v62.0", FakeSalesforce.DEFAULT_EXTERNAL_ID_FIELD, MAPPING, null,
                Duration.ofSeconds(5), 2, Clock.systemUTC())) {
            DeliveryResult result = client.deliver(List.of(handoff("h-a", "lead-a", 50), handoff("h-b", "lead-b", 50)));

            assertThat(tokens.get()).isEqualTo(2);
            assertThat(result.outcomes().get(1).outcome().kind()).isEqualTo(Outcome.Kind.DELIVERED);
            assertThat(result.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
            assertThat(reasons(result).get(0)).contains("HTTP 403").contains("Bearer [hidden]")
                    .doesNotContain("00Dtoken-");
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A Salesforce answer for {@link SalesforceCrmClient#classify}. */
    static HttpResponse<String> answer(int status, String body) {
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return HttpRequest.newBuilder(URI.create("https://acme.my.salesforce.com/")).build();
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of("Content-Type", List.of("application/json")), (k, v) -> true);
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return URI.create("https://acme.my.salesforce.com/");
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }

    @Test
    void burstOf503IsTransientAndTheRetrySucceeds() {
        SalesforceCrmClient client = client();
        org.failNext(3, 503);

        DeliveryResult failed = client.deliver(batch("a", 3));
        assertThat(failed.withKind(Outcome.Kind.TRANSIENT)).hasSize(3);
        assertThat(reasons(failed)).allSatisfy(r -> assertThat(r).contains("HTTP 503").contains("SERVER_UNAVAILABLE"));

        assertThat(client.deliver(batch("a", 3)).allDelivered()).isTrue();
        assertThat(org.leads()).hasSize(3);
    }

    @Test
    void apiLimitIsTransientWithoutRetryAfter() {
        org.failNext(1, 403);

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "lead-1", 50)));

        Outcome o = result.outcomes().get(0).outcome();
        assertThat(o).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) o).reason()).contains("REQUEST_LIMIT_EXCEEDED");
        assertThat(((Outcome.Transient) o).retryAfter()).isEqualTo(Optional.empty());
    }

    @Test
    void slowAnswerTimesOutAsTransient() throws Exception {
        org.delayNext(1, Duration.ofMillis(1_500));
        SalesforceCrmClient client = client(new Password(org.clientSecret()), "v62.0", null,
                Duration.ofMillis(200), 8);

        DeliveryResult result = client.deliver(List.of(handoff("h-1", "lead-1", 50)));

        assertThat(result.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reasons(result).get(0)).contains("timeout");
        // the fake still applies the late request (as Salesforce may): a redelivery is then a harmless update
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (org.writesOf("h-1").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(client.deliver(List.of(handoff("h-1", "lead-1", 50))).allDelivered()).isTrue();
        assertThat(org.leads()).hasSize(1);
    }

    // ---- ordering and concurrency -----------------------------------------------------------------------------

    @Test
    void handoffsOfOneLeadArriveInBatchOrder() {
        org.delayNext(1, Duration.ofMillis(300)); // the first is slow: the second must wait for it, not overtake
        DeliveryResult result = client().deliver(List.of(
                handoff("h-1", "lead-1", 10, "First", "Acme"),
                handoff("h-x", "lead-x", 99),
                handoff("h-2", "lead-1", 20, "Second", "Acme")));

        assertThat(result.allDelivered()).isTrue();
        List<String> lead1Writes = org.writes().stream().filter(w -> w.externalId().equals("lead-1"))
                .map(SalesforceWrite::idempotencyKey).toList();
        assertThat(lead1Writes).containsExactly("h-1", "h-2");
        assertThat(org.lead("lead-1").get("Lead_Score__c")).isEqualTo(20.0);
        assertThat(org.lead("lead-1").get("LastName")).isEqualTo("Second");
    }

    @Test
    void aTransientFailureHoldsBackTheLeadsLaterHandoffs() {
        org.failNext(1, 503);

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "lead-1", 10), handoff("h-2", "lead-1", 20)));

        assertThat(result.withKind(Outcome.Kind.TRANSIENT)).hasSize(2);
        assertThat(reasons(result).get(1)).contains("not sent");
        assertThat(org.apiRequests()).hasSize(1);
    }

    @Test
    void honoursMaxInFlight() {
        org.latency(Duration.ofMillis(150));
        SalesforceCrmClient client = client(new Password(org.clientSecret()), "v62.0", null, Duration.ofSeconds(5), 3);

        DeliveryResult result = client.deliver(batch("a", 12));

        assertThat(result.allDelivered()).isTrue();
        assertThat(org.maxConcurrentApiRequests()).isLessThanOrEqualTo(3).isGreaterThan(1);
    }

    @Test
    void buildsFromConfig() {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "SALESFORCE");
        props.put("salesforce.login.url", org.loginUrl() + "/");
        props.put("salesforce.client.id", org.clientId());
        props.put("salesforce.client.secret", org.clientSecret());
        props.put("salesforce.lead.status", "Working");
        try (SalesforceCrmClient client = SalesforceCrmClient.fromConfig(new CrmSinkConfig(props), CrmMetrics.NONE)) {
            assertThat(client.deliver(List.of(handoff("h-1", "lead-1", 50))).allDelivered()).isTrue();
            assertThat(client.toString()).doesNotContain(org.clientSecret());
        }
        assertThat(org.lead("lead-1").get("Status")).isEqualTo("Working");
        assertThat(org.apiRequests().get(0).path()).startsWith("/services/data/v62.0/sobjects/Lead/Lead_Scoring_Id__c/");
        assertThat(URI.create(org.loginUrl()).getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void recordsTheTokenRequestAndEachUpsert() {
        org.failNext(1, 503);
        RecordingCrmMetrics metrics = new RecordingCrmMetrics();
        SalesforceCrmClient c = new SalesforceCrmClient(HttpClient.newHttpClient(), org.baseUrl(), org.clientId(),
                new Password(org.clientSecret()), "v62.0", FakeSalesforce.DEFAULT_EXTERNAL_ID_FIELD, MAPPING, null,
                Duration.ofSeconds(5), 1, Clock.systemUTC(), metrics);
        clients.add(c);

        c.deliver(List.of(handoff("h1", "lead-1", 120)));
        c.deliver(List.of(handoff("h1", "lead-1", 120)));

        List<String> requests = metrics.outcomesAndStatuses();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0)).as("the token request").isEqualTo("success 200");
        assertThat(requests.get(1)).isEqualTo("retriable 503");
        assertThat(requests.get(2)).startsWith("success 20");
    }
}
