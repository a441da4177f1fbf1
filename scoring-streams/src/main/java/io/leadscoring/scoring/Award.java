package io.leadscoring.scoring;

/** What one record awarded through one matching behaviour rule, after caps (0 when the cap was used up). For metrics. */
public record Award(String rule, double points) {}
