package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Regime;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The narrow float blocks ({@link RowBlocksF32}) compute their own {@code lambda = log1p(s)} in plain double
 * and lean on its bound, {@link RowBlocksF32#LAMBDA_ERROR}, to give the row path's bits: here that bound is
 * measured against the row path's own {@code lambda} ({@link ShortRows#log1pOthers}) on rows of every value
 * regime and temperature, and the rows at the bottom of the double range, where only the row path knows the
 * sign of a zero, come out as it gives them.
 */
class RowBlocksF32Test {
  private static final int LANES = VectorWidth.DOUBLE.length();
  private static final int NARROW = VectorWidth.FLOAT.length();

  /** Rows each in its own regime, with ties of the maximum and -inf entries in some. */
  static float[] mixed(int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Regime[] regimes = Regime.values();
    float[] x = new float[rows * cols];
    double[] row = new double[cols];
    for (int r = 0; r < rows; r++) {
      regimes[rnd.nextInt(regimes.length)].fillRow(row, rnd, true);
      if (rnd.nextInt(4) == 0) {
        row[rnd.nextInt(cols)] = rnd.nextBoolean() ? Arrays.stream(row).max().orElseThrow() : Double.NEGATIVE_INFINITY;
      }
      for (int j = 0; j < cols; j++) {
        x[r * cols + j] = (float) row[j];
      }
    }
    return x;
  }

  @Property(tries = 400)
  void lambdaIsWithinItsBoundOfTheRowPaths(@ForAll @IntRange(min = 1, max = 4) int blocks,
      @ForAll @IntRange(min = 1, max = 64) int colsDraw, @ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int t) {
    int cols = 1 + colsDraw % (NARROW - 1);
    double beta = new double[] {1.0, 1.0, 1 / 0.3f, 0.5, 1 / 7.5f}[t];
    int rows = blocks * LANES;
    float[] x = mixed(rows, cols, seed);
    ThreadScratch scratch = ThreadScratch.get();
    RowBlocksF32.lambdas(x, scratch, 0, cols, beta, blocks);
    for (int r = 0; r < rows; r++) {
      int k = r / LANES, lane = r % LANES, at = k * RowBlocks.LANE_VALUES * LANES;
      long bit = 1L << lane;
      float m = RowMax.max(x, r * cols, cols);
      if (!Float.isFinite(m)) {
        assertTrue((scratch.groupBits[2 * k + 1] & bit) != 0, "row " + r + " has a maximum " + m);
        continue;
      }
      assertTrue(m == scratch.groupLanes[at + RowBlocks.MAX * LANES + lane], "the maximum of row " + r);
      if ((scratch.groupBits[2 * k] & bit) != 0) {
        continue;  // a sum below 2^-900: the row path's
      }
      double block = scratch.groupLanes[at + RowBlocks.RESULT * LANES + lane];
      double rowPath = ShortRows.log1pOthers(x, r * cols, cols, m, beta);
      double off = Math.abs(block - rowPath);
      int row = r;
      assertTrue(off <= RowBlocksF32.LAMBDA_ERROR * block,
          () -> "row " + row + " of " + cols + " columns, seed " + seed + ", beta " + beta + ": lambda " + block
              + " against the row path's " + rowPath + ", off by 2^" + Math.log(off / block) / Math.log(2));
    }
  }

  /**
   * Rows whose only term other than the maximum's lies near the bottom of the double range: the row path's
   * {@code Math.exp} gives a subnormal, or 0, and with it the sign of the zero log-softmax of the maximum and
   * whether log-sum-exp is the maximum itself. A block of them gives each row's own bits, with every other
   * lane ordinary.
   */
  @Example
  void sumsAtTheBottomOfTheDoubleRangeGetTheRowPathsBits() {
    float[] gaps = {-700f, -740f, -745.1f, -745.3f, -745.5f, -745.9f, -746.5f, -800f, -1e30f};
    for (float gap : gaps) {
      for (float top : new float[] {0f, 1f, -3f}) {
        int cols = Math.min(4, NARROW - 1), rows = 2 * LANES + 1;
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < cols; j++) {
            x[r * cols + j] = r % 3 == 0 ? (j == 0 ? top : top + gap) : (float) Math.sin(r + j);
          }
        }
        float[] y = new float[x.length], lse = new float[rows];
        int done = RowBlocksF32.logSoftmax(x, 0, y, 0, rows, cols, 1.0);
        assertEquals(2 * LANES, done);
        RowBlocksF32.logSumExp(x, 0, lse, 0, rows, cols);
        for (int r = 0; r < done; r++) {
          float[] alone = new float[cols];
          SoftmaxF32.logSoftmax(x, r * cols, alone, 0, cols, 1.0, 1f, 0f);
          for (int j = 0; j < cols; j++) {
            assertEquals(Float.floatToRawIntBits(alone[j]), Float.floatToRawIntBits(y[r * cols + j]),
                "log-softmax entry " + j + " of row " + r + ", gap " + gap + ", top " + top);
          }
          assertEquals(Float.floatToRawIntBits(SoftmaxF32.logSumExp(x, r * cols, cols)),
              Float.floatToRawIntBits(lse[r]), "log-sum-exp of row " + r + ", gap " + gap + ", top " + top);
        }
      }
    }
  }

  /** The same, with every value regime and temperature, in place or not, straight against the row path. */
  @Property(tries = 300)
  void blocksGiveTheRowPathsBits(@ForAll @IntRange(min = 1, max = 70) int rows,
      @ForAll @IntRange(min = 1, max = 64) int colsDraw, @ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int t,
      @ForAll boolean inPlace) {
    int cols = 1 + colsDraw % (NARROW - 1);
    double beta = new double[] {1.0, 1.0, 1 / 0.3f, 0.5, 1 / 7.5f}[t];
    float betaF = (float) beta, betaLo = (float) (beta - betaF);
    float[] x = mixed(rows, cols, seed);
    float[] y = inPlace ? x.clone() : new float[x.length];
    int done = RowBlocksF32.logSoftmax(inPlace ? y : x, 0, y, 0, rows, cols, beta);
    float[] lse = new float[rows];
    assertEquals(done, RowBlocksF32.logSumExp(x, 0, lse, 0, rows, cols));
    float[] alone = new float[cols];
    for (int r = 0; r < done; r++) {
      SoftmaxF32.logSoftmax(x, r * cols, alone, 0, cols, beta, betaF, betaLo);
      for (int j = 0; j < cols; j++) {
        assertEquals(Float.floatToRawIntBits(alone[j]), Float.floatToRawIntBits(y[r * cols + j]),
            "log-softmax entry " + j + " of row " + r + " of " + cols + " columns, seed " + seed + ", beta " + beta);
      }
      assertEquals(Float.floatToRawIntBits(SoftmaxF32.logSumExp(x, r * cols, cols)), Float.floatToRawIntBits(lse[r]),
          "log-sum-exp of row " + r + " of " + cols + " columns, seed " + seed);
    }
  }
}
