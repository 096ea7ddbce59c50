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

  /**
   * The logical width of the double exp pass's lane sums ({@link SoftmaxF64}): eight lanes, one vector at
   * 512 bits, two at 256, four at 128 ({@link #PARTS_DOUBLE}), so that each entry of a row goes to the same
   * logical lane's sum, and the sums are folded in the same order, whatever the hardware's width: softmax,
   * log-softmax, log-sum-exp and cross-entropy of double rows have the same bits at 128, 256 and 512 bits.
   * (A vector wider than 512 bits would be one part of its own lane count.)
   */
  static final int SUM_LANES_DOUBLE = VectorBits.SUM_LANES_DOUBLE, PARTS_DOUBLE = SUM_LANES_DOUBLE / DOUBLE.length();
  /**
   * Double rows shorter than two logical widths (16 entries) take the exp pass's scalar path, or a block
   * at a time one row per lane ({@link RowBlocks}, {@link SoftmaxF64RowBlocks},
   * {@link CrossEntropyRowBlocksF64}), whose lanes do that path's operations: at every width the same rows.
   */
  static final int NARROW_DOUBLE_SUMS = 2 * SUM_LANES_DOUBLE;

  /**
   * The logical width of the float exp passes' lane sums ({@link VectorBits#SUM_LANES_FLOAT}, 16) and how
   * many vectors' accumulators make it up: one at 512 bits, two at 256, four at 128. The passes' vector
   * loops end at a whole number of logical widths and leave the rest to their scalar tails, and the lane
   * sums are folded in the 512-bit vector's order ({@link LaneSums#floatLogicalTotal}): float softmax,
   * log-softmax and log-sum-exp have the same bits at 128, 256 and 512 bits. Rows shorter than the logical
   * width take the row paths' scalar code ({@link ShortRows}, the passes' tails) at every width.
   */
  static final int SUM_LANES_FLOAT = VectorBits.SUM_LANES_FLOAT, PARTS_FLOAT = SUM_LANES_FLOAT / FLOAT.length();

  /**
   * Rows the fast mode ({@code FastLogits}) sends to the default kernels, as a batch: under 16 floats (the
   * float logical width, where the default kernels take their scalar path or a block of rows at a time)
   * and under 16 doubles ({@link #NARROW_DOUBLE_SUMS}, where the default kernels run a block of rows at a
   * time: at 16384x10 doubles the fast mode's own row path took 1.3 to 1.6 times their time). The same
   * rows at every width.
   */
  static final int FAST_DEFAULTS_BELOW_FLOAT = SUM_LANES_FLOAT, FAST_DEFAULTS_BELOW_DOUBLE = NARROW_DOUBLE_SUMS;

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
