package io.github.logits4j.internal.panama;

/**
 * Scalar paths for short rows, shorter than one vector (4 or 10 classes at 512 bits, say). A masked
 * vector pass over a handful of entries costs more than the plain loop, so these rows are computed in
 * double, entry by entry. They meet the same bounds as the vector kernels: in double, {@code x - m} is
 * exact, {@code exp} and the sum of at most a vector's worth of terms are accurate to a few units of
 * 2^-53, and {@code log1p} of the sum is rounded once more, all far below half a float ulp.
 */
final class ShortRows {
  private ShortRows() {}

  /** The row maximum (NaN if the row holds one) and minimum as in {@link RowMax#maxAndMin}. */
  static long maxAndMin(float[] x, int offset, int n) {
    float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
    boolean nan = false;
    for (int i = 0; i < n; i++) {
      float v = x[offset + i];
      nan |= v != v;
      max = v > max ? v : max;
      min = v < min ? v : min;
    }
    int maxBits = Float.floatToRawIntBits(nan ? Float.NaN : max);
    return ((long) maxBits << 32) | (Float.floatToRawIntBits(min) & 0xFFFF_FFFFL);
  }

  /**
   * {@code log1p(sum_{j != top} exp((x_j - m) beta))} for a finite maximum {@code m}: the log of the row's
   * normaliser relative to its top term, with every tie of the maximum but one counted as 1.
   */
  static double log1pOthers(float[] x, int offset, int n, float m, double beta) {
    // the ties are counted apart: adding a tiny term to -1 before the top's 1 would lose it
    double sum = 0;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      float v = x[offset + i];
      if (v == m) {
        ties++;
      } else {
        sum += Math.exp(((double) v - m) * beta);
      }
    }
    return log1p(sum + (ties - 1));
  }

  /**
   * {@code log1p(s)} for {@code s >= 0} through the intrinsic {@code Math.log}: with {@code u = 1 + s}
   * rounded, {@code log(u) * s / (u - 1)} corrects for that rounding (Goldberg, 1991) and is accurate to a
   * few units of 2^-53, at a fraction of the cost of {@code Math.log1p}.
   */
  static double log1p(double s) {
    double u = 1 + s;
    return u == 1 ? s : Math.log(u) * (s / (u - 1));
  }
}
