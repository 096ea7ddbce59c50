package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast mode of softmax, log-softmax and log-sum-exp ({@link io.github.logits4j.FastLogits}): the
 * textbook vector algorithm on the library's exponentials, without the accuracy work of the default
 * kernels. {@code x - max} is rounded before exp, the exponentials are summed plainly in the input type,
 * log-softmax is {@code x - (max + log(s))}, and softmax multiplies by one rounded reciprocal. Rows whose
 * maximum is not finite, and rows narrower than a vector, go to the default kernels, so special values
 * and narrow batches behave exactly as there.
 */
final class FastSoftmax {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

  private FastSoftmax() {}

  // ------------------------------------------------------------------------------------------ float

  /** Stores {@code exp(x - m) 2^BIAS} if {@code store}, and returns their plain float sum. */
  static float expStore(float[] x, int xo, float[] y, int yo, int n, float m, boolean store) {
    final int lanes = F.length();
    final float[] k = ExpF32.CONSTANTS;
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3);
    final float magic = ExpF32.magic(0);
    final FloatVector vm = FloatVector.broadcast(F, m), vMagic = FloatVector.broadcast(F, magic),
        log2e = FloatVector.broadcast(F, k[ExpF32.K_LOG2E]), negLn2Hi = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_LO]), c2 = FloatVector.broadcast(F, k[ExpF32.K_C2]),
        c3 = FloatVector.broadcast(F, k[ExpF32.K_C3]), floor = FloatVector.broadcast(F, -ExpF32.CUTOFF);
    FloatVector sum = FloatVector.zero(F);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector d = FloatVector.fromArray(F, x, xo + i).sub(vm);
      FloatVector t = d.fma(log2e, vMagic);
      FloatVector kf = t.sub(vMagic);
      FloatVector r = kf.fma(negLn2Lo, kf.fma(negLn2Hi, d));
      FloatVector e = ExpF32.finish(t, r, c2, c3, h0, h1, h2, h3, l0, l1, l2, l3).blend(0f, d.compare(LT, floor));
      if (store) {
        e.intoArray(y, yo + i);
      }
      sum = sum.add(e);
    }
    float s = LaneSums.sum(sum);
    for (; i < n; i++) {
      float d = x[xo + i] - m;
      float e = d < -ExpF32.CUTOFF ? 0f : ExpF32.exp(d, magic);
      if (store) {
        y[yo + i] = e;
      }
      s += e;
    }
    return s;
  }

  static void softmax(float[] x, int xo, float[] y, int yo, int n) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m) || n < F.length()) {
      SoftmaxF32.softmax(x, xo, y, yo, n);
      return;
    }
    float inverse = 1f / expStore(x, xo, y, yo, n, m, true);
    final int lanes = F.length();
    FloatVector vInverse = FloatVector.broadcast(F, inverse);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector.fromArray(F, y, yo + i).mul(vInverse).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] *= inverse;
    }
  }

  /** {@code max + log(s)} in float, {@code s} the plain float sum, the bias removed in double. */
  private static float logNormaliser(float[] x, int xo, int n, float m) {
    // the sum is at least the maximum's 2^BIAS, so removing the bias first is exact and log rounds once
    return m + (float) Math.log(Math.scalb((double) expStore(x, xo, null, 0, n, m, false), -ExpF32.BIAS));
  }

  static float logSumExp(float[] x, int xo, int n) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m) || n < F.length()) {
      return SoftmaxF32.logSumExp(x, xo, n);
    }
    return logNormaliser(x, xo, n, m);
  }

  static void logSoftmax(float[] x, int xo, float[] y, int yo, int n) {
    float m = RowMax.max(x, xo, n);
    if (!Float.isFinite(m) || n < F.length()) {
      SoftmaxF32.logSoftmax(x, xo, y, yo, n, 1.0, 1f, 0f);
      return;
    }
    float shift = logNormaliser(x, xo, n, m);
    final int lanes = F.length();
    FloatVector vShift = FloatVector.broadcast(F, shift);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector.fromArray(F, x, xo + i).sub(vShift).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = x[xo + i] - shift;
    }
  }

  // ----------------------------------------------------------------------------------------- double

  /** The double twin: the library's table exponential without its low parts, a plain double sum. */
  static double expStore(double[] x, int xo, double[] y, int yo, int n, double m, boolean store) {
    final int lanes = D.length();
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3);
    final double magic = ExpF64.magic(0);
    final DoubleVector vm = DoubleVector.broadcast(D, m), vMagic = DoubleVector.broadcast(D, magic),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8), negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI),
        negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO), floor = DoubleVector.broadcast(D, -ExpF64.CUTOFF),
        zero = DoubleVector.zero(D);
    DoubleVector sum = zero;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector d = DoubleVector.fromArray(D, x, xo + i).sub(vm);
      DoubleVector t = d.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector r = kf.fma(negLn2Lo, kf.fma(negLn2Hi, d));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3);
      DoubleVector q = r.add(ExpF64.smallTerms(r, zero));
      DoubleVector e = th.fma(q, th).reinterpretAsLongs().add(tb.lanewise(ASHR, 3).lanewise(LSHL, 52))
          .reinterpretAsDoubles().blend(0.0, d.compare(LT, floor));
      if (store) {
        e.intoArray(y, yo + i);
      }
      sum = sum.add(e);
    }
    double s = LaneSums.sum(sum);
    for (; i < n; i++) {
      double d = x[xo + i] - m;
      double e = d < -ExpF64.CUTOFF ? 0 : Math.scalb(Math.exp(d), ExpF64.BIAS);
      if (store) {
        y[yo + i] = e;
      }
      s += e;
    }
    return s;
  }

  static void softmax(double[] x, int xo, double[] y, int yo, int n) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m) || n < D.length()) {
      SoftmaxF64.softmax(x, xo, y, yo, n, 1.0, 0.0);
      return;
    }
    double inverse = 1 / expStore(x, xo, y, yo, n, m, true);
    final int lanes = D.length();
    DoubleVector vInverse = DoubleVector.broadcast(D, inverse);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector.fromArray(D, y, yo + i).mul(vInverse).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] *= inverse;
    }
  }

  private static double logNormaliser(double[] x, int xo, int n, double m) {
    return m + Math.log(Math.scalb(expStore(x, xo, null, 0, n, m, false), -ExpF64.BIAS));
  }

  static double logSumExp(double[] x, int xo, int n) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m) || n < D.length()) {
      return SoftmaxF64.logSumExp(x, xo, n);
    }
    return logNormaliser(x, xo, n, m);
  }

  static void logSoftmax(double[] x, int xo, double[] y, int yo, int n) {
    double m = RowMax.max(x, xo, n);
    if (!Double.isFinite(m) || n < D.length()) {
      SoftmaxF64.logSoftmax(x, xo, y, yo, n, 1.0, 0.0);
      return;
    }
    double shift = logNormaliser(x, xo, n, m);
    final int lanes = D.length();
    DoubleVector vShift = DoubleVector.broadcast(D, shift);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector.fromArray(D, x, xo + i).sub(vShift).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = x[xo + i] - shift;
    }
  }
}
