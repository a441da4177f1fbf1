package io.leadscoring.serde.registry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the schema registry client, under Confluent's names and defaults, so that a Confluent producer or
 * consumer property file configures it unchanged. Unknown keys are ignored: the map is usually the whole client
 * configuration.
 */
public class SchemaRegistryClientConfig extends AbstractConfig {

    /** Prefix of the TLS settings towards the registry, e.g. {@code schema.registry.ssl.truststore.location}. */
    public static final String CLIENT_NAMESPACE = "schema.registry.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String MOCK_URL_PREFIX = "mock://";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT = "URL";
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    /** Older name of {@link #USER_INFO_CONFIG}, still read when the new one is empty. */
    public static final String SCHEMA_REGISTRY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";

    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final int HTTP_CONNECT_TIMEOUT_MS_DEFAULT = 60_000;
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final int HTTP_READ_TIMEOUT_MS_DEFAULT = 60_000;

    public static final String MAX_RETRIES_CONFIG = "max.retries";
    public static final int MAX_RETRIES_DEFAULT = 3;
    public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";
    public static final int RETRIES_WAIT_MS_DEFAULT = 1_000;
    public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";
    public static final int RETRIES_MAX_WAIT_MS_DEFAULT = 20_000;

    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG = "max.schemas.per.subject";
    public static final int MAX_SCHEMAS_PER_SUBJECT_DEFAULT = 1000;
    public static final String LATEST_CACHE_TTL_CONFIG = "latest.cache.ttl.sec";
    public static final int LATEST_CACHE_TTL_DEFAULT = -1;

    public static final String SSL_TRUSTSTORE_LOCATION = CLIENT_NAMESPACE + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG;
    public static final String SSL_TRUSTSTORE_PASSWORD = CLIENT_NAMESPACE + SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG;
    public static final String SSL_TRUSTSTORE_TYPE = CLIENT_NAMESPACE + SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG;
    public static final String SSL_KEYSTORE_LOCATION = CLIENT_NAMESPACE + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
    public static final String SSL_KEYSTORE_PASSWORD = CLIENT_NAMESPACE + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG;
    public static final String SSL_KEYSTORE_TYPE = CLIENT_NAMESPACE + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG;
    public static final String SSL_KEY_PASSWORD = CLIENT_NAMESPACE + SslConfigs.SSL_KEY_PASSWORD_CONFIG;
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM =
            CLIENT_NAMESPACE + SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG;
    public static final String SSL_PROTOCOL = CLIENT_NAMESPACE + SslConfigs.SSL_PROTOCOL_CONFIG;
    public static final String SSL_ENABLED_PROTOCOLS = CLIENT_NAMESPACE + SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG;
    public static final String SSL_KEYMANAGER_ALGORITHM = CLIENT_NAMESPACE + SslConfigs.SSL_KEYMANAGER_ALGORITHM_CONFIG;
    public static final String SSL_TRUSTMANAGER_ALGORITHM =
            CLIENT_NAMESPACE + SslConfigs.SSL_TRUSTMANAGER_ALGORITHM_CONFIG;

    private static final ConfigDef CONFIG = withClientConfigs(new ConfigDef());
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=//)[^/@?#]*@");

