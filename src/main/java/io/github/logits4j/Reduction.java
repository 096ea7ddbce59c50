package io.github.logits4j;

/** How a loss reduces its per-row (or per-element) values to the one number it returns. */
public enum Reduction {
  /**
   * No reduction: {@code loss} and {@code lossAndGradient} return the sum of the row losses, and the
   * gradient is each row's gradient of its own loss (the same as {@link #SUM}'s). Per-row values come from
   * {@code rowLosses} or {@code elementLosses}.
   */
  NONE,
  /** The sum of the row (or element) losses. */
  SUM,
  /**
   * The weighted mean: sparse cross-entropy divides by the sum of the target classes' weights over the
   * rows that are not ignored; dense cross-entropy by the row count; binary cross-entropy by the element
   * count.
   */
  MEAN
}
