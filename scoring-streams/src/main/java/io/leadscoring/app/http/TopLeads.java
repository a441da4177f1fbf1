package io.leadscoring.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The top list's parameters and the merge of every instance's own top n. Pure. */
public final class TopLeads {

    public static final int DEFAULT_N = 10;
    public static final int MAX_N = 1000;

    private TopLeads() {
    }

    /** {@code n} of a raw query string: {@value #DEFAULT_N} when absent, else an integer in [1, {@value #MAX_N}]. */
    public static int n(String rawQuery) {
        String n = parameter(rawQuery, "n");
        if (n == null) {
            return DEFAULT_N;
        }
        try {
            int value = Integer.parseInt(n.trim());
            if (value >= 1 && value <= MAX_N) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new IllegalArgumentException("n must be an integer from 1 to " + MAX_N + ", not '" + n + "'");
    }

    /** {@code at} (epoch milliseconds) of an instance-to-instance request: the merging instance's clock. */
    public static long at(String rawQuery) {
        String at = parameter(rawQuery, "at");
        if (at == null) {
            throw new IllegalArgumentException("at (epoch milliseconds) is required");
        }
        try {
            return Long.parseLong(at.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("at must be epoch milliseconds, not '" + at + "'");
        }
    }

    /**
     * The first {@code n} of the instances' lists, {@link LeadJson#HOTTEST_FIRST}. Each instance holds other leads
     * (a lead lives in one partition), so the global top n is within the union of the local top n's.
     */
    public static List<JsonNode> merge(List<List<JsonNode>> perInstance, int n) {
        List<JsonNode> all = new ArrayList<>();
        perInstance.forEach(all::addAll);
        all.sort(LeadJson.HOTTEST_FIRST);
        return all.size() > n ? List.copyOf(all.subList(0, n)) : all;
    }

    /** The first value of a parameter in a raw query string, decoded; null when absent. */
    /** {@code limit} of {@code /handoffs}: 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}. */
    public static int limit(String rawQuery) {
        String limit = parameter(rawQuery, "limit");
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new IllegalArgumentException("limit must be an integer from 1 to " + MAX_LIMIT + ", was '" + limit + "'");
    }

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    static String parameter(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }
}
