package io.leadscoring.connect;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Classifies an HTTP status or a transport failure as a delivery {@link Outcome}; shared by every client. */
public final class HttpOutcomes {

    private HttpOutcomes() {
    }

    /**
     * 2xx: delivered. 408, 429 and 5xx: transient, honouring {@code Retry-After}. Answers that say the endpoint or
     * our credentials are wrong (3xx, 401, 403, 404, 405, 407) are no fault of the record: they are transient too,
     * so they are retried and finally fail the task instead of sending every handoff to the dead-letter queue.
     * Anything else (other 4xx, 1xx): permanent for that record.
     */
    public static Outcome classify(int status, String retryAfterHeader, String bodySnippet, Clock clock) {
        if (status >= 200 && status < 300) {
            return Outcome.delivered();
        }
        String reason = "HTTP " + status + (bodySnippet == null || bodySnippet.isBlank() ? "" : ": " + bodySnippet);
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return Outcome.transientFailure(reason, RetryAfter.parse(retryAfterHeader, clock).orElse(null));
        }
        if ((status >= 300 && status < 400) || status == 401 || status == 403 || status == 404 || status == 405
                || status == 407) {
            return Outcome.transientFailure(reason + " (check webhook.url and the credentials)", null);
        }
        return Outcome.permanentFailure(reason);
    }

    /** A response body for an outcome's reason: stripped, at most {@code max} characters; null stays null. */
    public static String abbreviate(String body, int max) {
        if (body == null) {
            return null;
        }
        String s = body.strip();
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** I/O errors and timeouts are transient; anything else thrown by the client is permanent. */
    public static Outcome classify(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return Outcome.transientFailure("timeout: " + t.getMessage(), null);
        }
        if (t instanceof IOException) {
            return Outcome.transientFailure("I/O error: " + t, null);
        }
        return Outcome.permanentFailure("request failed: " + t);
    }
}
