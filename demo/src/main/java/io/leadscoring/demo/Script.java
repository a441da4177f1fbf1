package io.leadscoring.demo;

import java.util.List;

/**
 * What one lead does, in order.
 *
 * @param steps the lead's records; a step flagged {@code burst} follows its predecessor at once
 * @param silenceAfter whether the lead stays, silent, for a while after its last step before it leaves
 */
record Script(List<ScriptStep> steps, boolean silenceAfter) {

    record ScriptStep(Step step, boolean burst) {
    }

    Script {
        steps = List.copyOf(steps);
    }
}
