package io.leadscoring.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on: cores, CPU model, memory, JDK, OS, and lscpu's summary where it is installed. */
final class Machine {

    private static final List<String> LSCPU_FIELDS = List.of("Architecture", "CPU(s)", "Model name",
            "Thread(s) per core", "Core(s) per socket", "Socket(s)", "CPU max MHz", "L2 cache", "L3 cache",
            "Hypervisor vendor", "Virtualization type");

    private Machine() {
    }

    static ObjectNode describe() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        node.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        node.put("memTotal", procLine(Path.of("/proc/meminfo"), "MemTotal:"));
        node.put("cpuModel", procLine(Path.of("/proc/cpuinfo"), "model name"));
        node.put("loadAverageAtStart", loadAverage());
        ObjectNode lscpu = node.putObject("lscpu");
        for (String line : lscpu()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String key = line.substring(0, colon).trim();
                if (LSCPU_FIELDS.contains(key)) {
                    lscpu.put(key, line.substring(colon + 1).trim());
                }
            }
        }
        return node;
    }

    /** The 1, 5 and 15 minute load averages: anything else running on the machine shows up here. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<String> lscpu() {
        try {
            Process process = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return List.of();
            }
            return new String(output, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String procLine(Path file, String prefix) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(prefix)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }
}
