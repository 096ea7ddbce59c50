package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.F2D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order: lane {@code i} is added to lane {@code i + half}, for
 * halves of 8, 4, 2 and 1 lanes as the width has them, and lane 0 holds the total.
 *
 * <p>Why not {@code reduceLanes(ADD)}: for floating point the Vector API leaves its order unspecified, and
 * the order differs between the interpreter's fallback and C2's reduction. The same call could then give
 * different bits before and after the kernel is compiled. Each step here is a lanewise IEEE addition, so
 * the result is the same in every tier.
 */
final class LaneSums {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  static final VectorShuffle<Float> F1 = swap(F, 1), F2 = swap(F, 2), F4 = swap(F, 4), F8 = swap(F, 8);
  static final VectorShuffle<Double> D1 = swap(D, 1), D2 = swap(D, 2), D4 = swap(D, 4);

  private LaneSums() {}

  private static <E> VectorShuffle<E> swap(VectorSpecies<E> species, int half) {
    return VectorShuffle.fromOp(species, i -> i ^ (half % species.length()));
  }

  static float sum(FloatVector v) {
    int lanes = F.length();
    if (lanes > 8) {
      v = v.add(v.rearrange(F8));
    }
    if (lanes > 4) {
      v = v.add(v.rearrange(F4));
    }
    if (lanes > 2) {
      v = v.add(v.rearrange(F2));
    }
    return v.add(v.rearrange(F1)).lane(0);
  }

  static double sum(DoubleVector v) {
    int lanes = D.length();
    if (lanes > 4) {
      v = v.add(v.rearrange(D4));
    }
    if (lanes > 2) {
      v = v.add(v.rearrange(D2));
    }
    return v.add(v.rearrange(D1)).lane(0);
  }

  /**
   * The total of a float exp pass's lane sums, left in {@code t} at its logical width {@code w}
   * ({@link VectorWidth#SUM_LANES_FLOAT}, 16): the sums at {@code [0, w)}, their compensations at
   * {@code [w, 2w)} and the terms' rounding errors at {@code [2w, 3w)}. Logical double lane {@code k < w/2}
   * adds, widened, the float lanes {@code k} and {@code k + w/2} of each set in turn; the double lanes are
   * then added in pairs {@code (k, k + h)} for halves {@code h} of 4, 2 and 1, lane 0 holding the total.
   * That is the order of the 512-bit vector fold (the float halves widened and added, then {@link #sum}),
   * taken here at any width, so the total has the same bits at 128, 256 and 512 bits. The pairs of the
   * halves wider than a vector are added a vector at a time in {@code d}, of {@code w/2} doubles or more;
   * only arrays cross this method's boundary.
   */
  static double floatLogicalTotal(float[] t, double[] d) {
    final int w = VectorWidth.SUM_LANES_FLOAT, h = w / 2, lanes = D.length();
    for (int k = 0; k < h; k += lanes) {
      DoubleVector v = (DoubleVector) FloatVector.fromArray(VectorWidth.FLOAT_HALF, t, k).convertShape(F2D, D, 0);
      v = v.add(FloatVector.fromArray(VectorWidth.FLOAT_HALF, t, k + h).convertShape(F2D, D, 0))
          .add(FloatVector.fromArray(VectorWidth.FLOAT_HALF, t, w + k).convertShape(F2D, D, 0))
          .add(FloatVector.fromArray(VectorWidth.FLOAT_HALF, t, w + k + h).convertShape(F2D, D, 0))
          .add(FloatVector.fromArray(VectorWidth.FLOAT_HALF, t, 2 * w + k).convertShape(F2D, D, 0))
          .add(FloatVector.fromArray(VectorWidth.FLOAT_HALF, t, 2 * w + k + h).convertShape(F2D, D, 0));
      v.intoArray(d, k);
    }
    for (int half = h / 2; half >= lanes; half /= 2) {
      for (int k = 0; k < half; k += lanes) {
        DoubleVector.fromArray(D, d, k).add(DoubleVector.fromArray(D, d, k + half)).intoArray(d, k);
      }
    }
    DoubleVector v = DoubleVector.fromArray(D, d, 0);  // then sum(v), spelled out: no vector crosses a call
    if (lanes > 4) {
      v = v.add(v.rearrange(D4));
    }
    if (lanes > 2) {
      v = v.add(v.rearrange(D2));
    }
    return v.add(v.rearrange(D1)).lane(0);
  }
}
