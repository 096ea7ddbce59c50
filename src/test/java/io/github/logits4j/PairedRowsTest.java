package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Float rows of 16 entries or more whose steps the kernels interleave two rows at a time (float
 * log-softmax, log-sum-exp, sparse cross-entropy without a gradient; softmax, which carries a guess from
 * row to row, is held to the same): every row must come out with the bits it has alone (a one-row
 * call takes the one-row path), whatever its partner is: an ordinary row, a tied or confident one, a row
 * with a NaN or +inf, an all -inf row, an ignored label. Odd row counts leave a last row to the one-row
 * path; offsets and sentinels around the output catch a row written to its partner's place.
 */
class PairedRowsTest {

  @Provide
  Arbitrary<Batch> wideFloatBatches() {
    return Combinators.combine(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(16, 70),
        Arbitraries.longs()).as((rows, cols, seed) -> Batches.mixed(rows, cols, seed, true, Double.NEGATIVE_INFINITY,
            true));
  }

  @Property(tries = 300)
  void floatLogSoftmaxOfEachRowIsItsAlone(@ForAll("wideFloatBatches") Batch b) {
    float[] x = b.floats();
    int rows = b.rows(), cols = b.cols(), off = 3;
    float[] padded = new float[x.length + 2 * off];
    Arrays.fill(padded, -7f);
    float[] xPadded = new float[x.length + off];
    System.arraycopy(x, 0, xPadded, off, x.length);
    for (float temperature : new float[] {1f, 0.7f}) {
      Logits.logSoftmax(xPadded, off, padded, off, rows, cols, temperature);
      float[] inPlace = x.clone();
      Logits.logSoftmax(inPlace, 0, inPlace, 0, rows, cols, temperature);
      for (int r = 0; r < rows; r++) {
        float[] alone = new float[cols];
        Logits.logSoftmax(x, r * cols, alone, 0, 1, cols, temperature);
        for (int j = 0; j < cols; j++) {
          String where = "row " + r + " entry " + j + ", temperature " + temperature + ", " + b;
          assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(padded[off + r * cols + j]), where);
          assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(inPlace[r * cols + j]),
              "in place, " + where);
        }
      }
      for (int k = 0; k < off; k++) {
        assertEquals(-7f, padded[k], "sentinel before the output");
        assertEquals(-7f, padded[off + x.length + k], "sentinel after the output");
      }
    }
  }

  /**
   * Float softmax carries the fused pass's shift guess from row to row, as log-sum-exp carries it from
   * pair to pair; a row the guess does not fit goes again with its own (in place, decided from its extremes
   * before anything is written). The guess steers only the speed: each row's output is its row's alone,
   * out of place and in place.
   */
  @Property(tries = 300)
  void floatSoftmaxOfEachRowIsItsAlone(@ForAll("wideFloatBatches") Batch b) {
    assertSoftmaxOfEachRowIsItsAlone(b.floats(), b.rows(), b.cols(), b.toString());
  }

  @Example
  void floatSoftmaxOfRowsFarApart() {
    assertSoftmaxOfEachRowIsItsAlone(rowsFarApart(41, 40), 41, 40, "rows far apart");
  }

  private static void assertSoftmaxOfEachRowIsItsAlone(float[] x, int rows, int cols, String what) {
    int off = 3;
    float[] padded = new float[x.length + 2 * off];
    Arrays.fill(padded, -7f);
    Logits.softmax(x, 0, padded, off, rows, cols);
    float[] inPlace = x.clone();
    Logits.softmax(inPlace, 0, inPlace, 0, rows, cols);
    for (int r = 0; r < rows; r++) {
      float[] alone = new float[cols];
      Logits.softmax(x, r * cols, alone, 0, 1, cols);
      for (int j = 0; j < cols; j++) {
        String where = "row " + r + " entry " + j + ", " + what;
        assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(padded[off + r * cols + j]), where);
        assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(inPlace[r * cols + j]), "in place, " + where);
      }
    }
    for (int k = 0; k < off; k++) {
      assertEquals(-7f, padded[k], "sentinel before the output");
      assertEquals(-7f, padded[off + x.length + k], "sentinel after the output");
    }
  }

  /**
   * Rows whose maxima lie far apart (about +80 for two rows, then -80 for one), so the guess carried on
   * often does not fit the next rows, and in two of every three pairs the two rows' own guesses differ.
   */
  private static float[] rowsFarApart(int rows, int cols) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 3 + ((i / cols) % 3 == 1 ? -80 : 80));
    }
    return x;
  }

  /**
   * Float log-sum-exp of wide rows goes two rows at a time through softmax's fused pass, both with the
   * shift guess of the pair before; a row the guess does not fit goes again with its own, and a row the
   * pass cannot settle goes the one-row way. Each row's result is its row's alone, at any partner.
   */
  @Property(tries = 300)
  void floatLogSumExpOfEachRowIsItsAlone(@ForAll("wideFloatBatches") Batch b) {
    assertLogSumExpOfEachRowIsItsAlone(b.floats(), b.rows(), b.cols(), b.toString());
  }

  @Example
  void floatLogSumExpOfRowsFarApart() {
    assertLogSumExpOfEachRowIsItsAlone(rowsFarApart(41, 40), 41, 40, "rows far apart");
  }

  private static void assertLogSumExpOfEachRowIsItsAlone(float[] x, int rows, int cols, String what) {
    int off = 2;
    float[] out = new float[rows + 2 * off];
    Arrays.fill(out, -7f);
    Logits.logSumExp(x, 0, out, off, rows, cols);
    for (int r = 0; r < rows; r++) {
      float[] alone = new float[1];
      Logits.logSumExp(x, r * cols, alone, 0, 1, cols);
      assertEquals(Float.floatToIntBits(alone[0]), Float.floatToIntBits(out[off + r]), "row " + r + ", " + what);
    }
    for (int k = 0; k < off; k++) {
      assertEquals(-7f, out[k], "sentinel before the results");
      assertEquals(-7f, out[off + rows + k], "sentinel after the results");
    }
  }

  /**
   * Float sparse cross-entropy, plain, with an ignored label, with label smoothing and with class weights:
   * each row's loss as {@code rowLosses} stores it, and each gradient row, is the one of its row alone; the
   * SUM is those rows' losses (each a one-row SUM) added in row order in a double-double, rounded once, and
   * {@code lossAndGradient} returns it too.
   */
  @Property(tries = 200)
  void floatCrossEntropyOfEachRowIsItsAlone(@ForAll("wideFloatBatches") Batch b) {
    float[] x = b.floats();
    int rows = b.rows(), cols = b.cols(), off = 2;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(b.seed());
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(4) == 0 ? -100 : rnd.nextInt(cols);
    }
    float[] w = new float[cols];
    for (int c = 0; c < cols; c++) {
      w[c] = c % 5 == 0 ? 0f : (float) (0.25 + rnd.nextDouble());  // zero weights, some of a -inf logit
    }
    CrossEntropy[] configs = {
        CrossEntropy.sparse().ignoreIndex(Integer.MIN_VALUE),
        CrossEntropy.sparse().ignoreIndex(0),
        CrossEntropy.sparse().ignoreIndex(-100).labelSmoothing(0.1),
        CrossEntropy.sparse().ignoreIndex(-100).classWeights(w).labelSmoothing(0.05)};
    for (int k = 0; k < configs.length; k++) {
      CrossEntropy ce = configs[k].reduction(Reduction.SUM);
      int[] used = labels.clone();
      for (int r = 0; r < rows; r++) {
        // no label ignored in the first configuration, label 0 in the second, -100 in the others
        used[r] = k < 2 && used[r] == -100 ? 0 : used[r];
      }
      float[] out = new float[rows + 2 * off];
      Arrays.fill(out, -7f);
      ce.rowLosses(x, 0, rows, cols, used, 0, out, off);
      double hi = 0, lo = 0;
      for (int r = 0; r < rows; r++) {
        String where = "configuration " + k + ", row " + r + ", " + b;
        float[] alone = new float[1];
        ce.rowLosses(x, r * cols, 1, cols, used, r, alone, 0);
        assertEquals(Float.floatToIntBits(alone[0]), Float.floatToIntBits(out[off + r]), where);
        double l = ce.loss(x, r * cols, 1, cols, used, r);
        // the row's loss from the path with the gradient, which takes rows one at a time
        assertEquals(Double.doubleToLongBits(l),
            Double.doubleToLongBits(ce.lossAndGradient(x, r * cols, 1, cols, used, r, new float[cols], 0)),
            "the loss with and without the gradient, " + where);
        double next = hi + l;
        double bb = next - hi;
        lo += hi - (next - bb) + (l - bb);
        hi = next;
      }
      for (int j = 0; j < off; j++) {
        assertEquals(-7f, out[j], "sentinel before the losses");
        assertEquals(-7f, out[off + rows + j], "sentinel after the losses");
      }
      double sum = ce.loss(x, 0, rows, cols, used, 0);
      // with the gradient (the one-row path): each gradient row is its row's alone, and the SUM is the loss's
      float[] grad = new float[rows * cols + 2 * off];
      Arrays.fill(grad, -7f);
      assertEquals(Double.doubleToLongBits(sum),
          Double.doubleToLongBits(ce.lossAndGradient(x, 0, rows, cols, used, 0, grad, off)),
          "SUM with the gradient, configuration " + k + ", " + b);
      for (int r = 0; r < rows; r++) {
        float[] alone = new float[cols];
        ce.lossAndGradient(x, r * cols, 1, cols, used, r, alone, 0);
        for (int j = 0; j < cols; j++) {
          assertEquals(Float.floatToIntBits(alone[j]), Float.floatToIntBits(grad[off + r * cols + j]),
              "gradient of configuration " + k + ", row " + r + " entry " + j + ", " + b);
        }
      }
      for (int j = 0; j < off; j++) {
        assertEquals(-7f, grad[j], "sentinel before the gradient");
        assertEquals(-7f, grad[off + rows * cols + j], "sentinel after the gradient");
      }
      // an infinite or NaN loss passes through the sum, as LossSums says
      double expected = Double.isFinite(hi) ? hi + lo : hi;
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(sum),
          "SUM of configuration " + k + ", " + b);
    }
  }

  /**
   * More rows than a loss block holds, with an odd number of rows per block (rows of 17: 963), so that a
   * pair of rows spans two blocks: every row's loss is its row's alone, each goes to its own block's sum,
   * and the SUM adds each block's losses in a double-double and the blocks' sums in order, as
   * {@code LossSums} says.
   */
  @Example
  void floatCrossEntropyAcrossLossBlocks() {
    int cols = 17, perBlock = io.github.logits4j.internal.spi.LossSums.rowsPerBlock(cols), rows = 2 * perBlock + 3;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 4);
    }
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = r % 7 == 3 ? -100 : (r * 5) % cols;
      x[r * cols + Math.floorMod(labels[r] + 1 + r % 3, cols)] = Float.NEGATIVE_INFINITY;  // masked, not the label
    }
    CrossEntropy ce = CrossEntropy.sparse().reduction(Reduction.SUM);
    float[] out = new float[rows];
    ce.rowLosses(x, 0, rows, cols, labels, 0, out, 0);
    double hi = 0, lo = 0, blockHi = 0, blockLo = 0;
    for (int r = 0; r < rows; r++) {
      float[] alone = new float[1];
      ce.rowLosses(x, r * cols, 1, cols, labels, r, alone, 0);
      assertEquals(Float.floatToIntBits(alone[0]), Float.floatToIntBits(out[r]), "row " + r);
      double l = ce.loss(x, r * cols, 1, cols, labels, r);
      double next = blockHi + l, bb = next - blockHi;
      blockLo += blockHi - (next - bb) + (l - bb);
      blockHi = next;
      if ((r + 1) % perBlock == 0 || r == rows - 1) {
        double s = hi + blockHi, sb = s - hi;
        lo = lo + ((hi - (s - sb) + (blockHi - sb)) + blockLo);
        hi = s;
        blockHi = 0;
        blockLo = 0;
      }
    }
    assertTrue(Double.isFinite(hi), "finite losses, so that the sum's low part counts");
    assertEquals(Double.doubleToLongBits(hi + lo), Double.doubleToLongBits(ce.loss(x, 0, rows, cols, labels, 0)),
        "SUM over three blocks");
  }
}
