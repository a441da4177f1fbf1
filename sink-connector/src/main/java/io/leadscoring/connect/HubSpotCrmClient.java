package io.leadscoring.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts handoffs as HubSpot contacts, keyed by e-mail, through the CRM v3 batch endpoint
 * {@code POST {hubspot.url}/crm/v3/objects/contacts/batch/upsert}.
 *
 * <p><b>Request.</b> One POST per chunk of at most {@value #MAX_INPUTS} inputs (HubSpot's batch limit), chunks
 * sent one after the other (HubSpot's limits are per account and per second or ten seconds, concurrency would only
 * reach them sooner). Headers: {@code Authorization: Bearer <hubspot.token>}, {@code Content-Type:
 * application/json} and {@code Idempotency-Key}: a SHA-256 of the request's sorted handoff ids. HubSpot ignores that
 * header; it is there for proxies and test fakes. The real idempotency is the upsert itself: the contact is found
 * by e-mail, created once and updated afterwards, and carries the handoff id in the mapped property
 * ({@code lead_handoff_id} by default). Body:
 * <pre>{"inputs":[{"idProperty":"email","id":"ada@example.com","objectWriteTraceId":"&lt;handoffId&gt;",
 *   "properties":{"email":"ada@example.com","lifecyclestage":"salesqualifiedlead","lead_score":"112.5",...}}]}</pre>
 * Property values are strings (the API's schema is a string map); numbers are rounded by {@link HandoffFields}
 * and written without exponent or trailing zeros.
 *
 * <p><b>Before sending.</b> A handoff without e-mail fails permanently, nothing is sent for it. HubSpot refuses a
 * batch that names one id twice ({@code 400 "Duplicate IDs found in batch input"}), so of the handoffs of one
 * {@link #deliver} call with the same e-mail (case-insensitive) only the <b>last</b> is sent: an upsert of the same
 * contact with last write wins, so the later handoff supersedes the earlier ones, which get its outcome.
 *
 * <p><b>Answers.</b>
 * <ul>
 * <li>200: every input delivered (HubSpot answers 200 only when the whole batch was written), unless the batch
 * {@code status} is not {@code COMPLETE}: then, as for a 207, only the listed results are.</li>
 * <li>207 multi-status: HubSpot answers it when every input carries an {@code objectWriteTraceId} (documented for
 * batch create; upsert does the same in practice, hence the trace id, which is the handoff id). {@code results} are
 * delivered; each entry of {@code errors} names its inputs in {@code context.objectWriteTraceId} (also read:
 * {@code context.ids}/{@code context.id}/{@code id} as e-mails, and as a last resort e-mails quoted in the message,
 * case-insensitive since HubSpot lowercases e-mails) and fails them permanently with its category and message,
 * except rate-limit and authentication categories and errors about our settings (below), which are transient.
 * Inputs neither in {@code results} nor in {@code errors} are transient ("no result"): HubSpot did not say what
 * happened to them.</li>
 * <li>400 or 409 (CONFLICT) for the whole request (nothing was written): an error about our settings (a mapped
 * property that does not exist, {@code PROPERTY_DOESNT_EXIST}, or is read-only, {@code READ_ONLY_VALUE}; a
 * {@code hubspot.lifecycle.stage} that is not an option) is transient for every input and the rest of the batch is
 * not sent: it would reject every record, so the task fails once retries run out instead of dead-lettering all.
 * Otherwise, when the error names inputs (e.g. an e-mail in an
 * INVALID_EMAIL message) only those fail permanently and the others are sent again at once; duplicate ids that our
 * e-mail key told apart ({@code context.ids}) are sent again each on its own, in batch order. When the error names
 * no input, a request of several inputs is split in halves, each sent again (recursively), so
 * that one bad record does not send 99 good ones to the dead-letter queue; a single input's 400 or 409 is
 * permanent.</li>
 * <li>401/403 (token invalid or without the {@code crm.objects.contacts.write} scope), 3xx/404/405/407 (wrong
 * {@code hubspot.url}): transient, no record's fault ({@link HttpOutcomes}); the task fails once retries run out.</li>
 * <li>429: transient, waiting for {@code Retry-After} when sent; otherwise by the body's {@code policyName}:
 * {@code TEN_SECONDLY_ROLLING} the {@code X-HubSpot-RateLimit-Interval-Milliseconds} header or 10 s, secondly
 * limits 1 s (both as HubSpot's own Node client waits), {@code DAILY} 1 h (our choice: the daily quota resets at
 * midnight in the account's time zone, which we do not know).</li>
 * <li>423 Locked: transient, 2 s (HubSpot: locks last 2 seconds). 477 migration in progress: transient with its
 * {@code Retry-After}. 408, 5xx, I/O errors and timeouts: transient.</li>
 * </ul>
 *
 * <p>Once a request has failed as a whole and transiently, the rest of the batch is not sent (transient "not sent",
 * same Retry-After): it would fail alike, and HubSpot wants error answers under 5% of an integration's requests.
 *
 * <p>The token (stripped of surrounding whitespace) is never logged nor put in an outcome: every reason is scrubbed of
 * it. A request that cannot even be built or handed to the HTTP client is transient: that is never one record's
 * fault.
 */
public final class HubSpotCrmClient implements CrmClient {

    private static final Logger log = LoggerFactory.getLogger(HubSpotCrmClient.class);

    /** Path of the batch upsert endpoint, appended to {@code hubspot.url}. */
    public static final String UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert";
    /** HubSpot's maximum number of inputs per batch request. */
    public static final int MAX_INPUTS = 100;
    static final String NO_EMAIL = "no email: HubSpot upserts contacts by email";
    static final Duration TEN_SECONDLY_WAIT = Duration.ofSeconds(10);
    static final Duration SECONDLY_WAIT = Duration.ofSeconds(1);
    static final Duration DAILY_WAIT = Duration.ofHours(1);
    static final Duration LOCKED_WAIT = Duration.ofSeconds(2);
    private static final int MAX_REASON = 300;
    /** Error categories that say nothing about the record: retried instead of dead-lettered. */
    private static final Set<String> TRANSIENT_CATEGORIES = Set.of("RATE_LIMITS", "RATE_LIMIT",
            "INVALID_AUTHENTICATION", "MISSING_SCOPES");
    /** Something shaped like an e-mail inside an error message (the domain may be missing: "ada@" is invalid). */
    private static final String EMAIL_CHAR = "[^\\s\"'\\[\\]{}(),;<>\\\\]";
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile(EMAIL_CHAR + "+@" + EMAIL_CHAR + "*");
    /** HubSpot's text for a property missing in the account, also inside a JSON string (escaped quotes). */
    private static final Pattern PROPERTY_DOES_NOT_EXIST =
            Pattern.compile("Property \\\\?\"[^\"\\\\]+\\\\?\" does not exist");

    private final HttpClient http;
    private final URI upsertUri;
    private final Password token;
    private final String lifecycleStage;
    private final Map<String, String> mapping;
    private final Duration requestTimeout;
    private final Clock clock;
    private final CrmMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param baseUri        HubSpot API base, e.g. {@code https://api.hubapi.com}
     * @param lifecycleStage internal value of the lifecycle stage to set, {@code null} to leave it alone
     * @param mapping        handoff field to contact property ({@link HandoffFields} names)
     */
    public HubSpotCrmClient(HttpClient http, URI baseUri, Password token, String lifecycleStage,
            Map<String, String> mapping, Duration requestTimeout, Clock clock) {
        this(http, baseUri, token, lifecycleStage, mapping, requestTimeout, clock, CrmMetrics.NONE);
    }

    /** @param metrics told of every request (status, latency) */
    public HubSpotCrmClient(HttpClient http, URI baseUri, Password token, String lifecycleStage,
            Map<String, String> mapping, Duration requestTimeout, Clock clock, CrmMetrics metrics) {
        this.http = Objects.requireNonNull(http, "http");
        String base = Objects.requireNonNull(baseUri, "baseUri").toString().replaceAll("/+$", "");
        this.upsertUri = URI.create(base + UPSERT_PATH);
        Objects.requireNonNull(token, "token");
        // A token read from a file often ends with a line break, which no HTTP header may carry: every request
        // would fail to build. Surrounding whitespace is dropped; any other character a header cannot carry is a
        // configuration error now (the message never shows the token).
        String value = token.value() == null ? "" : token.value().strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the HubSpot token is blank");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the HubSpot token contains whitespace, control or non-ASCII "
                    + "characters, which an Authorization header cannot carry: check " + CrmSinkConfig.HUBSPOT_TOKEN);
        }
        this.token = value.equals(token.value()) ? token : new Password(value);
        this.lifecycleStage = lifecycleStage == null || lifecycleStage.isBlank() ? null : lifecycleStage.trim();
        this.mapping = new LinkedHashMap<>(Objects.requireNonNull(mapping, "mapping"));
        mapping.keySet().stream().filter(f -> !HandoffFields.isField(f)).findFirst().ifPresent(f -> {
            throw new IllegalArgumentException("unknown handoff field '" + f + "'; known: " + HandoffFields.NAMES);
        });
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public static HubSpotCrmClient fromConfig(CrmSinkConfig config, CrmMetrics metrics) {
        Password token = config.hubspotToken();
        if (token == null || token.value() == null || token.value().isBlank()) {
            throw new IllegalArgumentException(CrmSinkConfig.HUBSPOT_TOKEN + " is not set");
        }
        return new HubSpotCrmClient(HttpClients.create(config), config.hubspotUrl(), token,
                config.hubspotLifecycleStage(), config.hubspotPropertyMapping(), config.httpRequestTimeout(),
                Clock.systemUTC(), metrics);
    }

    /**
     * One deliver call: once a request failed as a whole for a reason that is not the records' (429, 5xx, 401,
     * timeout...), the rest of the batch is not sent: it would fail the same way and spend HubSpot's quota.
     */
    private static final class Delivery {
        Outcome.Transient requestFailure;
    }

    /** One contact to upsert: the handoff that is sent for its e-mail. */
    private record Input(Handoff handoff, String email, String traceId, ObjectNode node) {
    }

    @Override
    public DeliveryResult deliver(List<Handoff> batch) {
        Outcome[] outcomes = new Outcome[batch.size()];
        // Last handoff per e-mail wins; earlier ones point at it.
        Map<String, Integer> lastByEmail = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Handoff h = batch.get(i);
            if (!h.hasEmail()) {
                outcomes[i] = Outcome.permanentFailure(NO_EMAIL);
            } else {
                lastByEmail.put(emailKey(h.email()), i);
            }
        }
        List<Integer> sent = new ArrayList<>(lastByEmail.values());
        sent.sort(Integer::compare);
        List<Input> inputs = new ArrayList<>(sent.size());
        Map<String, Integer> traceIds = new HashMap<>();
        for (int i : sent) {
            inputs.add(input(batch.get(i), traceIds));
        }
        Delivery delivery = new Delivery();
        for (int from = 0; from < inputs.size(); from += MAX_INPUTS) {
            List<Input> chunk = inputs.subList(from, Math.min(inputs.size(), from + MAX_INPUTS));
            Outcome[] chunkOutcomes = send(chunk, delivery);
            for (int j = 0; j < chunk.size(); j++) {
                outcomes[sent.get(from + j)] = chunkOutcomes[j];
            }
        }
        List<DeliveryResult.RecordOutcome> result = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = outcomes[i];
            if (o == null) { // superseded by a later handoff of the same e-mail
                o = outcomes[lastByEmail.get(emailKey(batch.get(i).email()))];
            }
            if (o.kind() != Outcome.Kind.DELIVERED) {
                log.debug("HubSpot upsert of handoff {} not delivered: {}", batch.get(i).handoffId(), o);
            }
            result.add(new DeliveryResult.RecordOutcome(batch.get(i), o));
        }
        return new DeliveryResult(result);
    }

    private static String emailKey(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private Input input(Handoff h, Map<String, Integer> traceIds) {
        String email = h.email().trim();
        // The trace id must be unique per request; handoff ids are, unless the batch repeats one with two e-mails.
        int seen = traceIds.merge(h.handoffId(), 1, Integer::sum);
        String traceId = seen == 1 ? h.handoffId() : h.handoffId() + "#" + seen;
        ObjectNode node = json.createObjectNode();
        node.put("idProperty", "email");
        node.put("id", email);
        node.put("objectWriteTraceId", traceId);
        ObjectNode props = node.putObject("properties");
        props.put("email", email);
        if (lifecycleStage != null) {
            props.put("lifecyclestage", lifecycleStage);
        }
        HandoffFields.mapped(h, mapping).forEach((property, value) -> {
            String p = property.toLowerCase(Locale.ROOT);
            if (!p.equals("email") && !(p.equals("lifecyclestage") && lifecycleStage != null)) {
                props.put(property, text(value));
            }
        });
        return new Input(h, email, traceId, node);
    }

    private static String text(Object value) {
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** Outcomes of one request's inputs, in order; splits or re-sends on a 400 (each call on fewer inputs). */
    private Outcome[] send(List<Input> inputs, Delivery delivery) {
        Outcome[] out = new Outcome[inputs.size()];
        if (inputs.isEmpty()) {
            return out;
        }
        if (delivery.requestFailure != null) {
            Arrays.fill(out, Outcome.transientFailure("not sent: an earlier request of this batch failed: "
                    + delivery.requestFailure.reason(), delivery.requestFailure.retryAfter().orElse(null)));
            return out;
        }
        HttpResponse<String> response;
        try {
            HttpRequest request = request(inputs);
            // The request timeout covers the response headers only; a stalled body must not hang the task.
            response = metrics.timed(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString(
                    StandardCharsets.UTF_8)).orTimeout(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.requestFailure = new Outcome.Transient("interrupted before HubSpot answered", Optional.empty());
            Arrays.fill(out, delivery.requestFailure);
            return out;
        } catch (ExecutionException e) {
            Outcome o = scrub(HttpOutcomes.classify(e));
            if (o instanceof Outcome.Transient t) {
                delivery.requestFailure = t;
            }
            Arrays.fill(out, o);
            return out;
        } catch (RuntimeException e) {
            // Building or handing over the request failed (e.g. a header value the JDK refuses): that is about the
            // settings or the client, never one record, so no record may be dead-lettered for it.
            delivery.requestFailure = new Outcome.Transient(scrub("cannot send the request: " + e + " (check "
                    + CrmSinkConfig.HUBSPOT_URL + " and " + CrmSinkConfig.HUBSPOT_TOKEN + ")"), Optional.empty());
            Arrays.fill(out, delivery.requestFailure);
            return out;
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            return multiStatus(inputs, status, body);
        }
        if (status == 400 || status == 409) {
            return refused(inputs, status, body, response.body(), delivery);
        }
        Outcome o = failure(response, body);
        if (o instanceof Outcome.Transient t) {
            delivery.requestFailure = t;
        }
        Arrays.fill(out, o);
        return out;
    }

    private HttpRequest request(List<Input> inputs) {
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("inputs");
        inputs.forEach(i -> array.add(i.node()));
        byte[] body;
        try {
            body = json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request body", e);
        }
        return HttpRequest.newBuilder(upsertUri)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Idempotency-Key", idempotencyKey(inputs.stream().map(i -> i.handoff().handoffId()).toList()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** Lowercase hex SHA-256 of the sorted handoff ids, one per line: the same set always gives the same key. */
    static String idempotencyKey(List<String> handoffIds) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\n", handoffIds.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** 200/207 (any 2xx): per-input results and errors. */
    private Outcome[] multiStatus(List<Input> inputs, int status, JsonNode body) {
        Outcome[] out = new Outcome[inputs.size()];
        List<String> unattributed = new ArrayList<>();
        if (body != null) {
            for (JsonNode error : body.path("errors")) {
                Set<Integer> named = named(error, inputs);
                if (named.isEmpty()) {
                    unattributed.add(summary(error));
                }
                Outcome o = recordError(error);
                named.forEach(i -> out[i] = o);
            }
            for (JsonNode result : body.path("results")) {
                for (int i : resultInputs(result, inputs)) {
                    if (out[i] == null) {
                        out[i] = Outcome.delivered();
                    }
                }
            }
        }
        // A 200 says the whole batch was written; a 207 (or a batch status other than COMPLETE) only what it lists.
        String batchStatus = body == null ? "" : body.path("status").asText("");
        boolean complete = status != 207 && (batchStatus.isEmpty() || batchStatus.equalsIgnoreCase("COMPLETE"));
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = complete
                        ? Outcome.delivered()
                        : Outcome.transientFailure(scrub("no result for " + inputs.get(i).email() + " in HubSpot's "
                                + status + (batchStatus.isEmpty() ? "" : " " + batchStatus) + " answer"
                                + (unattributed.isEmpty() ? ""
                                        : " (errors naming no input: " + String.join(" | ", unattributed) + ")")),
                                null);
            }
        }
        return out;
    }

    /**
     * 400 or 409 (CONFLICT) for the whole request: nothing was written. When the error says our settings are wrong
     * (a mapped property that does not exist), every input is transient and the rest of the batch is not sent; else
     * the named inputs fail, or the request is split to find the bad one.
     */
    private Outcome[] refused(List<Input> inputs, int status, JsonNode body, String rawBody, Delivery delivery) {
        Outcome[] out = new Outcome[inputs.size()];
        String reason = body != null ? "HTTP " + status + ": " + summary(body) : "HTTP " + status + snippet(rawBody);
        String settings = body == null ? null : settingsProblem(body);
        if (settings != null) {
            delivery.requestFailure = new Outcome.Transient(scrub(reason + settings), Optional.empty());
            Arrays.fill(out, delivery.requestFailure);
            return out;
        }
        Set<Integer> named = body == null ? Set.of() : named(body, inputs);
        if (!named.isEmpty() && inputs.size() > 1 && body.path("message").asText("").startsWith("Duplicate IDs")) {
            // HubSpot found two inputs for one contact that our e-mail key told apart: send those one by one.
            return separately(inputs, named, delivery);
        }
        if (!named.isEmpty()) {
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (named.contains(i)) {
                    out[i] = Outcome.permanentFailure(scrub(reason));
                } else {
                    others.add(i);
                }
            }
            if (!others.isEmpty()) {
                log.debug("HubSpot refused a batch of {} because of {} of them; sending the {} others again",
                        inputs.size(), named.size(), others.size());
                Outcome[] again = send(others.stream().map(inputs::get).toList(), delivery);
                for (int j = 0; j < others.size(); j++) {
                    out[others.get(j)] = again[j];
                }
            }
            return out;
        }
        if (inputs.size() == 1) {
            out[0] = Outcome.permanentFailure(scrub(reason));
            return out;
        }
        log.debug("HubSpot refused a batch of {} without naming an input ({}); splitting it", inputs.size(),
                scrub(reason));
        int half = inputs.size() / 2;
        Outcome[] first = send(inputs.subList(0, half), delivery);
        Outcome[] second = send(inputs.subList(half, inputs.size()), delivery);
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(second, 0, out, half, second.length);
        return out;
    }

    /**
     * The named inputs each in a request of its own (in batch order: last write wins), the others together. Every
     * request is smaller than the refused one (named is not empty, inputs has more than one), so this ends.
     */
    private Outcome[] separately(List<Input> inputs, Set<Integer> named, Delivery delivery) {
        Outcome[] out = new Outcome[inputs.size()];
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!named.contains(i)) {
                others.add(i);
            }
        }
        Outcome[] rest = send(others.stream().map(inputs::get).toList(), delivery);
        for (int j = 0; j < others.size(); j++) {
            out[others.get(j)] = rest[j];
        }
        for (int i : named.stream().sorted().toList()) {
            out[i] = send(List.of(inputs.get(i)), delivery)[0];
        }
        return out;
    }

    /** Any other status: the same outcome for every input of the request. */
    private Outcome failure(HttpResponse<String> response, JsonNode body) {
        int status = response.statusCode();
        String retryAfterHeader = response.headers().firstValue("Retry-After").orElse(null);
        String reason = "HTTP " + status + (body != null ? ": " + summary(body) : snippet(response.body()));
        Optional<Duration> retryAfter = RetryAfter.parse(retryAfterHeader, clock);
        if (status == 429) {
            return Outcome.transientFailure(scrub(reason), retryAfter.orElseGet(() -> rateLimitWait(response, body)));
        }
        if (status == 423) { // HubSpot: "Locks will last for 2 seconds"
            return Outcome.transientFailure(scrub(reason), retryAfter.orElse(LOCKED_WAIT));
        }
        if (status == 477) { // account migrating between data centres; HubSpot sends Retry-After
            return Outcome.transientFailure(scrub(reason + " (HubSpot account migration in progress)"),
                    retryAfter.orElse(null));
        }
        Outcome classified = HttpOutcomes.classify(status, retryAfterHeader, null, clock);
        if (classified instanceof Outcome.Transient t) {
            String hint = status == 401 || status == 403
                    ? " (check hubspot.token: a private-app token with the crm.objects.contacts.write scope)"
                    : (status >= 300 && status < 400) || status == 404 || status == 405 || status == 407
                            ? " (check hubspot.url and hubspot.token)" : "";
            return Outcome.transientFailure(scrub(reason + hint), t.retryAfter().orElse(null));
        }
        return classified.kind() == Outcome.Kind.PERMANENT ? Outcome.permanentFailure(scrub(reason)) : classified;
    }

    /** How long to wait after a 429 without Retry-After, by HubSpot's policyName. */
    private static Duration rateLimitWait(HttpResponse<String> response, JsonNode body) {
        String policy = body == null ? "" : body.path("policyName").asText("");
        String message = body == null ? "" : body.path("message").asText("").toLowerCase(Locale.ROOT);
        if (policy.equalsIgnoreCase("DAILY") || message.contains("daily limit")) {
            return DAILY_WAIT;
        }
        if (policy.equalsIgnoreCase("SECONDLY") || message.contains("secondly limit")) {
            return SECONDLY_WAIT;
        }
        return response.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")
                .flatMap(HubSpotCrmClient::millis)
                .orElse(TEN_SECONDLY_WAIT);
    }

    private static Optional<Duration> millis(String header) {
        try {
            long ms = Long.parseLong(header.trim());
            return ms > 0 && ms <= 60_000 ? Optional.of(Duration.ofMillis(ms)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A per-input error of a 207: permanent (validation, conflict...) unless it is about limits, credentials or our
     * settings.
     */
    private Outcome recordError(JsonNode error) {
        String category = error.path("category").asText("");
        String reason = "HubSpot " + summary(error);
        String settings = settingsProblem(error);
        if (settings != null) {
            return Outcome.transientFailure(scrub(reason + settings), null);
        }
        return TRANSIENT_CATEGORIES.contains(category.toUpperCase(Locale.ROOT))
                ? Outcome.transientFailure(scrub(reason), null)
                : Outcome.permanentFailure(scrub(reason));
    }

    /**
     * A hint naming the setting when a validation error is about the connector's settings rather than the record:
     * a mapped property that does not exist ({@code PROPERTY_DOESNT_EXIST}) or cannot be written
     * ({@code READ_ONLY_VALUE}), or a {@code hubspot.lifecycle.stage} that is not an option of lifecyclestage. Every
     * record would fail alike: they must be retried (and the task fail) instead of all being dead-lettered.
     */
    private String settingsProblem(JsonNode error) {
        String message = error.path("message").asText("");
        List<JsonNode> problems = new ArrayList<>();
        int list = message.indexOf('[');
        if (list >= 0) { // "Property values were not valid: [{"isValid":false,"error":"...","name":"..."}]"
            try {
                JsonNode parsed = json.readTree(message.substring(list));
                if (parsed != null && parsed.isArray()) {
                    parsed.forEach(problems::add);
                }
            } catch (JsonProcessingException e) {
                // not a list of property errors
            }
        }
        error.path("errors").forEach(problems::add);
        for (JsonNode p : problems) {
            String code = p.path("error").asText(p.path("code").asText(""));
            String name = p.path("name").asText("");
            if (code.equals("INVALID_OPTION") && name.equalsIgnoreCase("lifecyclestage") && lifecycleStage != null) {
                return " (check " + CrmSinkConfig.HUBSPOT_LIFECYCLE_STAGE + ": it must be the internal value of a "
                        + "lifecycle stage of the account)";
            }
        }
        String text = error.toString();
        if (text.contains("PROPERTY_DOESNT_EXIST") || PROPERTY_DOES_NOT_EXIST.matcher(message).find()) {
            return " (check " + CrmSinkConfig.HUBSPOT_PROPERTY_MAPPING + ": every mapped property must exist in "
                    + "HubSpot)";
        }
        if (text.contains("READ_ONLY_VALUE")) {
            return " (check " + CrmSinkConfig.HUBSPOT_PROPERTY_MAPPING + ": a mapped property is read-only)";
        }
        return null;
    }

    /** The inputs an error names: by trace id, by e-mail in its context or id, else by e-mails in its message. */
    private static Set<Integer> named(JsonNode error, List<Input> inputs) {
        Set<Integer> found = new LinkedHashSet<>();
        JsonNode context = error.path("context");
        for (String trace : strings(context.path("objectWriteTraceId"))) {
            found.addAll(byTrace(trace, inputs));
        }
        for (String field : List.of("ids", "id")) {
            for (String id : strings(context.path(field))) {
                found.addAll(byEmail(id, inputs));
            }
        }
        for (String id : strings(error.path("id"))) {
            found.addAll(byEmail(id, inputs));
        }
        if (found.isEmpty()) {
            Matcher m = EMAIL_IN_TEXT.matcher(error.path("message").asText(""));
            while (m.find()) {
                found.addAll(byEmail(m.group().replaceAll("\\.+$", ""), inputs));
            }
        }
        return found;
    }

    private static Set<Integer> resultInputs(JsonNode result, List<Input> inputs) {
        Set<Integer> found = new LinkedHashSet<>();
        for (String trace : strings(result.path("objectWriteTraceId"))) {
            found.addAll(byTrace(trace, inputs));
        }
        if (found.isEmpty()) {
            for (String email : strings(result.path("properties").path("email"))) {
                found.addAll(byEmail(email, inputs));
            }
        }
        return found;
    }

    private static List<Integer> byTrace(String trace, List<Input> inputs) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).traceId().equals(trace)) {
                found.add(i);
            }
        }
        return found;
    }

    private static List<Integer> byEmail(String email, List<Input> inputs) {
        String key = emailKey(email);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (emailKey(inputs.get(i).email()).equals(key)) {
                found.add(i);
            }
        }
        return found;
    }

    /** A string or an array of strings, as HubSpot's context values come. */
    private static List<String> strings(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.isValueNode()) {
                    out.add(n.asText());
                }
            });
        }
        return out;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** "CATEGORY: message (correlationId ...)" of a HubSpot error object, abbreviated. */
    private static String summary(JsonNode error) {
        StringBuilder s = new StringBuilder();
        String category = error.path("category").asText(error.path("errorType").asText(""));
        if (!category.isEmpty()) {
            s.append(category).append(": ");
        }
        s.append(error.path("message").asText(error.isObject() && error.size() > 0 ? error.toString() : ""));
        String policy = error.path("policyName").asText("");
        if (!policy.isEmpty()) {
            s.append(" (policy ").append(policy).append(')');
        }
        String correlationId = error.path("correlationId").asText("");
        if (!correlationId.isEmpty()) {
            s.append(" (correlationId ").append(correlationId).append(')');
        }
        return HttpOutcomes.abbreviate(s.toString(), MAX_REASON);
    }

    private static String snippet(String body) {
        return body == null || body.isBlank() ? "" : ": " + HttpOutcomes.abbreviate(body.strip(), MAX_REASON);
    }


    /** The token never leaves this class, even if a proxy echoes the Authorization header in its error page. */
    private String scrub(String reason) {
        String secret = token.value();
        return secret == null || secret.isEmpty() ? reason : reason.replace(secret, "[hidden]");
    }

    private Outcome scrub(Outcome o) {
        if (o instanceof Outcome.Transient t) {
            return new Outcome.Transient(scrub(t.reason()), t.retryAfter());
        }
        if (o instanceof Outcome.Permanent p) {
            return new Outcome.Permanent(scrub(p.reason()));
        }
        return o;
    }

    @Override
    public void close() {
        HttpClients.close(http, log);
    }
}
