package io.leadscoring.connect.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state and behaviour behind {@link FakeHubSpot}: a WireMock response transformer that answers
 * {@code POST /crm/v3/objects/contacts/batch/upsert} the way HubSpot does. Every request is handled under one lock,
 * so a batch is applied atomically; WireMock applies the chosen delay after the lock is released.
 */
final class HubSpotUpsertEndpoint implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-hubspot-batch-upsert";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Fault(int status, Integer retryAfterSeconds, String policyName) {
    }

    private record Raw(int status, String body) {
    }

    private record Rejection(String category, String message) {
    }

    /** A HubSpot answer before it becomes a WireMock response. */
    private record Answer(int status, Map<String, String> headers, String body) {
        Answer(int status, Map<String, String> headers, JsonNode body) {
            this(status, headers, body.toString());
        }
    }

    private final String initialToken;
    private final Clock clock;
    private final AtomicLong nextId = new AtomicLong(151);
    private String token;
    private boolean multiStatus = true;
    private final Map<String, FakeHubSpot.Contact> contacts = new LinkedHashMap<>();
    private final Map<String, Integer> upsertsByHandoffId = new HashMap<>();
    private final Map<String, Rejection> rejections = new HashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Raw> raws = new ArrayDeque<>();
    private final Deque<Duration> delays = new ArrayDeque<>();
    private final List<FakeHubSpot.RecordedRequest> received = new ArrayList<>();

    HubSpotUpsertEndpoint(String token, Clock clock) {
        this.initialToken = Objects.requireNonNull(token, "token");
        this.token = token;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false; // only the upsert stub names this transformer
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        Answer answer;
        Duration delay;
        synchronized (this) {
            delay = delays.poll();
            answer = answer(request);
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpHeader h : request.getHeaders().all()) {
                headers.put(h.key().toLowerCase(Locale.ROOT), h.firstValue());
            }
            received.add(new FakeHubSpot.RecordedRequest(request.getMethod().getName(), request.getUrl(),
                    Collections.unmodifiableMap(headers), request.getBodyAsString(), answer.status()));
        }
        ResponseDefinitionBuilder b = new ResponseDefinitionBuilder()
                .withStatus(answer.status())
                .withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody(answer.body());
        answer.headers().forEach(b::withHeader);
        if (delay != null) {
            b.withFixedDelay((int) delay.toMillis());
        }
        return b.build();
    }

    private Answer answer(Request request) {
        Raw raw = raws.poll();
        if (raw != null) {
            return new Answer(raw.status(), Map.of(), raw.body());
        }
        Fault fault = faults.poll();
        if (fault != null) {
            return fault(fault);
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.equals("Bearer " + token)) {
            // HubSpot's answer to a missing, unknown or revoked private-app token.
            return new Answer(401, Map.of(), error("Authentication credentials not found. This API supports OAuth 2.0"
                    + " authentication and you can find more details at"
                    + " https://developers.hubspot.com/docs/methods/auth/oauth-overview", "INVALID_AUTHENTICATION"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(request.getBodyAsString());
        } catch (JsonProcessingException e) {
            return badRequest("Invalid input JSON on line 1: " + e.getOriginalMessage(), null);
        }
        if (root == null || !root.path("inputs").isArray()) {
            return badRequest("Invalid input JSON: 'inputs' must be an array", null);
        }
        JsonNode inputs = root.get("inputs");
        if (inputs.size() > FakeHubSpot.MAX_INPUTS) {
            return badRequest("Batch input size " + inputs.size() + " exceeds the maximum of " + FakeHubSpot.MAX_INPUTS,
                    null);
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        boolean allTraced = true;
        for (JsonNode input : inputs) {
            String idProperty = input.path("idProperty").asText("");
            String id = input.path("id").asText("");
            if (!idProperty.equals("email")) {
                // Only e-mail is a unique contact property in this fake; HubSpot says this for non-unique ones.
                return badRequest("Unable to perform update/upsert by non-unique 0-1 property "
                        + (idProperty.isEmpty() ? "hs_object_id" : idProperty), null);
            }
            if (id.isBlank()) {
                return badRequest("Input 'id' is required for upsert by email", null);
            }
            if (!input.path("properties").isObject() && !input.path("properties").isMissingNode()) {
                return badRequest("Invalid input JSON: 'properties' must be an object", null);
            }
            if (!seen.add(key(id))) {
                duplicates.add(id);
            }
            allTraced &= !input.path("objectWriteTraceId").asText("").isBlank();
        }
        if (!duplicates.isEmpty()) {
            // Verbatim shape of HubSpot's answer, with or without trace ids.
            ObjectNode context = JSON.createObjectNode();
            ArrayNode ids = context.putArray("ids");
            duplicates.forEach(ids::add);
            return badRequest("Duplicate IDs found in batch input: " + duplicates + ". IDs must be unique", context);
        }
        boolean multi = multiStatus && allTraced;
        List<JsonNode> accepted = new ArrayList<>();
        ArrayNode errors = JSON.createArrayNode();
        for (JsonNode input : inputs) {
            Rejection r = rejections.get(key(input.get("id").asText()));
            if (r == null) {
                accepted.add(input);
            } else if (!multi) {
                // Without multi-status one invalid input rejects the whole batch, naming no input.
                return new Answer(400, Map.of(), error(r.message(), r.category()));
            } else {
                ObjectNode e = errors.addObject();
                e.put("status", "error");
                e.put("category", r.category());
                e.put("message", r.message());
                e.putObject("context").putArray("objectWriteTraceId").add(input.get("objectWriteTraceId").asText());
            }
        }
        Instant started = clock.instant();
        List<JsonNode> results = new ArrayList<>();
        for (JsonNode input : accepted) {
            results.add(write(input));
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "COMPLETE");
        ArrayNode resultArray = body.putArray("results");
        // HubSpot does not promise input order; answering in reverse keeps clients honest.
        for (int i = results.size() - 1; i >= 0; i--) {
            resultArray.add(results.get(i));
        }
        if (!errors.isEmpty()) {
            body.put("numErrors", errors.size());
            body.set("errors", errors);
        }
        body.put("startedAt", started.toString());
        body.put("completedAt", clock.instant().toString());
        return new Answer(errors.isEmpty() ? 200 : 207, Map.of(), body);
    }

    /** Creates or updates the contact of one input; returns its result entry. */
    private JsonNode write(JsonNode input) {
        String email = key(input.get("id").asText());
        Instant now = clock.instant();
        FakeHubSpot.Contact old = contacts.get(email);
        Map<String, String> props = new LinkedHashMap<>(old == null ? Map.of() : old.properties());
        input.path("properties").properties().forEach(e ->
                props.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        props.put("email", email); // HubSpot stores e-mails lowercased
        String id = old == null ? String.valueOf(nextId.getAndIncrement()) : old.id();
        Instant createdAt = old == null ? now : old.createdAt();
        FakeHubSpot.Contact contact = new FakeHubSpot.Contact(id, email, Collections.unmodifiableMap(props),
                createdAt, now, old == null ? 1 : old.writes() + 1);
        contacts.put(email, contact);
        String handoffId = props.get(FakeHubSpot.HANDOFF_ID_PROPERTY);
        if (input.path("properties").has(FakeHubSpot.HANDOFF_ID_PROPERTY) && handoffId != null) {
            upsertsByHandoffId.merge(handoffId, 1, Integer::sum);
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("id", id);
        ObjectNode p = result.putObject("properties");
        input.path("properties").properties().forEach(e -> p.put(e.getKey(), props.get(e.getKey())));
        p.put("email", email);
        p.put("hs_object_id", id);
        p.put("createdate", createdAt.toString());
        p.put("lastmodifieddate", now.toString());
        result.put("createdAt", createdAt.toString());
        result.put("updatedAt", now.toString());
        result.put("archived", false);
        result.put("new", old == null);
        if (input.hasNonNull("objectWriteTraceId")) {
            result.put("objectWriteTraceId", input.get("objectWriteTraceId").asText());
        }
        return result;
    }

    private Answer fault(Fault f) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (f.retryAfterSeconds() != null) {
            headers.put("Retry-After", String.valueOf(f.retryAfterSeconds()));
        }
        if (f.status() == 429) {
            // HubSpot's rate-limit body (usage guidelines), and its rate-limit headers.
            ObjectNode body = JSON.createObjectNode();
            body.put("status", "error");
            body.put("message", "You have reached your " + f.policyName().toLowerCase(Locale.ROOT) + " limit.");
            body.put("errorType", "RATE_LIMIT");
            body.put("correlationId", UUID.randomUUID().toString());
            body.put("policyName", f.policyName());
            body.put("groupName", "publicapi:private-app-api-calls-" + f.policyName().toLowerCase(Locale.ROOT));
            if (f.policyName().equals(FakeHubSpot.TEN_SECONDLY_ROLLING)) {
                headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
                headers.put("X-HubSpot-RateLimit-Max", "100");
                headers.put("X-HubSpot-RateLimit-Remaining", "0");
            }
            return new Answer(429, headers, body);
        }
        return new Answer(f.status(), headers, error("HTTP " + f.status() + " injected by FakeHubSpot",
                f.status() == 423 ? "LOCKED" : f.status() >= 500 ? "INTERNAL_ERROR" : "ERROR"));
    }

    private static Answer badRequest(String message, ObjectNode context) {
        ObjectNode body = error(message, "VALIDATION_ERROR");
        if (context != null) {
            body.set("context", context);
        }
        return new Answer(400, Map.of(), body);
    }

    /** HubSpot's error body: {status, message, correlationId, category}. */
    static ObjectNode error(String message, String category) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        return body;
    }

    static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    // ---- control and observation, called by FakeHubSpot ----

    synchronized void failNext(int n, int status, Integer retryAfterSeconds, String policyName) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(status, retryAfterSeconds, policyName));
        }
    }

    synchronized void answerNext(int status, String body) {
        raws.add(new Raw(status, body));
    }

    synchronized void delayNext(int n, Duration delay) {
        for (int i = 0; i < n; i++) {
            delays.add(delay);
        }
    }

    synchronized void reject(String email, String category, String message) {
        rejections.put(key(email), new Rejection(category, message));
    }

    synchronized void token(String newToken) {
        token = Objects.requireNonNull(newToken, "newToken");
    }

    synchronized String token() {
        return token;
    }

    synchronized void multiStatus(boolean enabled) {
        multiStatus = enabled;
    }

    synchronized Map<String, FakeHubSpot.Contact> contacts() {
        return Map.copyOf(contacts);
    }

    synchronized FakeHubSpot.Contact contact(String email) {
        return contacts.get(key(email));
    }

    synchronized List<FakeHubSpot.RecordedRequest> received() {
        return List.copyOf(received);
    }

    synchronized int upsertsOf(String handoffId) {
        return upsertsByHandoffId.getOrDefault(handoffId, 0);
    }

    synchronized void reset() {
        token = initialToken;
        multiStatus = true;
        contacts.clear();
        upsertsByHandoffId.clear();
        rejections.clear();
        faults.clear();
        raws.clear();
        delays.clear();
        received.clear();
    }
}
