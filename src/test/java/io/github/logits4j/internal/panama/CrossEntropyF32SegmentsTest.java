package io.github.logits4j.internal.panama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Sparse float cross-entropy with its gradient read from and written to segments
 * ({@link CrossEntropyF32Segments}) gives the array path's bits ({@link CrossEntropyF32#sparseRow}), loss and
 * gradient, for rows of a vector or more: with and without class weights (zeros among them), with and
 * without label smoothing, on native segments and on a heap segment over an array of another type at an
 * unaligned offset, over batches that hold every kind of row ({@link SoftmaxRowBlocksTest#batch}: special
 * values, far-above, far-below and all-zero rows).
 */
class CrossEntropyF32SegmentsTest {
  private static final int LANES = VectorWidth.FLOAT.length();
  /** The narrowest rows served on segments: the float sums' logical width, at every vector width. */
  private static final int FIRST = VectorWidth.SUM_LANES_FLOAT;

  @Property(tries = 200)
  void segmentsGiveTheArrayBits(@ForAll @IntRange(min = 0, max = 3 * 16 + 5) int extra,
      @ForAll @IntRange(min = 1, max = 30) int rows, @ForAll long seed) {
    int cols = FIRST + extra % (3 * LANES + 5);
    check(SoftmaxRowBlocksTest.batch(rows, cols, seed, true), rows, cols, seed);
  }

  /**
   * The widths around each lane boundary up to four vectors or two logical widths, and a wide row, every
   * kind of row.
   */
  @Example
  void everyWidthNearTheLaneBoundaries() {
    for (int cols = FIRST; cols <= Math.max(4 * LANES, 2 * FIRST) + 1; cols++) {
      for (long seed = 0; seed < 4; seed++) {
        check(SoftmaxRowBlocksTest.batch(41, cols, seed * 1000 + cols, true), 41, cols, seed);
      }
    }
    check(SoftmaxRowBlocksTest.batch(20, 1000, 7, true), 20, 1000, 7);
  }

  /**
   * The kernels serve rows of the logical width or more, give a row with the ignored label a loss of 0 and a zero
   * gradient, and scale the loss by {@code 2^-shift}, as the array kernel does.
   */
  @Example
  void theKernelsRunRowsInTheSegments() {
    int cols = FIRST + 3;
    float[] x = SoftmaxRowBlocksTest.batch(1, cols, 5, false);
    assertTrue(PanamaKernels.INSTANCE.crossEntropyRowsOnSegments(FIRST));
    assertFalse(PanamaKernels.INSTANCE.crossEntropyRowsOnSegments(FIRST - 1));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * cols).copyFrom(MemorySegment.ofArray(x));
      MemorySegment grad = arena.allocate(4L * cols).fill((byte) 1);
      for (int label : new int[] {2, -100}) {
        float[] g = new float[cols];
        double[] partials = new double[2];
        PanamaKernels.INSTANCE.crossEntropy(x, 0, 1, cols, new int[] {label}, 0, -100, null, 0, null, 0.05, g, 0,
            0.25, null, 0, 3, partials, 0);
        double loss = PanamaKernels.INSTANCE.crossEntropyRow(in, 0, cols, label, -100, null, 0.05, grad, 0, 0.25, 3);
        assertEquals(Double.doubleToRawLongBits(partials[0]), Double.doubleToRawLongBits(loss), "label " + label);
        assertSameBits(g, grad.toArray(JAVA_FLOAT), cols, x, "label " + label);
      }
    }
  }

  private static void check(float[] x, int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] weights = new float[cols];
    for (int c = 0; c < cols; c++) {
      weights[c] = rnd.nextInt(5) == 0 ? 0f : (float) (0.25 + 2 * rnd.nextDouble());
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * x.length + 4, 64).asSlice(4).copyFrom(MemorySegment.ofArray(x));
      MemorySegment grad = arena.allocate(4L * x.length, 64);
      long[] longs = new long[x.length / 2 + 1];
      MemorySegment heap = MemorySegment.ofArray(longs).asSlice(4, 4L * x.length).copyFrom(MemorySegment.ofArray(x));
      float[] heapGrad = new float[x.length + 3];
      for (float[] w : new float[][] {null, weights}) {
        for (double eps : new double[] {0, 0.1}) {
          float[] expectedGrad = new float[x.length];
          double[] expected = new double[rows], got = new double[rows], gotHeap = new double[rows];
          for (int r = 0; r < rows; r++) {
            int label = rnd.nextInt(cols);
            expected[r] = CrossEntropyF32.sparseRow(x, r * cols, cols, label, w, eps, expectedGrad, r * cols, 0.125);
            got[r] = CrossEntropyF32Segments.sparseRow(in, 4L * r * cols, cols, label, w, eps, grad, 4L * r * cols,
                0.125);
            gotHeap[r] = CrossEntropyF32Segments.sparseRow(heap.asReadOnly(), 4L * r * cols, cols, label, w, eps,
                MemorySegment.ofArray(heapGrad), 12 + 4L * r * cols, 0.125);
          }
          String form = (w == null ? "no weights" : "weights") + ", eps " + eps;
          for (int r = 0; r < rows; r++) {
            assertEquals(Double.doubleToRawLongBits(expected[r]), Double.doubleToRawLongBits(got[r]),
                form + ", native: loss of row " + r + " of " + cols + " columns");
            assertEquals(Double.doubleToRawLongBits(expected[r]), Double.doubleToRawLongBits(gotHeap[r]),
                form + ", heap: loss of row " + r + " of " + cols + " columns");
          }
          assertSameBits(expectedGrad, grad.toArray(JAVA_FLOAT), cols, x, form + ", native");
          float[] h = new float[x.length];
          System.arraycopy(heapGrad, 3, h, 0, x.length);
          assertSameBits(expectedGrad, h, cols, x, form + ", heap");
        }
      }
    }
  }

  private static void assertSameBits(float[] expected, float[] actual, int cols, float[] x, String form) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          form + ": gradient, " + cols + " columns, row " + i / cols + " entry " + i % cols + " (input " + x[i] + ")");
    }
  }
}
