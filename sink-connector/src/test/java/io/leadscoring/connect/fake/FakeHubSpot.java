package io.leadscoring.connect.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A stateful stand-in for HubSpot's contact batch upsert, {@code POST /crm/v3/objects/contacts/batch/upsert}, on
 * 127.0.0.1 and a free port (WireMock with a response transformer). Usable from unit tests and Connect ITs:
 * <pre>
 * try (FakeHubSpot hubspot = FakeHubSpot.start("pat-test-token")) {
 *     props.put("hubspot.url", hubspot.baseUrl().toString());
 *     props.put("hubspot.token", hubspot.token());
 *     ...
 *     assertThat(hubspot.contact("ada@example.com")).isPresent();
 * }
 * </pre>
 *
 * <p>What it does like HubSpot (sources: HubSpot's API reference and error-handling guide, and answers quoted in
 * public issues; see {@code HubSpotCrmClient}):
 * <ul>
 * <li>{@code Authorization: Bearer <token>} required, else 401 {@code INVALID_AUTHENTICATION} with HubSpot's text.</li>
 * <li>Body {@code {"inputs":[{"idProperty":"email","id":...,"properties":{...},"objectWriteTraceId":...}]}}; more
 * than {@value #MAX_INPUTS} inputs, another idProperty or a missing id: 400 {@code VALIDATION_ERROR}. The same id
 * twice (case-insensitive): 400 {@code "Duplicate IDs found in batch input: [..]. IDs must be unique"} with
 * {@code context.ids}, as HubSpot answers it.</li>
 * <li>Contacts are kept by lowercased e-mail: created once ({@code "new": true} in the result), updated afterwards
 * (given properties overwritten, others kept). Answer 200 {@code {"status":"COMPLETE","results":[...]}}, results
 * in <b>reverse</b> input order (HubSpot promises no order), e-mails lowercased, with each input's
 * {@code objectWriteTraceId}.</li>
 * <li>An input {@link #rejectEmail rejected} fails validation: when every input of the request carries an
 * {@code objectWriteTraceId} (multi-status enabled), the others are written and the answer is 207 with
 * {@code errors[].context.objectWriteTraceId}; otherwise (or with {@link #multiStatus(boolean) multiStatus(false)})
 * the whole request is refused with 400 and the rejection's category and message, nothing written.</li>
 * </ul>
 * Not modelled: property existence and types, lifecycle-stage rules, associations, search, rate limiting by itself
 * (inject it with {@link #failNext} / {@link #rateLimitNext}).
 */
public final class FakeHubSpot implements AutoCloseable {

    public static final String UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert";
    public static final int MAX_INPUTS = 100;
    /** The property counted by {@link #upsertsOf}: where the default mapping writes the handoff id. */
    public static final String HANDOFF_ID_PROPERTY = "lead_handoff_id";
    public static final String TEN_SECONDLY_ROLLING = "TEN_SECONDLY_ROLLING";
    public static final String DAILY = "DAILY";

    /** A stored contact: HubSpot record id, lowercased e-mail, all its properties, and how often it was written. */
    public record Contact(String id, String email, Map<String, String> properties, Instant createdAt,
            Instant updatedAt, int writes) {

        public String property(String name) {
            return properties.get(name);
        }
    }

    /** A request as received: header names lowercased (first value each), the raw body, the status answered. */
    public record RecordedRequest(String method, String url, Map<String, String> headers, String body, int status) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final WireMockServer server;
    private final HubSpotUpsertEndpoint endpoint;

    private FakeHubSpot(String token, Clock clock) {
        endpoint = new HubSpotUpsertEndpoint(token, clock);
        server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .notifier(new ConsoleNotifier(false))
                .disableRequestJournal() // requests are recorded by the endpoint
                .extensions(endpoint));
    }

    /** Starts a fake accepting {@code token}, with the system clock. */
    public static FakeHubSpot start(String token) {
        return start(token, Clock.systemUTC());
    }

    /** Starts a fake accepting {@code token}; {@code clock} stamps createdAt/updatedAt. */
    public static FakeHubSpot start(String token, Clock clock) {
        FakeHubSpot fake = new FakeHubSpot(token, clock);
        fake.server.start();
        fake.server.stubFor(post(urlPathEqualTo(UPSERT_PATH))
                .willReturn(aResponse().withTransformers(HubSpotUpsertEndpoint.NAME)));
        return fake;
    }

    /** The value for {@code hubspot.url}: {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The token currently accepted. */
    public String token() {
        return endpoint.token();
    }

    // ---- fault injection ----

    /**
     * The next {@code n} requests are answered {@code status} without being processed: 429 with HubSpot's
     * {@code TEN_SECONDLY_ROLLING} body and rate-limit headers, any other status with a HubSpot-style error body.
     * {@code retryAfterSeconds} (nullable) adds a {@code Retry-After} header.
     */
    public void failNext(int n, int status, Integer retryAfterSeconds) {
        endpoint.failNext(n, status, retryAfterSeconds, TEN_SECONDLY_ROLLING);
    }

    /** The next {@code n} requests get a 429 for {@code policyName} ({@link #TEN_SECONDLY_ROLLING}, {@link #DAILY}). */
    public void rateLimitNext(int n, String policyName, Integer retryAfterSeconds) {
        endpoint.failNext(n, 429, retryAfterSeconds, policyName);
    }

    /**
     * The next {@code n} requests are processed (contacts written) but answered only after {@code delay}: a client
     * timing out meanwhile has written without knowing it, as with the real API.
     */
    public void delayNext(int n, Duration delay) {
        endpoint.delayNext(n, delay);
    }

    /** The next request gets exactly this status and body, without being processed (for odd answers). */
    public void answerNext(int status, String body) {
        endpoint.answerNext(status, body);
    }

    /** Inputs with this e-mail (case-insensitive) fail validation with this category and message, until reset. */
    public void rejectEmail(String email, String category, String message) {
        endpoint.reject(email, category, message);
    }

    /** {@link #rejectEmail} with HubSpot's own INVALID_EMAIL answer, which names the address. */
    public void rejectInvalidEmail(String email) {
        rejectEmail(email, "VALIDATION_ERROR", "Property values were not valid: [{\"isValid\":false,\"message\":"
                + "\"Email address " + email + " is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]");
    }

    /** From now on only {@code newToken} is accepted (as after regenerating a private-app token). */
    public void rotateToken(String newToken) {
        endpoint.token(newToken);
    }

    /**
     * Whether trace ids enable 207 partial answers (default true). HubSpot documents multi-status for batch create;
     * {@code false} simulates an upsert that refuses the whole batch with 400 instead.
     */
    public void multiStatus(boolean enabled) {
        endpoint.multiStatus(enabled);
    }

    // ---- observation ----

    /** A snapshot of the contacts by lowercased e-mail. */
    public Map<String, Contact> contacts() {
        return endpoint.contacts();
    }

    public Optional<Contact> contact(String email) {
        return Optional.ofNullable(endpoint.contact(email));
    }

    /** How many upsert requests arrived (whatever the answer). */
    public int requests() {
        return endpoint.received().size();
    }

    /** The upsert requests received, oldest first. */
    public List<RecordedRequest> received() {
        return endpoint.received();
    }

    /** How many accepted writes carried {@value #HANDOFF_ID_PROPERTY} = {@code handoffId}. */
    public int upsertsOf(String handoffId) {
        return endpoint.upsertsOf(handoffId);
    }

    /** Forgets contacts, requests, faults and rejections; the initial token and multi-status come back. */
    public void reset() {
        endpoint.reset();
    }

    @Override
    public void close() {
        server.stop();
    }
}
