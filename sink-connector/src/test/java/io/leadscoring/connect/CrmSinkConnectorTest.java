package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;

class CrmSinkConnectorTest {

    static Map<String, String> webhook() {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "WEBHOOK");
        props.put("webhook.url", "https://crm.example.com/hooks/sql");
        return props;
    }

    static List<String> errors(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst()
                .map(ConfigValue::errorMessages).orElseThrow();
    }

    @Test
    void validConfigHasNoErrors() {
        Config config = new CrmSinkConnector().validate(webhook());
        assertThat(config.configValues()).allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    @Test
    void validateReportsTheCrossFieldErrorForWebhookWithoutUrl() {
        Map<String, String> props = webhook();
        props.remove("webhook.url");
        Config config = new CrmSinkConnector().validate(props);
        assertThat(errors(config, "webhook.url")).containsExactly("webhook.url is required when crm.target=WEBHOOK");
    }

    @Test
    void validateReportsBackoffBoundsAndTheTargetsRequiredSettings() {
        Map<String, String> props = webhook();
        props.put("crm.target", "hubspot");
        props.put("retry.backoff.ms", "5000");
        props.put("retry.backoff.max.ms", "1000");
        Config config = new CrmSinkConnector().validate(props);
        assertThat(errors(config, "retry.backoff.max.ms")).singleElement().asString().contains("retry.backoff.ms");
        assertThat(errors(config, "hubspot.token")).singleElement().asString().contains("required");
        assertThat(errors(config, "crm.target")).isEmpty();
        props.put("crm.target", "salesforce");
        config = new CrmSinkConnector().validate(props);
        assertThat(errors(config, "salesforce.login.url")).isNotEmpty();
        assertThat(errors(config, "salesforce.client.id")).isNotEmpty();
        assertThat(errors(config, "salesforce.client.secret")).isNotEmpty();
    }

    @Test
    void validateKeepsSingleKeyErrors() {
        Map<String, String> props = webhook();
        props.put("batch.size", "0");
        Config config = new CrmSinkConnector().validate(props);
        assertThat(errors(config, "batch.size")).isNotEmpty();
    }

    @Test
    void taskConfigsAreCopiesOfTheConnectorConfig() {
        CrmSinkConnector connector = new CrmSinkConnector();
        connector.start(webhook());
        assertThat(connector.taskConfigs(3)).hasSize(3).allSatisfy(c -> assertThat(c).isEqualTo(webhook()));
        assertThat(connector.taskClass()).isEqualTo(CrmSinkTask.class);
        assertThat(connector.config()).isSameAs(CrmSinkConfig.CONFIG_DEF);
        assertThat(connector.version()).isNotBlank();
        connector.stop();
    }

    @Test
    void serviceLoaderFindsTheConnector() {
        assertThat(ServiceLoader.load(SinkConnector.class).stream().map(ServiceLoader.Provider::type))
                .contains(CrmSinkConnector.class);
    }
}
