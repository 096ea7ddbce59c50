package io.github.logits4j.internal.panama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Float log-softmax read from and written to segments ({@link LogSoftmaxF32Segments}) gives the array
 * path's bits ({@link SoftmaxF32#logSoftmax} with beta 1) for every row the array path runs row by row (a
 * vector or more), in place and out of place, on native segments and on heap segments over arrays of
 * another type, at unaligned offsets, over batches that hold every kind of row
 * ({@link SoftmaxRowBlocksTest#batch}: special values, far-above, far-below and all-zero rows).
 */
class LogSoftmaxF32SegmentsTest {
  private static final int LANES = VectorWidth.FLOAT.length();
  /** The narrowest rows served here: the float sums' logical width, at every vector width. */
  private static final int FIRST = VectorWidth.SUM_LANES_FLOAT;

  @Property(tries = 200)
  void segmentsGiveTheArrayBits(@ForAll @IntRange(min = 0, max = 3 * 16 + 5) int extra,
      @ForAll @IntRange(min = 1, max = 40) int rows, @ForAll long seed) {
    int cols = FIRST + extra % (3 * LANES + 5);
    check(SoftmaxRowBlocksTest.batch(rows, cols, seed, true), rows, cols);
  }

  /**
   * The widths around each lane boundary up to four vectors or two logical widths, and a wide row, every
   * kind of row.
   */
  @Example
  void everyWidthNearTheLaneBoundaries() {
    for (int cols = FIRST; cols <= Math.max(4 * LANES, 2 * FIRST) + 1; cols++) {
      for (long seed = 0; seed < 6; seed++) {
        check(SoftmaxRowBlocksTest.batch(41, cols, seed * 1000 + cols, true), 41, cols);
      }
    }
    check(SoftmaxRowBlocksTest.batch(20, 1000, 7, true), 20, 1000);
  }

  /**
   * The kernels run rows of the logical width or more here and leave narrower rows to the copy through
   * arrays.
   */
  @Example
  void theKernelsRunWideRowsInTheSegments() {
    float[] x = SoftmaxRowBlocksTest.batch(5, FIRST, 3, true);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * x.length).copyFrom(MemorySegment.ofArray(x));
      MemorySegment out = arena.allocate(4L * x.length);
      assertTrue(PanamaKernels.INSTANCE.logSoftmax(in, 0, out, 0, 5, FIRST));
      SoftmaxF32SegmentsTest.assertSameBits(expected(x, 5, FIRST), out.toArray(JAVA_FLOAT), FIRST, x,
          "through the kernels");
      assertFalse(PanamaKernels.INSTANCE.logSoftmax(in, 0, out, 0, 5, FIRST - 1));
    }
  }

  private static float[] expected(float[] x, int rows, int cols) {
    float[] y = new float[x.length];
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.logSoftmax(x, r * cols, y, r * cols, cols, 1.0, 1f, 0f);
    }
    return y;
  }

  private static void check(float[] x, int rows, int cols) {
    SoftmaxF32SegmentsTest.check(x, expected(x, rows, cols), rows, cols, LogSoftmaxF32Segments::logSoftmaxRows);
  }
}
