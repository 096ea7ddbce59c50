package io.github.logits4j;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Ulps;
import io.github.logits4j.internal.reference.ScalarReference;

/**
 * Runs an operation on a generated batch in its own dtype and hands back the results widened to double,
 * so each property is written once for float and double.
 */
final class Ops {
  private Ops() {}

  static double[] softmax(Batch b, double temperature) {
    if (b.isFloat()) {
      float[] y = new float[b.values().length];
      Logits.softmax(b.floats(), 0, y, 0, b.rows(), b.cols(), (float) temperature);
      return widen(y);
    }
    double[] y = new double[b.values().length];
    Logits.softmax(b.values(), 0, y, 0, b.rows(), b.cols(), temperature);
    return y;
  }

  static double[] logSoftmax(Batch b, double temperature) {
    if (b.isFloat()) {
      float[] y = new float[b.values().length];
      Logits.logSoftmax(b.floats(), 0, y, 0, b.rows(), b.cols(), (float) temperature);
      return widen(y);
    }
    double[] y = new double[b.values().length];
    Logits.logSoftmax(b.values(), 0, y, 0, b.rows(), b.cols(), temperature);
    return y;
  }

  static double[] logSumExp(Batch b) {
    if (b.isFloat()) {
      float[] out = new float[b.rows()];
      Logits.logSumExp(b.floats(), b.cols(), out);
      return widen(out);
    }
    double[] out = new double[b.rows()];
    Logits.logSumExp(b.values(), b.cols(), out);
    return out;
  }

  static int[] argmax(Batch b) {
    int[] out = new int[b.rows()];
    if (b.isFloat()) {
      Logits.argmax(b.floats(), b.cols(), out);
    } else {
      Logits.argmax(b.values(), b.cols(), out);
    }
    return out;
  }

  static double[] referenceSoftmax(Batch b, double temperature) {
    if (b.isFloat()) {
      float[] y = new float[b.values().length];
      ScalarReference.INSTANCE.softmax(b.floats(), 0, y, 0, b.rows(), b.cols(), (float) temperature);
      return widen(y);
    }
    double[] y = new double[b.values().length];
    ScalarReference.INSTANCE.softmax(b.values(), 0, y, 0, b.rows(), b.cols(), temperature);
    return y;
  }

  static double[] referenceLogSoftmax(Batch b, double temperature) {
    if (b.isFloat()) {
      float[] y = new float[b.values().length];
      ScalarReference.INSTANCE.logSoftmax(b.floats(), 0, y, 0, b.rows(), b.cols(), (float) temperature);
      return widen(y);
    }
    double[] y = new double[b.values().length];
    ScalarReference.INSTANCE.logSoftmax(b.values(), 0, y, 0, b.rows(), b.cols(), temperature);
    return y;
  }

  static double[] referenceLogSumExp(Batch b) {
    if (b.isFloat()) {
      float[] out = new float[b.rows()];
      ScalarReference.INSTANCE.logSumExp(b.floats(), 0, out, 0, b.rows(), b.cols());
      return widen(out);
    }
    double[] out = new double[b.rows()];
    ScalarReference.INSTANCE.logSumExp(b.values(), 0, out, 0, b.rows(), b.cols());
    return out;
  }

  /** Error of {@code actual} in ulps of the batch's dtype. */
  static double ulps(Batch b, double actual, DD exact) {
    return b.isFloat() ? Ulps.ofFloat((float) actual, exact) : Ulps.ofDouble(actual, exact);
  }

  static boolean belowNormal(Batch b, DD exact) {
    return Math.abs(exact.toDouble()) < (b.isFloat() ? Float.MIN_NORMAL : Double.MIN_NORMAL);
  }

  /** One ulp of the dtype at the exact value {@code v} (the subnormal spacing below the smallest normal). */
  static double ulpAt(Batch b, DD v) {
    double a = Math.abs(v.toDouble());
    if (b.isFloat()) {
      return a < Float.MIN_NORMAL ? 0x1p-149 : Math.scalb(1.0, Math.getExponent(a) - 23);
    }
    return a < Double.MIN_NORMAL ? Double.MIN_VALUE : Math.scalb(1.0, Math.getExponent(a) - 52);
  }

  /**
   * Whether {@code actual} agrees with the reference {@code ref}: apart by no more than the kernel's bound
   * plus one ulp plus the reference's own distance from the exact value (the triangle inequality).
   */
  static boolean agrees(Batch b, double actual, double ref, DD exact, double bound) {
    if (Double.isNaN(exact.toDouble()) || Double.isInfinite(exact.toDouble()) || Double.isInfinite(ref)) {
      return Double.compare(actual, ref) == 0 || (Double.isNaN(actual) && Double.isNaN(ref));
    }
    double refError = Math.abs(DD.of(ref).sub(exact).toDouble());
    return Math.abs(actual - ref) <= (bound + 1) * ulpAt(b, exact) + refError;
  }

  /** One ulp of the dtype at {@code v}. */
  static double ulp(Batch b, double v) {
    return b.isFloat() ? Math.ulp((float) v) : Math.ulp(v);
  }

  static double[] widen(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
