package io.github.logits4j.internal.panama;

import java.util.Arrays;

/**
 * Cross-entropy from double logits, one row at a time.
 *
 * <p>Every form of the row loss is {@code G + A log1p(s)}: with {@code d_c = max - x_c} (exact as a
 * TwoSum pair) and {@code nll(c) = d_c + log1p(s)},
 * <ul>
 *   <li>sparse: {@code A = (1-eps) w_y + (eps/C) W}, {@code G = (1-eps) w_y d_y + (eps/C) sum_c w_c d_c},
 *       {@code W} the sum of the class weights;</li>
 *   <li>dense: {@code A = sum_c w_c t'_c}, {@code G = sum_c w_c t'_c d_c}, {@code t' = (1-eps) t + eps/C}.</li>
 * </ul>
 * {@code G} and {@code A} are non-negative sums, formed in double-double, and {@link SoftmaxF64} adds
 * {@code A log1p(s)} and rounds once: the row loss is within 0.5 ulp plus 2^-58 relative, which lets the
 * reductions, summed in double-double by the caller, stay within 1.5 ulp.
 *
 * <p>With a gradient, the row's probabilities from {@link SoftmaxF64#expPass} become
 * {@code scale * (A p - B)} in place.
 */
final class CrossEntropyF64 {
  private CrossEntropyF64() {}

