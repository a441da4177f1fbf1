package io.leadscoring.scoring;

/** HOT when the score reaches the SQL threshold, WARM when it reaches the MQL threshold, otherwise COLD. */
public enum Temperature {
    COLD,
    WARM,
    HOT
}
