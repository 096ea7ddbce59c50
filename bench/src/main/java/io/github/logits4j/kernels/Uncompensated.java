package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The textbook SIMD softmax family without the accuracy work, for the fast-vs-accurate comparison of the
 * bench report: the same vector exponentials as the library, but {@code x - max} rounded before exp, a
 * plain running sum in the input type, {@code log(s)} instead of {@code log1p(s - 1)}, and one reciprocal
 * multiply. It is what the accurate kernels cost over. Not part of the library.
 */
final class Uncompensated {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

  private Uncompensated() {}

  /** Stores {@code exp(x - m) * 2^BIAS} (float) and returns the plain float sum of the stored values. */
  static float expStore(float[] x, int xo, float[] y, int yo, int n, float m, boolean store) {
    final int lanes = F.length();
    final float[] k = ExpF32.CONSTANTS;
    final float magic = ExpF32.magic(0);
    final FloatVector vm = FloatVector.broadcast(F, m), vMagic = FloatVector.broadcast(F, magic),
        log2e = FloatVector.broadcast(F, k[ExpF32.K_LOG2E]), negLn2Hi = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_HI]),
        negLn2Lo = FloatVector.broadcast(F, k[ExpF32.K_NEG_LN2_LO]), c2 = FloatVector.broadcast(F, k[ExpF32.K_C2]),
        c3 = FloatVector.broadcast(F, k[ExpF32.K_C3]), floor = FloatVector.broadcast(F, -ExpF32.CUTOFF);
    final IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3),
        l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3);
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
    float s = sum.reduceLanes(ADD);
    for (; i < n; i++) {
      float e = (float) Math.scalb(Math.exp(x[xo + i] - m), ExpF32.BIAS);
      if (store) {
        y[yo + i] = e;
      }
      s += e;
    }
    return s;
  }

  static void softmax(float[] x, int xo, float[] y, int yo, int n) {
    float m = RowMax.max(x, xo, n);
    float inverse = 1f / expStore(x, xo, y, yo, n, m, true);
    final int lanes = F.length();
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector.fromArray(F, y, yo + i).mul(inverse).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] *= inverse;
    }
  }

  static float logSumExp(float[] x, int xo, int n) {
    float m = RowMax.max(x, xo, n);
    return m + (float) (Math.log(expStore(x, xo, null, 0, n, m, false)) - ExpF32.BIAS * Math.log(2));
  }

  static void logSoftmax(float[] x, int xo, float[] y, int yo, int n) {
    float m = RowMax.max(x, xo, n);
    float shift = m + (float) (Math.log(expStore(x, xo, null, 0, n, m, false)) - ExpF32.BIAS * Math.log(2));
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

  /** The double twin: the library's table exponential without its low parts, a plain double sum. */
  static double expStore(double[] x, int xo, double[] y, int yo, int n, double m, boolean store) {
    final int lanes = D.length();
    final double magic = ExpF64.magic(0);
    final DoubleVector vm = DoubleVector.broadcast(D, m), vMagic = DoubleVector.broadcast(D, magic),
        log2e = DoubleVector.broadcast(D, ExpF64.LOG2E_8), negLn2Hi = DoubleVector.broadcast(D, -ExpF64.LN2_8_HI),
        negLn2Lo = DoubleVector.broadcast(D, -ExpF64.LN2_8_LO), floor = DoubleVector.broadcast(D, -ExpF64.CUTOFF);
    final LongVector h0 = ExpF64.hiPart(0), h1 = ExpF64.hiPart(1), h2 = ExpF64.hiPart(2), h3 = ExpF64.hiPart(3);
    DoubleVector sum = DoubleVector.zero(D);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector d = DoubleVector.fromArray(D, x, xo + i).sub(vm);
      DoubleVector t = d.fma(log2e, vMagic);
      DoubleVector kf = t.sub(vMagic);
      DoubleVector r = kf.fma(negLn2Lo, kf.fma(negLn2Hi, d));
      LongVector tb = t.reinterpretAsLongs();
      DoubleVector th = ExpF64.lookup(tb, h0, h1, h2, h3);
      DoubleVector q = r.add(ExpF64.smallTerms(r, DoubleVector.zero(D)));
      DoubleVector e = th.fma(q, th).reinterpretAsLongs().add(ExpF64.exponentBits(tb)).reinterpretAsDoubles()
          .blend(0.0, d.compare(LT, floor));
      if (store) {
        e.intoArray(y, yo + i);
      }
      sum = sum.add(e);
    }
    double s = sum.reduceLanes(ADD);
    for (; i < n; i++) {
      double e = Math.scalb(Math.exp(x[xo + i] - m), ExpF64.BIAS);
      if (store) {
        y[yo + i] = e;
      }
      s += e;
    }
    return s;
  }

  static void softmax(double[] x, int xo, double[] y, int yo, int n) {
    double m = RowMax.max(x, xo, n);
    double inverse = 1 / expStore(x, xo, y, yo, n, m, true);
    final int lanes = D.length();
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector.fromArray(D, y, yo + i).mul(inverse).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] *= inverse;
    }
  }

  static double logSumExp(double[] x, int xo, int n) {
    double m = RowMax.max(x, xo, n);
    return m + (Math.log(expStore(x, xo, null, 0, n, m, false)) - ExpF64.BIAS * Math.log(2));
  }

  static void logSoftmax(double[] x, int xo, double[] y, int yo, int n) {
    double m = RowMax.max(x, xo, n);
    double shift = m + (Math.log(expStore(x, xo, null, 0, n, m, false)) - ExpF64.BIAS * Math.log(2));
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
