package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link SoftmaxF32#logSoftmaxOutputNear}, and its vector form for a whole block
 * ({@link RowBlocksF32#floatLogSoftmaxOutput}), which let the narrow float log-softmax blocks use a
 * {@code lambda} other than the row path's: it writes a row only where every output rounds to the same
 * float for any {@code lambda} within its slack, and otherwise writes nothing.
 */
class LogSoftmaxOutputNearTest {

  /** An output half-way between two floats could round either way: the row is left alone. */
  @Test
  void anOutputAtAFloatMidpointIsInDoubt() {
    float[] x = {0f, -1f, -2f};
    float[] y = {7f, 7f, 7f};
    double midpoint = 1 + 0x1p-24;  // half-way between 1 and 1 + 2^-23: the top entry's output is -midpoint
    assertFalse(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 3, 0f, 1.0, midpoint));
    assertArrayEquals(new float[] {7f, 7f, 7f}, y, 0f);
    // within the slack of the midpoint, still in doubt; a quarter of a float ulp away, sure and written
    double slack = SoftmaxF32.NEAR_LAMBDA * midpoint;
    assertFalse(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 3, 0f, 1.0, midpoint + slack / 2));
    assertArrayEquals(new float[] {7f, 7f, 7f}, y, 0f);
    assertTrue(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 3, 0f, 1.0, midpoint + 0x1p-25));
    assertArrayEquals(new float[] {-(1 + 0x1p-23f), (float) (-1 - midpoint - 0x1p-25),
        (float) (-2 - midpoint - 0x1p-25)}, y, 0f);
  }

  /** Away from any midpoint the row is written, each entry {@code (x - m) beta - lambda} rounded once. */
  @Test
  void aSureRowIsWrittenAsTheRowPathWould() {
    float[] x = {0.5f, -1.25f, 3f, -0f};
    float[] y = new float[4];
    double lambda = 0.75;  // every output is a short binary fraction: far from a midpoint
    assertTrue(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 4, 3f, 2.0, lambda));
    float[] expected = new float[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = (float) (((double) x[i] - 3f) * 2.0 - lambda);
    }
    assertArrayEquals(expected, y, 0f);
    assertArrayEquals(new float[] {-5.75f, -9.25f, -0.75f, -6.75f}, y, 0f);
  }

  /**
   * An output of minus infinity (a -inf logit) is sure whatever lambda is, and so is the top entry's 0 of
   * a row whose other entries are all -inf: both lambdas are exactly 0 there.
   */
  @Test
  void minusInfinityIsSure() {
    float[] x = {Float.NEGATIVE_INFINITY, 0f};
    float[] y = new float[2];
    assertTrue(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 2, 0f, 1.0, 0.0));
    assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 0f}, y, 0f);
  }

  /**
   * The block form decides lane by lane as the row form does: a lane whose {@code lambda} leaves an output
   * in doubt (at a midpoint, or within the slack of one), or whose sum was flagged tiny, gets the row
   * path's bits; a sure lane gets {@code (x - m) beta - lambda} rounded once, with its own (here
   * deliberately wrong) {@code lambda}, which shows it was not recomputed; a lane with a non-finite maximum
   * gets NaN. In place, as the blocks run it.
   */
  @Test
  void theBlockFormDecidesEachLaneAsTheRowFormDoes() {
    assumeTrue(BlockTranspose.WIDENS, "the block form runs where float rows are widened by permutations");
    checkBlock(0, 0);
    checkBlock(1L << 1, 1L << 3);  // lane 1 sure but flagged tiny, lane 3's maximum not finite
  }

  private static void checkBlock(long tiny, long nonFinite) {
    final int lanes = VectorWidth.DOUBLE.length(), n = 3;
    double midpoint = 1 + 0x1p-24, slack = SoftmaxF32.NEAR_LAMBDA * midpoint;
    double[] lambdas = new double[lanes];
    float[] x = new float[lanes * n];
    double[] scratch = new double[n * lanes];
    double[] laneValues = new double[RowBlocks.LANE_VALUES * lanes];  // maxima 0
    for (int lane = 0; lane < lanes; lane++) {
      x[lane * n] = 0f;
      x[lane * n + 1] = -1f - lane;
      x[lane * n + 2] = lane == 1 ? Float.NEGATIVE_INFINITY : -2f;
      // even lanes in doubt (at a midpoint, or within the slack of one), odd lanes sure
      lambdas[lane] = lane % 2 == 1 ? midpoint + 0x1p-25 : lane % 4 == 0 ? midpoint : midpoint + slack / 2;
      laneValues[RowBlocks.RESULT * lanes + lane] = lambdas[lane];
      for (int j = 0; j < n; j++) {
        scratch[j * lanes + lane] = x[lane * n + j];
      }
    }
    float[] y = x.clone();
    RowBlocksF32.floatLogSoftmaxOutput(y, 0, scratch, 0, n, 1.0, laneValues, 0, tiny, nonFinite, y, 0, new float[n * lanes]);
    for (int lane = 0; lane < lanes; lane++) {
      float[] row = java.util.Arrays.copyOfRange(x, lane * n, lane * n + n);
      float[] rowPath = new float[n];
      SoftmaxF32.logSoftmax(row, 0, rowPath, 0, n, 1.0, 1f, 0f);
      float[] expected = rowPath;
      if ((nonFinite & (1L << lane)) != 0) {
        expected = new float[n];
        java.util.Arrays.fill(expected, Float.NaN);
      } else if (lane % 2 == 1 && (tiny & (1L << lane)) == 0) {
        expected = new float[n];
        for (int j = 0; j < n; j++) {
          expected[j] = (float) ((double) row[j] - lambdas[lane]);
        }
        // the sure lambda is off the row path's, far enough to change the output
        assertFalse(java.util.Arrays.equals(expected, rowPath), "lane " + lane);
      }
      assertArrayEquals(expected, java.util.Arrays.copyOfRange(y, lane * n, lane * n + n), 0f, "lane " + lane);
    }
  }
}
