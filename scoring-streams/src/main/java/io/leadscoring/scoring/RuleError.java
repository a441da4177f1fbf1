package io.leadscoring.scoring;

/**
 * One problem in a rule file.
 *
 * @param line 1-based line in the file; 0 when the problem concerns the file as a whole (e.g. it cannot be read)
 * @param rule the rule the problem belongs to, or null for file-level problems
 */
public record RuleError(int line, String rule, String message) {

    /** {@code FILE:LINE: rule 'NAME': message}; the line is left out when 0, the rule part when there is no rule. */
    public String format(String file) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (rule != null) {
            sb.append("rule '").append(rule).append("': ");
        }
        return sb.append(message).toString();
    }
}
