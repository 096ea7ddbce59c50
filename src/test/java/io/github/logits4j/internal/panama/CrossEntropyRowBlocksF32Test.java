package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.internal.spi.LossSums;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The narrow float cross-entropy blocks ({@link CrossEntropyRowBlocksF32}) against the row path
 * ({@link CrossEntropyF32#sparseRow}, one row at a time, its losses summed in the blocks of
 * {@link LossSums} as the row kernel sums them): the same row losses, partial sums and gradient, bit for
 * bit, with and without weights, smoothing, ignored rows, a gradient or row outputs, on rows of every value
 * regime (non-finite rows included) and with rows left over after the whole blocks; every array at an
 * offset into a longer one, whose other entries must stay as they were.
 */
class CrossEntropyRowBlocksF32Test {
  private static final int LANES = VectorWidth.DOUBLE.length();
  /** The block path serves rows under the float sums' logical width (16), at every vector width. */
  private static final int NARROW = VectorWidth.SUM_LANES_FLOAT;

  @Property(tries = 300)
  void blocksGiveTheRowPathsBits(@ForAll @IntRange(min = 0, max = 9) int blocks,
      @ForAll @IntRange(min = 0, max = 7) int extra, @ForAll @IntRange(min = 1, max = 64) int colsDraw,
      @ForAll long seed, @ForAll boolean weighted, @ForAll boolean smoothed, @ForAll boolean withGrad,
      @ForAll boolean withOut) {
    check(blocks * LANES + extra % LANES, 1 + colsDraw % (NARROW - 1), seed, weighted, smoothed, withGrad, withOut);
  }

  /** Rows over three blocks of the loss sums and a tail, every option on, and none. */
  @Example
  void manyRowsWithEverything() {
    int cols = Math.min(10, NARROW - 1), rows = 3 * LossSums.rowsPerBlock(cols) + LANES + 3;
    check(rows, cols, 7L, true, true, true, true);
    check(rows, cols, 8L, false, false, false, false);
  }

  private static void check(int rows, int cols, long seed, boolean weighted, boolean smoothed, boolean withGrad,
      boolean withOut) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = RowBlocksF32Test.mixed(rows, cols, seed);
    // the usual -100, or a class, whose rows are then ignored: a label the blocks must not take as one
    final int ignore = rnd.nextBoolean() ? -100 : rnd.nextInt(cols);
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(6) == 0 ? ignore : rnd.nextInt(cols);
    }
    float[] w = null;
    if (weighted) {
      w = new float[cols];
      for (int j = 0; j < cols; j++) {
        w[j] = rnd.nextInt(5) == 0 ? 0f : (float) rnd.nextDouble(0.1, 3);
      }
    }
    double eps = smoothed ? 0.1 : 0;
    double scale = 1.0 / Math.max(1, rows);
    int shift = rnd.nextInt(3) * 7;
    int blocks = LossSums.blocks(rows, cols);

    float[] gradRows = withGrad ? new float[rows * cols] : null, outRows = withOut ? new float[rows] : null;
    double[] partialsRows = new double[2 * blocks];
    int perBlock = LossSums.rowsPerBlock(cols);
    for (int first = 0, b = 0; first < rows; first += perBlock, b += 2) {
      double hi = 0, lo = 0;
      for (int r = first; r < Math.min(rows, first + perBlock); r++) {
        double l;
        if (labels[r] == ignore) {
          if (gradRows != null) {
            Arrays.fill(gradRows, r * cols, (r + 1) * cols, 0f);
          }
          l = 0;
        } else {
          l = Math.scalb(CrossEntropyF32.sparseRow(x, r * cols, cols, labels[r], w, eps, gradRows, r * cols, scale),
              -shift);
        }
        double next = hi + l;
        lo += LossSums.twoSumError(hi, l, next);
        hi = next;
        if (outRows != null) {
          outRows[r] = (float) l;
        }
      }
      partialsRows[b] = hi;
      partialsRows[b + 1] = lo;
    }

    // the block path reads and writes at offsets into longer arrays, whose other entries it must not touch
    int xo = rnd.nextInt(4), lo = rnd.nextInt(4), go = rnd.nextInt(4), oo = rnd.nextInt(4), po = rnd.nextInt(4);
    float[] xAt = new float[xo + x.length + 3];
    Arrays.fill(xAt, Float.NaN);
    System.arraycopy(x, 0, xAt, xo, x.length);
    int[] labelsAt = new int[lo + rows + 3];
    Arrays.fill(labelsAt, -7);
    System.arraycopy(labels, 0, labelsAt, lo, rows);
    float[] gradAt = withGrad ? new float[go + rows * cols + 3] : null, outAt = withOut ? new float[oo + rows + 3] : null;
    double[] partialsAt = new double[po + 2 * blocks + 3];
    if (withGrad) {
      Arrays.fill(gradAt, 42f);  // every entry must be written, and none around them
    }
    if (withOut) {
      Arrays.fill(outAt, 42f);
    }
    Arrays.fill(partialsAt, 42.0);
    CrossEntropyRowBlocksF32.sparse(xAt, xo, rows, cols, labelsAt, lo, ignore, w, eps, gradAt, go, scale, outAt, oo,
        shift, partialsAt, po);
    float[] gradBlocks = withGrad ? Arrays.copyOfRange(gradAt, go, go + rows * cols) : null;
    float[] outBlocks = withOut ? Arrays.copyOfRange(outAt, oo, oo + rows) : null;
    double[] partialsBlocks = Arrays.copyOfRange(partialsAt, po, po + 2 * blocks);
    String around = rows + "x" + cols + " seed " + seed + ": an entry around the block path's output";
    for (int i = 0; withGrad && i < gradAt.length; i++) {
      if (i < go || i >= go + rows * cols) {
        assertEquals(42f, gradAt[i], around + " gradient, " + i);
      }
    }
    for (int i = 0; withOut && i < outAt.length; i++) {
      if (i < oo || i >= oo + rows) {
        assertEquals(42f, outAt[i], around + " row losses, " + i);
      }
    }
    for (int i = 0; i < partialsAt.length; i++) {
      if (i < po || i >= po + 2 * blocks) {
        assertEquals(42.0, partialsAt[i], around + " partial sums, " + i);
      }
    }

    String what = rows + "x" + cols + " seed " + seed + " ignoring " + ignore + (weighted ? " weighted" : "")
        + (smoothed ? " smoothed" : "");
    for (int i = 0; i < partialsRows.length; i++) {
      assertEquals(Double.doubleToLongBits(partialsRows[i]), Double.doubleToLongBits(partialsBlocks[i]),
          "partial sum " + i + " of " + what + ": " + partialsBlocks[i] + " against " + partialsRows[i]);
    }
    if (withOut) {
      for (int r = 0; r < rows; r++) {
        assertEquals(Float.floatToIntBits(outRows[r]), Float.floatToIntBits(outBlocks[r]), "row loss " + r + " of " + what);
      }
    }
    if (withGrad) {
      for (int i = 0; i < gradRows.length; i++) {
        int r = i / cols;
        assertEquals(Float.floatToIntBits(gradRows[i]), Float.floatToIntBits(gradBlocks[i]),
            "gradient entry " + i % cols + " of row " + r + " of " + what + ", row " + Arrays.toString(
                Arrays.copyOfRange(x, r * cols, (r + 1) * cols)) + " label " + labels[r]);
      }
    }
  }
}
