package io.github.logits4j.internal.panama;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Float argmax read from segments gives the array kernels' indices for every row they run with
 * {@link Argmax} (two vectors or more, {@link ArgmaxSegments}) and with the tree of row maxima (0.4 of a
 * vector to under two, {@link ArgmaxMaxTree}), on native segments and a read-only heap segment over a
 * {@code long[]} at an offset, each exactly as long as the batch (so the last blocks' loads would leave it
 * and those rows go one by one): rows with ties of the maximum at lane boundaries and in the tail, -0.0
 * against +0.0, NaNs of either sign, infinities, and all--inf rows.
 */
class ArgmaxSegmentsTest {
  private static final int NARROW = VectorWidth.NARROW_FLOAT, LANES = VectorWidth.FLOAT.length();

  @Property(tries = 200)
  void segmentsGiveTheArrayIndices(@ForAll @IntRange(min = 0, max = 70) int extra,
      @ForAll @IntRange(min = 1, max = 30) int rows, @ForAll long seed) {
    check(batch(rows, NARROW + extra, seed), rows, NARROW + extra);
  }

  @Property(tries = 200)
  void treeRowsInSegmentsGiveTheArrayIndices(@ForAll @IntRange(min = 0, max = 200) int rows, @ForAll long seed) {
    int min = ArgmaxMaxTree.minCols(LANES), max = ArgmaxMaxTree.maxCols(LANES);
    if (max < min) {
      return;  // no tree at this width
    }
    int cols = min + (int) Math.floorMod(seed, (long) (max - min + 1));
    check(batch(rows, cols, seed), rows, cols);
  }

  @Example
  void everyWidthNearTheLaneBoundaries() {
    for (int cols = NARROW; cols <= NARROW + 3 * LANES + 1; cols++) {
      for (long seed = 0; seed < 5; seed++) {
        check(batch(23, cols, seed * 100 + cols), 23, cols);
      }
    }
    check(batch(9, 1000, 3), 9, 1000);
  }

  @Example
  void theKernelsRunWideRowsInTheSegments() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * 3 * NARROW), out = arena.allocate(12);
      assertTrue(PanamaKernels.INSTANCE.argmax(in, 0, out, 0, 3, NARROW));
      for (int cols = 1; cols < NARROW; cols++) {  // narrower rows than the tree's go through arrays (the chunks)
        assertTrue(PanamaKernels.INSTANCE.argmax(in, 0, out, 0, 3, cols) == ArgmaxMaxTree.serves(cols, LANES),
            cols + " columns");
      }
    }
  }

  private static void check(float[] x, int rows, int cols) {
    int[] expected = new int[rows];
    PanamaKernels.INSTANCE.argmax(x, 0, expected, 0, rows, cols);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocate(4L * x.length + 4, 64).asSlice(4).copyFrom(MemorySegment.ofArray(x));
      MemorySegment out = arena.allocate(4L * rows);
      assertTrue(PanamaKernels.INSTANCE.argmax(in, 0, out, 0, rows, cols));
      assertArrayEquals(expected, out.toArray(JAVA_INT), "native, " + cols + " columns");
      long[] longs = new long[x.length / 2 + 1];
      MemorySegment heap = MemorySegment.ofArray(longs).asSlice(4, 4L * x.length).copyFrom(MemorySegment.ofArray(x));
      int[] got = new int[rows + 1];
      assertTrue(PanamaKernels.INSTANCE.argmax(heap.asReadOnly(), 0, MemorySegment.ofArray(got).asSlice(4), 0, rows, cols));
      int[] shifted = new int[rows];
      System.arraycopy(got, 1, shifted, 0, rows);
      assertArrayEquals(expected, shifted, "heap, " + cols + " columns");
    }
  }

  /** Rows of small integers (many ties), with special entries placed at and around lane boundaries. */
  private static float[] batch(int rows, int cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[rows * cols];
    float[] specials = {Float.NaN, Float.intBitsToFloat(0xffc00000), Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, -0.0f, 0.0f, 3e38f, -3e38f};
    for (int r = 0; r < rows; r++) {
      int kind = rnd.nextInt(6);
      for (int j = 0; j < cols; j++) {
        x[r * cols + j] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? (rnd.nextBoolean() ? -0.0f : 0.0f)
            : rnd.nextInt(7) - 9;
      }
      int hits = rnd.nextInt(3);
      for (int h = 0; h < hits; h++) {
        int at = rnd.nextBoolean() ? Math.min(cols - 1, LANES * rnd.nextInt(cols / LANES + 1) + rnd.nextInt(2))
            : cols - 1 - rnd.nextInt(Math.min(cols, LANES));
        x[r * cols + at] = specials[rnd.nextInt(specials.length)];
      }
    }
    return x;
  }
}
