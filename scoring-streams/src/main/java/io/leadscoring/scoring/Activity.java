package io.leadscoring.scoring;

/**
 * ACTIVE with 3 or more accepted events in {@code [T − 7d, T]}; LATENT with accepted events in 3 or more distinct
 * epoch-aligned weeks among the 12 weeks up to and including T's week; DORMANT otherwise.
 */
public enum Activity {
    ACTIVE,
    LATENT,
    DORMANT
}
