package io.leadscoring.scoring.rules;

/** Strict decimal number parsing: {@code [+-]digits[.digits][e[+-]digits]}, surrounding blanks allowed. */
public final class NumberText {
    private NumberText() {}

    /** The number the text spells, or NaN when it is not a plain decimal number. */
    public static double parse(CharSequence text) {
        if (text == null) {
            return Double.NaN;
        }
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (!isDecimal(text, start, end)) {
            return Double.NaN;
        }
        double d = Double.parseDouble(text.subSequence(start, end).toString());
        return Double.isInfinite(d) ? Double.NaN : d;
    }

    private static boolean isDecimal(CharSequence s, int start, int end) {
        int i = start;
        if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
