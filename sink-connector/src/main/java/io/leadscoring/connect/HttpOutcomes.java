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
     * 2xx: delivered. 408, 429 and 5xx: transient, honouring {@code Retry-After}. Anything else (other 4xx,
     * 1xx, unfollowed 3xx): permanent.
     */
    public static Outcome classify(int status, String retryAfterHeader, String bodySnippet, Clock clock) {
        if (status >= 200 && status < 300) {
            return Outcome.delivered();
        }
        String reason = "HTTP " + status + (bodySnippet == null || bodySnippet.isBlank() ? "" : ": " + bodySnippet);
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return Outcome.transientFailure(reason, RetryAfter.parse(retryAfterHeader, clock).orElse(null));
        }
        return Outcome.permanentFailure(reason);
    }

    /** I/O errors and timeouts are transient; anything else thrown by the client is permanent. */
    public static Outcome classify(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpTimeoutException) {
            return Outcome.transientFailure("timeout: " + t.getMessage(), null);
        }
        if (t instanceof IOException) {
            return Outcome.transientFailure("I/O error: " + t, null);
        }
        return Outcome.permanentFailure("request failed: " + t);
    }
}
