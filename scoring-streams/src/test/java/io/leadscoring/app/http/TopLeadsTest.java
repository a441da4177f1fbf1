package io.leadscoring.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopLeadsTest {

    @Test
    void nDefaultsToTenAndRunsFromOneToAThousand() {
        assertThat(TopLeads.n(null)).isEqualTo(10);
        assertThat(TopLeads.n("")).isEqualTo(10);
        assertThat(TopLeads.n("other=3")).isEqualTo(10);
        assertThat(TopLeads.n("n=1")).isEqualTo(1);
        assertThat(TopLeads.n("n=3&x=y")).isEqualTo(3);
        assertThat(TopLeads.n("x=y&n=1000")).isEqualTo(1000);
        assertThat(TopLeads.n("n=7&n=8")).as("the first one").isEqualTo(7);
    }

    @Test
    void anyOtherNIsRefusedNamingTheRange() {
        for (String query : new String[] {"n=0", "n=-1", "n=1001", "n=abc", "n=", "n", "n=2.5", "n=99999999999"}) {
            assertThatThrownBy(() -> TopLeads.n(query)).as(query)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("from 1 to 1000");
        }
    }

    @Test
    void atIsRequiredEpochMilliseconds() {
        assertThat(TopLeads.at("n=3&at=1795416000000")).isEqualTo(1795416000000L);
        assertThatThrownBy(() -> TopLeads.at("n=3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopLeads.at("at=soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergeTakesTheHottestAcrossInstancesTiesByLeadId() {
        List<JsonNode> first = List.of(lead("a", 90), lead("b", 40), lead("c", 10));
        List<JsonNode> second = List.of(lead("d", 95), lead("e", 40), lead("f", -5));
        List<JsonNode> third = List.of();

        assertThat(ids(TopLeads.merge(List.of(first, second, third), 4))).containsExactly("d", "a", "b", "e");
        assertThat(ids(TopLeads.merge(List.of(second, first), 10))).containsExactly("d", "a", "b", "e", "c", "f");
        assertThat(ids(TopLeads.merge(List.of(third), 3))).isEmpty();
        assertThat(ids(TopLeads.merge(List.of(first), 1))).containsExactly("a");
    }

    @Test
    void mergeRanksByTheScoreDecayedToNowNotTheLastEvaluation() {
        JsonNode wasHot = LeadJson.MAPPER.createObjectNode().put("leadId", "old").put("score", 150)
                .set("now", LeadJson.MAPPER.createObjectNode().put("score", 20));
        JsonNode isWarm = lead("new", 60);
        assertThat(ids(TopLeads.merge(List.of(List.of(wasHot), List.of(isWarm)), 2))).containsExactly("new", "old");
    }

    private static JsonNode lead(String id, double nowScore) {
        return LeadJson.MAPPER.createObjectNode().put("leadId", id).put("score", nowScore + 1)
                .set("now", LeadJson.MAPPER.createObjectNode().put("score", nowScore));
    }

    private static List<String> ids(List<JsonNode> leads) {
        return leads.stream().map(l -> l.get("leadId").asText()).toList();
    }
}
