package io.leadscoring.testkit;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Readable names that are unique within the JVM and valid as Kafka topic names. */
final class UniqueNames {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Pattern ILLEGAL = Pattern.compile("[^a-zA-Z0-9._-]");
    // Kafka allows 249 characters; leave room for the suffix.
    private static final int MAX_PREFIX_LENGTH = 200;

    private UniqueNames() {
    }

    static String next(String prefix, String fallbackPrefix) {
        String clean = prefix == null ? "" : ILLEGAL.matcher(prefix).replaceAll("_");
        if (clean.isEmpty()) {
            clean = fallbackPrefix;
        }
        if (clean.length() > MAX_PREFIX_LENGTH) {
            clean = clean.substring(0, MAX_PREFIX_LENGTH);
        }
        // The random part tells reruns apart in logs; the counter alone guarantees uniqueness.
        String random = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        return clean + "-" + COUNTER.incrementAndGet() + "-" + random;
    }
}
