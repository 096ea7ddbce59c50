package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batches;
import io.github.logits4j.oracle.DD;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The narrow float blocks ({@link RowBlocksF32}) and the row path ({@link ShortRows#log1pOthers}) compute
 * {@code lambda = log1p(s)} by the same operations: here every lane's {@code lambda} has the row path's bits
 * and is within its bound of an exact one, on rows of every value regime and temperature, and every output
 * of a block is the row path's, the bottom of the double range included.
 */
class RowBlocksF32Test {
  private static final int LANES = VectorWidth.DOUBLE.length();
  /** The block path serves rows under the float sums' logical width (16), at every vector width. */
  private static final int NARROW = VectorWidth.SUM_LANES_FLOAT;

  /** Rows each in its own regime, with ties of the maximum and -inf entries in some. */
  static float[] mixed(int rows, int cols, long seed) {
    return Batches.mixed(rows, cols, seed, true, Double.NEGATIVE_INFINITY, false).floats();
  }

  /**
   * Each lane's {@code lambda} has the bits of the row path's ({@link ShortRows#log1pOthers}, the lanes'
   * scalar twin), and is within 2^-48 of {@code log1p} of the exact sum of {@code exp(z)} over the row's
   * computed {@code z = fl(fl(x - m) beta)}, plus 2^-1071 where that sum is subnormal: the allowance
   * {@link SoftmaxF32#logSumExpFromDoubles} gives the narrow path (the analysis in
   * {@link ShortRows#log1pOthers} gives 2^-48.3). For half the seeds each, the lanes also keep cross-entropy's
   * gradient terms {@code exp(x_j - m) 2^64} (held to 2^-50 of exact) and take each row's label logit (its
   * entry, exactly).
   */
  @Property(tries = 400)
  void lambdaIsTheRowPathsAndWithinItsBound(@ForAll @IntRange(min = 1, max = 4) int blocks,
      @ForAll @IntRange(min = 1, max = 64) int colsDraw, @ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int t) {
    checkLambdas(blocks, 1 + colsDraw % (NARROW - 1), seed, new double[] {1.0, 1.0, 1 / 0.3f, 0.5, 1 / 7.5f}[t]);
  }

  /**
   * A case the property found: a row whose sum below the maximum is subnormal once unbiased (1.84e-321),
   * where {@code lambda} is a few subnormal units off (1.86e-321), far from 2^-48 relative: the bound holds
   * above the subnormal range, plus 2^-1071 absolute.
   */
  @Example
  void aSubnormalSumIsWithinAFewSubnormalUnits() {
    checkLambdas(4, Math.min(13, NARROW - 1), 10958898L, 1 / 0.3f);
  }

  private static void checkLambdas(int blocks, int cols, long seed, double beta) {
    int rows = blocks * LANES;
    float[] x = mixed(rows, cols, seed);
    ThreadScratch scratch = ThreadScratch.get();
    boolean terms = beta == 1.0 && (seed & 1) == 0;  // cross-entropy's gradient terms, for half the seeds
    boolean labelled = (seed & 2) == 0;  // and its label logits, for half
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = (int) Math.floorMod(seed + 7L * r, cols + 1L) - 1;  // -1 (no label) to cols - 1
      scratch.groupLanes[(r / LANES) * RowBlocks.LANE_VALUES * LANES + RowBlocksF32.LABEL * LANES + r % LANES] =
          labels[r];
    }
    RowBlocksF32.lambdas(x, scratch, 0, cols, beta, blocks, terms, labelled);
    for (int r = 0; r < rows; r++) {
      int k = r / LANES, lane = r % LANES, at = k * RowBlocks.LANE_VALUES * LANES;
      float m = RowMax.max(x, r * cols, cols);
      if (!Float.isFinite(m)) {
        assertTrue((scratch.groupBits[2 * k + 1] & (1L << lane)) != 0, "row " + r + " has a maximum " + m);
        continue;
      }
      if (labelled) {
        double logit = scratch.groupLanes[at + RowBlocksF32.LABEL_LOGIT * LANES + lane];
        assertEquals(labels[r] < 0 ? 0.0 : x[r * cols + labels[r]], logit, "the label logit of row " + r);
      }
      for (int j = 0; terms && j < cols; j++) {
        double z = (double) x[r * cols + j] - m, term = scratch.groupColumns[(k * cols + j) * LANES + lane];
        DD half = DD.exp(DD.of(z * 0.5)).mul(0x1p32);  // exp(z) 2^64 as a square, normal all the way
        double exact = z < -746 ? 0 : half.mul(half).toDouble();
        assertTrue(Math.abs(term - exact) <= 0x1p-50 * exact, "the term of entry " + j + " of row " + r + ", seed "
            + seed + ": " + term + " against " + exact);
      }
      assertTrue(m == scratch.groupLanes[at + RowBlocks.MAX * LANES + lane], "the maximum of row " + r);
      double block = scratch.groupLanes[at + RowBlocks.RESULT * LANES + lane];
      double rowPath = ShortRows.log1pOthers(x, r * cols, cols, m, beta);
      String where = "row " + r + " of " + cols + " columns, seed " + seed + ", beta " + beta;
      assertEquals(Double.doubleToRawLongBits(rowPath), Double.doubleToRawLongBits(block), where);
      DD exact = exactLambda(x, r * cols, cols, m, beta);
      double off = Math.abs(exact.sub(DD.of(block)).toDouble());
      assertTrue(off <= 0x1p-48 * exact.toDouble() + 0x1p-1071, () -> where + ": lambda " + block + " against "
          + exact.toDouble() + ", off by 2^" + Math.log(off / exact.toDouble()) / Math.log(2));
    }
  }

  /** {@code log1p(sum exp(z))} over the entries below the maximum, plus the ties but one, in double-double. */
  private static DD exactLambda(float[] x, int xo, int n, float m, double beta) {
    DD s = DD.ZERO;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      if (v == m) {
        ties++;
      } else if (v - m > -800 / beta) {
        double z = v - m;
        s = s.add(DD.exp(DD.of(beta == 1.0 ? z : z * beta)));
      }
    }
    s = s.add(ties - 1);
    if (s.toDouble() < 0x1p-20) {  // the series, where log(1 + s) would lose s's low digits
      DD s2 = s.mul(s);
      return s.sub(s2.mul(0.5)).add(s2.mul(s).mul(1.0 / 3)).sub(s2.mul(s2).mul(0.25));
    }
    return DD.log(DD.ONE.add(s));
  }

  /**
   * Rows whose only term other than the maximum's lies near the bottom of the double range, where the
   * unbiased sum is subnormal or 0, and with it the sign of the zero log-softmax of the maximum and whether
   * log-sum-exp is the maximum itself: a block of them gives each row's own bits, with every other lane
   * ordinary.
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
