package io.leadscoring.serde.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Key and trust stores made with the JDK's keytool, for TLS tests on loopback. */
final class TlsMaterial {

    static final String PASSWORD = "test-store-pw";

    final Path server;       // CN=localhost, SAN localhost and 127.0.0.1
    final Path wrongHost;    // CN=wrong.example, SAN wrong.example only
    final Path client;       // client certificate for mutual TLS
    final Path truststore;   // what the client trusts: both server certificates
    final Path clientCas;    // what the server trusts: the client certificate

    private TlsMaterial(Path dir) {
        server = dir.resolve("server.p12");
        wrongHost = dir.resolve("wrong-host.p12");
        client = dir.resolve("client.p12");
        truststore = dir.resolve("truststore.p12");
        clientCas = dir.resolve("client-cas.p12");
    }

    static TlsMaterial generate(Path dir) throws IOException, InterruptedException {
        TlsMaterial m = new TlsMaterial(dir);
        keyPair(m.server, "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        keyPair(m.wrongHost, "CN=wrong.example", "SAN=dns:wrong.example");
        keyPair(m.client, "CN=scoring-client", null);
        trust(m.server, m.truststore, "server", dir);
        trust(m.wrongHost, m.truststore, "wrong", dir);
        trust(m.client, m.clientCas, "client", dir);
        return m;
    }

    SSLContext serverContext(Path keystore, boolean trustClients) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keystore), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustClients ? load(clientCas) : null);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keyPair(Path store, String dname, String san) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", dname, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args);
    }

    private static void trust(Path keystore, Path truststore, String alias, Path dir)
            throws IOException, InterruptedException {
        Path cert = dir.resolve(alias + ".cer");
        keytool(List.of("-exportcert", "-alias", "key", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-Xmx64m");
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool " + args.get(0) + " failed: " + output);
        }
    }
}
