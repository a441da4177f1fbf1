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
        p.put("hubspot.token", "pat-na1-TOPSECRET");
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
        p.putAll(salesforce());
        assertThat(new CrmSinkConfig(p).webhookUrl()).isNull();
    }

    static Map<String, String> hubspot() {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "HUBSPOT");
        props.put("hubspot.token", "pat-na1-TOPSECRET");
        return props;
    }

    static Map<String, String> salesforce() {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "SALESFORCE");
        props.put("salesforce.login.url", "https://acme.my.salesforce.com/");
        props.put("salesforce.client.id", "3MVG9-consumer-key");
        props.put("salesforce.client.secret", "sf-TOPSECRET");
        return props;
    }

    @Test
    void hubspotDefaults() {
        CrmSinkConfig c = new CrmSinkConfig(hubspot());
        assertThat(c.target()).isEqualTo(CrmTarget.HUBSPOT);
        assertThat(c.hubspotUrl()).hasToString("https://api.hubapi.com");
        assertThat(c.hubspotToken().value()).isEqualTo("pat-na1-TOPSECRET");
        assertThat(c.hubspotLifecycleStage()).isEqualTo("salesqualifiedlead");
        assertThat(c.hubspotPropertyMapping()).containsExactly(Map.entry("score", "lead_score"),
                Map.entry("fitGrade", "lead_fit_grade"), Map.entry("reasons", "lead_score_reasons"),
                Map.entry("handoffId", "lead_handoff_id"));
        assertThat(c.toString()).doesNotContain("TOPSECRET").contains("hubspot.token=[hidden]");
    }

    @Test
    void hubspotNeedsATokenAndTakesAMappingAndAnEmptyLifecycleStage() {
        Map<String, String> p = hubspot();
        p.remove("hubspot.token");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("hubspot.token is required");
        p.put("hubspot.token", "t");
        p.put("hubspot.lifecycle.stage", " ");
        p.put("hubspot.property.mapping", "score:hs_score, reasons:why");
        CrmSinkConfig c = new CrmSinkConfig(p);
        assertThat(c.hubspotLifecycleStage()).isNull();
        assertThat(c.hubspotPropertyMapping()).containsExactly(Map.entry("score", "hs_score"), Map.entry("reasons", "why"));
        p.put("hubspot.property.mapping", "scor:hs_score");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubspot.property.mapping").hasMessageContaining("'scor' is not a handoff field");
    }

    @Test
    void salesforceDefaults() {
        CrmSinkConfig c = new CrmSinkConfig(salesforce());
        assertThat(c.salesforceLoginUrl()).hasToString("https://acme.my.salesforce.com");
        assertThat(c.salesforceClientId()).isEqualTo("3MVG9-consumer-key");
        assertThat(c.salesforceClientSecret().value()).isEqualTo("sf-TOPSECRET");
        assertThat(c.salesforceApiVersion()).isEqualTo("v62.0");
        assertThat(c.salesforceExternalIdField()).isEqualTo("Lead_Scoring_Id__c");
        assertThat(c.salesforceFieldMapping()).containsEntry("lastName", "LastName").containsEntry("company", "Company")
                .containsEntry("score", "Lead_Score__c").containsEntry("handoffId", "Lead_Handoff_Id__c");
        assertThat(c.salesforceLeadStatus()).isNull();
        assertThat(c.toString()).doesNotContain("TOPSECRET");
    }

    @Test
    void salesforceRequiresItsCredentialsAndValidatesNames() {
        for (String key : new String[] {"salesforce.login.url", "salesforce.client.id", "salesforce.client.secret"}) {
            Map<String, String> p = salesforce();
            p.remove(key);
            assertThatThrownBy(() -> new CrmSinkConfig(p)).as(key).hasMessageContaining(key + " is required");
        }
        Map<String, String> p = salesforce();
        p.put("salesforce.api.version", "62");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("salesforce.api.version");
        p.put("salesforce.api.version", "v61.0");
        p.put("salesforce.external.id.field", "Bad Field");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("salesforce.external.id.field");
        p.put("salesforce.external.id.field", "Lead_Score__c");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("salesforce.field.mapping")
                .hasMessageContaining("external id field");
        p.put("salesforce.external.id.field", "Pipeline_Id__c");
        p.put("salesforce.lead.status", "Sales Qualified");
        assertThat(new CrmSinkConfig(p).salesforceLeadStatus()).isEqualTo("Sales Qualified");
    }

    @Test
    void maxInFlightRequestsIsBounded() {
        Map<String, String> p = webhook();
        assertThat(new CrmSinkConfig(p).maxInFlightRequests()).isEqualTo(8);
        p.put("max.in.flight.requests", "0");
        assertThatThrownBy(() -> new CrmSinkConfig(p)).hasMessageContaining("max.in.flight.requests");
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
        assertThat(CrmSinkConfig.CONFIG_DEF.configKeys()).hasSize(28);
        assertThat(CrmSinkConfig.CONFIG_DEF.groups()).containsExactly("Target", "Webhook", "HubSpot", "Salesforce", "Delivery",
                "TLS");
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
