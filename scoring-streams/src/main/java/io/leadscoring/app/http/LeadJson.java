package io.leadscoring.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.scoring.Evaluation;
import io.leadscoring.scoring.Reason;
import io.leadscoring.streams.LeadQueries.LeadView;
import java.util.Comparator;
import java.util.List;

/**
 * A lead as JSON. The top level has the fields of a {@code LeadScore} record on {@code leads.scores} (SCORING.md),
 * evaluated at the lead's last evaluation time T ({@code asOf}, epoch milliseconds); {@code now} holds the same
 * lead decayed to the time of the request. Numbers are the core's raw doubles, unrounded, as {@code replay} prints
 * them.
 *
 * <pre>
 * {"leadId":"lead-ana","stage":"SQL","ruleSet":"b2b-default@1","asOf":1791543600000,
 *  "score":145.28,"engagement":95.28,"fit":50.0,"fitGrade":"A","temperature":"HOT","activity":"ACTIVE",
 *  "reasons":[{"rule":"demo-request","points":50.0},...],
 *  "now":{"at":1795416000000,"score":62.3,"engagement":12.3,"fit":50.0,"fitGrade":"A","temperature":"WARM",
 *         "activity":"DORMANT","reasons":[...]}}
 * </pre>
 */
public final class LeadJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Hottest first by the score decayed to now, ties by lead id: the order of every top list. */
    public static final Comparator<JsonNode> HOTTEST_FIRST = Comparator
            .comparingDouble((JsonNode lead) -> -lead.path("now").path("score").asDouble())
            .thenComparing(lead -> lead.path("leadId").asText());

    private LeadJson() {
    }

    public static ObjectNode render(LeadView view) {
        Evaluation last = view.lastEvaluation();
        ObjectNode json = MAPPER.createObjectNode();
        json.put("leadId", last.leadId());
        json.put("stage", last.stage().name());
        json.put("ruleSet", last.ruleSet());
        json.put("asOf", last.at());
        scores(json, last);
        ObjectNode now = json.putObject("now");
        now.put("at", view.current().at());
        scores(now, view.current());
        return json;
    }

    public static ArrayNode render(List<LeadView> views) {
        ArrayNode array = MAPPER.createArrayNode();
        views.forEach(v -> array.add(render(v)));
        return array;
    }

    private static void scores(ObjectNode json, Evaluation e) {
        json.put("score", e.score());
        json.put("engagement", e.engagement());
        json.put("fit", e.fit());
        json.put("fitGrade", e.fitGrade().name());
        json.put("temperature", e.temperature().name());
        json.put("activity", e.activity().name());
        ArrayNode reasons = json.putArray("reasons");
        for (Reason r : e.reasons()) {
            reasons.addObject().put("rule", r.rule()).put("points", r.points());
        }
    }
}
