package io.leadscoring.connect.fake;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request {@link FakeSalesforce} received and what it answered.
 *
 * @param sequence arrival order over all requests of the fake (token and API), from 1
 * @param method HTTP method
 * @param path the raw (still percent-encoded) path, without query
 * @param headers request headers, names case-insensitive
 * @param body the request body as UTF-8 text
 * @param status the status answered
 */
public record SalesforceRequest(long sequence, String method, String path, Map<String, List<String>> headers,
        String body, int status) {

    public SalesforceRequest {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(h);
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
