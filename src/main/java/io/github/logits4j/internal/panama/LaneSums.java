package io.github.logits4j.internal.panama;

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
}
