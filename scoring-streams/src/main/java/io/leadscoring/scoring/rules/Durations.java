package io.leadscoring.scoring.rules;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rule-file durations: {@code 30s}, {@code 30m}, {@code 12h}, {@code 14d}, {@code 2w}, or ISO-8601 ({@code P14D}, {@code PT12H}, {@code P2W}). */
public final class Durations {
    public static final long SECOND = 1000L;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;
    public static final long WEEK = 7 * DAY;

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(s|m|h|d|w)");
    private static final Pattern ISO_WEEKS = Pattern.compile("[pP](\\d{1,9})[wW]");

    private Durations() {}

    /**
     * Milliseconds of a positive duration.
     *
     * @throws IllegalArgumentException with a message for the rule author when the text is not a positive duration
     */
    public static long parseMillis(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. 30m, 12h, 14d, 2w or P14D");
        }
        String s = text.trim();
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2)) {
                case "s" -> SECOND;
                case "m" -> MINUTE;
                case "h" -> HOUR;
                case "d" -> DAY;
                default -> WEEK;
            };
            return positive(times(n, unit, text), text);
        }
        Matcher w = ISO_WEEKS.matcher(s);
        if (w.matches()) {
            return positive(times(Long.parseLong(w.group(1)), WEEK, text), text);
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            Duration d;
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                int t = s.toUpperCase(java.util.Locale.ROOT).indexOf('T');
                String datePart = (t < 0 ? s : s.substring(0, t)).toUpperCase(java.util.Locale.ROOT);
                if (datePart.indexOf('Y') >= 0 || datePart.indexOf('M') >= 0) {
                    throw new IllegalArgumentException(
                            "bad duration '" + text + "': months and years have no fixed length; use days or weeks");
                }
                throw new IllegalArgumentException(
                        "bad duration '" + text + "': not an ISO-8601 duration such as P14D or PT12H");
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("bad duration '" + text + "': it must be positive");
            }
            try {
                return positive(d.toMillis(), text);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("bad duration '" + text + "': too long");
            }
        }
        if (s.matches("[+-]?\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("bad duration '" + text + "': give a unit, e.g. " + s + "d or " + s + "h");
        }
        throw new IllegalArgumentException(
                "bad duration '" + text + "': write it as 30s, 30m, 12h, 14d, 2w or ISO-8601 (P14D, PT12H)");
    }

    private static long times(long n, long unit, String text) {
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("bad duration '" + text + "': too long");
        }
    }

    private static long positive(long millis, String text) {
        if (millis <= 0) {
            throw new IllegalArgumentException("bad duration '" + text + "': it must be positive");
        }
        return millis;
    }

    /** A compact rendering: the largest of w, d, h, m, s that divides the duration, else milliseconds. */
    public static String format(long millis) {
        if (millis > 0) {
            if (millis % WEEK == 0) {
                return millis / WEEK + "w";
            }
            if (millis % DAY == 0) {
                return millis / DAY + "d";
            }
            if (millis % HOUR == 0) {
                return millis / HOUR + "h";
            }
            if (millis % MINUTE == 0) {
                return millis / MINUTE + "m";
            }
            if (millis % SECOND == 0) {
                return millis / SECOND + "s";
            }
        }
        return millis + "ms";
    }
}
