package io.github.logits4j.internal.panama;

import java.util.Arrays;

/**
 * Arrays of ones, at least as long as asked, for kernels whose weights are optional: a loop that reads
 * its weights from an array chosen before the loop has no branch inside, where a vector chosen per
 * iteration ({@code w == null ? one : load}) would merge two vectors in a phi, which C2 may box. The
 * arrays only grow, so a steady workload allocates nothing; they are never written once published.
 */
final class Ones {
  private static volatile float[] floats = new float[64];
  private static volatile double[] doubles = new double[64];

  static {
    Arrays.fill(floats, 1f);
    Arrays.fill(doubles, 1.0);
  }

  private Ones() {}

  /** {@code n} or more float ones. */
  static float[] floats(int n) {
    float[] a = floats;
    if (a.length < n) {
      a = new float[Math.max(n, 2 * a.length)];
      Arrays.fill(a, 1f);
      floats = a;
    }
    return a;
  }

  /** {@code n} or more double ones. */
  static double[] doubles(int n) {
    double[] a = doubles;
    if (a.length < n) {
      a = new double[Math.max(n, 2 * a.length)];
      Arrays.fill(a, 1.0);
      doubles = a;
    }
    return a;
  }
}
