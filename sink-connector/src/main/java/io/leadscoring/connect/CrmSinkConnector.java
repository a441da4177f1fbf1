package io.leadscoring.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink that hands SQL handoffs to a CRM (see {@link CrmSinkConfig}). Stateless: every task gets
 * the connector's configuration; Connect spreads the topic partitions over the tasks.
 */
public class CrmSinkConnector extends SinkConnector {

    private Map<String, String> props = Map.of();

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        // Fail fast on an invalid configuration (single-key and cross-field).
        new CrmSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CrmSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CrmSinkConfig.CONFIG_DEF;
    }

    /** Single-key validation by {@link ConfigDef}, plus {@link CrmSinkConfig#crossFieldErrors()}, each on its key. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean singleKeyErrors = config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
        if (singleKeyErrors) {
            return config; // the values cannot be parsed: cross-field checks would only repeat these errors
        }
        CrmSinkConfig parsed;
        try {
            parsed = new CrmSinkConfig(connectorConfigs, false);
        } catch (ConfigException e) {
            return config;
        }
        parsed.crossFieldErrors().forEach((key, message) -> addError(config, key, message));
        return config;
    }

    private static void addError(Config config, String key, String message) {
        Optional<ConfigValue> value = config.configValues().stream().filter(v -> v.name().equals(key)).findFirst();
        if (value.isPresent()) {
            value.get().addErrorMessage(message);
        } else {
            ConfigValue v = new ConfigValue(key);
            v.addErrorMessage(message);
            config.configValues().add(v);
        }
    }
}
