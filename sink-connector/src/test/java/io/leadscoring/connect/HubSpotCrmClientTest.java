package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.connect.fake.FakeHubSpot;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HubSpotCrmClient against {@link FakeHubSpot} (WireMock on 127.0.0.1). */
class HubSpotCrmClientTest {

    static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";
    static final Map<String, String> DEFAULT_MAPPING =
            FieldMapping.parse(Arrays.asList(CrmSinkConfig.HUBSPOT_PROPERTY_MAPPING_DEFAULT.split(",")));
    static final ObjectMapper JSON = new ObjectMapper();

    static FakeHubSpot hubspot;
    final List<HubSpotCrmClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        hubspot = FakeHubSpot.start(TOKEN);
    }

    @AfterAll
    static void stop() {
        hubspot.close();
    }

    @AfterEach
    void reset() {
        clients.forEach(HubSpotCrmClient::close);
        hubspot.reset();
    }

    HubSpotCrmClient client() {
        return client(TOKEN, "salesqualifiedlead", Duration.ofSeconds(5));
    }

    HubSpotCrmClient client(String token, String lifecycleStage, Duration requestTimeout) {
        HubSpotCrmClient c = new HubSpotCrmClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                hubspot.baseUrl(), new Password(token), lifecycleStage, DEFAULT_MAPPING, requestTimeout,
                Clock.systemUTC());
        clients.add(c);
        return c;
    }

    static Handoff handoff(String id, String email) {
        return handoff(id, email, 112.5678);
    }

    static Handoff handoff(String id, String email, double score) {
        return new Handoff(id, "lead-" + id, "SQL", "MQL", Instant.parse("2026-03-01T10:15:30Z"), score, 72.5, 40.0,
                "A", "HOT", "ACTIVE", "default@3",
                List.of(new Handoff.Reason("pricing-page", 30.25), new Handoff.Reason("unsubscribed", -10.0)),
                email, "Ada", "Lovelace", "Analytical Engines");
    }

    static JsonNode body(FakeHubSpot.RecordedRequest r) throws Exception {
        return JSON.readTree(r.body());
    }

    static Outcome outcome(DeliveryResult result, String handoffId) {
        return result.outcomes().stream().filter(o -> o.handoff().handoffId().equals(handoffId)).findFirst()
                .orElseThrow().outcome();
    }

    static String reason(Outcome o) {
        return o instanceof Outcome.Transient t ? t.reason() : o instanceof Outcome.Permanent p ? p.reason() : "";
    }

    /** No reason of any outcome may carry the token. */
    static void assertNoToken(DeliveryResult result, String... tokens) {
        for (DeliveryResult.RecordOutcome o : result.outcomes()) {
            for (String t : tokens) {
                assertThat(reason(o.outcome())).doesNotContain(t);
            }
        }
    }

    @Test
    void upsertsByEmailWithBearerTokenTraceIdsLifecycleStageAndMappedProperties() throws Exception {
        DeliveryResult result = client().deliver(List.of(handoff("h-1", "Ada@Example.com"),
                handoff("h-2", "grace@example.com", 40.0)));

        assertThat(result.allDelivered()).isTrue();
        assertThat(result.outcomes()).extracting(o -> o.handoff().handoffId()).containsExactly("h-1", "h-2");
        assertThat(hubspot.requests()).isEqualTo(1);
        FakeHubSpot.RecordedRequest r = hubspot.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.url()).isEqualTo(FakeHubSpot.UPSERT_PATH);
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Idempotency-Key")).matches("[0-9a-f]{64}")
                .isEqualTo(HubSpotCrmClient.idempotencyKey(List.of("h-2", "h-1")));

        JsonNode inputs = body(r).get("inputs");
        assertThat(inputs).hasSize(2);
        JsonNode ada = inputs.get(0);
        assertThat(ada.get("idProperty").asText()).isEqualTo("email");
        assertThat(ada.get("id").asText()).isEqualTo("Ada@Example.com");
        assertThat(ada.get("objectWriteTraceId").asText()).isEqualTo("h-1");
        JsonNode props = ada.get("properties");
        assertThat(props.get("email").asText()).isEqualTo("Ada@Example.com");
        assertThat(props.get("lifecyclestage").asText()).isEqualTo("salesqualifiedlead");
        assertThat(props.get("lead_score").isTextual()).isTrue();
        assertThat(props.get("lead_score").asText()).isEqualTo("112.57");
        assertThat(props.get("lead_fit_grade").asText()).isEqualTo("A");
        assertThat(props.get("lead_score_reasons").asText()).isEqualTo("pricing-page +30.3; unsubscribed -10.0");
        assertThat(props.get("lead_handoff_id").asText()).isEqualTo("h-1");
        assertThat(props.size()).isEqualTo(6); // nothing unmapped leaks out
        assertThat(inputs.get(1).get("properties").get("lead_score").asText()).isEqualTo("40");

        FakeHubSpot.Contact stored = hubspot.contact("ada@example.com").orElseThrow();
        assertThat(stored.email()).isEqualTo("ada@example.com");
        assertThat(stored.property("lead_score")).isEqualTo("112.57");
        assertThat(stored.property("lifecyclestage")).isEqualTo("salesqualifiedlead");
    }

    @Test
    void theIdempotencyKeyIsStableForTheSameHandoffs() {
        HubSpotCrmClient c = client();
        c.deliver(List.of(handoff("h-1", "a@example.com"), handoff("h-2", "b@example.com")));
        c.deliver(List.of(handoff("h-2", "b@example.com"), handoff("h-1", "a@example.com")));
        c.deliver(List.of(handoff("h-3", "a@example.com")));

        List<String> keys = hubspot.received().stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys.get(0)).isEqualTo(keys.get(1)).isNotEqualTo(keys.get(2));
    }

    @Test
    void withoutLifecycleStageTheStageIsLeftAlone() throws Exception {
        assertThat(client(TOKEN, null, Duration.ofSeconds(5)).deliver(List.of(handoff("h-1", "a@example.com")))
                .allDelivered()).isTrue();

        assertThat(body(hubspot.received().get(0)).get("inputs").get(0).get("properties").has("lifecyclestage"))
                .isFalse();
    }

    @Test
    void aHandoffWithoutEmailFailsPermanentlyWithoutARequest() {
        Handoff noEmail = handoff("h-0", null);
        Handoff blank = handoff("h-b", "  ");

        DeliveryResult alone = client().deliver(List.of(noEmail, blank));
        assertThat(hubspot.requests()).isZero();
        assertThat(alone.outcomes()).allSatisfy(o -> assertThat(o.outcome())
                .isEqualTo(Outcome.permanentFailure("no email: HubSpot upserts contacts by email")));

        DeliveryResult mixed = client().deliver(List.of(noEmail, handoff("h-1", "a@example.com")));
        assertThat(outcome(mixed, "h-0").kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(outcome(mixed, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(hubspot.requests()).isEqualTo(1);
    }

    @Test
    void ofHandoffsWithTheSameEmailOnlyTheLastIsSentAndSupersedesTheOthers() throws Exception {
        DeliveryResult result = client().deliver(List.of(handoff("h-1", "ada@example.com", 50.0),
                handoff("h-2", "grace@example.com"), handoff("h-3", "ADA@example.com ", 90.0)));

        assertThat(result.allDelivered()).isTrue();
        assertThat(result.outcomes()).extracting(o -> o.handoff().handoffId()).containsExactly("h-1", "h-2", "h-3");
        JsonNode inputs = body(hubspot.received().get(0)).get("inputs");
        assertThat(inputs).hasSize(2);
        assertThat(inputs.findValuesAsText("objectWriteTraceId")).containsExactly("h-2", "h-3");
        assertThat(hubspot.contacts()).hasSize(2);
        assertThat(hubspot.contact("ada@example.com").orElseThrow().property("lead_handoff_id")).isEqualTo("h-3");
        assertThat(hubspot.upsertsOf("h-1")).isZero();
        assertThat(hubspot.upsertsOf("h-3")).isEqualTo(1);
    }

    @Test
    void theSupersededHandoffSharesTheFailureOfTheOneSent() {
        hubspot.rejectInvalidEmail("bad@example.com");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "bad@example.com"),
                handoff("h-2", "BAD@example.com")));

        assertThat(outcome(result, "h-1")).isEqualTo(outcome(result, "h-2"));
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.PERMANENT);
    }

    @Test
    void aMultiStatusAnswerFailsOnlyTheRejectedInput() {
        hubspot.rejectInvalidEmail("bad@example");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "bad@example"), handoff("h-3", "c@example.com")));

        assertThat(hubspot.requests()).isEqualTo(1);
        assertThat(hubspot.received().get(0).status()).isEqualTo(207);
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-3").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        Outcome bad = outcome(result, "h-2");
        assertThat(bad.kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(reason(bad)).startsWith("HubSpot VALIDATION_ERROR: Property values were not valid")
                .contains("INVALID_EMAIL");
        assertThat(hubspot.contacts()).containsOnlyKeys("a@example.com", "c@example.com");
    }

    @Test
    void inputsMissingFromAMultiStatusAnswerAreTransient() {
        hubspot.answerNext(207, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"1\",\"objectWriteTraceId\":\"h-1\","
                + "\"properties\":{\"email\":\"a@example.com\"}}],\"numErrors\":1,\"errors\":[{\"status\":\"error\","
                + "\"category\":\"VALIDATION_ERROR\",\"message\":\"something odd\",\"context\":{}}]}");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "b@example.com")));

        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        Outcome missing = outcome(result, "h-2");
        assertThat(missing.kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reason(missing)).contains("no result for b@example.com").contains("something odd");
    }

    @Test
    void resultsAreMatchedByEmailCaseInsensitivelyWhenTheyCarryNoTraceId() {
        hubspot.answerNext(207, "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"1\","
                + "\"properties\":{\"email\":\"ada@example.com\"}}],\"errors\":[{\"status\":\"error\","
                + "\"category\":\"CONFLICT\",\"message\":\"nope\",\"context\":{\"ids\":[\"grace@example.com\"]}}]}");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "Ada@Example.com"),
                handoff("h-2", "Grace@Example.com")));

        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-2")).isEqualTo(Outcome.permanentFailure("HubSpot CONFLICT: nope"));
    }

    @Test
    void aBadRequestNamingNoInputIsSplitUntilTheBadRecordIsIsolated() throws Exception {
        hubspot.multiStatus(false);
        hubspot.rejectEmail("bad@example.com", "VALIDATION_ERROR",
                "Property values were not valid: [{\"isValid\":false,"
                        + "\"message\":\"lead_score was not a valid number\"}]");
        List<Handoff> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(handoff("h-" + i, i == 5 ? "bad@example.com" : "lead" + i + "@example.com"));
        }

        DeliveryResult result = client().deliver(batch);

        for (int i = 0; i < 8; i++) {
            assertThat(outcome(result, "h-" + i).kind()).as("h-" + i)
                    .isEqualTo(i == 5 ? Outcome.Kind.PERMANENT : Outcome.Kind.DELIVERED);
        }
        assertThat(reason(outcome(result, "h-5")))
                .startsWith("HTTP 400: VALIDATION_ERROR: Property values were not valid")
                .contains("lead_score was not a valid number");
        assertThat(hubspot.contacts()).hasSize(7);
        // Halves of the refused requests, depth first: the bad record ends alone, the good ones are sent again.
        List<Integer> sizes = new ArrayList<>();
        for (FakeHubSpot.RecordedRequest r : hubspot.received()) {
            sizes.add(body(r).get("inputs").size());
        }
        assertThat(sizes).containsExactly(8, 4, 4, 2, 1, 1, 2);
        assertThat(hubspot.received()).extracting(FakeHubSpot.RecordedRequest::status)
                .containsExactly(400, 200, 400, 400, 200, 400, 200);
    }

    @Test
    void aBadRequestNamingTheEmailFailsOnlyThatRecordAndSendsTheOthersAgain() {
        hubspot.multiStatus(false);
        hubspot.rejectInvalidEmail("bad@example");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "Bad@Example"), handoff("h-3", "c@example.com")));

        assertThat(hubspot.received()).extracting(FakeHubSpot.RecordedRequest::status).containsExactly(400, 200);
        assertThat(outcome(result, "h-2").kind()).isEqualTo(Outcome.Kind.PERMANENT);
        assertThat(reason(outcome(result, "h-2"))).contains("INVALID_EMAIL").contains("bad@example");
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-3").kind()).isEqualTo(Outcome.Kind.DELIVERED);
    }

    @Test
    void duplicateIdsHubSpotSeesButWeDoNotAreSentOneByOne() throws Exception {
        hubspot.answerNext(400, "{\"status\":\"error\",\"message\":\"Duplicate IDs found in batch input: "
                + "[a@example.com]. IDs must be unique\",\"correlationId\":\"c-1\",\"context\":{\"ids\":"
                + "[\"a@example.com\"]},\"category\":\"VALIDATION_ERROR\"}");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "b@example.com"), handoff("h-3", "c@example.com")));

        assertThat(result.allDelivered()).isTrue();
        List<List<String>> sent = new ArrayList<>();
        for (FakeHubSpot.RecordedRequest r : hubspot.received()) {
            sent.add(body(r).get("inputs").findValuesAsText("objectWriteTraceId"));
        }
        assertThat(sent).containsExactly(List.of("h-1", "h-2", "h-3"), List.of("h-2", "h-3"), List.of("h-1"));
    }

    @Test
    void anIncompleteBatchStatusDeliversOnlyTheListedResults() {
        hubspot.answerNext(200, "{\"status\":\"PENDING\",\"results\":[{\"id\":\"1\",\"objectWriteTraceId\":\"h-1\"}]}");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "b@example.com")));

        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-2").kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reason(outcome(result, "h-2")))
                .isEqualTo("no result for b@example.com in HubSpot's 200 PENDING answer");
    }

    @Test
    void aSingleInputBadRequestIsPermanent() {
        hubspot.multiStatus(false);
        hubspot.rejectEmail("bad@example.com", "VALIDATION_ERROR", "lead_score was not a valid number");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "bad@example.com")));

        assertThat(hubspot.requests()).isEqualTo(1);
        assertThat(reason(outcome(result, "h-1"))).startsWith("HTTP 400: VALIDATION_ERROR: lead_score was not a valid "
                + "number (correlationId ");
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.PERMANENT);
    }

    static List<Handoff> numbered(int n) {
        List<Handoff> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(handoff("h-" + i, "lead" + i + "@example.com"));
        }
        return batch;
    }

    @Test
    void aMappedPropertyMissingInHubSpotIsTransientAndStopsTheBatchInsteadOfDeadLetteringEveryRecord() {
        // HubSpot's answer when a property of hubspot.property.mapping does not exist in the account: it is about
        // every record, so none may be dead-lettered (nor the batch split record by record to find "the bad one").
        hubspot.answerNext(400, "{\"status\":\"error\",\"message\":\"Property values were not valid: "
                + "[{\\\"isValid\\\":false,\\\"message\\\":\\\"Property \\\\\\\"lead_scor\\\\\\\" does not exist\\\","
                + "\\\"error\\\":\\\"PROPERTY_DOESNT_EXIST\\\",\\\"name\\\":\\\"lead_scor\\\"}]\","
                + "\"correlationId\":\"c-1\",\"category\":\"VALIDATION_ERROR\"}");

        DeliveryResult result = client().deliver(numbered(150));

        assertThat(hubspot.requests()).isEqualTo(1);
        assertThat(result.outcomes()).hasSize(150).allSatisfy(o -> {
            assertThat(o.outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
            assertThat(reason(o.outcome())).contains("PROPERTY_DOESNT_EXIST").contains("hubspot.property.mapping");
        });
        assertThat(hubspot.contacts()).isEmpty();
    }

    @Test
    void aMappedPropertyMissingInAMultiStatusAnswerIsTransientToo() {
        hubspot.rejectEmail("b@example.com", "VALIDATION_ERROR", "Property \"lead_scor\" does not exist");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "b@example.com")));

        assertThat(hubspot.received().get(0).status()).isEqualTo(207);
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-2").kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reason(outcome(result, "h-2"))).contains("does not exist").contains("hubspot.property.mapping");
    }

    @Test
    void anUnknownLifecycleStageIsTransientNamingTheSetting() {
        hubspot.answerNext(400, "{\"status\":\"error\",\"message\":\"Property values were not valid: "
                + "[{\\\"isValid\\\":false,\\\"message\\\":\\\"sql was not one of the allowed options\\\","
                + "\\\"error\\\":\\\"INVALID_OPTION\\\",\\\"name\\\":\\\"lifecyclestage\\\"}]\","
                + "\"category\":\"VALIDATION_ERROR\"}");

        DeliveryResult result = client(TOKEN, "sql", Duration.ofSeconds(5)).deliver(numbered(3));

        assertThat(hubspot.requests()).isEqualTo(1);
        assertThat(result.outcomes()).allSatisfy(o -> {
            assertThat(o.outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
            assertThat(reason(o.outcome())).contains("INVALID_OPTION").contains("hubspot.lifecycle.stage");
        });
    }

    @Test
    void aConflictRefusingTheWholeRequestIsSplitLikeABadRequest() throws Exception {
        String conflict = "{\"status\":\"error\",\"message\":\"Contact already exists. Existing ID: 51\","
                + "\"category\":\"CONFLICT\"}";
        hubspot.answerNext(409, conflict); // [0, 1, 2, 3]
        hubspot.answerNext(200, "{\"status\":\"COMPLETE\",\"results\":[]}"); // [0, 1]
        hubspot.answerNext(409, conflict); // [2, 3]
        hubspot.answerNext(409, conflict); // [2]; then [3] is written

        DeliveryResult result = client().deliver(numbered(4));

        assertThat(outcome(result, "h-0").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(outcome(result, "h-2")).isEqualTo(Outcome.permanentFailure(
                "HTTP 409: CONFLICT: Contact already exists. Existing ID: 51"));
        assertThat(outcome(result, "h-3").kind()).isEqualTo(Outcome.Kind.DELIVERED);
        List<Integer> sizes = new ArrayList<>();
        for (FakeHubSpot.RecordedRequest r : hubspot.received()) {
            sizes.add(body(r).get("inputs").size());
        }
        assertThat(sizes).containsExactly(4, 2, 2, 1, 1);
        assertThat(hubspot.contacts()).containsOnlyKeys("lead3@example.com");
    }

    @Test
    void aTokenReadWithATrailingLineBreakIsStripped() {
        DeliveryResult result = client(TOKEN + "\n", "salesqualifiedlead", Duration.ofSeconds(5))
                .deliver(List.of(handoff("h-1", "a@example.com")));

        assertThat(result.allDelivered()).as(reason(result.outcomes().get(0).outcome())).isTrue();
        assertThat(hubspot.received().get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aTokenNoHeaderCanCarryIsRefusedAtOnceWithoutShowingIt() {
        assertThatThrownBy(() -> client("pat-na1 s3cret-part", "salesqualifiedlead", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hubspot.token")
                .hasMessageNotContaining("s3cret-part");
    }

    @Test
    void aRequestTheHttpClientRefusesIsTransientAndNeverDeadLettersTheRecords() {
        AtomicInteger attempts = new AtomicInteger();
        HttpClient refusing = new RefusingHttpClient(() -> {
            attempts.incrementAndGet();
            // as the JDK words it for a header value it refuses, quoting the value
            return new IllegalArgumentException("invalid header value: \"Bearer " + TOKEN + "\"");
        });
        HubSpotCrmClient c = new HubSpotCrmClient(refusing, hubspot.baseUrl(), new Password(TOKEN),
                "salesqualifiedlead", DEFAULT_MAPPING, Duration.ofSeconds(5), Clock.systemUTC());

        DeliveryResult result = c.deliver(numbered(150));

        assertThat(attempts.get()).as("the rest of the batch is not sent").isEqualTo(1);
        assertThat(result.outcomes()).hasSize(150).allSatisfy(o -> {
            assertThat(o.outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
            assertThat(reason(o.outcome())).contains("cannot send the request").contains("hubspot.token");
        });
        assertNoToken(result, TOKEN);
    }

    /** An HttpClient whose sendAsync throws (as the JDK's does for a request it cannot send). */
    static final class RefusingHttpClient extends HttpClient {
        private final Supplier<RuntimeException> failure;

        RefusingHttpClient(Supplier<RuntimeException> failure) {
            this.failure = failure;
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            throw failure.get();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            throw failure.get();
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            throw failure.get();
        }
    }

    @Test
    void aRejectedTokenIsTransientAndTheTokenIsInNoReason() {
        hubspot.rotateToken("pat-na1-rotated");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com"),
                handoff("h-2", "b@example.com")));

        assertThat(result.outcomes()).allSatisfy(o -> {
            assertThat(o.outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
            assertThat(reason(o.outcome())).startsWith("HTTP 401: INVALID_AUTHENTICATION: Authentication credentials")
                    .contains("check hubspot.token");
        });
        assertNoToken(result, TOKEN, "pat-na1-rotated");
        assertThat(hubspot.requests()).isEqualTo(1);
        assertThat(hubspot.contacts()).isEmpty();
    }

    @Test
    void aTokenEchoedByAProxyIsScrubbedFromTheReason() {
        hubspot.answerNext(403, "<html>forbidden for Authorization: Bearer " + TOKEN + "</html>");

        DeliveryResult result = client().deliver(List.of(handoff("h-1", "a@example.com")));

        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reason(outcome(result, "h-1"))).contains("Bearer [hidden]");
        assertNoToken(result, TOKEN);
    }

    @Test
    void aRateLimitIsTransientHonouringRetryAfterElseThePolicy() {
        HubSpotCrmClient c = client();

        hubspot.failNext(1, 429, 7);
        Outcome withHeader = c.deliver(List.of(handoff("h-1", "a@example.com"))).outcomes().get(0).outcome();
        assertThat(withHeader).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) withHeader).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(reason(withHeader))
                .startsWith("HTTP 429: RATE_LIMIT: You have reached your ten_secondly_rolling limit.")
                .contains("TEN_SECONDLY_ROLLING");

        hubspot.failNext(1, 429, null);
        DeliveryResult tenSecondly = c.deliver(List.of(handoff("h-1", "a@example.com")));
        assertThat(tenSecondly.longestRetryAfter()).contains(Duration.ofSeconds(10));

        hubspot.rateLimitNext(1, FakeHubSpot.DAILY, null);
        DeliveryResult daily = c.deliver(List.of(handoff("h-1", "a@example.com")));
        assertThat(daily.longestRetryAfter()).contains(Duration.ofHours(1));

        assertThat(hubspot.contacts()).isEmpty();
        assertThat(c.deliver(List.of(handoff("h-1", "a@example.com"))).allDelivered()).isTrue();
    }

    @Test
    void serverErrorsAndLocksAreTransient() {
        HubSpotCrmClient c = client();

        hubspot.failNext(1, 502, null);
        DeliveryResult bad = c.deliver(List.of(handoff("h-1", "a@example.com")));
        assertThat(outcome(bad, "h-1").kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reason(outcome(bad, "h-1"))).startsWith("HTTP 502");

        hubspot.failNext(1, 423, null);
        DeliveryResult locked = c.deliver(List.of(handoff("h-1", "a@example.com")));
        assertThat(outcome(locked, "h-1").kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(locked.longestRetryAfter()).contains(Duration.ofSeconds(2));

        assertThat(c.deliver(List.of(handoff("h-1", "a@example.com"))).allDelivered()).isTrue();
    }

    @Test
    void aSlowAnswerTimesOutAsTransient() {
        HubSpotCrmClient c = client(TOKEN, "salesqualifiedlead", Duration.ofMillis(200));
        hubspot.delayNext(1, Duration.ofMillis(1_000));

        long start = System.nanoTime();
        DeliveryResult result = c.deliver(List.of(handoff("h-1", "a@example.com")));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
        assertThat(outcome(result, "h-1").kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(reason(outcome(result, "h-1"))).startsWith("timeout");
        // HubSpot wrote it anyway; the redelivery is an update of the same contact.
        assertThat(c.deliver(List.of(handoff("h-1", "a@example.com"))).allDelivered()).isTrue();
        assertThat(hubspot.contacts()).hasSize(1);
    }

    @Test
    void largeBatchesAreSentInChunksOfAtMostOneHundred() throws Exception {
        List<Handoff> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(handoff("h-" + i, "lead" + i + "@example.com"));
        }

        DeliveryResult result = client().deliver(batch);

        assertThat(result.allDelivered()).isTrue();
        assertThat(result.outcomes()).extracting(o -> o.handoff().handoffId())
                .containsExactlyElementsOf(batch.stream().map(Handoff::handoffId).toList());
        List<Integer> sizes = new ArrayList<>();
        for (FakeHubSpot.RecordedRequest r : hubspot.received()) {
            sizes.add(body(r).get("inputs").size());
        }
        assertThat(sizes).containsExactly(100, 100, 50);
        assertThat(hubspot.contacts()).hasSize(250);
    }

    @Test
    void afterARequestFailedAsAWholeTheRestOfTheBatchIsNotSent() {
        List<Handoff> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(handoff("h-" + i, "lead" + i + "@example.com"));
        }
        hubspot.failNext(1, 429, 5);

        DeliveryResult result = client().deliver(batch);

        assertThat(hubspot.requests()).isEqualTo(1);
        assertThat(result.outcomes()).allSatisfy(o -> {
            assertThat(o.outcome()).isInstanceOf(Outcome.Transient.class);
            assertThat(((Outcome.Transient) o.outcome()).retryAfter()).contains(Duration.ofSeconds(5));
        });
        assertThat(reason(outcome(result, "h-100"))).startsWith("not sent: an earlier request of this batch failed: "
                + "HTTP 429");
    }

    @Test
    void theUpsertCreatesTheContactOnceThenUpdatesIt() {
        HubSpotCrmClient c = client();

        assertThat(c.deliver(List.of(handoff("h-1", "ada@example.com", 80.0))).allDelivered()).isTrue();
        FakeHubSpot.Contact created = hubspot.contact("ada@example.com").orElseThrow();
        assertThat(c.deliver(List.of(handoff("h-1", "ada@example.com", 80.0))).allDelivered()).isTrue();
        assertThat(c.deliver(List.of(handoff("h-9", "Ada@example.com", 95.5))).allDelivered()).isTrue();

        assertThat(hubspot.contacts()).hasSize(1);
        FakeHubSpot.Contact updated = hubspot.contact("ada@example.com").orElseThrow();
        assertThat(updated.id()).isEqualTo(created.id());
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        assertThat(updated.writes()).isEqualTo(3);
        assertThat(updated.property("lead_score")).isEqualTo("95.5");
        assertThat(updated.property("lead_handoff_id")).isEqualTo("h-9");
        assertThat(hubspot.upsertsOf("h-1")).isEqualTo(2);
    }

    @Test
    void fromConfigUsesTheHubSpotSettings() {
        Map<String, String> props = new HashMap<>();
        props.put(CrmSinkConfig.CRM_TARGET, "HUBSPOT");
        props.put(CrmSinkConfig.HUBSPOT_URL, hubspot.baseUrl() + "/");
        props.put(CrmSinkConfig.HUBSPOT_TOKEN, TOKEN);
        props.put(CrmSinkConfig.HUBSPOT_PROPERTY_MAPPING, "score:lead_score,firstName:firstname");
        try (HubSpotCrmClient c = HubSpotCrmClient.fromConfig(new CrmSinkConfig(props), CrmMetrics.NONE)) {
            assertThat(c.deliver(List.of(handoff("h-1", "ada@example.com"))).allDelivered()).isTrue();
        }
        assertThat(hubspot.contact("ada@example.com").orElseThrow().properties()).containsEntry("firstname", "Ada")
                .containsEntry("lead_score", "112.57").containsEntry("lifecyclestage", "salesqualifiedlead")
                .doesNotContainKey("lead_handoff_id");
    }

    @Test
    void recordsEachBatchRequestWithItsOutcomeAndStatus() {
        hubspot.rateLimitNext(1, "TEN_SECONDLY_ROLLING", 1);
        RecordingCrmMetrics metrics = new RecordingCrmMetrics();
        HubSpotCrmClient c = new HubSpotCrmClient(HttpClient.newHttpClient(), hubspot.baseUrl(), new Password(TOKEN),
                "salesqualifiedlead", DEFAULT_MAPPING, Duration.ofSeconds(5), Clock.systemUTC(), metrics);
        clients.add(c);

        c.deliver(List.of(handoff("h1", "ada@example.com")));
        c.deliver(List.of(handoff("h1", "ada@example.com"), handoff("h2", "grace@example.com")));

        // One request a batch: the 429, then the retry of both handoffs together.
        assertThat(metrics.outcomesAndStatuses()).hasSize(2).first().isEqualTo("rate_limited 429");
        assertThat(metrics.outcomesAndStatuses().get(1)).startsWith("success 20");
    }
}
