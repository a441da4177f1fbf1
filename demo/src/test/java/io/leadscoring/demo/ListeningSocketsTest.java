package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void decodesProcAddresses() {
        assertThat(ListeningSockets.isLoopback("0100007F")).isTrue();
        assertThat(ListeningSockets.decode("0100007F")).isEqualTo("127.0.0.1");
        assertThat(ListeningSockets.isLoopback("00000000")).isFalse();
        assertThat(ListeningSockets.isLoopback("0A00000A")).as("10.0.0.10").isFalse();
        assertThat(ListeningSockets.isLoopback("00000000000000000000000001000000")).as("::1").isTrue();
        assertThat(ListeningSockets.isLoopback("0000000000000000FFFF00000100007F")).as("::ffff:127.0.0.1").isTrue();
        assertThat(ListeningSockets.isLoopback("00000000000000000000000000000000")).as("::").isFalse();
    }

    @Test
    void findsThisJvmsOwnListeningSocketsAndTellsLoopbackFromAllInterfaces() throws Exception {
        assumeTrue(ListeningSockets.supported(), "Linux /proc");
        try (ServerSocket loopback = new ServerSocket();
                ServerSocket wildcard = new ServerSocket()) {
            loopback.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            wildcard.bind(new InetSocketAddress(0));
            var sockets = ListeningSockets.of(ProcessHandle.current().pid());
            assertThat(sockets).filteredOn(s -> s.port() == loopback.getLocalPort()).singleElement()
                    .satisfies(s -> assertThat(s.loopback()).isTrue());
            assertThat(sockets).filteredOn(s -> s.port() == wildcard.getLocalPort()).singleElement()
                    .satisfies(s -> assertThat(s.loopback()).isFalse());
        }
    }
}
