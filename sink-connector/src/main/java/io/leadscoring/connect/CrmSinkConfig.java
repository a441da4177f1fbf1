package io.leadscoring.connect;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the CRM sink connector. Every key is documented in {@link #CONFIG_DEF}; the generated
 * reference is {@code sink-connector/docs/sink-connector-config.md}. Secrets are {@link Type#PASSWORD}: they
 * print as {@code [hidden]} in {@link #toString()}, {@link #values()} and the worker's config log.
 */
public class CrmSinkConfig extends AbstractConfig {

    public static final String GROUP_TARGET = "Target";
    public static final String GROUP_WEBHOOK = "Webhook";
    public static final String GROUP_HUBSPOT = "HubSpot";
    public static final String GROUP_SALESFORCE = "Salesforce";
    public static final String GROUP_DELIVERY = "Delivery";
    public static final String GROUP_TLS = "TLS";

    public static final String CRM_TARGET = "crm.target";

    public static final String WEBHOOK_URL = "webhook.url";
    public static final String WEBHOOK_SECRET = "webhook.secret";
    public static final String WEBHOOK_SIGNATURE_HEADER = "webhook.signature.header";
    public static final String WEBHOOK_SIGNATURE_HEADER_DEFAULT = "X-Signature-SHA256";
    public static final String WEBHOOK_HEADERS = "webhook.headers";

    public static final String HUBSPOT_URL = "hubspot.url";
    public static final String HUBSPOT_URL_DEFAULT = "https://api.hubapi.com";
    public static final String HUBSPOT_TOKEN = "hubspot.token";
    public static final String HUBSPOT_LIFECYCLE_STAGE = "hubspot.lifecycle.stage";
    public static final String HUBSPOT_PROPERTY_MAPPING = "hubspot.property.mapping";
    public static final String HUBSPOT_PROPERTY_MAPPING_DEFAULT =
            "score:lead_score,fitGrade:lead_fit_grade,reasons:lead_score_reasons,handoffId:lead_handoff_id";

    public static final String SALESFORCE_LOGIN_URL = "salesforce.login.url";
    public static final String SALESFORCE_CLIENT_ID = "salesforce.client.id";
    public static final String SALESFORCE_CLIENT_SECRET = "salesforce.client.secret";
    public static final String SALESFORCE_API_VERSION = "salesforce.api.version";
    public static final String SALESFORCE_EXTERNAL_ID_FIELD = "salesforce.external.id.field";
    public static final String SALESFORCE_FIELD_MAPPING = "salesforce.field.mapping";
    public static final String SALESFORCE_FIELD_MAPPING_DEFAULT = "score:Lead_Score__c,fitGrade:Lead_Fit_Grade__c,"
            + "reasons:Lead_Score_Reasons__c,handoffId:Lead_Handoff_Id__c,email:Email,firstName:FirstName,"
            + "lastName:LastName,company:Company";
    public static final String SALESFORCE_LEAD_STATUS = "salesforce.lead.status";

    public static final String BATCH_SIZE = "batch.size";
    public static final String LINGER_MS = "linger.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RETRY_TIMEOUT_MS = "retry.timeout.ms";
    public static final String MAX_IN_FLIGHT_REQUESTS = "max.in.flight.requests";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request.timeout.ms";

    public static final String HTTPS_TRUSTSTORE_LOCATION = "https.truststore.location";
    public static final String HTTPS_TRUSTSTORE_PASSWORD = "https.truststore.password";
    public static final String HTTPS_TRUSTSTORE_TYPE = "https.truststore.type";

    /** Headers the JDK HTTP client refuses to set, and the ones this connector owns. */
    static final Set<String> RESERVED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "content-type", "idempotency-key");

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(CRM_TARGET, Type.STRING, CrmTarget.WEBHOOK.name(), new EnumValidator(), Importance.HIGH,
                "The CRM the handoffs are written to: WEBHOOK (a signed JSON POST per handoff to webhook.url), "
                        + "HUBSPOT or SALESFORCE. Case-insensitive.",
                GROUP_TARGET, ++order, Width.SHORT, "CRM target", new EnumRecommender());

        order = 0;
        def.define(WEBHOOK_URL, Type.STRING, null, new HttpUrlValidator(), Importance.HIGH,
                "The http(s) URL each handoff is POSTed to as one JSON document. Required when crm.target=WEBHOOK. "
                        + "Use https outside tests.",
                GROUP_WEBHOOK, ++order, Width.LONG, "Webhook URL");
        def.define(WEBHOOK_SECRET, Type.PASSWORD, null, Importance.HIGH,
                "Shared secret for the HMAC-SHA256 signature of the exact request body, sent as "
                        + "'sha256=<lowercase hex>' in webhook.signature.header. When unset, requests are not signed. "
                        + "Never logged.",
                GROUP_WEBHOOK, ++order, Width.MEDIUM, "Webhook signing secret");
        def.define(WEBHOOK_SIGNATURE_HEADER, Type.STRING, WEBHOOK_SIGNATURE_HEADER_DEFAULT, new HeaderNameValidator(),
                Importance.MEDIUM, "Name of the request header that carries the body's HMAC-SHA256 signature.",
                GROUP_WEBHOOK, ++order, Width.MEDIUM, "Signature header");
        def.define(WEBHOOK_HEADERS, Type.LIST, "", new HeaderListValidator(), Importance.LOW,
                "Extra request headers as a comma-separated list of Name:Value pairs (e.g. 'X-Source:lead-scoring'). "
                        + "Values cannot contain commas. Host, Connection, Content-Length, Expect, Upgrade, Content-Type and "
                        + "Idempotency-Key are reserved. Logged at startup like any non-PASSWORD setting: do not put credentials here.",
                GROUP_WEBHOOK, ++order, Width.LONG, "Custom headers");

        order = 0;
        def.define(HUBSPOT_URL, Type.STRING, HUBSPOT_URL_DEFAULT, new HttpUrlValidator(), Importance.LOW,
                "Base URL of the HubSpot API. Contacts are upserted with POST <url>/crm/v3/objects/contacts/batch/upsert "
                        + "(idProperty email).",
                GROUP_HUBSPOT, ++order, Width.LONG, "HubSpot API URL");
        def.define(HUBSPOT_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                "Access token of a HubSpot private app with the crm.objects.contacts.write scope, sent as a Bearer "
                        + "token. Required when crm.target=HUBSPOT. Never logged.",
                GROUP_HUBSPOT, ++order, Width.MEDIUM, "HubSpot private-app token");
        def.define(HUBSPOT_LIFECYCLE_STAGE, Type.STRING, "salesqualifiedlead", Importance.MEDIUM,
                "Value written to the contact's lifecyclestage property on handoff. Empty leaves lifecyclestage alone. "
                        + "HubSpot refuses to move a contact's lifecycle stage backwards through the API.",
                GROUP_HUBSPOT, ++order, Width.MEDIUM, "Lifecycle stage");
        def.define(HUBSPOT_PROPERTY_MAPPING, Type.LIST, HUBSPOT_PROPERTY_MAPPING_DEFAULT, FieldMapping.validator(),
                Importance.MEDIUM,
                "Contact properties written on handoff, as handoffField:propertyName pairs. The properties must exist "
                        + "in HubSpot (custom properties are created under Settings > Properties); score, engagement and "
                        + "fit are numbers with 2 decimals, at is an ISO-8601 instant, reasons one line of text. "
                        + "Contacts are matched by the handoff's email, which is always sent.",
                GROUP_HUBSPOT, ++order, Width.LONG, "Contact property mapping");

        order = 0;
        def.define(SALESFORCE_LOGIN_URL, Type.STRING, null, new HttpUrlValidator(), Importance.HIGH,
                "The org's My Domain URL (e.g. https://acme.my.salesforce.com). The access token is requested from "
                        + "<url>/services/oauth2/token with the client-credentials grant; API calls go to the instance_url "
                        + "it returns. Required when crm.target=SALESFORCE.",
                GROUP_SALESFORCE, ++order, Width.LONG, "Salesforce login URL");
        def.define(SALESFORCE_CLIENT_ID, Type.STRING, null, Importance.HIGH,
                "Consumer key of the connected app (client-credentials flow enabled, with a run-as user). Required "
                        + "when crm.target=SALESFORCE.",
                GROUP_SALESFORCE, ++order, Width.MEDIUM, "Client id");
        def.define(SALESFORCE_CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH,
                "Consumer secret of the connected app. Required when crm.target=SALESFORCE. Never logged.",
                GROUP_SALESFORCE, ++order, Width.MEDIUM, "Client secret");
        def.define(SALESFORCE_API_VERSION, Type.STRING, "v62.0", new PatternValidator(Pattern.compile("v\\d+\\.\\d+"),
                "a REST API version such as v62.0"), Importance.LOW,
                "Salesforce REST API version of the upsert call PATCH /services/data/<version>/sobjects/Lead/<field>/<value>.",
                GROUP_SALESFORCE, ++order, Width.SHORT, "API version");
        def.define(SALESFORCE_EXTERNAL_ID_FIELD, Type.STRING, "Lead_Scoring_Id__c",
                new PatternValidator(API_NAME, "a field API name"), Importance.MEDIUM,
                "External-id field of Lead that holds the pipeline's lead id; Leads are upserted by it, so a lead "
                        + "handed over again updates its Lead instead of creating another. Create it as Text, External ID, "
                        + "Unique.",
                GROUP_SALESFORCE, ++order, Width.MEDIUM, "External id field");
        def.define(SALESFORCE_FIELD_MAPPING, Type.LIST, SALESFORCE_FIELD_MAPPING_DEFAULT, FieldMapping.validator(),
                Importance.MEDIUM,
                "Lead fields written on handoff, as handoffField:FieldApiName pairs (leadId always goes to the external "
                        + "id field). Salesforce needs LastName and Company to create a Lead: a handoff without them is "
                        + "refused (REQUIRED_FIELD_MISSING) and goes to the dead-letter queue.",
                GROUP_SALESFORCE, ++order, Width.LONG, "Lead field mapping");
        def.define(SALESFORCE_LEAD_STATUS, Type.STRING, "", Importance.LOW,
                "Value written to Lead.Status on handoff (a value of the org's Lead Status picklist, e.g. "
                        + "'Sales Qualified'). Empty leaves Status alone.",
                GROUP_SALESFORCE, ++order, Width.MEDIUM, "Lead status");

        order = 0;
        def.define(BATCH_SIZE, Type.INT, 100, Range.between(1, 10_000), Importance.MEDIUM,
                "Largest number of handoffs handed to the CRM client in one delivery.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Batch size");
        def.define(LINGER_MS, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
                "How long to wait for a batch to fill up before delivering a partial one, in milliseconds.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Linger (ms)");
        def.define(MAX_RETRIES, Type.INT, 10, Range.atLeast(0), Importance.MEDIUM,
                "Most retries of a transient failure (I/O error, timeout, 408, 429, 5xx, or an answer that says the "
                        + "URL or credentials are wrong) before the task fails. Counted from the first failed delivery "
                        + "until a delivery of the buffered handoffs has no transient failure. 0 disables retries.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Max retries");
        def.define(RETRY_BACKOFF_MS, Type.LONG, 500L, Range.atLeast(1), Importance.LOW,
                "Base of the exponential backoff between retries, in milliseconds; the n-th retry waits a uniformly "
                        + "random time in [0, min(retry.backoff.max.ms, retry.backoff.ms * 2^n)) (full jitter), or the "
                        + "server's Retry-After when longer.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Retry backoff (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW,
                "Upper bound of one backoff, in milliseconds. Must be at least retry.backoff.ms.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Max retry backoff (ms)");
        def.define(RETRY_TIMEOUT_MS, Type.LONG, 600_000L, Range.atLeast(0), Importance.MEDIUM,
                "Total time, from the first transient failure of a stalled delivery, during which it is retried, in "
                        + "milliseconds; then the task fails. A retry whose wait would end after this limit is not attempted.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Retry time limit (ms)");
        def.define(MAX_IN_FLIGHT_REQUESTS, Type.INT, 8, Range.between(1, 256), Importance.LOW,
                "Most concurrent HTTP requests of one task. Webhook and Salesforce send one request per handoff; "
                        + "handoffs of the same lead are always sent one after the other, in offset order.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Max in-flight requests");
        def.define(HTTP_CONNECT_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
                "Timeout for establishing an HTTP connection, in milliseconds.",
                GROUP_DELIVERY, ++order, Width.SHORT, "HTTP connect timeout (ms)");
        def.define(HTTP_REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                "Timeout for one HTTP request until its response headers arrive, in milliseconds. A timeout is a "
                        + "transient failure.",
                GROUP_DELIVERY, ++order, Width.SHORT, "HTTP request timeout (ms)");

        order = 0;
        def.define(HTTPS_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                "Path of a trust store with the CA certificates trusted for HTTPS. When unset, the JVM's default trust "
                        + "store is used.",
                GROUP_TLS, ++order, Width.LONG, "Trust store location");
        def.define(HTTPS_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "Password of the trust store, if it has one. Never logged.",
                GROUP_TLS, ++order, Width.MEDIUM, "Trust store password");
        def.define(HTTPS_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"),
                Importance.LOW, "Format of the trust store: PKCS12 or JKS.",
                GROUP_TLS, ++order, Width.SHORT, "Trust store type");
        return def;
    }

    public CrmSinkConfig(Map<?, ?> originals) {
        this(originals, true);
    }

    /**
     * With {@code checkCrossFields=false} only single-key validation runs, so that
     * {@link CrmSinkConnector#validate} can report {@link #crossFieldErrors()} per key instead of failing.
     */
    CrmSinkConfig(Map<?, ?> originals, boolean checkCrossFields) {
        super(CONFIG_DEF, originals);
        Map<String, String> errors = checkCrossFields ? crossFieldErrors() : Map.of();
        if (!errors.isEmpty()) {
            Map.Entry<String, String> first = errors.entrySet().iterator().next();
            throw new ConfigException(first.getKey(), get(first.getKey()), first.getValue());
        }
    }

    /**
     * Errors between keys, by key, that single-key validators cannot see (for {@code Connector.validate} and
     * the constructor).
     */
    public Map<String, String> crossFieldErrors() {
        Map<String, String> errors = new LinkedHashMap<>();
        String url = getString(WEBHOOK_URL);
        if (target() == CrmTarget.WEBHOOK && (url == null || url.isBlank())) {
            errors.put(WEBHOOK_URL, "webhook.url is required when crm.target=WEBHOOK");
        }
        if (target() == CrmTarget.HUBSPOT && isBlank(getPassword(HUBSPOT_TOKEN))) {
            errors.put(HUBSPOT_TOKEN, "hubspot.token is required when crm.target=HUBSPOT");
        }
        if (target() == CrmTarget.SALESFORCE) {
            if (isBlank(getString(SALESFORCE_LOGIN_URL))) {
                errors.put(SALESFORCE_LOGIN_URL, "salesforce.login.url is required when crm.target=SALESFORCE");
            }
            if (isBlank(getString(SALESFORCE_CLIENT_ID))) {
                errors.put(SALESFORCE_CLIENT_ID, "salesforce.client.id is required when crm.target=SALESFORCE");
            }
            if (isBlank(getPassword(SALESFORCE_CLIENT_SECRET))) {
                errors.put(SALESFORCE_CLIENT_SECRET, "salesforce.client.secret is required when crm.target=SALESFORCE");
            }
            if (salesforceFieldMapping().values().stream()
                    .anyMatch(f -> f.equalsIgnoreCase(getString(SALESFORCE_EXTERNAL_ID_FIELD)))) {
                errors.put(SALESFORCE_FIELD_MAPPING, "must not map a field to the external id field "
                        + getString(SALESFORCE_EXTERNAL_ID_FIELD) + " (it always holds the lead id)");
            }
        }
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            errors.put(RETRY_BACKOFF_MAX_MS, "must be at least retry.backoff.ms (" + getLong(RETRY_BACKOFF_MS) + ")");
        }
        return errors;
    }

    public CrmTarget target() {
        return CrmTarget.valueOf(getString(CRM_TARGET).trim().toUpperCase(Locale.ROOT));
    }

    public URI webhookUrl() {
        String url = getString(WEBHOOK_URL);
        return url == null || url.isBlank() ? null : URI.create(url.trim());
    }

    /** The signing secret, or {@code null}. Keep it in a {@link Password} as long as possible. */
    public Password webhookSecret() {
        return getPassword(WEBHOOK_SECRET);
    }

    public String webhookSignatureHeader() {
        return getString(WEBHOOK_SIGNATURE_HEADER);
    }

    /** The custom headers in configuration order. */
    public Map<String, String> webhookHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String entry : getList(WEBHOOK_HEADERS)) {
            int colon = entry.indexOf(':');
            headers.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
        }
        return headers;
    }

    public URI hubspotUrl() {
        return URI.create(stripTrailingSlash(getString(HUBSPOT_URL)));
    }

    public Password hubspotToken() {
        return getPassword(HUBSPOT_TOKEN);
    }

    /** The lifecycle stage to set, or {@code null} to leave it alone. */
    public String hubspotLifecycleStage() {
        String s = getString(HUBSPOT_LIFECYCLE_STAGE);
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Handoff field to HubSpot property, in configuration order. */
    public Map<String, String> hubspotPropertyMapping() {
        return FieldMapping.parse(getList(HUBSPOT_PROPERTY_MAPPING));
    }

    public URI salesforceLoginUrl() {
        String url = getString(SALESFORCE_LOGIN_URL);
        return url == null || url.isBlank() ? null : URI.create(stripTrailingSlash(url));
    }

    public String salesforceClientId() {
        String id = getString(SALESFORCE_CLIENT_ID);
        return id == null ? null : id.trim();
    }

    public Password salesforceClientSecret() {
        return getPassword(SALESFORCE_CLIENT_SECRET);
    }

    public String salesforceApiVersion() {
        return getString(SALESFORCE_API_VERSION).trim();
    }

    public String salesforceExternalIdField() {
        return getString(SALESFORCE_EXTERNAL_ID_FIELD).trim();
    }

    /** Handoff field to Lead field API name, in configuration order. */
    public Map<String, String> salesforceFieldMapping() {
        return FieldMapping.parse(getList(SALESFORCE_FIELD_MAPPING));
    }

    /** The Lead status to set, or {@code null} to leave it alone. */
    public String salesforceLeadStatus() {
        String s = getString(SALESFORCE_LEAD_STATUS);
        return s == null || s.isBlank() ? null : s.trim();
    }

    public int maxInFlightRequests() {
        return getInt(MAX_IN_FLIGHT_REQUESTS);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public Duration linger() {
        return Duration.ofMillis(getLong(LINGER_MS));
    }

    public Duration httpConnectTimeout() {
        return Duration.ofMillis(getLong(HTTP_CONNECT_TIMEOUT_MS));
    }

    public Duration httpRequestTimeout() {
        return Duration.ofMillis(getLong(HTTP_REQUEST_TIMEOUT_MS));
    }

    /** The retry policy these settings describe, with a secure random and the system clock. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(getInt(MAX_RETRIES), Duration.ofMillis(getLong(RETRY_BACKOFF_MS)),
                Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS)), Duration.ofMillis(getLong(RETRY_TIMEOUT_MS)));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean isBlank(Password p) {
        return p == null || p.value() == null || p.value().isBlank();
    }

    private static String stripTrailingSlash(String url) {
        String s = url.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** All settings, sorted, secrets as {@code [hidden]}. */
    @Override
    public String toString() {
        return "CrmSinkConfig" + new TreeMap<>(values());
    }

    private static final class EnumValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? null : value.toString().trim().toUpperCase(Locale.ROOT);
            if (s == null || Arrays.stream(CrmTarget.values()).noneMatch(t -> t.name().equals(s))) {
                throw new ConfigException(name, value, "must be one of " + Arrays.toString(CrmTarget.values()));
            }
        }

        @Override
        public String toString() {
            return "one of " + Arrays.toString(CrmTarget.values()) + " (case-insensitive)";
        }
    }

    private static final class EnumRecommender implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return Arrays.stream(CrmTarget.values()).map(t -> (Object) t.name()).toList();
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }

    private static final class HttpUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                return; // required-ness depends on crm.target: see crossFieldErrors()
            }
            try {
                URI uri = new URI(value.toString().trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw new ConfigException(name, value, "must be an http or https URL");
                }
                if (uri.getHost() == null) {
                    throw new ConfigException(name, value, "must have a host");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "is not a valid URL: " + e.getReason());
            }
        }

        @Override
        public String toString() {
            return "an http(s) URL";
        }
    }

    private static final class PatternValidator implements ConfigDef.Validator {
        private final Pattern pattern;
        private final String description;

        PatternValidator(Pattern pattern, String description) {
            this.pattern = pattern;
            this.description = description;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !pattern.matcher(value.toString().trim()).matches()) {
                throw new ConfigException(name, value, "must be " + description);
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final class HeaderNameValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            if (!HEADER_NAME.matcher(s).matches()) {
                throw new ConfigException(name, value, "must be an HTTP header name (token characters only)");
            }
            if (RESERVED_HEADERS.contains(s.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "is a reserved header");
            }
        }

        @Override
        public String toString() {
            return "an HTTP header name";
        }
    }

    private static final class HeaderListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            for (Object o : (List<?>) value) {
                String entry = o.toString();
                int colon = entry.indexOf(':');
                if (colon <= 0) {
                    throw new ConfigException("Invalid value for configuration " + name + ": an entry is not Name:Value (values are not shown: they may be secret)");
                }
                String header = entry.substring(0, colon).trim();
                if (!HEADER_NAME.matcher(header).matches()) {
                    throw new ConfigException("Invalid value for configuration " + name + ": '" + header + "' is not a valid header name");
                }
                if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                    throw new ConfigException("Invalid value for configuration " + name + ": '" + header + "' is a reserved header");
                }
                String v = entry.substring(colon + 1);
                if (v.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                    throw new ConfigException("Invalid value for configuration " + name + ": the value of '" + header + "' contains a line break");
                }
            }
        }

        @Override
        public String toString() {
            return "a list of Name:Value";
        }
    }
}
