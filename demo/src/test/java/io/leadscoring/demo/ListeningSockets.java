package io.leadscoring.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: its file descriptors name socket inodes,
 * and {@code /proc/net/tcp} and {@code tcp6} give each inode's local address and state.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    /** A listening socket: its address as written in /proc (hex) and decoded. */
    record Socket(String address, int port, boolean loopback) {
    }

    private ListeningSockets() {
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    static List<Socket> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we looked
                }
            }
        }
        List<Socket> sockets = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    sockets.add(new Socket(decode(local[0]), Integer.parseInt(local[1], 16), isLoopback(local[0])));
                }
            }
        }
        return sockets;
    }

    /** 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104, from /proc's hex (32-bit words in host byte order, little-endian). */
    static boolean isLoopback(String hex) {
        String h = hex.toUpperCase(Locale.ROOT);
        if (h.length() == 8) {
            return h.endsWith("7F");
        }
        return h.equals("00000000000000000000000001000000")
                || h.startsWith("0000000000000000FFFF0000") && h.endsWith("7F");
    }

    static String decode(String hex) {
        if (hex.length() == 8) {
            StringBuilder ip = new StringBuilder();
            for (int i = 6; i >= 0; i -= 2) {
                ip.append(Integer.parseInt(hex.substring(i, i + 2), 16)).append(i > 0 ? "." : "");
            }
            return ip.toString();
        }
        return "[" + hex + "]";
    }
}
