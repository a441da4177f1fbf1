package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape the Prometheus test relies on: what it extracts is every query there is. */
class QueriesTest {

    @Test
    void everyDashboardPanelWithTargetsHasAQueryOnTheProvisionedDatasource() throws Exception {
        String uid = Queries.YAML.readTree(Queries.MODULE.resolve("grafana/provisioning/datasources/prometheus.yml")
                .toFile()).path("datasources").path(0).path("uid").asText();
        try (Stream<Path> files = Files.list(Queries.DASHBOARDS)) {
            List<Path> dashboards = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertThat(dashboards).hasSize(3);
            for (Path file : dashboards) {
                for (JsonNode panel : Queries.JSON.readTree(file.toFile()).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        assertThat(target.path("expr").asText()).as("%s %s", file, panel.path("title")).isNotBlank()
                                // Grafana-only variables would not run in Prometheus' API as they are.
                                .doesNotContain("$");
                        assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid);
                    }
                }
            }
        }
        assertThat(Queries.dashboardQueries()).hasSizeGreaterThan(15);
    }

    @Test
    void everyAlertHasAThresholdAndItsOperandsAreQueries() {
        Map<String, String> alerts = Queries.alertExpressions();
        assertThat(alerts).containsKeys("ConsumerLagGrowing", "DeadLetterRate", "NoHandoffsWhileEventsFlow",
                "HandoffLatencyP99AboveObjective", "CrmDeliveryFailures", "CrmDeadLetters", "CrmConnectorTaskFailed");
        alerts.forEach((name, expr) -> {
            List<String> operands = Queries.alertOperands(expr);
            assertThat(operands).as(name).allSatisfy(o -> assertThat(o).isNotBlank().doesNotEndWith(">"));
            // Each part of an alert compares against a threshold: removing it must change the expression.
            assertThat(String.join(" ", operands).replace(" ", "")).as(name).isNotEqualTo(expr.replace(" ", ""));
        });
    }

    @Test
    void splitsAndStripsAtTheTopLevelOnly() {
        assertThat(Queries.alertOperands("sum(rate(a{x=\"and b\"}[5m])) > 0 and sum(b) == 0"))
                .containsExactly("sum(rate(a{x=\"and b\"}[5m]))", "sum(b)");
        assertThat(Queries.alertOperands("histogram_quantile(0.99, sum by (le) (rate(c[15m]))) > 6e1"))
                .containsExactly("histogram_quantile(0.99, sum by (le) (rate(c[15m])))");
        assertThat(Queries.alertOperands("max(x > 3)")).containsExactly("max(x > 3)");
    }
}
