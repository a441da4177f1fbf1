package io.leadscoring.connect;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Builds the JDK {@link HttpClient} the CRM clients share: connect timeout, optional custom trust store. */
public final class HttpClients {

    private HttpClients() {
    }

    public static HttpClient create(CrmSinkConfig config) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.httpConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        String location = config.getString(CrmSinkConfig.HTTPS_TRUSTSTORE_LOCATION);
        if (location != null && !location.isBlank()) {
            builder.sslContext(sslContext(Path.of(location.trim()),
                    config.getPassword(CrmSinkConfig.HTTPS_TRUSTSTORE_PASSWORD),
                    config.getString(CrmSinkConfig.HTTPS_TRUSTSTORE_TYPE)));
        }
        return builder.build();
    }

    /** Closes the client where the JDK can (HttpClient is AutoCloseable from Java 21; on 17 its threads end with it). */
    public static void close(HttpClient http, org.slf4j.Logger log) {
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("Closing the HTTP client failed", e);
            }
        }
    }

    /** An SSL context trusting exactly the certificates of the given trust store. */
    public static SSLContext sslContext(Path location, Password password, String type) {
        char[] pw = password == null ? null : password.value().toCharArray();
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(type.trim().toUpperCase(java.util.Locale.ROOT));
            store.load(in, pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            // never include the password; the path is not secret
            throw new ConfigException(CrmSinkConfig.HTTPS_TRUSTSTORE_LOCATION, location.toString(),
                    "cannot load " + type + " trust store: " + e.getMessage());
        }
    }
}
