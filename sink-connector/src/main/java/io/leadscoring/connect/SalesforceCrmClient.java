package io.leadscoring.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers handoffs to Salesforce as Leads: <b>one upsert per handoff</b>, {@code PATCH
 * {instance_url}/services/data/{version}/sobjects/Lead/{externalIdField}/{leadId}}, so a lead handed over again
 * (or a handoff delivered twice) updates its Lead instead of creating a second one. Requests go through
 * {@link ConcurrentDelivery}: bounded, and in batch order per lead.
 *
 * <p><b>Authentication</b>: OAuth 2.0 client credentials flow ({@code POST {login url}/services/oauth2/token}, form
 * {@code grant_type=client_credentials&client_id&client_secret}). The token is fetched lazily, cached and shared by
 * all requests; at most one token request is under way at a time. Salesforce sends no expiry with it, so it is
 * replaced when a request is answered 401 (INVALID_SESSION_ID); that request is then sent again once, at once, with
 * the new token. A failed token request is not repeated within one {@link #deliver} call (its handoffs are all
 * transient): a wrong secret costs one token request per attempt, not one per handoff.
 *
 * <p><b>Request</b>: body = the mapped handoff fields ({@link HandoffFields#mapped}; absent values are left out so
 * they do not clear Lead fields) plus {@code Status} when {@code salesforce.lead.status} is set; never the external
 * id field (it is the URL). Headers: {@code Authorization: Bearer}, {@code Content-Type: application/json},
 * {@code Idempotency-Key: <handoffId>} (ignored by Salesforce; for proxies and the test fake) and
 * {@code Sforce-Auto-Assign: FALSE}: without that header Salesforce runs the active Lead assignment rules on every
 * create <em>and update</em>, so each re-delivery or later handoff of a lead could move it to another owner
 * (round-robin rules do) and override a manual reassignment; routing new Leads is left to the org (e.g. a
 * record-triggered flow on create).
 *
 * <p><b>Outcomes</b>: 200/201/204 delivered (201 created; 200 since API v46.0, 204 before, updated). 300 (the
 * external id matches several Leads) and 400 (REQUIRED_FIELD_MISSING, INVALID_EMAIL_ADDRESS, validation rules...)
 * are permanent, except when any error of a 400 says the configuration is wrong ({@link #CONFIGURATION_ERROR_CODES},
 * or a {@code salesforce.lead.status} that is not in the restricted Status picklist): they would reject every
 * handoff, so they are transient and finally fail the task instead of dead-lettering all; and UNABLE_TO_LOCK_ROW
 * (another transaction holds the record), which passes, so it is transient too. A lead id of {@code .} or
 * {@code ..} fails permanently without a request: as a path segment it would change the URL.
 * 401 after the refresh, 403 (REQUEST_LIMIT_EXCEEDED: the org's daily API limit; or missing permissions), 404 and
 * 3xx are transient; 408, 429 and 5xx are transient honouring Retry-After ({@link HttpOutcomes}). Token endpoint
 * errors are transient too. The client secret and the access token never appear in outcomes, logs or toString.
 */
public final class SalesforceCrmClient implements CrmClient {

    private static final Logger log = LoggerFactory.getLogger(SalesforceCrmClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_BODY_IN_REASON = 300;
    private static final Pattern API_VERSION = Pattern.compile("v\\d+\\.\\d+");

    static final String TOKEN_PATH = "/services/oauth2/token";

    /** 400 error codes caused by the connector's settings (field mapping, permissions), not by one record. */
    static final Set<String> CONFIGURATION_ERROR_CODES =
            Set.of("INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE", "INVALID_TYPE");
    /** 400 error codes of a passing condition: another transaction holds a lock on the Lead (or a related record). */
    static final Set<String> TRANSIENT_ERROR_CODES = Set.of("UNABLE_TO_LOCK_ROW");
    /** The 400 error code of a value that is not in a restricted picklist, e.g. {@code salesforce.lead.status}. */
    static final String RESTRICTED_PICKLIST = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST";

    private final HttpClient http;
    private final URI tokenUrl;
    private final String clientId;
    private final Password clientSecret;
    private final String apiVersion;
    private final String externalIdField;
    private final Map<String, String> mapping;
    private final String leadStatus;
    private final Duration requestTimeout;
    private final int maxInFlight;
    private final Clock clock;
    private final CrmMetrics metrics;

    private final Object tokenLock = new Object();
    /** The current token, or the request fetching it; guarded by tokenLock. */
    private CompletableFuture<Token> token;

    /**
     * @param loginUrl the org's My Domain URL ({@code https://acme.my.salesforce.com})
     * @param externalIdField Lead field holding the lead id, used in the upsert URL
     * @param mapping handoff field (see {@link HandoffFields}) to Lead field API name
     * @param leadStatus value written to Lead.Status, or {@code null} to leave it alone
     */
    public SalesforceCrmClient(HttpClient http, URI loginUrl, String clientId, Password clientSecret,
            String apiVersion, String externalIdField, Map<String, String> mapping, String leadStatus,
            Duration requestTimeout, int maxInFlight, Clock clock) {
        this(http, loginUrl, clientId, clientSecret, apiVersion, externalIdField, mapping, leadStatus, requestTimeout,
                maxInFlight, clock, CrmMetrics.NONE);
    }

    /** @param metrics told of every request, token requests included (status, latency) */
    public SalesforceCrmClient(HttpClient http, URI loginUrl, String clientId, Password clientSecret,
            String apiVersion, String externalIdField, Map<String, String> mapping, String leadStatus,
            Duration requestTimeout, int maxInFlight, Clock clock, CrmMetrics metrics) {
        this.http = Objects.requireNonNull(http, "http");
        this.tokenUrl = URI.create(stripTrailingSlash(Objects.requireNonNull(loginUrl, "loginUrl").toString())
                + TOKEN_PATH);
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        if (clientSecret.value() == null || clientSecret.value().isEmpty()) {
            throw new IllegalArgumentException("the client secret must not be empty");
        }
        this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("apiVersion must look like v62.0, not " + apiVersion);
        }
        this.externalIdField = Objects.requireNonNull(externalIdField, "externalIdField");
        this.mapping = new LinkedHashMap<>(mapping);
        this.mapping.values().removeIf(f -> f.equalsIgnoreCase(externalIdField)); // it always holds the lead id
        this.leadStatus = leadStatus == null || leadStatus.isBlank() ? null : leadStatus;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1");
        }
        this.maxInFlight = maxInFlight;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public static SalesforceCrmClient fromConfig(CrmSinkConfig config, CrmMetrics metrics) {
        if (config.salesforceLoginUrl() == null) {
            throw new IllegalArgumentException(CrmSinkConfig.SALESFORCE_LOGIN_URL + " is not set");
        }
        if (config.salesforceClientId() == null || config.salesforceClientId().isEmpty()) {
            throw new IllegalArgumentException(CrmSinkConfig.SALESFORCE_CLIENT_ID + " is not set");
        }
        Password secret = config.salesforceClientSecret();
        if (secret == null || secret.value() == null || secret.value().isEmpty()) {
            throw new IllegalArgumentException(CrmSinkConfig.SALESFORCE_CLIENT_SECRET + " is not set");
        }
        return new SalesforceCrmClient(HttpClients.create(config), config.salesforceLoginUrl(),
                config.salesforceClientId(), secret, config.salesforceApiVersion(),
                config.salesforceExternalIdField(), config.salesforceFieldMapping(), config.salesforceLeadStatus(),
                config.httpRequestTimeout(), config.maxInFlightRequests(), Clock.systemUTC(), metrics);
    }

    @Override
    public DeliveryResult deliver(List<Handoff> batch) {
        synchronized (tokenLock) {
            // a token failure is kept for one delivery only: this one may try again
            if (token != null && token.isCompletedExceptionally()) {
                token = null;
            }
        }
        DeliveryResult result = ConcurrentDelivery.deliver(batch, maxInFlight, this::send);
        result.outcomes().stream().filter(o -> o.outcome().kind() != Outcome.Kind.DELIVERED).forEach(o ->
                log.debug("Salesforce upsert of handoff {} (lead {}) not delivered: {}", o.handoff().handoffId(),
                        o.handoff().leadId(), o.outcome()));
        return result;
    }

    // ---- token ------------------------------------------------------------------------------------------------

    /** An access token and the instance it is valid for. toString hides the token. */
    record Token(String accessToken, URI instanceUrl) {
        @Override
        public String toString() {
            return "Token[instanceUrl=" + instanceUrl + "]";
        }
    }

    /** A token request failed: every handoff waiting for it gets {@link #outcome}. */
    static final class TokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Outcome outcome;

        TokenException(Outcome outcome) {
            super(((Outcome.Transient) outcome).reason(), null, false, false);
            this.outcome = outcome;
        }

        Outcome outcome() {
            return outcome;
        }
    }

    /** The cached token, or the single request fetching it. */
    CompletableFuture<Token> token() {
        synchronized (tokenLock) {
            if (token == null) {
                token = fetchToken();
            }
            return token;
        }
    }

    /** A new token instead of {@code stale}, unless another request already replaced it (single flight). */
    private CompletableFuture<Token> refresh(Token stale) {
        synchronized (tokenLock) {
            boolean current = token != null && token.isDone() && !token.isCompletedExceptionally()
                    && token.join() == stale;
            if (current) {
                log.info("Salesforce refused the access token (session expired or invalid); requesting a new one");
                token = fetchToken();
            }
            return token != null ? token : (token = fetchToken());
        }
    }

    private CompletableFuture<Token> fetchToken() {
        String form = "grant_type=client_credentials&client_id=" + formEncode(clientId)
                + "&client_secret=" + formEncode(clientSecret.value());
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        return metrics.timed(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                        .orTimeout(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS))
                .handle((response, failure) -> {
                    if (failure != null) {
                        Outcome o = transportOutcome(failure);
                        throw tokenFailure(Outcome.transientFailure("Salesforce token request to " + tokenUrl
                                + " failed: " + reasonOf(o), null));
                    }
                    return parseToken(response);
                });
    }

    private Token parseToken(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 200) {
            try {
                JsonNode json = MAPPER.readTree(response.body());
                String accessToken = json.path("access_token").asText("");
                String instance = json.path("instance_url").asText("");
                if (accessToken.isEmpty() || !(instance.startsWith("https://") || instance.startsWith("http://"))) {
                    throw tokenFailure(Outcome.transientFailure("Salesforce token response of " + tokenUrl
                            + " has no access_token or instance_url", null));
                }
                Token t = new Token(accessToken, URI.create(stripTrailingSlash(instance)));
                log.info("Obtained a Salesforce access token for {}", t.instanceUrl());
                return t;
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw tokenFailure(Outcome.transientFailure("Salesforce token response of " + tokenUrl
                        + " is not a valid token document", null));
            }
        }
        String error = null;
        String description = null;
        try {
            JsonNode json = MAPPER.readTree(response.body());
            error = json.path("error").asText(null);
            description = json.path("error_description").asText(null);
        } catch (JsonProcessingException | RuntimeException e) {
            // not OAuth JSON (a proxy's page): reported by status only
        }
        String what = "HTTP " + status + (error == null ? "" : " " + error
                + (description == null ? "" : ": " + description));
        if (status == 400 || status == 401 || status == 403) {
            // invalid_client, invalid_client_id, invalid_grant: the settings are wrong, not the records
            return failToken(Outcome.transientFailure("Salesforce refused the token request (" + what
                    + "): check " + CrmSinkConfig.SALESFORCE_CLIENT_ID + " and "
                    + CrmSinkConfig.SALESFORCE_CLIENT_SECRET
                    + ", that the connected app enables the client credentials flow with a run-as user, and that "
                    + CrmSinkConfig.SALESFORCE_LOGIN_URL + " is the org's My Domain URL", null));
        }
        Outcome o = HttpOutcomes.classify(status, response.headers().firstValue("Retry-After").orElse(null),
                error == null ? HttpOutcomes.abbreviate(response.body(), MAX_BODY_IN_REASON) : null, clock);
        Duration retryAfter = o instanceof Outcome.Transient t ? t.retryAfter().orElse(null) : null;
        return failToken(Outcome.transientFailure("Salesforce token request to " + tokenUrl + " failed: "
                + (error == null ? reasonOf(o) : what), retryAfter));
    }

    private Token failToken(Outcome outcome) {
        throw tokenFailure(outcome);
    }

    private TokenException tokenFailure(Outcome outcome) {
        Outcome.Transient t = (Outcome.Transient) outcome;
        Outcome safe = Outcome.transientFailure(redact(t.reason()), t.retryAfter().orElse(null));
        log.warn("{}", ((Outcome.Transient) safe).reason());
        return new TokenException(safe);
    }

    // ---- upsert -----------------------------------------------------------------------------------------------

    /** The Lead fields written for a handoff (visible for tests). */
    Map<String, Object> fields(Handoff h) {
        Map<String, Object> fields = HandoffFields.mapped(h, mapping);
        if (leadStatus != null) {
            fields.put("Status", leadStatus);
        }
        return fields;
    }

    /** The upsert URL of a lead on {@code instanceUrl} (visible for tests). */
    URI upsertUri(URI instanceUrl, String leadId) {
        return URI.create(instanceUrl + "/services/data/" + apiVersion + "/sobjects/Lead/"
                + pathEncode(externalIdField) + "/" + pathEncode(leadId));
    }

    private CompletableFuture<Outcome> send(Handoff h) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(fields(h));
        } catch (JsonProcessingException | RuntimeException e) {
            return CompletableFuture.completedFuture(Outcome.permanentFailure("cannot build request: " + e));
        }
        if (h.leadId().equals(".") || h.leadId().equals("..")) {
            // A dot segment would change the URL path (clients, proxies and servers resolve it), not name a Lead.
            return CompletableFuture.completedFuture(Outcome.permanentFailure("lead id '" + h.leadId()
                    + "' cannot be an external id in the upsert URL (it is a relative path segment)"));
        }
        // Reasons are scrubbed of the token the request carried too: another request may have replaced it meanwhile.
        return token()
                .thenCompose(t -> upsert(t, h, body).thenCompose(response -> {
                    if (response.statusCode() != 401) {
                        return CompletableFuture.completedFuture(hide(classify(response, h, false), t));
                    }
                    return refresh(t).thenCompose(fresh -> upsert(fresh, h, body)
                            .thenApply(retried -> hide(classify(retried, h, true), fresh)));
                }))
                .handle((outcome, failure) -> failure == null ? outcome : failureOutcome(failure));
    }

    private CompletableFuture<HttpResponse<String>> upsert(Token t, Handoff h, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(upsertUri(t.instanceUrl(), h.leadId()))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + t.accessToken())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Idempotency-Key", h.handoffId())
                .header("Sforce-Auto-Assign", "FALSE")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // The request timeout covers the response headers only; a stalled body must not hang the task.
        return metrics.timed(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS));
    }

    private Outcome failureOutcome(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof TokenException te ? te.outcome() : redacted(transportOutcome(t));
    }

    /** I/O errors and timeouts: transient ({@link HttpOutcomes}); orTimeout's exception has no message. */
    private Outcome transportOutcome(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof TimeoutException) {
            return Outcome.transientFailure("timeout: no complete answer within "
                    + requestTimeout.multipliedBy(2).toMillis() + " ms", null);
        }
        return HttpOutcomes.classify(t);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The outcome of an upsert answer; {@code afterRefresh}: the request was already retried with a new token. */
    Outcome classify(HttpResponse<String> response, Handoff h, boolean afterRefresh) {
        int status = response.statusCode();
        String body = response.body();
        Outcome o;
        if (status >= 200 && status < 300) {
            o = Outcome.delivered();
        } else if (status == 300) {
            o = Outcome.permanentFailure("HTTP 300: " + externalIdField + "=" + h.leadId()
                    + " matches several Leads (duplicate external ids): " + HttpOutcomes.abbreviate(body, MAX_BODY_IN_REASON));
        } else if (status == 400) {
            // Any of the errors decides: one about the settings would reject every handoff whatever the others say.
            String error = errors(body);
            List<JsonNode> errors = errorList(body);
            if (errors.stream().anyMatch(e -> CONFIGURATION_ERROR_CODES.contains(e.path("errorCode").asText()))) {
                o = Outcome.transientFailure("HTTP 400 " + error + " (check " + CrmSinkConfig.SALESFORCE_FIELD_MAPPING
                        + ": every Lead field must exist and be editable by the run-as user)", null);
            } else if (leadStatus != null && errors.stream().anyMatch(SalesforceCrmClient::isStatusPicklistError)) {
                o = Outcome.transientFailure("HTTP 400 " + error + " (check " + CrmSinkConfig.SALESFORCE_LEAD_STATUS
                        + ": it must be a value of the org's Lead Status picklist)", null);
            } else if (errors.stream().anyMatch(e -> TRANSIENT_ERROR_CODES.contains(e.path("errorCode").asText()))) {
                o = Outcome.transientFailure("HTTP 400 " + error + " (the Lead or a related record is locked by "
                        + "another transaction)", null);
            } else {
                o = Outcome.permanentFailure("HTTP 400 " + error);
            }
        } else if (status == 401) {
            o = Outcome.transientFailure("HTTP 401 " + errors(body) + (afterRefresh
                    ? " even with a new access token (check the connected app's OAuth policies and run-as user)"
                    : ""), null);
        } else if (status == 403 && "REQUEST_LIMIT_EXCEEDED".equals(firstErrorCode(body))) {
            // the org's rolling 24-hour API limit: no Retry-After, the backoff has to do
            o = Outcome.transientFailure("HTTP 403 " + errors(body) + " (the org's API request limit)", null);
        } else if ((status >= 300 && status < 400) || status == 403 || status == 404 || status == 405) {
            o = Outcome.transientFailure("HTTP " + status + " " + errors(body) + " (check "
                    + CrmSinkConfig.SALESFORCE_EXTERNAL_ID_FIELD + ", " + CrmSinkConfig.SALESFORCE_API_VERSION
                    + " and the run-as user's permissions on Lead)", null);
        } else {
            o = HttpOutcomes.classify(status, response.headers().firstValue("Retry-After").orElse(null),
                    errors(body), clock);
        }
        return redacted(o);
    }

    /** Salesforce's errors ([{message, errorCode, fields}]) as "CODE: message [fields]", else the abbreviated body. */
    static String errors(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json != null && json.isArray() && !json.isEmpty() && json.get(0).has("errorCode")) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode e : json) {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    sb.append(e.path("errorCode").asText()).append(": ").append(e.path("message").asText());
                    JsonNode fields = e.path("fields");
                    if (fields.isArray() && !fields.isEmpty()) {
                        sb.append(" ").append(fields);
                    }
                }
                return HttpOutcomes.abbreviate(sb.toString(), MAX_BODY_IN_REASON);
            }
        } catch (JsonProcessingException e) {
            // not Salesforce's JSON (a proxy or load balancer answered)
        }
        return HttpOutcomes.abbreviate(body, MAX_BODY_IN_REASON);
    }

    /** Salesforce's error objects ({@code [{message, errorCode, fields}]}); empty when the body is not that. */
    private static List<JsonNode> errorList(String body) {
        try {
            JsonNode json = body == null || body.isBlank() ? null : MAPPER.readTree(body);
            if (json == null || !json.isArray()) {
                return List.of();
            }
            List<JsonNode> out = new ArrayList<>();
            json.forEach(out::add);
            return out;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    /** A restricted-picklist error about Lead.Status: the value of {@code salesforce.lead.status}, not the record's. */
    private static boolean isStatusPicklistError(JsonNode error) {
        if (!RESTRICTED_PICKLIST.equals(error.path("errorCode").asText())) {
            return false;
        }
        for (JsonNode field : error.path("fields")) {
            if (field.asText().equalsIgnoreCase("Status")) {
                return true;
            }
        }
        return error.path("message").asText("").startsWith("Lead Status:");
    }

    private static String firstErrorCode(String body) {
        try {
            JsonNode json = body == null ? null : MAPPER.readTree(body);
            return json != null && json.isArray() && !json.isEmpty()
                    ? json.get(0).path("errorCode").asText(null) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Outcome redacted(Outcome o) {
        if (o instanceof Outcome.Transient t) {
            return Outcome.transientFailure(redact(t.reason()), t.retryAfter().orElse(null));
        }
        if (o instanceof Outcome.Permanent p) {
            return Outcome.permanentFailure(redact(p.reason()));
        }
        return o;
    }

    /** Also hides {@code used}, the token the request carried: another request may have replaced it meanwhile. */
    private Outcome hide(Outcome o, Token used) {
        String accessToken = used.accessToken();
        if (o instanceof Outcome.Transient t && t.reason().contains(accessToken)) {
            return Outcome.transientFailure(t.reason().replace(accessToken, "[hidden]"), t.retryAfter().orElse(null));
        }
        if (o instanceof Outcome.Permanent p && p.reason().contains(accessToken)) {
            return Outcome.permanentFailure(p.reason().replace(accessToken, "[hidden]"));
        }
        return o;
    }

    /** Defence in depth: a proxy might echo the request; neither the secret nor a token may reach a reason. */
    private String redact(String reason) {
        String r = reason;
        String secret = clientSecret.value();
        if (secret != null && !secret.isEmpty()) {
            r = r.replace(secret, "[hidden]").replace(formEncode(secret), "[hidden]");
        }
        CompletableFuture<Token> current;
        synchronized (tokenLock) {
            current = token;
        }
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            r = r.replace(current.join().accessToken(), "[hidden]");
        }
        return r;
    }

    private static String reasonOf(Outcome o) {
        if (o instanceof Outcome.Transient t) {
            return t.reason();
        }
        if (o instanceof Outcome.Permanent p) {
            return p.reason();
        }
        return o.toString();
    }

    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Percent-encodes one path segment (URLEncoder is for forms: it turns a space into '+'). */
    static String pathEncode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripTrailingSlash(String url) {
        String s = url.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }


    @Override
    public String toString() {
        return "SalesforceCrmClient[" + tokenUrl + ", " + apiVersion + ", Lead." + externalIdField + "]";
    }

    @Override
    public void close() {
        HttpClients.close(http, log);
    }
}
