package io.leadscoring.scoring;

import java.util.List;

/**
 * A lead's score evaluated at {@code at} (= T) after one processed record.
 *
 * @param score engagement + fit
 * @param stage the stage after this record
 * @param ruleSet {@code name@version}
 * @param reasons at most 10, largest magnitude first, ties by rule name
 * @param awards what this record awarded per matching behaviour rule, after caps (empty for profile updates)
 * @param transition the stage change this record caused, or null
 */
public record Evaluation(
        String leadId,
        long at,
        double score,
        double engagement,
        double fit,
        FitGrade fitGrade,
        Temperature temperature,
        Activity activity,
        Stage stage,
        String ruleSet,
        List<Reason> reasons,
        List<Award> awards,
        StageTransition transition) {

    public Evaluation {
        reasons = List.copyOf(reasons);
        awards = List.copyOf(awards);
    }
}
