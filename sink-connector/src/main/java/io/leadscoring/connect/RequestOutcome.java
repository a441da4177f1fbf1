package io.leadscoring.connect;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What one HTTP request to the CRM came to, as a metric label: the same classes as {@link HttpOutcomes}, with
 * rate limiting and configuration errors told apart because operators act on them differently (wait, or fix the
 * settings). For a whole request: a 207 whose records partly failed is a success here; the records' own outcomes are
 * counted per handoff.
 */
public enum RequestOutcome {
    /** 2xx. */
    SUCCESS,
    /** 429: the CRM's quota; retried after Retry-After. */
    RATE_LIMITED,
    /** 408, 423, 477, 5xx, a timeout or an I/O error: retried. */
    RETRIABLE,
    /** 3xx, 401, 403, 404, 405, 407: wrong URL or credentials; retried, then the task fails. */
    CONFIG_ERROR,
    /** Any other 4xx (and 1xx): the request's records are refused; dead-lettered unless isolated. */
    REJECTED,
    /** The request could not be sent at all (not an I/O error): a client-side problem. */
    ERROR;

    /** The label value: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RequestOutcome of(int status) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status == 408 || status == 423 || status == 477 || (status >= 500 && status < 600)) {
            return RETRIABLE;
        }
        if ((status >= 300 && status < 400) || status == 401 || status == 403 || status == 404 || status == 405
                || status == 407) {
            return CONFIG_ERROR;
        }
        return REJECTED;
    }

    /** The status label of a request that got no answer: {@code timeout}, {@code io_error} or {@code error}. */
    public static String failureStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "timeout";
        }
        return t instanceof IOException ? "io_error" : "error";
    }

    public static RequestOutcome ofFailure(Throwable failure) {
        return failureStatus(failure).equals("error") ? ERROR : RETRIABLE;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
