package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.F2D;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Cross-entropy from float logits, one row at a time, fused with log-softmax.
 *
 * <p>The loss of class {@code c} is {@code nll(c) = (max - x[c]) + log1p(s)}: the difference is exact in
 * double and {@code log1p(s)}, with {@code s} the compensated sum of the exponentials below the maximum,
 * keeps a confident row's tiny loss accurate; nothing here takes the log of a probability, so no
 * probability can underflow into {@code log(0)}.
 *
 * <p>With a gradient, the exponential pass stores its terms in the gradient row and a last pass turns them
 * into {@code scale * (A p - B)}: the logits are read by the maximum and exponential passes only, and the
 * gradient is written once per entry (its label entry once more).
 */
final class CrossEntropyF32 {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Float> FH = VectorWidth.FLOAT_HALF;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

  private CrossEntropyF32() {}

  static double sparseRow(float[] x, int xo, int n, int label, float[] w, double eps, float[] grad, int go,
      double scale) {
    long maxAndMin = RowMax.maxAndMin(x, xo, n);
    float m = Float.intBitsToFloat((int) (maxAndMin >>> 32));
    if (!Float.isFinite(m)) {
      if (grad != null) {
        Arrays.fill(grad, go, go + n, Float.NaN);
      }
      return Double.NaN;
    }
    double wLabel = w == null ? 1 : w[label];
    double weightSum = eps > 0 || grad != null ? weightSum(w, n) : 0;
    double lambda = grad == null
        ? SoftmaxF32.log1pOthers(x, xo, n, m, 1.0, 1f, 0f)
        : expAndGradient(x, xo, n, m, Float.intBitsToFloat((int) maxAndMin), grad, go,
            scale * ((1 - eps) * wLabel + eps / n * weightSum), scale * eps / n, w);
    if (grad != null) {
      grad[go + label] -= (float) (scale * (1 - eps) * wLabel);
    }
    // a label of zero weight adds nothing, even where its logit is -inf
    double keep = (1 - eps) * wLabel;
    double loss = keep == 0 ? 0 : keep * (((double) m - x[xo + label]) + lambda);
    if (eps > 0) {
      loss += eps / n * (weightedGap(x, xo, n, m, w, null, 0, 0) + weightSum * lambda);
    }
    return loss;
  }

  static double denseRow(float[] x, int xo, int n, float[] t, int to, float[] w, double eps, float[] grad, int go,
      double scale) {
    long maxAndMin = RowMax.maxAndMin(x, xo, n);
    float m = Float.intBitsToFloat((int) (maxAndMin >>> 32));
    if (!Float.isFinite(m)) {
      if (grad != null) {
        Arrays.fill(grad, go, go + n, Float.NaN);
      }
      return Double.NaN;
    }
    // mass = sum_c w_c t'_c with the smoothed target t' = (1 - eps) t + eps / n
    double mass = 0;
    for (int c = 0; c < n; c++) {
      mass += (w == null ? 1.0 : w[c]) * ((1 - eps) * t[to + c] + eps / n);
    }
    double lambda = grad == null
        ? SoftmaxF32.log1pOthers(x, xo, n, m, 1.0, 1f, 0f)
        : expAndGradient(x, xo, n, m, Float.intBitsToFloat((int) maxAndMin), grad, go, scale * mass, 0, null);
    if (grad != null) {
      for (int c = 0; c < n; c++) {
        double target = (1 - eps) * t[to + c] + eps / n;
        grad[go + c] -= (float) (scale * (w == null ? 1.0 : w[c]) * target);
      }
    }
    return weightedGap(x, xo, n, m, w, t, to, eps) + mass * lambda;
  }

