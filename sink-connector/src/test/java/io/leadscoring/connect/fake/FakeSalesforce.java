package io.leadscoring.connect.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stateful fake Salesforce org for tests: a WireMock server on 127.0.0.1 (dynamic port) whose single catch-all
 * stub is answered by a {@link ResponseDefinitionTransformerV2} that behaves like the REST API of a real org, as far
 * as the CRM sink uses it:
 *
 * <ul>
 *   <li>{@code POST /services/oauth2/token}, form {@code grant_type=client_credentials&client_id=..&client_secret=..}
 *       (OAuth 2.0 client credentials flow): 200 {@code {access_token, signature, scope, instance_url, id,
 *       token_type, issued_at}} with {@code instance_url} = {@link #baseUrl()}; wrong client id: 400
 *       {@code {"error":"invalid_client_id","error_description":"client identifier invalid"}}; wrong secret: 400
 *       {@code invalid_client / invalid client credentials}; another grant type: 400 {@code unsupported_grant_type}.
 *       Tokens stay valid until {@link #expireTokens()}.</li>
 *   <li>{@code PATCH /services/data/vNN.N/sobjects/Lead/{externalIdField}/{value}} (upsert by external id) with
 *       {@code Authorization: Bearer <token>} and a JSON object of Lead fields: creates the Lead (201 {@code {id,
 *       success, errors, created:true}}; {@code created} only from v46.0) or updates it (v46.0 and later: 200
 *       {@code {..., created:false}}; before: 204 without body), as Salesforce documents. Errors have Salesforce's
 *       shape {@code [{"message","errorCode","fields"}]}: 401 INVALID_SESSION_ID (no, unknown or expired token),
 *       404 NOT_FOUND (other object, or a field that is not an external id field), 405 METHOD_NOT_ALLOWED, 415,
 *       400 JSON_PARSER_ERROR, 400 INVALID_FIELD ({@code No such column 'X' on sobject of type Lead}, against
 *       {@link #leadFields()}, case-insensitive), 400 REQUIRED_FIELD_MISSING (a Lead without LastName or Company),
 *       400 INVALID_EMAIL_ADDRESS, 300 with the matching record URLs ({@link #duplicateExternalId}).</li>
 * </ul>
 *
 * <p>Fault injection ({@link #failNext}, {@link #delayNext}, {@link #rejectLead}, ...) and observations
 * ({@link #leads()}, {@link #apiRequests()}, {@link #writesOf}, ...) are thread-safe. Faults apply in arrival order:
 * delay, then an injected failure, then authentication, then the upsert. {@link #reset()} between tests;
 * {@link #close()} at the end.
 */
public final class FakeSalesforce implements AutoCloseable {

    public static final String DEFAULT_CLIENT_ID = "3MVG9fake.LeadScoringConnectedApp";
    public static final String DEFAULT_CLIENT_SECRET = "fake-consumer-secret-5F0C2D7A";
    /** The default of {@code salesforce.external.id.field}. */
    public static final String DEFAULT_EXTERNAL_ID_FIELD = "Lead_Scoring_Id__c";
    /** Standard Lead fields plus the custom fields of the connector's default mapping and external id. */
    public static final Set<String> DEFAULT_LEAD_FIELDS = Set.of("Id", "FirstName", "LastName", "Company", "Email",
            "Phone", "Title", "Status", "LeadSource", "Rating", "Description", "OwnerId", DEFAULT_EXTERNAL_ID_FIELD,
            "Lead_Score__c", "Lead_Fit_Grade__c", "Lead_Score_Reasons__c", "Lead_Handoff_Id__c");

    static final String TOKEN_PATH = "/services/oauth2/token";
    private static final String TRANSFORMER = "fake-salesforce";
    private static final String ORG_ID = "00D5g000004FAKEEAO";
    private static final String USER_ID = "0055g00000FAKEUAAQ";
    private static final Pattern UPSERT =
            Pattern.compile("/services/data/(v(\\d+)\\.(\\d+))/sobjects/([^/]+)/([^/]+)/([^/]+)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One injected failure: status, Salesforce error code and message (null code: a plain-text body). */
    private record Fault(int status, String errorCode, String message) {
    }

    private record Rejection(String errorCode, String message) {
    }

    private final WireMockServer server;
    private final String clientId;
    private final String clientSecret;
    private final URI baseUrl;
    private final SecureRandom random = new SecureRandom();
    private final CountDownLatch closed = new CountDownLatch(1);

    // configuration and faults, guarded by this
    private final Set<String> leadFields = new LinkedHashSet<>();
    private final Set<String> externalIdFields = new LinkedHashSet<>();
    private final Deque<Fault> apiFaults = new ArrayDeque<>();
    private final Deque<Fault> tokenFaults = new ArrayDeque<>();
    private final Deque<Duration> apiDelays = new ArrayDeque<>();
    private Duration latency = Duration.ZERO;
    private final Map<String, Rejection> rejections = new LinkedHashMap<>();
    private final Set<String> duplicates = new LinkedHashSet<>();

    // state
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Object writeLock = new Object();
    private final Map<String, SalesforceLead> leads = new LinkedHashMap<>(); // by external id; guarded by writeLock
    private final List<SalesforceWrite> writes = new CopyOnWriteArrayList<>();
    private final List<SalesforceRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<SalesforceRequest> apiRequests = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong recordIds = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private FakeSalesforce(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        resetConfiguration();
        server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(64)
                .jettyStopTimeout(2_000L)
                .disableRequestJournal()
                .notifier(new Slf4jNotifier(false))
                .extensions(new Transformer()));
        server.start();
        server.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withTransformers(TRANSFORMER)));
        baseUrl = URI.create("http://127.0.0.1:" + server.port());
    }

    /** A started fake org accepting {@link #DEFAULT_CLIENT_ID} / {@link #DEFAULT_CLIENT_SECRET}. */
    public static FakeSalesforce start() {
        return start(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    }

    /** A started fake org accepting the given connected-app credentials. */
    public static FakeSalesforce start(String clientId, String clientSecret) {
        return new FakeSalesforce(clientId, clientSecret);
    }

    // ---- addresses and credentials ----------------------------------------------------------------------------

    /** The org's URL: both the login (My Domain) URL and the {@code instance_url} of its tokens. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The value for {@code salesforce.login.url}. */
    public String loginUrl() {
        return baseUrl.toString();
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    // ---- configuration ----------------------------------------------------------------------------------------

    /** The Lead fields that exist (API names); any other field in an upsert body is a 400 INVALID_FIELD. */
    public synchronized Set<String> leadFields() {
        return Set.copyOf(leadFields);
    }

    /** Creates Lead fields (e.g. a custom field a test maps to). */
    public synchronized FakeSalesforce addLeadFields(String... fields) {
        leadFields.addAll(List.of(fields));
        return this;
    }

    /** Deletes a Lead field: upserts naming it get 400 INVALID_FIELD. */
    public synchronized FakeSalesforce removeLeadField(String field) {
        leadFields.removeIf(f -> f.equalsIgnoreCase(field));
        return this;
    }

    /** Makes a (new or existing) Lead field an external id field usable in the upsert URL. */
    public synchronized FakeSalesforce addExternalIdField(String field) {
        leadFields.add(field);
        externalIdFields.add(field);
        return this;
    }

    // ---- fault injection --------------------------------------------------------------------------------------

    /**
     * The next {@code n} API requests (not token requests) are answered {@code status} with Salesforce's body for
     * it: 503 SERVER_UNAVAILABLE, 403 REQUEST_LIMIT_EXCEEDED, 500 UNKNOWN_EXCEPTION, 401 INVALID_SESSION_ID,
     * 404 NOT_FOUND; 429 and 502/504 come from in front of Salesforce, with a plain-text body.
     */
    public FakeSalesforce failNext(int n, int status) {
        return failNext(n, status, defaultErrorCode(status), defaultMessage(status));
    }

    /** The next {@code n} API requests are answered {@code status} with {@code [{"message","errorCode"}]}. */
    public synchronized FakeSalesforce failNext(int n, int status, String errorCode, String message) {
        for (int i = 0; i < n; i++) {
            apiFaults.add(new Fault(status, errorCode, message));
        }
        return this;
    }

    /** The next {@code n} token requests are answered {@code status} (5xx: plain text, 4xx: an OAuth error). */
    public synchronized FakeSalesforce failNextTokenRequests(int n, int status) {
        for (int i = 0; i < n; i++) {
            tokenFaults.add(new Fault(status, status < 500 ? "invalid_request" : null,
                    status < 500 ? "injected failure" : "Service Unavailable"));
        }
        return this;
    }

    /** The next {@code n} API requests are answered only after {@code delay} (on top of {@link #latency}). */
    public synchronized FakeSalesforce delayNext(int n, Duration delay) {
        for (int i = 0; i < n; i++) {
            apiDelays.add(delay);
        }
        return this;
    }

    /** Every API request takes at least {@code latency} (to observe concurrency). */
    public synchronized FakeSalesforce latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Every upsert of this external id (lead id) is answered 400 {@code [{message, errorCode, fields:[]}]}. */
    public synchronized FakeSalesforce rejectLead(String externalId, String errorCode, String message) {
        rejections.put(externalId, new Rejection(errorCode, message));
        return this;
    }

    /** Every upsert of this external id is answered 300 with two matching Lead URLs (duplicate external ids). */
    public synchronized FakeSalesforce duplicateExternalId(String externalId) {
        duplicates.add(externalId);
        return this;
    }

    /** Invalidates every access token issued so far: the next API call with one gets 401 INVALID_SESSION_ID. */
    public void expireTokens() {
        validTokens.clear();
    }

    // ---- observations -----------------------------------------------------------------------------------------

    /** A snapshot of all Leads by external id value, in creation order. */
    public Map<String, SalesforceLead> leads() {
        synchronized (writeLock) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(leads));
        }
    }

    /** The Lead with this external id value, or {@code null}. */
    public SalesforceLead lead(String externalId) {
        synchronized (writeLock) {
            return leads.get(externalId);
        }
    }

    /** Every token request received, in order, whatever it was answered. */
    public List<SalesforceRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** Every other request received (upserts and anything else), in order, whatever it was answered. */
    public List<SalesforceRequest> apiRequests() {
        return List.copyOf(apiRequests);
    }

    /** Every upsert that created or updated a Lead, in the order applied. */
    public List<SalesforceWrite> writes() {
        return List.copyOf(writes);
    }

    /** The accepted upserts whose {@code Idempotency-Key} header is {@code handoffId}. */
    public List<SalesforceWrite> writesOf(String handoffId) {
        return writes.stream().filter(w -> handoffId.equals(w.idempotencyKey())).toList();
    }

    /** The most API requests that were being handled at the same time. */
    public int maxConcurrentApiRequests() {
        return maxInFlight.get();
    }

    /**
     * Back to the state {@link #start()} left: no Leads, tokens, faults or observations, default fields. A request
     * still delayed at that moment is applied afterwards: wait for it first (e.g. for {@link #writesOf}).
     */
    public void reset() {
        synchronized (this) {
            resetConfiguration();
        }
        synchronized (writeLock) {
            leads.clear();
        }
        validTokens.clear();
        writes.clear();
        tokenRequests.clear();
        apiRequests.clear();
        maxInFlight.set(inFlight.get());
    }

    private synchronized void resetConfiguration() {
        leadFields.clear();
        leadFields.addAll(DEFAULT_LEAD_FIELDS);
        externalIdFields.clear();
        externalIdFields.add(DEFAULT_EXTERNAL_ID_FIELD);
        apiFaults.clear();
        tokenFaults.clear();
        apiDelays.clear();
        latency = Duration.ZERO;
        rejections.clear();
        duplicates.clear();
    }

    @Override
    public void close() {
        closed.countDown(); // wakes delayed requests
        server.stop();
    }

    // ---- request handling -------------------------------------------------------------------------------------

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            return handle(serveEvent.getRequest());
        }

        @Override
        public boolean applyGlobally() {
            return false; // only the catch-all stub names it
        }

        @Override
        public String getName() {
            return TRANSFORMER;
        }
    }

    /** A response: status, body (null: none) and optional extra headers. */
    private record Answer(int status, String body, String contentType) {
        static Answer json(int status, Object body) {
            try {
                return new Answer(status, MAPPER.writeValueAsString(body), "application/json;charset=UTF-8");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer errors(int status, String errorCode, String message, List<String> fields) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", message);
            e.put("errorCode", errorCode);
            if (fields != null) {
                e.put("fields", fields);
            }
            return json(status, List.of(e));
        }

        ResponseDefinition toDefinition() {
            ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(status);
            if (body != null) {
                b.withHeader("Content-Type", contentType).withBody(body);
            }
            return b.build();
        }
    }

    private ResponseDefinition handle(Request request) {
        String path = URI.create(request.getUrl()).getRawPath();
        String body = new String(request.getBody() == null ? new byte[0] : request.getBody(), StandardCharsets.UTF_8);
        long seq = sequence.incrementAndGet();
        boolean token = TOKEN_PATH.equals(path);
        Answer answer;
        if (token) {
            answer = token(request, body);
            tokenRequests.add(record(seq, request, path, body, answer));
        } else {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                answer = api(request, path, body);
            } finally {
                inFlight.decrementAndGet();
            }
            apiRequests.add(record(seq, request, path, body, answer));
        }
        return answer.toDefinition();
    }

    private static SalesforceRequest record(long seq, Request request, String path, String body, Answer answer) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader h : request.getHeaders().all()) {
            headers.put(h.key(), h.values());
        }
        return new SalesforceRequest(seq, request.getMethod().getName(), path, headers, body, answer.status());
    }

    private Answer token(Request request, String body) {
        Fault fault;
        synchronized (this) {
            fault = tokenFaults.poll();
        }
        if (fault != null) {
            return fault.errorCode() == null ? new Answer(fault.status(), fault.message(), "text/plain")
                    : Answer.json(fault.status(), Map.of("error", fault.errorCode(),
                            "error_description", fault.message()));
        }
        if (!"POST".equals(request.getMethod().getName())) {
            return new Answer(405, null, null);
        }
        Map<String, String> form = parseForm(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return oauthError("unsupported_grant_type", "grant type not supported");
        }
        if (!clientId.equals(form.get("client_id"))) {
            return oauthError("invalid_client_id", "client identifier invalid");
        }
        if (!clientSecret.equals(form.get("client_secret"))) {
            return oauthError("invalid_client", "invalid client credentials");
        }
        byte[] bytes = new byte[30];
        random.nextBytes(bytes);
        String accessToken = ORG_ID.substring(0, 15) + "!AQ" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes);
        validTokens.add(accessToken);
        String id = baseUrl + "/id/" + ORG_ID + "/" + USER_ID;
        String issuedAt = Long.toString(System.currentTimeMillis());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("access_token", accessToken);
        t.put("signature", signature(id + issuedAt));
        t.put("scope", "api");
        t.put("instance_url", baseUrl.toString());
        t.put("id", id);
        t.put("token_type", "Bearer");
        t.put("issued_at", issuedAt);
        return Answer.json(200, t);
    }

    private static Answer oauthError(String error, String description) {
        return Answer.json(400, Map.of("error", error, "error_description", description));
    }

    /** Salesforce signs id + issued_at with HMAC-SHA256 keyed by the client secret. */
    private String signature(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer api(Request request, String path, String body) {
        Duration delay;
        Fault fault;
        synchronized (this) {
            Duration next = apiDelays.poll();
            delay = next == null ? latency : latency.plus(next);
            fault = apiFaults.poll();
        }
        if (!delay.isZero() && sleep(delay)) {
            return new Answer(503, "shutting down", "text/plain");
        }
        if (fault != null) {
            return fault.errorCode() == null ? new Answer(fault.status(), fault.message(), "text/plain")
                    : Answer.errors(fault.status(), fault.errorCode(), fault.message(), null);
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7).trim())) {
            return Answer.errors(401, "INVALID_SESSION_ID", "Session expired or invalid", null);
        }
        Matcher m = UPSERT.matcher(path);
        if (!m.matches()) {
            return notFound();
        }
        String version = m.group(1);
        int major = Integer.parseInt(m.group(2));
        String sobject = decode(m.group(4));
        String field = decode(m.group(5));
        String externalId = decode(m.group(6));
        synchronized (this) {
            if (!"Lead".equalsIgnoreCase(sobject) || externalIdFields.stream().noneMatch(field::equalsIgnoreCase)) {
                return notFound();
            }
        }
        String method = request.getMethod().getName();
        if (!"PATCH".equals(method)) {
            return Answer.errors(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method
                    + "' not allowed. Allowed are HEAD,GET,PATCH,DELETE", null);
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return Answer.errors(415, "UNSUPPORTED_MEDIA_TYPE", "Content type '" + contentType
                    + "' not supported", null);
        }
        Map<String, Object> fields;
        try {
            fields = MAPPER.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException | RuntimeException e) {
            return Answer.errors(400, "JSON_PARSER_ERROR", "Unexpected character or end of input in the body", null);
        }
        if (fields == null) {
            return Answer.errors(400, "JSON_PARSER_ERROR", "The body must be a JSON object", null);
        }
        Rejection rejection;
        boolean duplicate;
        synchronized (this) {
            for (String f : fields.keySet()) {
                if (leadFields.stream().noneMatch(f::equalsIgnoreCase)) {
                    return Answer.errors(400, "INVALID_FIELD", "No such column '" + f + "' on sobject of type Lead",
                            List.of());
                }
            }
            rejection = rejections.get(externalId);
            duplicate = duplicates.contains(externalId);
        }
        if (duplicate) {
            return Answer.json(300, List.of("/services/data/" + version + "/sobjects/Lead/" + newRecordId(),
                    "/services/data/" + version + "/sobjects/Lead/" + newRecordId()));
        }
        if (rejection != null) {
            return Answer.errors(400, rejection.errorCode(), rejection.message(), List.of());
        }
        Object email = valueOf(fields, "Email");
        if (email instanceof String s && !s.isEmpty() && !EMAIL.matcher(s).matches()) {
            return Answer.errors(400, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: " + s,
                    List.of("Email"));
        }
        return upsert(request, version, major, field, externalId, fields);
    }

    private Answer upsert(Request request, String version, int major, String field, String externalId,
            Map<String, Object> fields) {
        synchronized (writeLock) {
            SalesforceLead existing = leads.get(externalId);
            boolean created = existing == null;
            Map<String, Object> merged = new LinkedHashMap<>();
            String id = created ? newRecordId() : existing.id();
            if (created) {
                merged.put("Id", id);
                merged.put(field, externalId);
            } else {
                merged.putAll(existing.fields());
            }
            fields.forEach((k, v) -> {
                String name = merged.keySet().stream().filter(k::equalsIgnoreCase).findFirst().orElse(k);
                merged.put(name, v);
            });
            List<String> missing = new ArrayList<>();
            for (String required : List.of("LastName", "Company")) {
                Object v = valueOf(merged, required);
                if (v == null || v.toString().isBlank()) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                return Answer.errors(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing,
                        missing);
            }
            leads.put(externalId, new SalesforceLead(id, merged, created ? 1 : existing.writes() + 1));
            int status = created ? 201 : major >= 46 ? 200 : 204;
            writes.add(new SalesforceWrite(request.getHeader("Idempotency-Key"), externalId, id, created, status,
                    fields, version));
            if (status == 204) {
                return new Answer(204, null, null);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            result.put("success", true);
            result.put("errors", List.of());
            if (major >= 46) {
                result.put("created", created);
            }
            return Answer.json(status, result);
        }
    }

    private static Answer notFound() {
        return Answer.errors(404, "NOT_FOUND", "The requested resource does not exist", null);
    }

    private static Object valueOf(Map<String, Object> fields, String name) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** An 18-character Lead id, 00Q prefix. */
    private String newRecordId() {
        return String.format(Locale.ROOT, "00Q5g%013d", recordIds.incrementAndGet());
    }

    /** Sleeps; true when the fake was closed meanwhile. */
    private boolean sleep(Duration d) {
        try {
            return closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Decodes a path segment: '+' is a literal plus there, unlike in forms. */
    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(k, v);
        }
        return form;
    }

    private static String defaultErrorCode(int status) {
        return switch (status) {
            case 503 -> "SERVER_UNAVAILABLE";
            case 403 -> "REQUEST_LIMIT_EXCEEDED";
            case 500 -> "UNKNOWN_EXCEPTION";
            case 401 -> "INVALID_SESSION_ID";
            case 404 -> "NOT_FOUND";
            case 400 -> "INVALID_FIELD";
            default -> null; // plain text: a gateway or proxy answered
        };
    }

    private static String defaultMessage(int status) {
        return switch (status) {
            case 503 -> "Server is temporarily unavailable; please retry";
            case 403 -> "TotalRequests Limit exceeded.";
            case 500 -> "An unexpected error occurred. Please include this ErrorId if you contact support";
            case 401 -> "Session expired or invalid";
            case 404 -> "The requested resource does not exist";
            case 400 -> "injected failure";
            case 429 -> "Too Many Requests";
            default -> "HTTP " + status;
        };
    }

    @Override
    public String toString() {
        return "FakeSalesforce[" + baseUrl + ", " + leads().size() + " leads]";
    }
}
