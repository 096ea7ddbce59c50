package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.gen.Regime;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The block path of narrow float softmax ({@link SoftmaxRowBlocks}, taken by {@link SoftmaxF32#softmaxRows})
 * gives the bits of the row-by-row path ({@link SoftmaxF32#fusedRows}) with the same first guess, in place
 * and out of place. The batches are built to reach every branch of the block's decisions: rows whose
 * maximum jumps far above the previous row's (the guess does not fit: the three-pass path), rows far below
 * it with a wide spread (the guess fits, but the smallest rounding errors would be subnormal under it: the
 * row path's fused pass), rows a little above it (the low half of the reciprocal can be subnormal under
 * the guess), and NaN, infinite, huge and near-subnormal rows, mixed in one block.
 */
class SoftmaxRowBlocksTest {
  private static final int LANES = VectorWidth.FLOAT.length();
  /** The block path serves rows under the float sums' logical width (16), at every vector width. */
  private static final int NARROW = VectorWidth.SUM_LANES_FLOAT;

  @Property(tries = 300)
  void blocksGiveTheRowPathsBits(@ForAll @IntRange(min = 1, max = 15) int colsWanted,
      @ForAll @IntRange(min = 1, max = 9) int blocks, @ForAll long seed) {
    int cols = 1 + (colsWanted - 1) % (NARROW - 1);  // 1 to NARROW - 1: the widths the block path serves
    int rows = blocks * LANES + (int) Math.floorMod(seed, LANES);
    check(batch(rows, cols, seed, true), rows, cols);
    check(batch(rows, cols, seed, false), rows, cols);
  }

  /** Every kind of row after every other, at the widths the block path serves. */
  @Example
  void everyTransitionAtEveryWidth() {
    for (int cols = 1; cols < NARROW; cols++) {
      for (long seed = 0; seed < 40; seed++) {
        int rows = 8 * LANES + 3;
        check(batch(rows, cols, seed * 1000 + cols, true), rows, cols);
        check(batch(rows, cols, seed * 1000 + cols, false), rows, cols);
      }
    }
  }

  private static void check(float[] x, int rows, int cols) {
    float[] rowPath = new float[x.length], blockPath = new float[x.length];
    int guess = FusedPassF32.firstGuess(x[0]);
    SoftmaxF32.fusedRows(x, 0, rowPath, 0, rows, cols, guess);
    // the guess the blocks leave for the rows after them is the row path's: a wrong one changes no bits
    // where every guess fits, but sends rows down slower paths
    int whole = rows - rows % LANES;
    assertEquals(SoftmaxF32.fusedRows(x, 0, new float[x.length], 0, whole, cols, guess),
        SoftmaxRowBlocks.softmax(x, 0, new float[x.length], 0, whole, cols, guess), "the guess after the blocks");
    SoftmaxF32.softmaxRows(x, 0, blockPath, 0, rows, cols);
    float[] inPlace = x.clone(), rowInPlace = x.clone();
    SoftmaxF32.softmaxRows(inPlace, 0, inPlace, 0, rows, cols);
    SoftmaxF32.fusedRows(rowInPlace, 0, rowInPlace, 0, rows, cols, guess);
    for (int i = 0; i < x.length; i++) {
      int expected = Float.floatToRawIntBits(rowPath[i]);
      String where = cols + " columns, row " + i / cols + " entry " + i % cols + " (input " + x[i] + ")";
      assertEquals(expected, Float.floatToRawIntBits(blockPath[i]), "block path at " + where);
      assertEquals(expected, Float.floatToRawIntBits(inPlace[i]), "block path in place at " + where);
      assertEquals(expected, Float.floatToRawIntBits(rowInPlace[i]), "row path in place at " + where);
    }
  }

  /**
   * Rows of many kinds, each at a level drawn against the previous row's. With {@code misfits} false
   * there are no rows the guess cannot fit, so that most blocks are decided as a whole, by the vector
   * test, and the rows it must send to the row path are among ordinary ones.
   */
  static float[] batch(int rows, int cols, long seed, boolean misfits) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Regime[] regimes = Regime.values();
    float[] x = new float[rows * cols];
    double[] row = new double[cols];
    for (int r = 0; r < rows; r++) {
      // without misfits, a far-below row ends a block: the row after it does not fit, and takes the next
      // block to the row path, not this one
      int kind = misfits ? rnd.nextInt(9)
          : r % LANES == LANES - 1 && rnd.nextBoolean() ? (rnd.nextBoolean() ? 1 : 6)
          : rnd.nextInt(12) == 0 ? 5 : 8;
      double level = switch (kind) {
        case 0 -> 100 + 50 * rnd.nextDouble();    // far above: the guess does not fit
        // far below: the guess fits, but puts the row's terms and their sum near 2^-100, where the
        // rounding errors are subnormal and their lost bits reach the sum
        case 1 -> -119 - 3 * rnd.nextDouble();
        case 2 -> 14 + 3 * rnd.nextDouble();      // a little above: a low reciprocal half near the bottom
        case 5 -> 0;                              // all zero: a sum that is a power of two when cols is
        case 6 -> 100 + 50 * rnd.nextDouble();    // far above, with an output near 2^-126 (below)
        default -> 2 * rnd.nextGaussian();
      };
      for (int j = 0; j < cols; j++) {
        row[j] = level - (kind == 1 ? 15 * rnd.nextDouble() : kind == 5 ? 0 : 3 * rnd.nextDouble());
      }
      if (kind == 1 && cols > 1) {
        row[rnd.nextInt(cols)] = level;
        row[rnd.nextInt(cols)] = level - 15;
      }
      if (kind == 6 && cols > 1) {
        // the row path sends this row to the three passes, which compute such outputs apart
        row[0] = level;
        row[1] = level - 87.2;
      }
      if (kind == 3) {
        regimes[rnd.nextInt(regimes.length)].fillRow(row, rnd, true);
      }
      if (kind == 4 && rnd.nextInt(3) == 0) {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3e38, -3e38,
            level - 87.2};
        row[rnd.nextInt(cols)] = specials[rnd.nextInt(specials.length)];
      }
      for (int j = 0; j < cols; j++) {
        x[r * cols + j] = (float) row[j];
      }
    }
    return x;
  }
}