  /**
   * Stores the row's biased exponentials in {@code grad}, turns them into {@code a * p - b * w} and
   * returns {@code log1p(s)} for the loss. {@code b * w} is {@code b} when {@code w} is null.
   */
  private static double expAndGradient(float[] x, int xo, int n, float m, float min, float[] grad, int go,
      double a, double b, float[] w) {
    boolean direct = Math.abs(m) <= ExpF32.DIRECT_LIMIT;
    int shift = direct ? ExpF32.shiftFor(m) : 0;
    float c = direct ? 0f : m;
    float magic = ExpF32.magic(shift);
    float threshold = min >= m - ExpF32.CUTOFF ? Float.NEGATIVE_INFINITY : m - ExpF32.CUTOFF;
    double below = SoftmaxF32.expStoreBelow(x, xo, grad, go, n, c, magic, threshold, m);
    int ties = RowMax.countEqual(x, xo, n, m);
    double all = below + ties * (double) ExpF32.exp(m - c, magic);
    scaleAndShift(grad, go, n, (float) (a / all), (float) b, w);
    // the loss is the one loss() gives: narrow rows take log1p of their sum in double there
    return n < F.length() ? ShortRows.log1pOthers(x, xo, n, m, 1.0)
        : Math.log1p(below / SoftmaxF32.top(m, direct, shift) + (ties - 1));
  }

  /** {@code g = g * a - b * w} (or {@code - b} without weights), in place. */
  private static void scaleAndShift(float[] g, int go, int n, float a, float b, float[] w) {
    final int lanes = F.length();
    final FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
    int i = 0;
    if (w == null) {
      for (; i <= n - lanes; i += lanes) {
        FloatVector.fromArray(F, g, go + i).fma(va, vb.neg()).intoArray(g, go + i);
      }
      for (; i < n; i++) {
        g[go + i] = Math.fma(g[go + i], a, -b);
      }
    } else {
      for (; i <= n - lanes; i += lanes) {
        FloatVector.fromArray(F, g, go + i).fma(va, FloatVector.fromArray(F, w, i).mul(vb).neg())
            .intoArray(g, go + i);
      }
      for (; i < n; i++) {
        g[go + i] = Math.fma(g[go + i], a, -(b * w[i]));
      }
    }
  }

  /**
   * {@code sum_c weight_c * (m - x_c)} in double, where {@code weight_c = w_c}, or with targets
   * {@code w_c * ((1 - eps) t_c + eps/n)}; a zero weight contributes nothing even where {@code x_c} is -inf.
   */
  static double weightedGap(float[] x, int xo, int n, float m, float[] w, float[] t, int to, double eps) {
    final int lanes = D.length();
    final DoubleVector vm = DoubleVector.broadcast(D, m), one = DoubleVector.broadcast(D, 1.0),
        keep = DoubleVector.broadcast(D, 1 - eps), spread = DoubleVector.broadcast(D, eps / n);
    DoubleVector sum = DoubleVector.zero(D);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector gap = vm.sub((DoubleVector) FloatVector.fromArray(FH, x, xo + i).convertShape(F2D, D, 0));
      DoubleVector weight = w == null ? one : (DoubleVector) FloatVector.fromArray(FH, w, i).convertShape(F2D, D, 0);
      if (t != null) {
        DoubleVector target = ((DoubleVector) FloatVector.fromArray(FH, t, to + i).convertShape(F2D, D, 0))
            .fma(keep, spread);
        weight = weight.mul(target);
      }
      VectorMask<Double> zero = weight.eq(0.0);
      sum = sum.add(gap.mul(weight).blend(0.0, zero));
    }
    double tail = 0;
    for (; i < n; i++) {
      double weight = w == null ? 1.0 : w[i];
      if (t != null) {
        weight *= (1 - eps) * t[to + i] + eps / n;
      }
      if (weight != 0) {
        tail += weight * ((double) m - x[xo + i]);
      }
    }
    return LaneSums.sum(sum) + tail;
  }

  static double weightSum(float[] w, int n) {
    if (w == null) {
      return n;
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += w[i];
    }
    return s;
  }
}
