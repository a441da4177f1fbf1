package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @TempDir
    Path root;

    @Test
    void aNewDirectoryGetsTwoFreePortsAndAClusterIdThatTheNextStartReuses() throws Exception {
        DataDir.State first;
        try (DataDir dir = DataDir.open(root.resolve("data"))) {
            assertThat(dir.fresh()).isTrue();
            first = dir.state();
            assertThat(first.brokerPort()).isPositive().isNotEqualTo(first.controllerPort());
            assertThat(first.clusterId()).hasSize(22);
            assertThat(first.nextLead()).isEqualTo(1);
            assertThat(Files.readString(root.resolve("data").resolve(DataDir.STATE_FILE)))
                    .contains("broker.port=" + first.brokerPort());
            dir.save(first.withNextLead(57));
        }
        try (DataDir dir = DataDir.open(root.resolve("data"))) {
            assertThat(dir.fresh()).isFalse();
            assertThat(dir.state()).isEqualTo(first.withNextLead(57));
            dir.checkPortsFree();
        }
    }

    @Test
    void oneDemoAtATimePerDirectory() throws Exception {
        try (DataDir dir = DataDir.open(root)) {
            assertThatThrownBy(() -> DataDir.open(root)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another demo is running on " + root.toAbsolutePath().normalize());
        }
        DataDir.open(root).close();
    }

    @Test
    void saysWhichSavedPortIsTaken() throws Exception {
        try (DataDir dir = DataDir.open(root);
                ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName(DemoDefaults.LOOPBACK),
                    dir.state().brokerPort()));
            assertThatThrownBy(dir::checkPortsFree).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + dir.state().brokerPort())
                    .hasMessageContaining(DataDir.STATE_FILE);
        }
    }

    @Test
    void aDamagedStateFileSaysHowToStartAfresh() throws Exception {
        Files.writeString(root.resolve(DataDir.STATE_FILE), "broker.port=x\n");
        assertThatThrownBy(() -> DataDir.open(root)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("delete the data directory");
        DataDir.open(root.resolve("other")).close(); // and the lock was released
        Files.writeString(root.resolve(DataDir.STATE_FILE), "cluster.id=abc\nbroker.port=1\ncontroller.port=2\n");
        DataDir.open(root).close();
    }
}
