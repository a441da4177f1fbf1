package io.leadscoring.scoring;

/** Fit against the effective {@code fit.maxPoints}: A ≥ 75 %, B ≥ 50 %, C ≥ 25 %, otherwise D. */
public enum FitGrade {
    A,
    B,
    C,
    D
}
