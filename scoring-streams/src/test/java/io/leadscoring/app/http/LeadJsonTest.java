package io.leadscoring.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscoring.scoring.Activity;
import io.leadscoring.scoring.Evaluation;
import io.leadscoring.scoring.FitGrade;
import io.leadscoring.scoring.Reason;
import io.leadscoring.scoring.Stage;
import io.leadscoring.scoring.Temperature;
import io.leadscoring.streams.LeadQueries.LeadView;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadJsonTest {

    private static final long T = 1791543600000L;
    private static final long NOW = T + 7L * 24 * 3600 * 1000;

    @Test
    void aLeadHasTheFieldsOfALeadScoreAtItsLastEvaluationAndTheSameDecayedToNow() throws Exception {
        Evaluation last = new Evaluation("lead-ana", T, 145.28108345516245, 95.28108345516245, 50.0, FitGrade.A,
                Temperature.HOT, Activity.ACTIVE, Stage.SQL, "b2b-default@1",
                List.of(new Reason("demo-request", 50.0), new Reason("decision-maker", 25.0),
                        new Reason("pricing-page", 18.039889181530924)),
                List.of(), null);
        Evaluation now = new Evaluation("lead-ana", NOW, 85.5, 35.5, 50.0, FitGrade.A, Temperature.WARM,
                Activity.DORMANT, Stage.SQL, "b2b-default@1",
                List.of(new Reason("demo-request", 35.35533905932738), new Reason("decision-maker", 25.0)),
                List.of(), null);

        String json = LeadJson.MAPPER.writeValueAsString(LeadJson.render(new LeadView(last, now)));

        assertThat(json).isEqualTo("{\"leadId\":\"lead-ana\",\"stage\":\"SQL\",\"ruleSet\":\"b2b-default@1\","
                + "\"asOf\":1791543600000,\"score\":145.28108345516245,\"engagement\":95.28108345516245,"
                + "\"fit\":50.0,\"fitGrade\":\"A\",\"temperature\":\"HOT\",\"activity\":\"ACTIVE\","
                + "\"reasons\":[{\"rule\":\"demo-request\",\"points\":50.0},"
                + "{\"rule\":\"decision-maker\",\"points\":25.0},"
                + "{\"rule\":\"pricing-page\",\"points\":18.039889181530924}],"
                + "\"now\":{\"at\":1792148400000,\"score\":85.5,\"engagement\":35.5,\"fit\":50.0,\"fitGrade\":\"A\","
                + "\"temperature\":\"WARM\",\"activity\":\"DORMANT\","
                + "\"reasons\":[{\"rule\":\"demo-request\",\"points\":35.35533905932738},"
                + "{\"rule\":\"decision-maker\",\"points\":25.0}]}}");
        JsonNode back = LeadJson.MAPPER.readTree(json);
        assertThat(back.get("score").asDouble()).as("doubles survive unrounded").isEqualTo(last.score());
    }

    @Test
    void aLeadWithoutReasonsHasAnEmptyList() {
        Evaluation cold = new Evaluation("lead-x", T, 0.0, 0.0, 0.0, FitGrade.D, Temperature.COLD,
                Activity.DORMANT, Stage.NEW, "r@1", List.of(), List.of(), null);
        JsonNode json = LeadJson.render(new LeadView(cold, cold));
        assertThat(json.get("reasons").isArray()).isTrue();
        assertThat(json.get("reasons")).isEmpty();
        assertThat(json.get("now").get("at").asLong()).isEqualTo(T);
    }
}
