package io.github.logits4j.internal.panama;

/**
 * Scalar paths for short rows, shorter than one vector (4 or 10 classes at 512 bits, say). A masked
 * vector pass over a handful of entries costs more than the plain loop, so these rows are computed in
 * double, entry by entry, or a block of rows at a time by {@link RowBlocksF32}, whose lanes these functions
 * are. They meet the same bounds as the vector kernels: the exponentials, their sum and its {@code log1p}
 * in double are accurate to a few units of 2^-53 (below), far below half a float ulp.
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
   * normaliser relative to its top term, with every tie of the maximum but one counted as 1. The scalar
   * twin of {@link RowBlocksF32}'s lanes (its {@code expSums} and {@code log1p}): the same operations in the
   * same order, so a narrow float row gets the same bits alone as in a block, at every vector width.
   *
   * <p>Each term is {@code exp(z) 2^64}, {@code z = fl(fl(x - m) beta)}, from {@link ExpF64}'s reduction and
   * the high part of its table with Taylor's polynomial to {@code r^7}: within 2^-50.6 of {@code exp(z)}
   * relative (the table's rounding 2^-53, the truncation {@code r^8/8!} 2^-51.5, the last fused rounding
   * 2^-53). The terms are summed in column order (at most 14 of them, within {@code 13 * 2^-53} relative),
   * unbiased and added to the surplus of ties, and {@code log1p} of the sum is within 2^-50.5 of exact
   * (below): {@code lambda} is within 2^-48.3 of {@code log1p} of the exact sum of the terms
   * {@code exp(z)}, inside the 2^-48 that {@link SoftmaxF32#logSumExpFromDoubles} allows the narrow path;
   * where that sum is subnormal once unbiased, a few subnormal units more (2^-1071 covers them), far
   * below any float.
   * Entries more than 746 below the maximum (after the temperature) weigh nothing: {@code exp} of them is
   * below 2^-1076.
   */
  static double log1pOthers(float[] x, int offset, int n, float m, double beta) {
    // One method, over C2's FreqInlineSize (325 bytecodes): it is called, not inlined, from the kernels
    // (cross-entropy's row loss among them), whose compilations it would push past C2's inlining budget,
    // where their vector code may box (InliningBudgetTest).
    double mf = m, threshold = mf - ExpF64.CUTOFF / beta, magic = ExpF64.magic(0);
    double s = 0;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      double v = x[offset + i];
      if (v == mf) {
        ties++;  // the top and its ties are counted apart; their vector lanes add +0.0
      } else if (!(v < threshold)) {
        double z = v - mf;
        if (beta != 1.0) {
          z *= beta;
        }
        // exp(z) 2^64 = 2^(k + 64) 2^(j/8) exp(r), 8k + j = round(z 8/ln2)
        double t = Math.fma(z, ExpF64.LOG2E_8, magic);
        double kf = t - magic;
        double r = Math.fma(kf, -ExpF64.LN2_8_LO, Math.fma(kf, -ExpF64.LN2_8_HI, z));
        double p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, ExpF64.C7, ExpF64.C6), r, ExpF64.C5), r,
            ExpF64.C4), r, ExpF64.C3), r, ExpF64.C2);
        double q = Math.fma(r * r, p, r);  // exp(r) - 1 = r + r^2 P(r)
        long tb = Double.doubleToRawLongBits(t);
        double th = Double.longBitsToDouble(ExpF64.TABLE_HI[(int) tb & 7]);
        s += Double.longBitsToDouble(Double.doubleToRawLongBits(Math.fma(th, q, th)) + ((tb >> 3) << 52));
      }
    }
    s = s * 0x1p-64 + (ties - 1);
    // log1p(s) within 2^-50.5: 1 + s = 2^b (1 + g) with 1 + g in [sqrt(1/2), sqrt(2)). Where b = 0, g = s
    // exactly; elsewhere u = 1 + s is rounded (2^-53 relative, which log(u) >= 0.34 makes 2^-51.5 of the
    // result) and g = u 2^-b - 1 is exact (Sterbenz). Then log(1 + g) = 2 atanh(t), t = g / (2 + g),
    // |t| <= 0.1716, by its series to t^19 (truncation 2^-55): b ln2 + 2t (1 + series), rounded once more.
    double u = s + 1.0;
    long bits = Double.doubleToRawLongBits(u);
    long field = (bits >>> 52) + ((bits & MANTISSA) > SQRT2_MANTISSA ? 1 : 0);
    double b = Double.longBitsToDouble(field | TWO_52_BITS) - (0x1p52 + 1023);
    double g = field == 1023 ? s : u * Double.longBitsToDouble((2046L - field) << 52) - 1.0;
    double t = g / (g + 2.0);
    double t2 = t * t;
    double series = Math.fma(t2, 1.0 / 19, 1.0 / 17);
    series = Math.fma(series, t2, 1.0 / 15);
    series = Math.fma(series, t2, 1.0 / 13);
    series = Math.fma(series, t2, 1.0 / 11);
    series = Math.fma(series, t2, 1.0 / 9);
    series = Math.fma(series, t2, 1.0 / 7);
    series = Math.fma(series, t2, 1.0 / 5);
    series = Math.fma(series, t2, 1.0 / 3) * t2;
    double twoT = t + t;
    return Math.fma(b, LN2, Math.fma(twoT, series, twoT));
  }

  /** The bits of {@code log1p}'s range reduction, shared with {@link RowBlocksF32}. */
  static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;
  static final long SQRT2_MANTISSA = Double.doubleToRawLongBits(0x1.6a09e667f3bcdp0) & MANTISSA;
  /** The bits of 2^52: OR-ed with a small integer they make the double {@code 2^52 + i}. */
  static final long TWO_52_BITS = 0x4330_0000_0000_0000L;
  static final double LN2 = 0x1.62e42fefa39efp-1;
}
