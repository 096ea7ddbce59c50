package io.github.logits4j.internal.panama;

/**
 * Tables of lane and vector indices in a vector's own element type, for kernels that permute by an index
 * vector of their data's type and take blend masks by comparing one ({@link BlockTranspose},
 * {@link ArgmaxMaxTree}, {@link ArgmaxLaneGroups}): no lane is reinterpreted.
 */
final class LaneIndices {
  private LaneIndices() {}

  /** Small non-negative ints (below 2^24), exact as floats. */
  static float[] floats(int[] ints) {
    float[] f = new float[ints.length];
    for (int i = 0; i < ints.length; i++) {
      f[i] = ints[i];
    }
    return f;
  }

  /** Small non-negative ints, exact as doubles. */
  static double[] doubles(int[] ints) {
    double[] d = new double[ints.length];
    for (int i = 0; i < ints.length; i++) {
      d[i] = ints[i];
    }
    return d;
  }
}
