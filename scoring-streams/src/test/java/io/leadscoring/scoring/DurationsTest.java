package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.HOUR;
import static io.leadscoring.scoring.TestSupport.MINUTE;
import static io.leadscoring.scoring.TestSupport.SECOND;
import static io.leadscoring.scoring.TestSupport.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadscoring.scoring.rules.Durations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "30s, 30000",
        "30m, 1800000",
        "12h, 43200000",
        "14d, 1209600000",
        "2w, 1209600000",
        "1d, 86400000",
        "P14D, 1209600000",
        "PT12H, 43200000",
        "PT30M, 1800000",
        "P2W, 1209600000",
        "P1DT12H, 129600000",
        "PT0.5S, 500"
    })
    void shortAndIsoFormsParse(String text, long millis) {
        assertThat(Durations.parseMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "14", "1.5d", "14x", "d", "0d", "0s", "P0D", "PT0S", "-1d", "-P1D", "P1M", "P1Y",
            "1d12h", "14 days", "P", "99999999999w"})
    void badDurationsAreRefusedWithAMessage(String text) {
        assertThatThrownBy(() -> Durations.parseMillis(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "required" : "bad duration");
    }

    @org.junit.jupiter.api.Test
    void monthsAreExplained() {
        assertThatThrownBy(() -> Durations.parseMillis("P1M")).hasMessageContaining("months and years");
        assertThatThrownBy(() -> Durations.parseMillis("14")).hasMessageContaining("give a unit");
    }

    @org.junit.jupiter.api.Test
    void formatPicksTheLargestWholeUnit() {
        assertThat(Durations.format(2 * WEEK)).isEqualTo("2w");
        assertThat(Durations.format(3 * DAY)).isEqualTo("3d");
        assertThat(Durations.format(12 * HOUR)).isEqualTo("12h");
        assertThat(Durations.format(30 * MINUTE)).isEqualTo("30m");
        assertThat(Durations.format(5 * SECOND)).isEqualTo("5s");
        assertThat(Durations.format(5)).isEqualTo("5ms");
    }
}