    public SchemaRegistryClientConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** Adds the registry client's settings to a definition (the serde configs build on it). */
    public static ConfigDef withClientConfigs(ConfigDef def) {
        def.define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, null, Importance.HIGH,
                        "Comma-separated list of schema registry URLs, tried in turn when one fails. "
                                + "'mock://SCOPE' selects an in-process registry shared by every client of that scope "
                                + "in the JVM.")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT,
                        ConfigDef.CaseInsensitiveValidString.in("URL", "USER_INFO"), Importance.MEDIUM,
                        "Where the Basic auth credentials come from: URL (the user info of each registry URL) or "
                                + "USER_INFO (" + USER_INFO_CONFIG + ").")
                .define(USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                        "Basic auth credentials as user:password, for " + BASIC_AUTH_CREDENTIALS_SOURCE
                                + "=USER_INFO.")
                .define(SCHEMA_REGISTRY_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.LOW,
                        "Deprecated name of " + USER_INFO_CONFIG + ".")
                .define(HTTP_CONNECT_TIMEOUT_MS, Type.INT, HTTP_CONNECT_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, "Connect timeout towards the registry, in milliseconds.")
                .define(HTTP_READ_TIMEOUT_MS, Type.INT, HTTP_READ_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, "Time to wait for a registry response, in milliseconds.")
                .define(MAX_RETRIES_CONFIG, Type.INT, MAX_RETRIES_DEFAULT, Range.atLeast(0), Importance.LOW,
                        "Retries of a registry request that failed with an I/O error, 408, 429 or 5xx.")
                .define(RETRIES_WAIT_MS_CONFIG, Type.INT, RETRIES_WAIT_MS_DEFAULT, Range.atLeast(0),
                        Importance.LOW, "Wait before the first retry, doubled at each further retry.")
                .define(RETRIES_MAX_WAIT_MS_CONFIG, Type.INT, RETRIES_MAX_WAIT_MS_DEFAULT, Range.atLeast(0),
                        Importance.LOW, "Upper bound of the wait between retries.")
                .define(MAX_SCHEMAS_PER_SUBJECT_CONFIG, Type.INT, MAX_SCHEMAS_PER_SUBJECT_DEFAULT,
                        Range.atLeast(1), Importance.LOW, "Bound of the client's schema and id caches.")
                .define(LATEST_CACHE_TTL_CONFIG, Type.INT, LATEST_CACHE_TTL_DEFAULT, Range.atLeast(-1),
                        Importance.LOW, "Seconds a subject's latest version stays cached; -1 for ever.");
        // Kafka's client TLS settings under the registry prefix, with Kafka's defaults, as Confluent does.
        for (ConfigDef.ConfigKey key : new ConfigDef().withClientSslSupport().configKeys().values()) {
            def.define(CLIENT_NAMESPACE + key.name, key.type, key.defaultValue, key.importance, key.documentation);
        }
        return def;
    }

    public List<String> urls() {
        List<String> urls = getList(SCHEMA_REGISTRY_URL_CONFIG);
        if (urls == null || urls.isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL_CONFIG
                    + "\" which has no default value.");
        }
        return urls;
    }

    /** The mock scope when the URL list is a single {@code mock://SCOPE}, else null. */
    public String mockScope() {
        List<String> urls = urls();
        List<String> mocks = new ArrayList<>();
        for (String url : urls) {
            if (url.startsWith(MOCK_URL_PREFIX)) {
                mocks.add(url.substring(MOCK_URL_PREFIX.length()));
            }
        }
        if (mocks.isEmpty()) {
            return null;
        }
        if (urls.size() > 1 || mocks.get(0).isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG + " must be a single mock://SCOPE URL "
                    + "or a list of http(s) URLs: " + redactUrls(urls));
        }
        return mocks.get(0);
    }

    /** "USER_INFO" or "URL". */
    public String credentialsSource() {
        return getString(BASIC_AUTH_CREDENTIALS_SOURCE).toUpperCase(java.util.Locale.ROOT);
    }

    /** The configured user:password, from the current key or else the legacy one; null when neither is set. */
    public Password userInfo() {
        Password current = getPassword(USER_INFO_CONFIG);
        if (current != null && !current.value().isEmpty()) {
            return current;
        }
        Password legacy = getPassword(SCHEMA_REGISTRY_USER_INFO_CONFIG);
        return legacy != null && !legacy.value().isEmpty() ? legacy : null;
    }

    /** The URL with any user info replaced by "***", fit for logs and exception messages. */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url.trim());
            if (uri.getRawUserInfo() == null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // not a URI: fall through to the pattern, which needs no parsing
        }
        return URL_USER_INFO.matcher(url).replaceFirst("***@");
    }

    public static List<String> redactUrls(List<String> urls) {
        List<String> out = new ArrayList<>(urls.size());
        urls.forEach(u -> out.add(redactUrl(u)));
        return out;
    }

    /** The settings this definition knows, with passwords hidden and URL credentials redacted. */
    public static String describe(AbstractConfig config) {
        StringBuilder out = new StringBuilder(config.getClass().getSimpleName()).append(" values:");
        Map<String, Object> sorted = new TreeMap<>(config.values());
        sorted.forEach((key, value) -> {
            Object shown = value;
            if (value instanceof Password) {
                shown = Password.HIDDEN;
            } else if (SCHEMA_REGISTRY_URL_CONFIG.equals(key) && value instanceof List<?> list) {
                List<String> urls = new ArrayList<>();
                list.forEach(u -> urls.add(String.valueOf(u)));
                shown = redactUrls(urls);
            } else if (value instanceof Class<?> cls) {
                shown = cls.getName();
            }
            out.append("\n\t").append(key).append(" = ").append(shown);
        });
        return out.toString();
    }

    @Override
    public String toString() {
        return describe(this);
    }
}
