package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The block path of narrow double softmax ({@link SoftmaxF64RowBlocks}) gives the bits of the row path
 * ({@link SoftmaxF64#softmax}), in place and out of place, with and without a temperature, at every width
 * it serves (below {@link VectorWidth#NARROW_DOUBLE_SUMS}, so through both transpositions: by lane permutations
 * under one vector, in scalar code from one to two). The rows mix every kind in one block: NaN, +inf,
 * -inf entries, rows of -inf only, ties at the maximum, spreads past the exponential's cutoff, huge and
 * subnormal entries.
 */
class SoftmaxF64RowBlocksTest {
  private static final int LANES = VectorWidth.DOUBLE.length();

  @Property(tries = 300)
  void blocksGiveTheRowPathsBits(@ForAll @IntRange(min = 1, max = 63) int colsWanted,
      @ForAll @IntRange(min = 1, max = 6) int blocks, @ForAll long seed) {
    int cols = 1 + (colsWanted - 1) % (VectorWidth.NARROW_DOUBLE_SUMS - 1);
    int rows = blocks * LANES + (int) Math.floorMod(seed, LANES);
    double[] x = batch(rows, cols, seed);
    check(x, rows, cols, 1.0);
    check(x, rows, cols, 0.37);
  }

  /** Every width the block path serves, many seeds, a temperature above and below 1. */
  @Example
  void everyWidth() {
    for (int cols = 1; cols < VectorWidth.NARROW_DOUBLE_SUMS; cols++) {
      for (long seed = 0; seed < 30; seed++) {
        int rows = 5 * LANES + 1;
        double[] x = batch(rows, cols, seed * 1000 + cols);
        check(x, rows, cols, 1.0);
        check(x, rows, cols, 3.0);
        check(x, rows, cols, 0.01);
      }
    }
  }

  private static void check(double[] x, int rows, int cols, double temperature) {
    double betaHi = 1.0 / temperature, betaLo = Math.fma(-betaHi, temperature, 1.0) / temperature;
    double[] rowPath = new double[x.length], blockPath = new double[x.length], inPlace = x.clone();
    for (int r = 0; r < rows; r++) {
      SoftmaxF64.softmax(x, r * cols, rowPath, r * cols, cols, betaHi, betaLo);
    }
    int done = SoftmaxF64RowBlocks.softmax(x, 0, blockPath, 0, rows, cols, betaHi, betaLo);
    assertEquals(rows - rows % LANES, done, "whole blocks");
    SoftmaxF64RowBlocks.softmax(inPlace, 0, inPlace, 0, rows, cols, betaHi, betaLo);
    for (int k = 0; k < done * cols; k++) {
      final int i = k;
      long expected = Double.doubleToRawLongBits(rowPath[i]);
      String where = cols + " columns, T=" + temperature + ", row " + i / cols + " entry " + i % cols + " (input "
          + x[i] + ")";
      assertEquals(expected, Double.doubleToRawLongBits(blockPath[i]), () -> where + ": " + blockPath[i]
          + " against the row path's " + rowPath[i]);
      assertEquals(expected, Double.doubleToRawLongBits(inPlace[i]), () -> where + " in place: " + inPlace[i]);
    }
  }

  /** Rows of every kind, chosen per row, so a block mixes them. */
  private static double[] batch(int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] x = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      int kind = rnd.nextInt(10);
      double center = rnd.nextGaussian() * 50;
      for (int j = 0; j < cols; j++) {
        double v = switch (kind) {
          case 0 -> center + rnd.nextGaussian();
          case 1 -> rnd.nextGaussian() * 400;  // spreads past the cutoff
          case 2 -> rnd.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : center + rnd.nextGaussian() * 3;
          case 3 -> Double.NEGATIVE_INFINITY;
          case 4 -> rnd.nextInt(cols + 1) == 0 ? Double.NaN : center;
          case 5 -> rnd.nextInt(cols + 1) == 0 ? Double.POSITIVE_INFINITY : center + rnd.nextGaussian();
          case 6 -> (rnd.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * rnd.nextDouble();
          case 7 -> rnd.nextInt(2) * 1e-310;  // subnormal and zero entries, ties
          case 8 -> Math.floor(center) + rnd.nextInt(2);  // ties at the maximum
          default -> center + rnd.nextGaussian() * 30;
        };
        x[r * cols + j] = v;
      }
    }
    return x;
  }
}
