package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterAndOutcomesTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterSeconds() {
        assertThat(RetryAfter.parse("120", CLOCK)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void retryAfterHttpDate() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", CLOCK)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", CLOCK)).contains(Duration.ZERO);
    }

    @Test
    void retryAfterGarbage() {
        assertThat(RetryAfter.parse(null, CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("-5", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("soon", CLOCK)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", CLOCK)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreDelivered(int status) {
        assertThat(HttpOutcomes.classify(status, null, null, CLOCK).kind()).isEqualTo(Outcome.Kind.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 599})
    void retriableStatusesAreTransient(int status) {
        Outcome o = HttpOutcomes.classify(status, "7", "busy", CLOCK);
        assertThat(o).isEqualTo(new Outcome.Transient("HTTP " + status + ": busy", Optional.of(Duration.ofSeconds(7))));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 400, 409, 410, 413, 422})
    void otherStatusesArePermanent(int status) {
        Outcome o = HttpOutcomes.classify(status, "7", "", CLOCK);
        assertThat(o).isEqualTo(new Outcome.Permanent("HTTP " + status));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 401, 403, 404, 405, 407})
    void aWrongEndpointOrCredentialIsRetriedNotBlamedOnTheRecord(int status) {
        Outcome o = HttpOutcomes.classify(status, null, "", CLOCK);
        assertThat(o.kind()).isEqualTo(Outcome.Kind.TRANSIENT);
    }

    @Test
    void anAbsurdRetryAfterIsCappedAtADay() {
        assertThat(RetryAfter.parse("99999999999999999", CLOCK)).contains(Duration.ofDays(1));
    }

    @Test
    void transportFailures() {
        assertThat(HttpOutcomes.classify(new CompletionException(new HttpTimeoutException("request timed out"))))
                .isInstanceOf(Outcome.Transient.class)
                .satisfies(o -> assertThat(((Outcome.Transient) o).reason()).startsWith("timeout"));
        assertThat(HttpOutcomes.classify(new CompletionException(new ConnectException("refused"))).kind())
                .isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(HttpOutcomes.classify(new IOException("reset")).kind()).isEqualTo(Outcome.Kind.TRANSIENT);
        assertThat(HttpOutcomes.classify(new CompletionException(new IllegalArgumentException("bad header"))).kind())
                .isEqualTo(Outcome.Kind.PERMANENT);
    }
}
