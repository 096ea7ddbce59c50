package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.IS_NAN;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row argmax in two passes: {@link RowMax} finds the maximum (NaN if the row holds one), then a scan stops
 * at the first entry equal to it, or at the first NaN. Comparing with {@code ==} makes +0.0 and -0.0 tie,
 * and stopping at the first hit gives ties to the lowest index, as {@code numpy.argmax} does.
 */
final class Argmax {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

  private Argmax() {}

  static int argmax(float[] x, int offset, int n) {
    float m = RowMax.max(x, offset, n);
    boolean nan = m != m;
    final int lanes = F.length();
    FloatVector vm = FloatVector.broadcast(F, m);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      FloatVector v = FloatVector.fromArray(F, x, offset + i);
      VectorMask<Float> hit = nan ? v.test(IS_NAN) : v.eq(vm);
      if (hit.anyTrue()) {
        return i + hit.firstTrue();
      }
    }
    for (; i < n; i++) {
      float v = x[offset + i];
      if (nan ? v != v : v == m) {
        return i;
      }
    }
    throw new AssertionError("row maximum not found");
  }

  static int argmax(double[] x, int offset, int n) {
    double m = RowMax.max(x, offset, n);
    boolean nan = m != m;
    final int lanes = D.length();
    DoubleVector vm = DoubleVector.broadcast(D, m);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      DoubleVector v = DoubleVector.fromArray(D, x, offset + i);
      VectorMask<Double> hit = nan ? v.test(IS_NAN) : v.eq(vm);
      if (hit.anyTrue()) {
        return i + hit.firstTrue();
      }
    }
    for (; i < n; i++) {
      double v = x[offset + i];
      if (nan ? v != v : v == m) {
        return i;
      }
    }
    throw new AssertionError("row maximum not found");
  }
}
