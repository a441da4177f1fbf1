package io.leadscoring.connect.fake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upsert {@link FakeSalesforce} accepted (created or updated a Lead), in the order they were applied.
 *
 * @param idempotencyKey the request's {@code Idempotency-Key} header (the handoff id), or {@code null}
 * @param externalId the value of the external id field in the URL (the lead id)
 * @param leadId the Salesforce record id of the Lead written
 * @param created true when the upsert created the Lead (HTTP 201)
 * @param status the HTTP status answered (201, 200 or 204)
 * @param body the JSON fields of the request
 * @param apiVersion the version in the URL, e.g. {@code v62.0}
 */
public record SalesforceWrite(String idempotencyKey, String externalId, String leadId, boolean created, int status,
        Map<String, Object> body, String apiVersion) {

    public SalesforceWrite {
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }
}
