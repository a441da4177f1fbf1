package io.leadscoring.app.http;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a request goes, from its method and raw (still percent-encoded) path. Pure, so routing is unit-tested.
 *
 * <p>{@code /leads/top} is the top list; a lead whose id is "top" is {@code /leads/%74op}: routing looks at the raw
 * path, and {@link #leadPath} encodes that id so. Lead ids are arbitrary strings, so a segment is percent-decoded
 * (UTF-8, '+' is a plus sign as in any path) and may hold an encoded '/'.
 *
 * @param leadId the decoded lead id for {@link Kind#LEAD}, else null
 */
public record ApiRoute(Kind kind, String leadId) {

    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";
    public static final String LEADS = "/leads/";
    public static final String TOP = "/leads/top";
    /** One instance's own top leads, which the answering instance merges; not for clients. */
    public static final String LOCAL_TOP = "/internal/leads/top";
    /** The newest SQL handoffs, for the web page. */
    public static final String HANDOFFS = "/handoffs";
    /** The web page: live handoffs and a lead lookup. */
    public static final String PAGE = "/";

    public enum Kind { HEALTH, METRICS, LEAD, TOP, LOCAL_TOP, HANDOFFS, PAGE, NOT_FOUND, METHOD_NOT_ALLOWED, BAD_PATH }

    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    public static ApiRoute of(String method, String rawPath) {
        Kind kind = kindOf(rawPath);
        if (kind == Kind.NOT_FOUND) {
            return new ApiRoute(kind, null);
        }
        String leadId = null;
        if (kind == Kind.LEAD) {
            try {
                leadId = URLDecoder.decode(rawPath.substring(LEADS.length()).replace("+", "%2B"),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return new ApiRoute(Kind.BAD_PATH, null);
            }
        }
        if (!"GET".equals(method)) {
            return new ApiRoute(Kind.METHOD_NOT_ALLOWED, null);
        }
        return new ApiRoute(kind, leadId);
    }

    private static Kind kindOf(String rawPath) {
        if (rawPath == null) {
            return Kind.NOT_FOUND;
        }
        switch (rawPath) {
            case HEALTH:
                return Kind.HEALTH;
            case METRICS:
                return Kind.METRICS;
            case TOP:
                return Kind.TOP;
            case LOCAL_TOP:
                return Kind.LOCAL_TOP;
            case HANDOFFS:
                return Kind.HANDOFFS;
            case PAGE:
            case "/index.html":
                return Kind.PAGE;
            default:
                break;
        }
        if (rawPath.startsWith(LEADS) && rawPath.length() > LEADS.length()
                && rawPath.indexOf('/', LEADS.length()) < 0) {
            return Kind.LEAD;
        }
        return Kind.NOT_FOUND;
    }

    /** The raw path of a lead: every byte but the unreserved ones percent-encoded, and "top" as "%74op". */
    public static String leadPath(String leadId) {
        if (leadId.equals("top")) {
            return LEADS + "%74op";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : leadId.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0 && UNRESERVED.indexOf(b) >= 0) {
                out.write(b);
            } else {
                out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return LEADS + out.toString(StandardCharsets.US_ASCII);
    }
}
