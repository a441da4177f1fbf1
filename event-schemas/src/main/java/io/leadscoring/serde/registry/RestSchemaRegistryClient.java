package io.leadscoring.serde.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Confluent Schema Registry REST client on the JDK's {@link HttpClient}, with Confluent's caching: schema by id,
 * id by (subject, schema) and each subject's latest version (for {@code latest.cache.ttl.sec}). Thread-safe.
 *
 * <p>A request that fails with an I/O error, 408, 429 or 5xx moves on to the next URL; once every URL failed it is
 * retried after an exponential backoff, {@code max.retries} times, and then fails with
 * {@link SchemaRegistryUnavailableException}. Any other error answer fails at once with {@link RestClientException}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final String ACCEPT = "application/vnd.schemaregistry.v1+json, "
            + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SUBJECTS_CACHED = 10_000;

    private final List<Endpoint> endpoints;
    private final AtomicInteger preferred = new AtomicInteger();
    private final HttpClient http;
    private final Duration readTimeout;
    private final int maxRetries;
    private final long retriesWaitMs;
    private final long retriesMaxWaitMs;
    private final int cacheCapacity;
    private final long latestTtlNanos;

    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<String, BoundedCache<Schema, Integer>> idsBySubject;
    private final BoundedCache<String, Expiring> latestBySubject;

    public RestSchemaRegistryClient(Map<String, ?> configs) {
        this(new SchemaRegistryClientConfig(configs));
    }

    public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.endpoints = endpoints(config);
        this.readTimeout = Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS));
        this.maxRetries = config.getInt(SchemaRegistryClientConfig.MAX_RETRIES_CONFIG);
        this.retriesWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_WAIT_MS_CONFIG);
        this.retriesMaxWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_MAX_WAIT_MS_CONFIG);
        this.cacheCapacity = config.getInt(SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG);
        int ttlSec = config.getInt(SchemaRegistryClientConfig.LATEST_CACHE_TTL_CONFIG);
        this.latestTtlNanos = ttlSec < 0 ? Long.MAX_VALUE : Duration.ofSeconds(ttlSec).toNanos();
        this.schemasById = new BoundedCache<>(cacheCapacity);
        this.idsBySubject = new BoundedCache<>(MAX_SUBJECTS_CACHED);
        this.latestBySubject = new BoundedCache<>(cacheCapacity);

        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS)));
        if (endpoints.stream().anyMatch(e -> e.base.startsWith("https:"))) {
            builder.sslContext(sslContext(config));
            List<String> protocols = config.getList(SchemaRegistryClientConfig.SSL_ENABLED_PROTOCOLS);
            if (protocols != null && !protocols.isEmpty()) {
                SSLParameters params = new SSLParameters();
                params.setProtocols(protocols.toArray(String[]::new));
                builder.sslParameters(params);
            }
        }
        this.http = builder.build();
        log.debug("Schema registry client for {}", this);
    }

    @Override
    public int register(String subject, Schema schema) {
        return register(subject, schema, false);
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        BoundedCache<Schema, Integer> ids = idsOf(subject);
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = request("POST", "/subjects/" + encode(subject) + "/versions" + normalizeQuery(normalize),
                schemaBody(schema));
        int id = requiredInt(answer, "id");
        ids.put(schema, id);
        schemasById.put(id, schema);
        latestBySubject.remove(subject);
        return id;
    }

    @Override
    public int getId(String subject, Schema schema) {
        return getId(subject, schema, false);
    }

    @Override
    public int getId(String subject, Schema schema, boolean normalize) {
        BoundedCache<Schema, Integer> ids = idsOf(subject);
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = request("POST", "/subjects/" + encode(subject) + normalizeQuery(normalize),
                schemaBody(schema));
        int id = requiredInt(answer, "id");
        ids.put(schema, id);
        schemasById.put(id, schema);
        return id;
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parseSchema(request("GET", "/schemas/ids/" + id, null), "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema getLatestVersion(String subject) {
        Expiring cached = latestBySubject.get(subject);
        if (cached != null && System.nanoTime() - cached.fetchedAtNanos < latestTtlNanos) {
            return cached.schema;
        }
        JsonNode answer = request("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = requiredInt(answer, "id");
        Schema schema = schemasById.get(id);
        if (schema == null) {
            schema = parseSchema(answer, "subject " + subject);
            schemasById.put(id, schema);
        }
        RegisteredSchema latest = new RegisteredSchema(subject, id, requiredInt(answer, "version"), schema);
        if (latestTtlNanos > 0) {
            latestBySubject.put(subject, new Expiring(latest, System.nanoTime()));
        }
        return latest;
    }

    @Override
    public List<String> getAllSubjects() {
        List<String> subjects = new ArrayList<>();
        request("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public List<Integer> getAllVersions(String subject) {
        List<Integer> versions = new ArrayList<>();
        request("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        JsonNode answer = request("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                schemaBody(schema));
        return answer != null && answer.path("is_compatible").asBoolean(false);
    }

    @Override
    public String getCompatibility(String subject) {
        String path = subject == null ? "/config" : "/config/" + encode(subject) + "?defaultToGlobal=true";
        JsonNode answer = request("GET", path, null);
        return answer == null ? null : answer.path("compatibilityLevel").asText(null);
    }

    @Override
    public String updateCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        JsonNode answer = request("PUT", subject == null ? "/config" : "/config/" + encode(subject), body);
        // Confluent answers {"compatibility": L}; Apicurio's ccompat API {"compatibilityLevel": L}.
        return answer == null ? level
                : answer.path("compatibility").asText(answer.path("compatibilityLevel").asText(level));
    }

    @Override
    public void close() {
        schemasById.clear();
        idsBySubject.clear();
        latestBySubject.clear();
        // HttpClient is AutoCloseable from Java 21; on 17 its selector thread ends once the client is unreachable.
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("Closing the HTTP client failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + endpoints;
    }

    private BoundedCache<Schema, Integer> idsOf(String subject) {
        return idsBySubject.computeIfAbsent(subject, s -> new BoundedCache<>(cacheCapacity));
    }

    private JsonNode request(String method, String pathAndQuery, JsonNode body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode request body", e);
        }
        int n = endpoints.size();
        String lastProblem = null;
        int lastStatus = -1;
        Throwable lastCause = null;
        for (int attempt = 0; ; attempt++) {
            int start = preferred.get();
            for (int i = 0; i < n; i++) {
                int index = (start + i) % n;
                Endpoint endpoint = endpoints.get(index);
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(endpoint.base + pathAndQuery))
                        .timeout(readTimeout)
                        .header("Accept", ACCEPT)
                        .method(method, publisher);
                if (body != null) {
                    rb.header("Content-Type", CONTENT_TYPE);
                }
                if (endpoint.authorization != null) {
                    rb.header("Authorization", endpoint.authorization);
                }
                try {
                    HttpResponse<byte[]> response = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        preferred.set(index);
                        return parseBody(response.body());
                    }
                    if (!isRetriable(status)) {
                        throw errorOf(status, response.body());
                    }
                    lastStatus = status;
                    lastCause = errorOf(status, response.body());
                    lastProblem = "HTTP " + status + " from " + endpoint.base;
                } catch (IOException e) {
                    lastStatus = -1;
                    lastCause = e;
                    lastProblem = e.getClass().getSimpleName() + " from " + endpoint.base
                            + (e.getMessage() == null ? "" : ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
                log.debug("{} {} failed (attempt {}): {}", method, pathAndQuery, attempt + 1, lastProblem);
            }
            // Start the next attempt (and later requests) with another URL than the one that failed first.
            preferred.compareAndSet(start, (start + 1) % n);
            if (attempt >= maxRetries) {
                throw new SchemaRegistryUnavailableException("Schema registry unavailable: " + method + " "
                        + pathAndQuery + " failed " + (attempt + 1) + " time(s) on " + endpoints + "; last: "
                        + lastProblem, lastStatus, lastCause);
            }
            long wait = backoffMs(attempt);
            log.warn("Schema registry request {} {} failed ({}); retry {} of {} in {} ms", method, pathAndQuery,
                    lastProblem, attempt + 1, maxRetries, wait);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    long backoffMs(int attempt) {
        long wait = retriesWaitMs << Math.min(attempt, 30);
        return Math.min(wait < 0 ? Long.MAX_VALUE : wait, retriesMaxWaitMs);
    }

    static boolean isRetriable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static RestClientException errorOf(int status, byte[] body) {
        String message = null;
        int errorCode = status;
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (node != null && node.isObject()) {
                message = node.path("message").asText(null);
                errorCode = node.path("error_code").asInt(status);
            }
        } catch (IOException e) {
            // not JSON: keep a snippet of the text below
        }
        if (message == null) {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
            message = "HTTP " + status + (text.isEmpty() ? "" : ": " + (text.length() > 200
                    ? text.substring(0, 200) + "..." : text));
        }
        return new RestClientException(message, status, errorCode);
    }

    private static JsonNode parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RestClientException("Registry answered with a body that is not JSON", 200, 50005);
        }
    }

    private static ObjectNode schemaBody(Schema schema) {
        // Avro is the default schema type: Confluent omits schemaType for it, and so do we.
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static Schema parseSchema(JsonNode answer, String what) {
        String type = answer == null ? null : answer.path("schemaType").asText("AVRO");
        if (type != null && !"AVRO".equalsIgnoreCase(type)) {
            throw new RestClientException("The registry's " + what + " is a " + type + " schema, not Avro", 422,
                    RestClientException.INVALID_SCHEMA);
        }
        String text = answer == null ? null : answer.path("schema").asText(null);
        if (text == null) {
            throw new RestClientException("The registry's answer for " + what + " has no schema", 200, 50005);
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new RestClientException("The registry's " + what + " does not parse as Avro: " + e.getMessage(),
                    422, RestClientException.INVALID_SCHEMA);
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer == null ? null : answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new RestClientException("The registry's answer has no '" + field + "'", 200, 50005);
        }
        return value.intValue();
    }

    private static String normalizeQuery(boolean normalize) {
        return normalize ? "?normalize=true" : "";
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<Endpoint> endpoints(SchemaRegistryClientConfig config) {
        boolean fromUserInfo = "USER_INFO".equals(config.credentialsSource());
        Password userInfo = config.userInfo();
        String configuredAuth = fromUserInfo && userInfo != null ? basic(userInfo.value()) : null;
        List<Endpoint> endpoints = new ArrayList<>();
        for (String raw : config.urls()) {
            String url = raw.trim();
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, 
                        SchemaRegistryClientConfig.redactUrl(url), "not a URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new ConfigException(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG,
                        SchemaRegistryClientConfig.redactUrl(url), "expected an http(s)://host[:port][/path] URL");
            }
            String base = scheme + "://" + (uri.getRawAuthority().contains("@")
                    ? uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1)
                    : uri.getRawAuthority()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            String auth = configuredAuth;
            if (!fromUserInfo && uri.getRawUserInfo() != null) {
                auth = basic(URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8));
            }
            endpoints.add(new Endpoint(base, auth));
        }
        return List.copyOf(endpoints);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext sslContext(SchemaRegistryClientConfig config) {
        try {
            KeyManager[] keyManagers = null;
            String keystore = config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION);
            if (keystore != null && !keystore.isBlank()) {
                Password storePassword = config.getPassword(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD);
                Password keyPassword = config.getPassword(SchemaRegistryClientConfig.SSL_KEY_PASSWORD);
                KeyStore store = load(keystore, config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE),
                        storePassword, SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(
                        config.getString(SchemaRegistryClientConfig.SSL_KEYMANAGER_ALGORITHM));
                Password forKey = keyPassword != null ? keyPassword : storePassword;
                kmf.init(store, forKey == null ? new char[0] : forKey.value().toCharArray());
                keyManagers = kmf.getKeyManagers();
            }
            String truststore = config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
            KeyStore trusted = truststore == null || truststore.isBlank() ? null
                    : load(truststore, config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE),
                            config.getPassword(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD),
                            SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                    config.getString(SchemaRegistryClientConfig.SSL_TRUSTMANAGER_ALGORITHM));
            tmf.init(trusted);
            TrustManager[] trustManagers = tmf.getTrustManagers();
            String algorithm = config.getString(SchemaRegistryClientConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);
            if (algorithm == null || algorithm.isEmpty()) {
                // The JDK HttpClient always asks for HTTPS identification; only the trust manager can skip it.
                for (int i = 0; i < trustManagers.length; i++) {
                    if (trustManagers[i] instanceof X509ExtendedTrustManager x509) {
                        trustManagers[i] = new NoHostnameCheckTrustManager(x509);
                    }
                }
            }
            SSLContext context = SSLContext.getInstance(config.getString(SchemaRegistryClientConfig.SSL_PROTOCOL));
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS towards the schema registry: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, String type, Password password, String key) {
        if ("PEM".equalsIgnoreCase(type)) {
            throw new ConfigException(key, location, "PEM stores are not supported; use JKS or PKCS12");
        }
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type == null ? KeyStore.getDefaultType() : type);
            store.load(in, password == null ? null : password.value().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // The JDK's messages name the problem ("password was incorrect"), never the password.
            throw new ConfigException(key, location, "cannot load the store: " + e.getMessage());
        }
    }

    private static final class Endpoint {
        final String base;
        final String authorization;

        Endpoint(String base, String authorization) {
            this.base = base;
            this.authorization = authorization;
        }

        @Override
        public String toString() {
            return base;
        }
    }

    private record Expiring(RegisteredSchema schema, long fetchedAtNanos) {
    }

    /** Trusts what the delegate trusts, without checking the host name against the certificate. */
    private static final class NoHostnameCheckTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        NoHostnameCheckTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
                java.net.Socket socket) throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
                java.net.Socket socket) throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
                SSLEngine engine) throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
                SSLEngine engine) throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