  static double sparseRow(double[] x, int xo, int n, int label, double[] w, double eps, double[] grad, int go,
      double scale, int shift) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      if (grad != null) {
        Arrays.fill(grad, go, go + n, Double.NaN);
      }
      return Double.NaN;
    }
    return sparseLoss(x, xo, n, label, w, eps, m, shift, grad, go, scale);
  }

  /**
   * The sparse row loss {@code G + A log1p(s)} with {@code G} and {@code A} formed at the scale
   * {@code 2^-scale}. At scale 0 a gap {@code max - x_c} near the top of the range can exceed it while the
   * weighted loss does not (a small weight or smoothing factor brings it back); then the row is formed
   * again at 2^-64, where no gap overflows, and the rounded result scaled back, which overflows exactly
   * where the loss is beyond the range.
   */
  private static double sparseLoss(double[] x, int xo, int n, int label, double[] w, double eps, double m,
      int shift, double[] grad, int go, double scale) {
    double[] terms = ThreadScratch.get().terms;
    sparseTerms(x, xo, n, label, w, eps, m, shift, terms, 0, 1);
    double aHi = terms[0], aLo = terms[1], gHi = terms[2], gLo = terms[3];
    double wl = w == null ? 1 : w[label];
    if (grad != null) {
      // the probabilities become scale * (A p - B) in place
      SoftmaxF64.expPass(x, xo, grad, go, n, m, 1.0, 0.0, m - ExpF64.CUTOFF, 1, 0, 0, 0);
      double a = scale * (aHi + aLo), b = scale * eps / n;
      for (int c = 0; c < n; c++) {
        grad[go + c] = Math.fma(grad[go + c], a, -b * (w == null ? 1 : w[c]));
      }
      grad[go + label] -= scale * (1 - eps) * wl;
    }
    return finish(x, xo, n, m, aHi, aLo, gHi, gLo, shift, label, w, eps, null, 0);
  }

  /**
   * The sums {@code A} and {@code G} of a sparse row with finite maximum {@code m}, formed at the scale
   * {@code 2^-shift}, to {@code t[at]} ({@code A}'s high part), {@code t[at + stride]} (its low part),
   * {@code t[at + 2 stride]} and {@code t[at + 3 stride]} ({@code G}'s): the row path's, and the lanes' of
   * {@link CrossEntropyRowBlocksF64}, which then take the same {@code log1p}.
   */
  static void sparseTerms(double[] x, int xo, int n, int label, double[] w, double eps, double m, int shift,
      double[] t, int at, int stride) {
    double f = Math.scalb(1.0, -shift), mf = m * f;
    double wl = w == null ? 1 : w[label];
    // (1 - eps) w_y and its product with d_y
    double keep = 1 - eps, keepLo = DoubleDouble.twoSumError(1, -eps, keep);
    double aHi = keep * wl, aLo = Math.fma(keep, wl, -aHi) + keepLo * wl;
    double gHi = 0, gLo = 0;
    if (aHi != 0) {
      double v = x[xo + label] * f;
      double dHi = mf - v, dLo = DoubleDouble.twoSumError(mf, -v, dHi);
      gHi = aHi * dHi;
      gLo = Math.fma(aHi, dHi, -gHi) + aHi * dLo + aLo * dHi;
    }
    if (eps > 0) {
      double qHi = eps / n, qLo = Math.fma(-qHi, n, eps) / n;
      double wHi = 0, wLo = 0, sHi = 0, sLo = 0;
      for (int c = 0; c < n; c++) {
        double wc = w == null ? 1 : w[c];
        if (wc == 0) {
          continue;  // a zero weight adds nothing, even where x is -inf
        }
        double ws = wHi + wc;
        wLo += DoubleDouble.twoSumError(wHi, wc, ws);
        wHi = ws;
        double xc = x[xo + c] * f;
        double d = mf - xc, de = DoubleDouble.twoSumError(mf, -xc, d);
        double p = wc * d, pe = Math.fma(wc, d, -p) + wc * de;
        double s = sHi + p;
        sLo += DoubleDouble.twoSumError(sHi, p, s) + pe;
        sHi = s;
      }
      // A += q W, G += q S
      double qw = qHi * wHi, qwLo = Math.fma(qHi, wHi, -qw) + qHi * wLo + qLo * wHi;
      double a = aHi + qw;
      aLo += DoubleDouble.twoSumError(aHi, qw, a) + qwLo;
      aHi = a;
      double qs = qHi * sHi, qsLo = Math.fma(qHi, sHi, -qs) + qHi * sLo + qLo * sHi;
      double g = gHi + qs;
      gLo += DoubleDouble.twoSumError(gHi, qs, g) + qsLo;
      gHi = g;
    }
    t[at] = aHi;
    t[at + stride] = aLo;
    t[at + 2 * stride] = gHi;
    t[at + 3 * stride] = gLo;
  }

  /**
   * {@code G + A log1p(s)} rounded once. Formed at scale 0, where {@code G} overflowed, the row again at
   * 2^-64 (sparse when {@code t} is null, dense otherwise) and scaled back; formed at 2^-64 on request
   * ({@code shift} 64), left at that scale. A {@code G} that is infinite at 2^-64 holds a -inf logit of
   * non-zero weight: the loss is +inf.
   */
  private static double finish(double[] x, int xo, int n, double m, double aHi, double aLo, double gHi,
      double gLo, int shift, int label, double[] w, double eps, double[] t, int to) {
    if (!Double.isFinite(gHi)) {
      if (shift == 0) {
        return Math.scalb(t == null ? sparseLoss(x, xo, n, label, w, eps, m, SHIFT, null, 0, 0)
            : denseLoss(x, xo, n, t, to, w, eps, m, SHIFT, null, 0, 0), SHIFT);
      }
      return Double.POSITIVE_INFINITY;
    }
    double f = Math.scalb(1.0, -shift);
    return SoftmaxF64.log1pOthersTimesPlus(x, xo, n, m, 1.0, 0.0, aHi * f, aLo * f, gHi, gLo);
  }

  /** The scale exponent of the second attempt: gaps up to 2 MAX, times up to 2^63 classes, stay finite. */
  private static final int SHIFT = 64;

  static double denseRow(double[] x, int xo, int n, double[] t, int to, double[] w, double eps, double[] grad,
      int go, double scale, int shift) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m)) {
      if (grad != null) {
        Arrays.fill(grad, go, go + n, Double.NaN);
      }
      return Double.NaN;
    }
    return denseLoss(x, xo, n, t, to, w, eps, m, shift, grad, go, scale);
  }

  /** The dense row loss at the scale 2^-scale, as {@link #sparseLoss}. */
  private static double denseLoss(double[] x, int xo, int n, double[] t, int to, double[] w, double eps, double m,
      int shift, double[] grad, int go, double scale) {
    double f = Math.scalb(1.0, -shift), mf = m * f;
    double keep = 1 - eps, spread = eps / n;
    double aHi = 0, aLo = 0, gHi = 0, gLo = 0;
    for (int c = 0; c < n; c++) {
      // weight_c = w_c ((1 - eps) t_c + eps/n), a sum of two products, in double-double
      double tc = t[to + c];
      double p1 = keep * tc, p1Lo = Math.fma(keep, tc, -p1);
      double tp = p1 + spread, tpLo = DoubleDouble.twoSumError(p1, spread, tp) + p1Lo;
      double wc = w == null ? 1 : w[c];
      double weight = wc * tp, weightLo = Math.fma(wc, tp, -weight) + wc * tpLo;
      if (weight == 0) {
        continue;  // a zero target adds nothing, even where x is -inf: 0 log 0 = 0
      }
      double a = aHi + weight;
      aLo += DoubleDouble.twoSumError(aHi, weight, a) + weightLo;
      aHi = a;
      double xc = x[xo + c] * f;
      double d = mf - xc, de = DoubleDouble.twoSumError(mf, -xc, d);
      double p = weight * d, pe = Math.fma(weight, d, -p) + weight * de + weightLo * d;
      double g = gHi + p;
      gLo += DoubleDouble.twoSumError(gHi, p, g) + pe;
      gHi = g;
    }
    if (grad != null) {
      SoftmaxF64.expPass(x, xo, grad, go, n, m, 1.0, 0.0, m - ExpF64.CUTOFF, 1, 0, 0, 0);
      double mass = aHi + aLo;
      for (int c = 0; c < n; c++) {
        double target = keep * t[to + c] + spread;
        grad[go + c] = scale * Math.fma(grad[go + c], mass, -(w == null ? 1 : w[c]) * target);
      }
    }
    return finish(x, xo, n, m, aHi, aLo, gHi, gLo, shift, 0, w, eps, t, to);
  }
}
