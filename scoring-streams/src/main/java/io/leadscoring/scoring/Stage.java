package io.leadscoring.scoring;

/** A lead's lifecycle stage: {@code NEW → MQL → SQL}; SQL is terminal for the scoring pipeline. */
public enum Stage {
    NEW,
    MQL,
    SQL
}
