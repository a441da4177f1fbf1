package io.leadscoring.scoring.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The matcher kinds of SCORING.md: scalar, list, glob, regex, min/max, exists. All are immutable and thread-safe. */
public final class Matchers {
    private Matchers() {}

    /**
     * Equality with a scalar. Text compares case-insensitively (enum values by their symbol). When the field is a
     * number, the scalar must spell the same number. When the field is text and the scalar was written as a YAML number,
     * the text also matches when it spells the same number ({@code attributes.employees: 50} matches "50.0").
     */
    public static ValueMatcher scalar(String text, boolean writtenAsNumber) {
        return new Scalar(text, writtenAsNumber);
    }

    public static ValueMatcher anyOf(ValueMatcher... scalars) {
        return new AnyOf(scalars);
    }

    public static ValueMatcher glob(String glob) {
        return new Glob(glob);
    }

    public static ValueMatcher regex(String regex) {
        return new Regex(Pattern.compile(regex));
    }

    /** Either bound may be null (open). */
    public static ValueMatcher range(Double min, Double max) {
        return new Range(min, max);
    }

    public static ValueMatcher exists(boolean expected) {
        return expected ? Exists.TRUE : Exists.FALSE;
    }

    /** The regular expression a glob compiles to (before flags). */
    public static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder(glob.length() + 16);
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                if (c == '?') {
                    re.append('.');
                } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.toString();
    }

    // ---- value helpers

    static CharSequence text(Object value) {
        if (value instanceof CharSequence cs) {
            return cs;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        return String.valueOf(value);
    }

    /** The field as a number: numbers as they are, text when it spells a decimal number; NaN otherwise. */
    static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof CharSequence cs) {
            return NumberText.parse(cs);
        }
        return Double.NaN;
    }

    private static boolean isIntegral(Object value) {
        return value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger;
    }

    private static boolean equalsIgnoreCase(CharSequence a, String b) {
        if (a instanceof String s) {
            return s.equalsIgnoreCase(b);
        }
        return a.length() == b.length() && a.toString().equalsIgnoreCase(b);
    }

    static final class Scalar implements ValueMatcher {
        private final String text;
        private final boolean writtenAsNumber;
        private final double number; // NaN when the text is not a number
        private final boolean exactLong;
        private final long longValue;

        Scalar(String text, boolean writtenAsNumber) {
            this.text = text;
            this.number = NumberText.parse(text);
            this.writtenAsNumber = writtenAsNumber && !Double.isNaN(number);
            long lv = 0;
            boolean exact = false;
            if (!Double.isNaN(number)) {
                try {
                    lv = new BigDecimal(text.trim()).longValueExact();
                    exact = true;
                } catch (ArithmeticException | NumberFormatException e) {
                    exact = false;
                }
            }
            this.exactLong = exact;
            this.longValue = lv;
        }

        @Override
        public boolean test(Object value) {
            if (value == null) {
                return false;
            }
            if (value instanceof Number n) {
                if (Double.isNaN(number)) {
                    return false;
                }
                if (exactLong && isIntegral(value) && !(value instanceof BigInteger)) {
                    return n.longValue() == longValue;
                }
                return n.doubleValue() == number;
            }
            if (value instanceof CharSequence cs) {
                if (equalsIgnoreCase(cs, text)) {
                    return true;
                }
                return writtenAsNumber && NumberText.parse(cs) == number;
            }
            return equalsIgnoreCase(text(value), text);
        }

        @Override
        public String describe() {
            return text;
        }
    }

    static final class AnyOf implements ValueMatcher {
        private final ValueMatcher[] options;

        AnyOf(ValueMatcher[] options) {
            this.options = options.clone();
        }

        @Override
        public boolean test(Object value) {
            if (value == null) {
                return false;
            }
            for (ValueMatcher m : options) {
                if (m.test(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return Arrays.stream(options).map(ValueMatcher::describe).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    static final class Glob implements ValueMatcher {
        private final String glob;
        private final Pattern pattern;

        Glob(String glob) {
            this.glob = glob;
            this.pattern =
                    Pattern.compile(globToRegex(glob), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
        }

        @Override
        public boolean test(Object value) {
            return value != null && pattern.matcher(text(value)).matches();
        }

        @Override
        public String describe() {
            return "{glob: " + glob + "}";
        }
    }

    static final class Regex implements ValueMatcher {
        private final Pattern pattern;

        Regex(Pattern pattern) {
            this.pattern = pattern;
        }

        @Override
        public boolean test(Object value) {
            return value != null && pattern.matcher(text(value)).find();
        }

        @Override
        public String describe() {
            return "{regex: " + pattern.pattern() + "}";
        }
    }

    static final class Range implements ValueMatcher {
        private final Double min;
        private final Double max;

        Range(Double min, Double max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public boolean test(Object value) {
            if (value == null) {
                return false;
            }
            double d = number(value);
            if (Double.isNaN(d)) {
                return false;
            }
            return (min == null || d >= min) && (max == null || d <= max);
        }

        @Override
        public String describe() {
            return "{" + (min == null ? "" : "min: " + min) + (min != null && max != null ? ", " : "")
                    + (max == null ? "" : "max: " + max) + "}";
        }
    }

    static final class Exists implements ValueMatcher {
        static final Exists TRUE = new Exists(true);
        static final Exists FALSE = new Exists(false);
        private final boolean expected;

        private Exists(boolean expected) {
            this.expected = expected;
        }

        @Override
        public boolean test(Object value) {
            return (value != null) == expected;
        }

        @Override
        public String describe() {
            return "{exists: " + expected + "}";
        }
    }
}
