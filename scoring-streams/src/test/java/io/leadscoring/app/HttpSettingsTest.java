package io.leadscoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadscoring.app.http.HttpApi;
import io.leadscoring.streams.ScoringConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The http.* settings: their defaults, and that none of them (the token least of all) reaches Kafka's clients. */
class HttpSettingsTest {

    private static Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>();
        props.put("rules.file", "rules.yaml");
        props.put("application.id", "scoring");
        props.put("max.poll.records", "500");
        return props;
    }

    @Test
    void defaultsServeOnLoopbackPort8080WithoutAToken() {
        HttpApi.Settings settings = ScoringApplication.httpSettings(new ScoringConfig(base()));
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.advertisedHost()).isEmpty();
        assertThat(settings.auth().required()).isFalse();
    }

    @Test
    void everySettingIsReadAndDisabledMeansNoApi() {
        Map<String, Object> props = base();
        props.put("http.host", "0.0.0.0");
        props.put("http.port", "0");
        props.put("http.advertised.host", "scoring-1.internal");
        props.put("http.auth.token", "s3cret");
        HttpApi.Settings settings = ScoringApplication.httpSettings(new ScoringConfig(props));
        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isZero();
        assertThat(settings.advertisedHost()).isEqualTo("scoring-1.internal");
        assertThat(settings.auth().allows("Bearer s3cret")).isTrue();
        assertThat(settings.toString()).doesNotContain("s3cret");

        props.put("http.enabled", "false");
        assertThat(ScoringApplication.httpSettings(new ScoringConfig(props))).isNull();
    }

    @Test
    void theHttpSettingsAreNotPassedToKafka() {
        Map<String, Object> props = base();
        props.put("http.host", "0.0.0.0");
        props.put("http.port", "9090");
        props.put("http.advertised.host", "scoring-1.internal");
        props.put("http.auth.token", "s3cret");
        props.put("http.enabled", "true");
        ScoringConfig config = new ScoringConfig(props);

        Properties streams = ScoringApplication.streamsProperties(config, config.topics());
        assertThat(streams.stringPropertyNames()).noneMatch(k -> k.startsWith("http."));
        assertThat(streams.values()).noneMatch(v -> String.valueOf(v).contains("s3cret"));
        assertThat(streams).containsEntry("max.poll.records", "500");
        assertThat(config.passThrough()).doesNotContainKeys("http.host", "http.port", "http.advertised.host",
                "http.auth.token", "http.enabled");
        assertThat(config.getPassword(ScoringConfig.HTTP_AUTH_TOKEN).toString()).doesNotContain("s3cret");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Map<String, Object> props = base();
        props.put("http.port", "70000");
        assertThatThrownBy(() -> new ScoringConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port");
    }
}
