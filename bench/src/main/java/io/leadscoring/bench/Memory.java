package io.leadscoring.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's memory: heap from the MXBean, resident set (VmRSS) and its peak (VmHWM) from /proc/self/status. */
final class Memory {

    private static final MemoryMXBean BEAN = ManagementFactory.getMemoryMXBean();

    private Memory() {
    }

    static long heapUsed() {
        return BEAN.getHeapMemoryUsage().getUsed();
    }

    /** Used heap after a full collection: the live set. Two rounds, since one may leave finalizable garbage. */
    static long heapLive() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return heapUsed();
    }

    static long heapMax() {
        return BEAN.getHeapMemoryUsage().getMax();
    }

    /** Current resident set size in bytes; -1 where /proc is missing (not Linux). */
    static long rss() {
        return procStatus("VmRSS:");
    }

    /** Peak resident set size in bytes since the process started; -1 where /proc is missing. */
    static long rssPeak() {
        return procStatus("VmHWM:");
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
