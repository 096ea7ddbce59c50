package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row top-k: an insertion sort into the row's slice of the outputs, with a vector filter in front of it.
 *
 * <p>Once {@code k} entries are held, a new entry can only enter if it beats the current k-th: it is NaN,
 * or strictly greater (an equal value has a higher index, so it ranks after). One compare per vector
 * finds the rare lanes that qualify; everything else is skipped without scalar work. If the k-th entry is
 * itself NaN, nothing later can enter and the scan stops.
 */
final class TopK {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;

  private TopK() {}

  static void topK(float[] x, int xo, int n, int k, int[] indices, int io, float[] values, int vo) {
    int j = 0;
    for (; j < k; j++) {
      insert(x[xo + j], j, j, indices, io, values, vo);
    }
    final int lanes = F.length();
    for (; j <= n - lanes; j += lanes) {
      float kth = values[vo + k - 1];
      if (kth != kth) {
        return;
      }
      FloatVector v = FloatVector.fromArray(F, x, xo + j);
      VectorMask<Float> candidates = v.compare(GT, kth).or(v.test(IS_NAN));
      for (long bits = candidates.toLong(); bits != 0; bits &= bits - 1) {
        int lane = Long.numberOfTrailingZeros(bits);
        offer(x[xo + j + lane], j + lane, k, indices, io, values, vo);
      }
    }
    for (; j < n; j++) {
      offer(x[xo + j], j, k, indices, io, values, vo);
    }
  }

  static void topK(double[] x, int xo, int n, int k, int[] indices, int io, double[] values, int vo) {
    int j = 0;
    for (; j < k; j++) {
      insert(x[xo + j], j, j, indices, io, values, vo);
    }
    final int lanes = D.length();
    for (; j <= n - lanes; j += lanes) {
      double kth = values[vo + k - 1];
      if (kth != kth) {
        return;
      }
      DoubleVector v = DoubleVector.fromArray(D, x, xo + j);
      VectorMask<Double> candidates = v.compare(GT, kth).or(v.test(IS_NAN));
      for (long bits = candidates.toLong(); bits != 0; bits &= bits - 1) {
        int lane = Long.numberOfTrailingZeros(bits);
        offer(x[xo + j + lane], j + lane, k, indices, io, values, vo);
      }
    }
    for (; j < n; j++) {
      offer(x[xo + j], j, k, indices, io, values, vo);
    }
  }

  /** Adds entry {@code index} if it beats the k-th held entry, dropping that one. */
  private static void offer(float v, int index, int k, int[] indices, int io, float[] values, int vo) {
    if (ranksBefore(v, values[vo + k - 1])) {
      insert(v, index, k - 1, indices, io, values, vo);
    }
  }

  private static void offer(double v, int index, int k, int[] indices, int io, double[] values, int vo) {
    if (ranksBefore(v, values[vo + k - 1])) {
      insert(v, index, k - 1, indices, io, values, vo);
    }
  }

  /** Inserts at or above slot {@code pos}, shifting entries it outranks down by one. */
  private static void insert(float v, int index, int pos, int[] indices, int io, float[] values, int vo) {
    while (pos > 0 && ranksBefore(v, values[vo + pos - 1])) {
      values[vo + pos] = values[vo + pos - 1];
      indices[io + pos] = indices[io + pos - 1];
      pos--;
    }
    values[vo + pos] = v;
    indices[io + pos] = index;
  }

  private static void insert(double v, int index, int pos, int[] indices, int io, double[] values, int vo) {
    while (pos > 0 && ranksBefore(v, values[vo + pos - 1])) {
      values[vo + pos] = values[vo + pos - 1];
      indices[io + pos] = indices[io + pos - 1];
      pos--;
    }
    values[vo + pos] = v;
    indices[io + pos] = index;
  }

  /** NaN ranks above every number; numbers rank by value, so +0.0 and -0.0 tie and keep index order. */
  private static boolean ranksBefore(float a, float b) {
    return a != a ? b == b : a > b;
  }

  private static boolean ranksBefore(double a, double b) {
    return a != a ? b == b : a > b;
  }
}
