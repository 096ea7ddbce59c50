package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.UMAX;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row maximum with {@link Math#max} semantics (NaN when the row holds a NaN, +0.0 above -0.0), computed
 * with integer instructions on the raw IEEE bits.
 *
 * <p>Why integers: the Vector API's floating-point {@code MAX} must honour Java's NaN and signed-zero
 * rules, which compiles to a dependent chain of about six instructions per vector. Three single-cycle
 * integer reductions over the bit patterns carry the same information:
 * <ul>
 *   <li>signed max: the largest non-negative float, or a positive NaN, which sorts above +inf;</li>
 *   <li>signed min: for an all-negative row, the negative float of smallest magnitude, its maximum;</li>
 *   <li>unsigned max: the negative float of largest magnitude, or a negative NaN, which sorts above -inf.</li>
 * </ul>
 * A NaN of either sign therefore surfaces in the signed or the unsigned max.
 */
final class RowMax {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Integer> I = VectorWidth.INT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  private static final VectorSpecies<Long> J = VectorWidth.LONG;

  private RowMax() {}

  static float max(float[] x, int offset, int n) {
    return Float.intBitsToFloat((int) (maxAndMin(x, offset, n) >>> 32));
  }

  /**
   * The row maximum (as {@link #max(float[], int, int)}) in the high 32 bits and the row minimum, NaNs
   * aside, in the low 32 bits, both as raw float bits. The minimum costs nothing extra: it is the signed
   * min of the bits when no entry is negative, and the unsigned max otherwise.
   */
  static long maxAndMin(float[] x, int offset, int n) {
    if (n < F.length()) {
      return NarrowRows.maxAndMin(x, offset, n);
    }
    int lanes = F.length();
    IntVector smax = IntVector.broadcast(I, Integer.MIN_VALUE);
    IntVector smin = IntVector.broadcast(I, Integer.MAX_VALUE);
    IntVector umax = IntVector.zero(I);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      IntVector v = FloatVector.fromArray(F, x, offset + i).reinterpretAsInts();
      smax = smax.max(v);
      smin = smin.min(v);
      umax = umax.lanewise(UMAX, v);
    }
    // an unsigned max reduction has no intrinsic (it would box); flipping the sign bit makes it a signed one
    int hi = smax.reduceLanes(MAX), lo = smin.reduceLanes(MIN),
        unsignedHi = umax.lanewise(XOR, Integer.MIN_VALUE).reduceLanes(MAX) ^ Integer.MIN_VALUE;
    // The tail in scalar code: masked integer lanewise operations are not intrinsified.
    for (; i < n; i++) {
      int b = Float.floatToRawIntBits(x[offset + i]);
      hi = Math.max(hi, b);
      lo = Math.min(lo, b);
      unsignedHi = Integer.compareUnsigned(unsignedHi, b) >= 0 ? unsignedHi : b;
    }
    return decode(hi, lo, unsignedHi);
  }

  /**
   * Turns the signed max, signed min and unsigned max of a row's float bits into its maximum (NaN if any
   * entry is NaN) and minimum, packed as in {@link #maxAndMin}.
   */
  static long decode(int signedMax, int signedMin, int unsignedMax) {
    int maxBits = signedMax >= 0 ? signedMax : signedMin;
    int minBits = signedMin >= 0 ? signedMin : unsignedMax;
    if (Float.isNaN(Float.intBitsToFloat(signedMax)) || Float.isNaN(Float.intBitsToFloat(unsignedMax))) {
      maxBits = Float.floatToRawIntBits(Float.NaN);
    }
    return ((long) maxBits << 32) | (minBits & 0xFFFFFFFFL);
  }

  static double max(double[] x, int offset, int n) {
    if (n < D.length()) {
      double m = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double v = x[offset + i];
        if (v != v) {
          return v;
        }
        m = v > m ? v : m;
      }
      return m;
    }
    int lanes = D.length();
    LongVector smax = LongVector.broadcast(J, Long.MIN_VALUE);
    LongVector smin = LongVector.broadcast(J, Long.MAX_VALUE);
    LongVector umax = LongVector.zero(J);
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      LongVector v = DoubleVector.fromArray(D, x, offset + i).reinterpretAsLongs();
      smax = smax.max(v);
      smin = smin.min(v);
      umax = umax.lanewise(UMAX, v);
    }
    long hi = smax.reduceLanes(MAX), lo = smin.reduceLanes(MIN),
        unsignedHi = umax.lanewise(XOR, Long.MIN_VALUE).reduceLanes(MAX) ^ Long.MIN_VALUE;
    for (; i < n; i++) {
      long b = Double.doubleToRawLongBits(x[offset + i]);
      hi = Math.max(hi, b);
      lo = Math.min(lo, b);
      unsignedHi = Long.compareUnsigned(unsignedHi, b) >= 0 ? unsignedHi : b;
    }
    if (Double.isNaN(Double.longBitsToDouble(hi)) || Double.isNaN(Double.longBitsToDouble(unsignedHi))) {
      return Double.NaN;
    }
    return Double.longBitsToDouble(hi >= 0 ? hi : lo);
  }

  /** How many entries equal {@code m} numerically (so -0.0 counts for +0.0). */
  static int countEqual(float[] x, int offset, int n, float m) {
    if (n < F.length()) {
      return NarrowRows.countEqual(x, offset, n, m);
    }
    int lanes = F.length();
    FloatVector vm = FloatVector.broadcast(F, m);
    int count = 0;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      count += FloatVector.fromArray(F, x, offset + i).eq(vm).trueCount();
    }
    if (i < n) {
      VectorMask<Float> tail = F.indexInRange(i, n);
      count += FloatVector.fromArray(F, x, offset + i, tail).eq(vm).and(tail).trueCount();
    }
    return count;
  }

  static int countEqual(double[] x, int offset, int n, double m) {
    if (n < D.length()) {
      int count = 0;
      for (int i = 0; i < n; i++) {
        count += x[offset + i] == m ? 1 : 0;
      }
      return count;
    }
    int lanes = D.length();
    DoubleVector vm = DoubleVector.broadcast(D, m);
    int count = 0;
    int i = 0;
    for (; i <= n - lanes; i += lanes) {
      count += DoubleVector.fromArray(D, x, offset + i).eq(vm).trueCount();
    }
    if (i < n) {
      VectorMask<Double> tail = D.indexInRange(i, n);
      count += DoubleVector.fromArray(D, x, offset + i, tail).eq(vm).and(tail).trueCount();
    }
    return count;
  }
}
