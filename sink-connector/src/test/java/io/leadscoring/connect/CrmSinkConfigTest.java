package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class CrmSinkConfigTest {

    static Map<String, String> webhook() {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "WEBHOOK");
        props.put("webhook.url", "https://crm.example.com/hooks/sql");
        return props;
    }

    @Test
    void minimalWebhookConfigHasDefaults() {
        CrmSinkConfig c = new CrmSinkConfig(webhook());
        assertThat(c.target()).isEqualTo(CrmTarget.WEBHOOK);
        assertThat(c.webhookUrl()).hasToString("https://crm.example.com/hooks/sql");
        assertThat(c.webhookSecret()).isNull();
        assertThat(c.webhookSignatureHeader()).isEqualTo("X-Signature-SHA256");
        assertThat(c.webhookHeaders()).isEmpty();
        assertThat(c.batchSize()).isEqualTo(100);
        assertThat(c.linger()).isEqualTo(Duration.ZERO);
        assertThat(c.httpConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.httpRequestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retryPolicy().maxRetries()).isEqualTo(10);
    }

    @Test
    void targetIsCaseInsensitive() {
        Map<String, String> p = webhook();
        p.put("crm.target", " hubspot ");
        assertThat(new CrmSinkConfig(p).target()).isEqualTo(CrmTarget.HUBSPOT);
    }

    @Test
    void webhookUrlRequiredForWebhookOnly() {
        Map<String, String> p = webhook();
        p.remove("webhook.url");
        assertThatThrownBy(() -> new CrmSinkConfig(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("webhook.url")
                .hasMessageContaining("crm.target=WEBHOOK");
        p.put("crm.target", "SALESFORCE");
        assertThat(new CrmSinkConfig(p).webhookUrl()).isNull();
    }

    @Test
    void webhookIsTheDefaultTarget() {
        assertThatThrownBy(() -> new CrmSinkConfig(Map.of())).hasMessageContaining("webhook.url");
    }

    @Test
    void badTargetIsRejected() {
        Map<String, String> p = webhook();
        p.put("crm.target", "PIPEDRIVE");
        assertThatThrownBy(() -> new CrmSinkConfig(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("crm.target")
                .hasMessageContaining("WEBHOOK, HUBSPOT, SALESFORCE");
    }

    @Test
    void nonHttpUrlIsRejected() {
        Map<String, String> p = webhook();
        p.put("webhook.url", "ftp://crm.example.com/x");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("http or https");
        p.put("webhook.url", "https://exa mple.com");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("webhook.url");
    }

    @Test
    void customHeadersAreParsedInOrder() {
        Map<String, String> p = webhook();
        p.put("webhook.headers", "X-Source:lead-scoring, X-Tenant: acme:eu");
        assertThat(new CrmSinkConfig(p).webhookHeaders())
                .containsExactly(Map.entry("X-Source", "lead-scoring"), Map.entry("X-Tenant", "acme:eu"));
    }

    @Test
    void badOrReservedHeadersAreRejectedWithoutEchoingValues() {
        Map<String, String> p = webhook();
        p.put("webhook.headers", "Authorization Bearer s3cr3t");
        assertThatThrownBy(() -> new CrmSinkConfig(p))
                .hasMessageContaining("webhook.headers")
                .hasMessageNotContaining("s3cr3t");
        p.put("webhook.headers", "Host:evil.example.com");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("reserved");
        p.put("webhook.headers", "Idempotency-Key:x");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("reserved");
        p.put("webhook.headers", "");
        p.put("webhook.signature.header", "Bad Header");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("webhook.signature.header");
    }

    @Test
    void backoffBoundsAreChecked() {
        Map<String, String> p = webhook();
        p.put("retry.backoff.ms", "5000");
        p.put("retry.backoff.max.ms", "1000");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("retry.backoff.max.ms");
        p.put("batch.size", "0");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("batch.size");
    }

    @Test
    void secretsAreHidden() {
        Map<String, String> p = webhook();
        p.put("webhook.secret", "whsec-TOPSECRET");
        p.put("https.truststore.password", "tspw-TOPSECRET");
        CrmSinkConfig c = new CrmSinkConfig(p);
        assertThat(c.webhookSecret().value()).isEqualTo("whsec-TOPSECRET");
        assertThat(c.toString()).doesNotContain("TOPSECRET").contains("webhook.secret=[hidden]");
        assertThat(c.values().toString()).doesNotContain("TOPSECRET");
        assertThat(String.valueOf(c.webhookSecret())).doesNotContain("TOPSECRET");
        assertThat(CrmSinkConfig.CONFIG_DEF.configKeys().get("webhook.secret").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(CrmSinkConfig.CONFIG_DEF.configKeys().get("https.truststore.password").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void everyKeyIsDocumentedAndGrouped() {
        assertThat(CrmSinkConfig.CONFIG_DEF.configKeys()).hasSize(16);
        assertThat(CrmSinkConfig.CONFIG_DEF.groups()).containsExactly("Target", "Webhook", "Delivery", "TLS");
        CrmSinkConfig.CONFIG_DEF.configKeys().values().forEach(k -> {
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(k.group).as(k.name).isNotBlank();
            assertThat(k.displayName).as(k.name).isNotBlank();
        });
    }

    @Test
    void configDefValidateReportsPerKeyErrors() {
        Map<String, String> p = webhook();
        p.put("crm.target", "nope");
        ConfigValue target = CrmSinkConfig.CONFIG_DEF.validate(p).stream()
                .filter(v -> v.name().equals("crm.target")).findFirst().orElseThrow();
        assertThat(target.errorMessages()).isNotEmpty();
        assertThat(target.recommendedValues()).containsExactly("WEBHOOK", "HUBSPOT", "SALESFORCE");
    }

    @Test
    void unreadableTruststoreIsAConfigErrorWithoutPassword() {
        Map<String, String> p = webhook();
        p.put("https.truststore.location", "/nonexistent/truststore.p12");
        p.put("https.truststore.password", "tspw-TOPSECRET");
        CrmSinkConfig c = new CrmSinkConfig(p);
        assertThatThrownBy(() -> HttpClients.create(c))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("https.truststore.location")
                .hasMessageNotContaining("TOPSECRET");
    }
}
