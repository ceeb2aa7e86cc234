package com.netrunsystems.cache.bench;

import java.util.Locale;

/**
 * A score with its error (JMH's 99.9% confidence half-width), and ratios of two such scores with
 * the error propagated to first order: for {@code r = a / b},
 * {@code err(r) = r * sqrt((err(a)/a)^2 + (err(b)/b)^2)}. An unknown error is {@code NaN}.
 */
record Ratio(double value, double error) {

    static Ratio of(Measure a, Measure b) {
        double r = a.score() / b.score();
        double relative = Math.hypot(a.error() / a.score(), b.error() / b.score());
        return new Ratio(r, r * relative);
    }

    /** Returns whether the ratio meets {@code target} (its point estimate). */
    boolean meets(double target) {
        return value >= target;
    }

    /** Returns whether {@code target} lies within the error interval: the verdict is not certain. */
    boolean uncertainAt(double target) {
        return !Double.isNaN(error) && Math.abs(value - target) <= error;
    }

    String format() {
        return Double.isNaN(error)
                ? String.format(Locale.ROOT, "%.2f×", value)
                : String.format(Locale.ROOT, "%.2f× ± %.2f", value, error);
    }

    /** A benchmark score and its error, in ops/s. */
    record Measure(double score, double error) {
    }
}
