package io.github.logits4j.internal.panama;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every Panama kernel uses, at the width {@link VectorBits} chose once per JVM.
 *
 * <p>The species are {@code static final}, which lets the JIT treat lane counts as constants.
 */
final class VectorWidth {
  static final VectorShape SHAPE = VectorBits.SHAPE;

  static final VectorSpecies<Float> FLOAT = VectorSpecies.of(float.class, SHAPE);
  static final VectorSpecies<Double> DOUBLE = VectorSpecies.of(double.class, SHAPE);
  static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, SHAPE);
  static final VectorSpecies<Long> LONG = VectorSpecies.of(long.class, SHAPE);
  /**
   * The row lengths the kernels treat apart, by dtype. A row shorter than one vector has no full vector,
   * and its scalar path computes it ({@link ShortRows}, {@link SoftmaxF64}'s scalar sums). A row narrower
   * than two vectors is too short for a vector pass of its own to pay: log-sum-exp, log-softmax and argmax
   * take such rows a block at a time, one row per lane ({@link RowBlocks}, {@link ArgmaxRowBlocks}).
   */
  static final int NARROW_FLOAT = 2 * FLOAT.length(), NARROW_DOUBLE = 2 * DOUBLE.length();

  /** Floats at half the width: exactly as many lanes as {@link #DOUBLE}, for float/double conversion. */
  static final VectorSpecies<Float> FLOAT_HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(SHAPE.vectorBitSize() / 2));

  /**
   * Moves a float vector's upper half into its lower lanes, where a part-0 conversion widens it to double.
   * Built once: {@code convertShape(F2D, D, 1)} builds the equivalent shuffle on every call through a call
   * chain deep enough to exceed C2's inlining depth inside a kernel, which leaves the slow Java fallback.
   */
  static final VectorShuffle<Float> UPPER_HALF =
      VectorShuffle.fromOp(FLOAT, i -> (i + FLOAT.length() / 2) % FLOAT.length());

  private VectorWidth() {}
}
