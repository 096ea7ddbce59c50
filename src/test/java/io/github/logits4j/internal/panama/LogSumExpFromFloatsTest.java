package io.github.logits4j.internal.panama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.oracle.DD;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Float log-sum-exp's tries from float exponentials return, wherever they return a number, the bits of the
 * double path: below the maximum ({@link SoftmaxF32#logSumExpFromFloats} against
 * {@link SoftmaxF32#logSumExpFromDoubles}) and from softmax's fused pass ({@link SoftmaxF32#logSumExpRows}
 * against {@link SoftmaxF32#logSumExp}); the sum of tracked float exponentials stays within half of its
 * stated error bound of an exact sum; and both settle most ordinary rows, which is what makes them pay.
 */
class LogSumExpFromFloatsTest {
  private static final int LANES = VectorWidth.FLOAT.length();
  /** The narrowest rows these paths serve: the float sums' logical width, at every vector width. */
  private static final int FIRST = VectorWidth.SUM_LANES_FLOAT;

  @Property(tries = 300)
  void whereItAnswersItGivesTheDoublePathsBits(@ForAll @IntRange(min = 0, max = 2000) int extra,
      @ForAll @IntRange(min = 1, max = 20) int rows, @ForAll long seed) {
    int cols = FIRST + extra;
    float[] x = SoftmaxRowBlocksTest.batch(rows, cols, seed, true);
    for (int r = 0; r < rows; r++) {
      float m = RowMax.max(x, r * cols, cols);
      if (Float.isFinite(m)) {
        float fromFloats = SoftmaxF32.logSumExpFromFloats(x, r * cols, cols, m);
        if (!Float.isNaN(fromFloats)) {
          assertEquals(Float.floatToRawIntBits(SoftmaxF32.logSumExpFromDoubles(x, r * cols, cols, m)),
              Float.floatToRawIntBits(fromFloats), "row " + r + " of " + cols + " columns, seed " + seed);
        }
      }
    }
  }

  /**
   * The rows kernel, which tries softmax's fused pass first, gives every row {@link SoftmaxF32#logSumExp}'s
   * bits, special values, masked, far-above and far-below rows included, after rows of every other kind
   * (which the carried shift guess then misfits).
   */
  @Property(tries = 300)
  void theFusedRowsGiveTheRowPathsBits(@ForAll @IntRange(min = 0, max = 2000) int extra,
      @ForAll @IntRange(min = 1, max = 20) int rows, @ForAll long seed) {
    int cols = FIRST + extra;
    float[] x = SoftmaxRowBlocksTest.batch(rows, cols, seed, true);
    float[] out = new float[rows + 2];
    SoftmaxF32.logSumExpRows(x, 0, out, 1, rows, cols);
    for (int r = 0; r < rows; r++) {
      assertEquals(Float.floatToRawIntBits(SoftmaxF32.logSumExp(x, r * cols, cols)), Float.floatToRawIntBits(out[1 + r]),
          "row " + r + " of " + cols + " columns, seed " + seed);
    }
  }

  /**
   * Over segments ({@link SoftmaxF32Segments#logSumExpRows}: the fused pass reading the segment, the other
   * paths from a copy of the row) every row gets {@link SoftmaxF32#logSumExp}'s bits, on a native segment
   * at an unaligned offset and on a read-only heap segment over a {@code long[]}, into a heap segment at
   * byte 12.
   */
  @Property(tries = 200)
  void segmentRowsGiveTheRowPathsBits(@ForAll @IntRange(min = 0, max = 1200) int extra,
      @ForAll @IntRange(min = 1, max = 20) int rows, @ForAll long seed) {
    int cols = FIRST + extra;
    float[] x = SoftmaxRowBlocksTest.batch(rows, cols, seed, true);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * x.length + 4, 64).asSlice(4).copyFrom(MemorySegment.ofArray(x));
      MemorySegment out = arena.allocate(4L * rows);
      SoftmaxF32Segments.logSumExpRows(in, 0, out, 0, rows, cols);
      long[] longs = new long[x.length / 2 + 1];
      MemorySegment heap = MemorySegment.ofArray(longs).asSlice(4, 4L * x.length).copyFrom(MemorySegment.ofArray(x));
      float[] heapOut = new float[rows + 3];
      SoftmaxF32Segments.logSumExpRows(heap.asReadOnly(), 0, MemorySegment.ofArray(heapOut), 12, rows, cols);
      for (int r = 0; r < rows; r++) {
        int expected = Float.floatToRawIntBits(SoftmaxF32.logSumExp(x, r * cols, cols));
        assertEquals(expected, Float.floatToRawIntBits(out.getAtIndex(JAVA_FLOAT, r)),
            "native: row " + r + " of " + cols + " columns, seed " + seed);
        assertEquals(expected, Float.floatToRawIntBits(heapOut[3 + r]),
            "heap: row " + r + " of " + cols + " columns, seed " + seed);
      }
    }
  }

  /**
   * Gaussian rows of 128 (the benchmarks' logits) where the fused pass takes the row but its bound
   * straddles a float rounding boundary, about 2 rows in 100: wherever such a row falls (first, in either
   * place of a pair, last), {@link SoftmaxF32#logSumExpRows} and its segment form give it
   * {@link SoftmaxF32#logSumExp}'s bits, as every other row.
   */
  @Example
  void rowsWhoseFusedBoundDoesNotSettleGetTheRowPathsBits() {
    int rows = 1501, cols = 128;
    SplittableRandom rnd = new SplittableRandom(7);
    float[] x = new float[rows * cols], e = new float[cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (4 * rnd.nextGaussian());
    }
    int unsettled = 0;
    for (int r = 0; r < rows; r++) {
      int guess = FusedPassF32.firstGuess(RowMax.max(x, r * cols, cols));
      double sum = SoftmaxF32.expStoreFused(x, r * cols, e, 0, cols, guess, ThreadScratch.get());
      unsettled += sum > 0 && Float.isNaN(SoftmaxF32.logSumExpFromFused(sum, guess, cols)) ? 1 : 0;
    }
    assertTrue(unsettled >= 10, unsettled + " rows the fused bound does not settle");
    float[] out = new float[rows], segmentOut = new float[rows];
    SoftmaxF32.logSumExpRows(x, 0, out, 0, rows, cols);
    SoftmaxF32Segments.logSumExpRows(MemorySegment.ofArray(x), 0, MemorySegment.ofArray(segmentOut), 0, rows, cols);
    for (int r = 0; r < rows; r++) {
      int expected = Float.floatToRawIntBits(SoftmaxF32.logSumExp(x, r * cols, cols));
      assertEquals(expected, Float.floatToRawIntBits(out[r]), "array: row " + r);
      assertEquals(expected, Float.floatToRawIntBits(segmentOut[r]), "segment: row " + r);
    }
  }

  /**
   * Gaussian rows of 1000 logits, as a classifier's: the fused pass, with the guess from each row's
   * maximum, settles at least 95 of 100 (99 when written).
   */
  @Example
  void theFusedPassSettlesMostOrdinaryRows() {
    SplittableRandom rnd = new SplittableRandom(43);
    int cols = 1000, settled = 0;
    float[] x = new float[cols], e = new float[cols];
    for (int r = 0; r < 100; r++) {
      double scale = 0.5 + 4 * rnd.nextDouble(), shift = 10 * rnd.nextGaussian();
      for (int i = 0; i < cols; i++) {
        x[i] = (float) (shift + scale * rnd.nextGaussian());
      }
      int guess = FusedPassF32.firstGuess(RowMax.max(x, 0, cols));
      double sum = SoftmaxF32.expStoreFused(x, 0, e, 0, cols, guess, ThreadScratch.get());
      settled += sum > 0 && !Float.isNaN(SoftmaxF32.logSumExpFromFused(sum, guess, cols)) ? 1 : 0;
    }
    assertTrue(settled >= 95, settled + " of 100 rows settled");
  }

  /**
   * The tracked sum against one of exact exponentials, relative to it, over rows of every regime at widths
   * around the lane boundaries and wide: within half of {@link SoftmaxF32#TRACKED_TERM_ERROR} plus the
   * summation's allowance.
   */
  @Example
  void theTrackedSumIsWithinHalfItsBound() {
    double worst = 0;
    for (int cols : new int[] {LANES, LANES + 1, 2 * LANES - 1, 3 * LANES + 5, 128, 1000, 4099}) {
      for (long seed = 0; seed < 12; seed++) {
        float[] x = SoftmaxRowBlocksTest.batch(16, cols, seed * 7919 + cols, true);
        for (int r = 0; r < 16; r++) {
          int xo = r * cols;
          float m = RowMax.max(x, xo, cols);
          if (!Float.isFinite(m)) {
            continue;
          }
          boolean direct = Math.abs(m) <= ExpF32.DIRECT_LIMIT;
          int shift = direct ? ExpF32.shiftFor(m) : 0;
          if (RowMax.countEqual(x, xo, cols, m) != 1) {
            continue;  // the pass adds the surplus of ties, which would hide the sum's error
          }
          double got = SoftmaxF32.expSumBelowTracked(x, xo, cols, direct ? 0f : m, ExpF32.magic(shift),
              m - ExpF32.CUTOFF, m, SoftmaxF32.top(m, direct, shift));  // s / top + 0
          DD exact = DD.ZERO;
          for (int i = 0; i < cols; i++) {
            if (x[xo + i] < m && x[xo + i] >= m - ExpF32.CUTOFF) {
              exact = exact.add(DD.exp(DD.of((double) x[xo + i] - m)));  // x - m is exact in double
            }
          }
          double e = exact.toDouble();
          if (e > 0) {
            double relative = Math.abs(got - e) / e;
            worst = Math.max(worst, relative);
            assertTrue(relative <= (SoftmaxF32.TRACKED_TERM_ERROR + cols * 0x1p-46) / 2,
                "relative error " + relative + " at " + cols + " columns, row " + r);
          }
        }
      }
    }
    System.out.printf("tracked float exponential sums: worst relative error 2^%.2f%n", Math.log(worst) / Math.log(2));
  }

  /** Gaussian rows of 1000 logits, as a classifier's: the float exponentials settle at least 85 of 100
   * (91 when written; the rest, whose result lies near a rounding boundary or near 0, go on in double). */
  @Example
  void itSettlesMostOrdinaryRows() {
    SplittableRandom rnd = new SplittableRandom(42);
    int cols = 1000, settled = 0;
    float[] x = new float[cols];
    for (int r = 0; r < 100; r++) {
      double scale = 0.5 + 4 * rnd.nextDouble(), shift = 10 * rnd.nextGaussian();
      for (int i = 0; i < cols; i++) {
        x[i] = (float) (shift + scale * rnd.nextGaussian());
      }
      settled += Float.isNaN(SoftmaxF32.logSumExpFromFloats(x, 0, cols, RowMax.max(x, 0, cols))) ? 0 : 1;
    }
    assertTrue(settled >= 85, settled + " of 100 rows settled");
  }
}
