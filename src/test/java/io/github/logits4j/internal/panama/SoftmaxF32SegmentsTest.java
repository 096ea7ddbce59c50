package io.github.logits4j.internal.panama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Float softmax read from and written to segments ({@link SoftmaxF32Segments}) gives the array path's bits
 * ({@link SoftmaxF32#softmaxRows}) for every row the array path runs row by row (a vector or more), in place
 * and out of place, on native segments and on heap segments over arrays of another type, at unaligned
 * offsets. The batches ({@link SoftmaxRowBlocksTest#batch}) hold every kind of row after every other: rows
 * the fused pass's guess does not fit, rows with special values, far-below and near-subnormal rows, so the
 * rows copied to the arrays' code are among those read in place.
 */
class SoftmaxF32SegmentsTest {
  private static final int LANES = VectorWidth.FLOAT.length();
  /** The narrowest rows the kernels run here: the float sums' logical width, at every vector width. */
  private static final int FIRST = VectorWidth.SUM_LANES_FLOAT;

  @Property(tries = 200)
  void segmentsGiveTheArrayBits(@ForAll @IntRange(min = 0, max = 3 * 16 + 5) int extra,
      @ForAll @IntRange(min = 1, max = 40) int rows, @ForAll long seed) {
    int cols = LANES + extra % (3 * LANES + 5);
    check(SoftmaxRowBlocksTest.batch(rows, cols, seed, true), rows, cols);
    check(SoftmaxRowBlocksTest.batch(rows, cols, seed, false), rows, cols);
  }

  /** The widths around each lane boundary up to four vectors, and a wide row, every kind of row. */
  @Example
  void everyWidthNearTheLaneBoundaries() {
    for (int cols = LANES; cols <= 4 * LANES + 1; cols++) {
      for (long seed = 0; seed < 6; seed++) {
        int rows = 41;
        check(SoftmaxRowBlocksTest.batch(rows, cols, seed * 1000 + cols, true), rows, cols);
      }
    }
    check(SoftmaxRowBlocksTest.batch(20, 1000, 7, true), 20, 1000);
  }

  /**
   * Once the vector kernels run (after the cold start's twin), float softmax over segments runs here for
   * rows of the logical width or more and leaves narrower rows to the copy through arrays.
   */
  @Example
  void theKernelsRunWideRowsInTheSegments() throws InterruptedException {
    PanamaKernels.INSTANCE.awaitCompiled();
    float[] x = SoftmaxRowBlocksTest.batch(5, FIRST, 3, true);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * x.length).copyFrom(MemorySegment.ofArray(x));
      MemorySegment out = arena.allocate(4L * x.length);
      // where the vector kernel never wins the warm-up (it may not, at 128 bits on x86), the twin stays
      assertEquals(!ColdStart.useTwin(), PanamaKernels.INSTANCE.softmax(in, 0, out, 0, 5, FIRST));
      if (!ColdStart.useTwin()) {
        float[] expected = new float[x.length];
        SoftmaxF32.softmaxRows(x, 0, expected, 0, 5, FIRST);
        assertSameBits(expected, out.toArray(JAVA_FLOAT), FIRST, x, "through the kernels");
      }
      assertFalse(PanamaKernels.INSTANCE.softmax(in, 0, out, 0, 5, FIRST - 1));
    }
  }

  private static void check(float[] x, int rows, int cols) {
    float[] expected = new float[x.length];
    SoftmaxF32.softmaxRows(x, 0, expected, 0, rows, cols);
    check(x, expected, rows, cols, SoftmaxF32Segments::softmaxRows);
  }

  /** A row kernel over segments: {@code rows} rows of {@code cols} floats from {@code x} into {@code y}. */
  interface SegmentRows {
    void run(MemorySegment x, long xByte, MemorySegment y, long yByte, long rows, int cols);
  }

  /**
   * {@code kernel} gives {@code expected} from {@code x}: on native segments out of place and in place, and
   * from a read-only heap segment over a {@code long[]} at an offset of one float into a heap one at byte 12.
   */
  static void check(float[] x, float[] expected, int rows, int cols, SegmentRows kernel) {
    try (Arena arena = Arena.ofConfined()) {
      // native, out of place
      MemorySegment in = arena.allocate(4L * x.length + 4, 64).asSlice(4).copyFrom(MemorySegment.ofArray(x));
      MemorySegment out = arena.allocate(4L * x.length, 64);
      kernel.run(in, 0, out, 0, rows, cols);
      assertSameBits(expected, out.toArray(JAVA_FLOAT), cols, x, "native");
      // native, in place
      kernel.run(in, 0, in, 0, rows, cols);
      assertSameBits(expected, in.toArray(JAVA_FLOAT), cols, x, "native in place");
      // a read-only heap segment over a long[] at an offset of one float, into a heap one at byte 12
      long[] longs = new long[x.length / 2 + 1];
      MemorySegment heap = MemorySegment.ofArray(longs).asSlice(4, 4L * x.length);
      heap.copyFrom(MemorySegment.ofArray(x));
      float[] y = new float[x.length + 3];
      kernel.run(heap.asReadOnly(), 0, MemorySegment.ofArray(y), 12, rows, cols);
      float[] got = new float[x.length];
      System.arraycopy(y, 3, got, 0, x.length);
      assertSameBits(expected, got, cols, x, "heap, read-only input");
    }
  }

  static void assertSameBits(float[] expected, float[] actual, int cols, float[] x, String form) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          form + ": " + cols + " columns, row " + i / cols + " entry " + i % cols + " (input " + x[i] + ")");
    }
  }
}
