package io.leadscoring.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every log (Kafka, Connect, Jetty, Jersey) to a file, so that the console shows only the demo. Must run before
 * the first logger is created: slf4j-simple reads its settings once. Settings given with -D win.
 */
final class DemoLogging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private DemoLogging() {
    }

    static void toFile(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("logFile", file.toAbsolutePath().toString());
        settings.put("defaultLogLevel", "info");
        settings.put("showDateTime", "true");
        settings.put("dateTimeFormat", "HH:mm:ss.SSS");
        settings.put("showThreadName", "true");
        settings.put("showShortLogName", "false");
        settings.put("showLogName", "true");
        // Warnings and errors of Kafka, the broker and Connect; INFO for the lifecycle of the parts the demo runs.
        settings.put("log.kafka", "warn");
        settings.put("log.state.change.logger", "warn");
        settings.put("log.org.apache.kafka", "warn");
        settings.put("log.org.apache.kafka.streams.KafkaStreams", "info");
        settings.put("log.org.apache.kafka.connect.runtime.Worker", "info");
        settings.put("log.org.apache.kafka.connect.runtime.WorkerSinkTask", "info");
        settings.put("log.org.eclipse.jetty", "warn");
        settings.put("log.org.glassfish", "warn");
        settings.put("log.io.leadscoring", "info");
        // The serde prints its whole configuration at INFO, once per client.
        settings.put("log.io.leadscoring.serde", "warn");
        settings.forEach((key, value) -> {
            if (System.getProperty(PREFIX + key) == null) {
                System.setProperty(PREFIX + key, value);
            }
        });
        bridgeJavaUtilLogging();
    }

    /** Jersey (Connect's REST API) logs through java.util.logging, whose default handler writes to the console. */
    private static void bridgeJavaUtilLogging() {
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new ToSlf4j());
    }

    private static final class ToSlf4j extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
            String message = formatter.formatMessage(record);
            int level = record.getLevel().intValue();
            if (level >= Level.SEVERE.intValue()) {
                logger.error(message, record.getThrown());
            } else if (level >= Level.WARNING.intValue()) {
                logger.warn(message, record.getThrown());
            } else if (level >= Level.INFO.intValue()) {
                logger.info(message, record.getThrown());
            } else {
                logger.debug(message, record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
