package io.leadscoring.connect;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses an HTTP {@code Retry-After} header (RFC 9110 10.2.3): delay-seconds or an HTTP-date. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The delay the header asks for; empty when absent or unparseable. A date in the past gives zero.
     */
    /** A server may ask for any delay; more than a day is taken as a day (the retry time limit still applies). */
    static final long MAX_SECONDS = 24 * 60 * 60;

    public static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String v = header.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(v), MAX_SECONDS)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // absurdly large
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d.compareTo(Duration.ofSeconds(MAX_SECONDS)) > 0
                    ? Duration.ofSeconds(MAX_SECONDS) : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
