package io.leadscoring.scoring;

/** One rule behind a score with its current contribution (decayed for behaviour rules, raw points for fit rules). */
public record Reason(String rule, double points) {}
