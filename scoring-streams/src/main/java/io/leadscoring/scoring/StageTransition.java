package io.leadscoring.scoring;

/** A stage change; {@code handoffId} is deterministic (see {@link Scorer#handoffId}). */
public record StageTransition(Stage from, Stage to, String handoffId) {}
