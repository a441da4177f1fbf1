package io.leadscoring.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, content type, body and extra headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";
    /** Seconds a client should wait before asking again while the instance (re)balances or starts. */
    static final String RETRY_AFTER_SECONDS = "1";

    public Reply {
        headers = Map.copyOf(headers);
    }

    public static Reply json(int status, JsonNode body) {
        try {
            return new Reply(status, JSON, LeadJson.MAPPER.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error": message}}. */
    public static Reply error(int status, String message) {
        return json(status, LeadJson.MAPPER.createObjectNode().put("error", message));
    }

    /** 503 with {@code Retry-After}: the answer exists, just not now (rebalancing, starting, a lead moving). */
    public static Reply unavailable(String message) {
        return error(503, message).withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
