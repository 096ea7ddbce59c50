package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments throw before anything is written: the message names the argument and its value, and the
 * output is unchanged afterwards.
 */
class BadArgumentsTest {
  static final float SENTINEL = 12345f;

  static float[] sentinel(int n) {
    float[] a = new float[n];
    Arrays.fill(a, SENTINEL);
    return a;
  }

  static void assertRejected(Class<? extends RuntimeException> type, String mention, Runnable call, Object... outputs) {
    Object[] before = Arrays.stream(outputs).map(BadArgumentsTest::copy).toArray();
    RuntimeException e = assertThrows(type, call::run);
    assertTrue(e.getMessage() != null && e.getMessage().contains(mention),
        () -> "message '" + e.getMessage() + "' should mention '" + mention + "'");
    for (int i = 0; i < outputs.length; i++) {
      assertTrue(Arrays.deepEquals(new Object[] {before[i]}, new Object[] {outputs[i]}), "output " + i + " changed");
    }
  }

  static Object copy(Object a) {
    if (a instanceof float[] f) {
      return f.clone();
    }
    if (a instanceof double[] d) {
      return d.clone();
    }
    return ((int[]) a).clone();
  }

  @Test
  void shapes() {
    float[] x = new float[12];
    float[] y = sentinel(12);
    assertRejected(IllegalArgumentException.class, "cols must be > 0, was 0", () -> Logits.softmax(x, y, 0), y);
    assertRejected(IllegalArgumentException.class, "cols must be > 0, was -3", () -> Logits.logSoftmax(x, y, -3), y);
    assertRejected(IllegalArgumentException.class, "x.length must be a multiple of cols=5, was 12",
        () -> Logits.softmax(x, y, 5), y);
    float[] shortY = sentinel(11);
    assertRejected(IllegalArgumentException.class, "y is too short", () -> Logits.softmax(x, shortY, 4), shortY);
    assertRejected(IllegalArgumentException.class, "xOffset must be >= 0, was -1",
        () -> Logits.softmax(x, -1, y, 0, 1, 4), y);
    assertRejected(IllegalArgumentException.class, "rows must be >= 0, was -2",
        () -> Logits.softmax(x, 0, y, 0, -2, 4), y);
    assertRejected(IllegalArgumentException.class, "x is too short: xOffset=4",
        () -> Logits.softmax(x, 4, y, 0, 3, 4), y);
    assertRejected(IllegalArgumentException.class, "yOffset=9", () -> Logits.softmax(x, 0, y, 9, 1, 4), y);
    assertRejected(IllegalArgumentException.class, "overlaps", () -> Logits.softmax(y, 0, y, 2, 2, 4), y);
    float[] out = sentinel(2);
    assertRejected(IllegalArgumentException.class, "out is too short", () -> Logits.logSumExp(x, 4, out), out);
    int[] idx = new int[2];
    assertRejected(IllegalArgumentException.class, "out is too short", () -> Logits.argmax(x, 4, idx), idx);
    assertRejected(IllegalArgumentException.class, "outOffset must be >= 0, was -1",
        () -> Logits.argmax(x, 0, idx, -1, 1, 4), idx);
  }

  @Test
  void nulls() {
    float[] x = new float[4];
    float[] y = sentinel(4);
    assertRejected(NullPointerException.class, "x must not be null", () -> Logits.softmax((float[]) null, y, 2), y);
    assertRejected(NullPointerException.class, "y must not be null", () -> Logits.softmax(x, null, 2));
    assertRejected(NullPointerException.class, "out must not be null", () -> Logits.logSumExp(x, 2, null));
    assertRejected(NullPointerException.class, "indices must not be null",
        () -> Logits.topK(x, 2, 1, null, new float[2]));
    assertRejected(NullPointerException.class, "x must not be null",
        () -> Logits.argmax((double[]) null, 2, new int[2]));
  }

  @Test
  void temperatureAndK() {
    float[] x = new float[8];
    float[] y = sentinel(8);
    for (float t : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, -0f}) {
      assertRejected(IllegalArgumentException.class, "temperature must be finite and > 0, was " + t,
          () -> Logits.softmax(x, y, 4, t), y);
      assertRejected(IllegalArgumentException.class, "temperature", () -> Logits.logSoftmax(x, y, 4, t), y);
    }
    double[] xd = new double[8], yd = new double[8];
    Arrays.fill(yd, SENTINEL);
    assertRejected(IllegalArgumentException.class, "temperature must be finite and > 0, was NaN",
        () -> Logits.softmax(xd, yd, 4, Double.NaN), yd);
    int[] idx = new int[4];
    float[] vals = sentinel(4);
    assertRejected(IllegalArgumentException.class, "k must be in 1..4 (cols), was 0",
        () -> Logits.topK(x, 4, 0, idx, vals), idx, vals);
    assertRejected(IllegalArgumentException.class, "k must be in 1..4 (cols), was 5",
        () -> Logits.topK(x, 4, 5, idx, vals), idx, vals);
    assertRejected(IllegalArgumentException.class, "values is too short",
        () -> Logits.topK(x, 4, 2, idx, new float[3]), idx);
  }

  @Provide
  Arbitrary<int[]> badShapes() {
    // {length, cols, xOffset, yOffset, rows, yLength}
    return Arbitraries.integers().between(-3, 40).array(int[].class).ofSize(6);
  }

  /** Random offset/count combinations: either the call succeeds, or it throws and y is untouched. */
  @Property
  void eitherValidOrRejectedWithoutWriting(@ForAll("badShapes") int[] s) {
    int length = Math.max(0, s[0]), cols = s[1], xOffset = s[2], yOffset = s[3], rows = s[4];
    int yLength = Math.max(0, s[5]);
    float[] x = new float[length];
    float[] y = sentinel(yLength);
    List<Consumer<float[]>> calls = List.of(
        out -> Logits.softmax(x, xOffset, out, yOffset, rows, cols),
        out -> Logits.logSoftmax(x, xOffset, out, yOffset, rows, cols, 2f),
        out -> Logits.logSumExp(x, xOffset, out, yOffset, rows, cols));
    for (Consumer<float[]> call : calls) {
      float[] before = y.clone();
      try {
        call.accept(y);
      } catch (IllegalArgumentException e) {
        assertArrayEquals(before, y, "rejected call wrote its output: " + e.getMessage());
        continue;
      }
      boolean valid = cols > 0 && rows >= 0 && xOffset >= 0 && yOffset >= 0
          && (long) xOffset + (long) rows * cols <= length;
      assertTrue(valid, "accepted invalid shape " + Arrays.toString(s));
      Arrays.fill(y, SENTINEL);
    }
  }

  /**
   * A per-row output (log-sum-exp's, the row losses) over the range of an input it is computed from is
   * rejected before anything is written: a row's result would overwrite rows not yet read, or read by
   * another thread (log-sum-exp into the middle of its own batch of 2^18 rows of 4 changed 43,688 results
   * before this check). The same array beside the input is fine.
   */
  @Test
  void perRowOutputsOverTheirInputs() {
    int rows = 6, cols = 4;
    float[] x = new float[rows * cols + rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    double[] xd = new double[rows * cols];
    assertRejected(IllegalArgumentException.class, "out overlaps x",
        () -> Logits.logSumExp(x, 0, x, 5, rows, cols), x);
    assertRejected(IllegalArgumentException.class, "out overlaps x",
        () -> Logits.logSumExp(x, 0, x, 0, rows, cols), x);
    assertRejected(IllegalArgumentException.class, "out overlaps x", () -> Logits.logSumExp(xd, cols, xd), xd);
    assertRejected(IllegalArgumentException.class, "out overlaps x",
        () -> FastLogits.logSumExp(x, 2, x, 0, rows, cols), x);
    // beside the batch in the same array: allowed, and the results of a separate array
    float[] separate = new float[rows];
    Logits.logSumExp(x, 0, separate, 0, rows, cols);
    Logits.logSumExp(x, 0, x, rows * cols, rows, cols);
    assertArrayEquals(separate, Arrays.copyOfRange(x, rows * cols, rows * cols + rows));

    int[] indices = new int[rows * 2];
    assertRejected(IllegalArgumentException.class, "values overlaps x",
        () -> Logits.topK(x, 0, rows, cols, 2, indices, 0, x, 4), x, indices);
    // over memory segments too, where the batch forms keep their in-place form
    float[] backing = Arrays.copyOf(x, rows * cols + rows);
    java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(backing);
    java.lang.foreign.MemorySegment batch = seg.asSlice(0, 4L * rows * cols);
    // at the same address, which the batch outputs take as in place
    assertRejected(IllegalArgumentException.class, "out overlaps x",
        () -> Logits.logSumExp(java.lang.foreign.ValueLayout.JAVA_FLOAT, batch, cols, seg), backing);
    assertRejected(IllegalArgumentException.class, "out overlaps x",
        () -> Logits.argmax(java.lang.foreign.ValueLayout.JAVA_FLOAT, batch, cols, seg), backing);
    Logits.logSumExp(java.lang.foreign.ValueLayout.JAVA_FLOAT, batch, cols, seg.asSlice(4L * rows * cols));
    assertArrayEquals(separate, Arrays.copyOfRange(backing, rows * cols, rows * cols + rows));
    Logits.softmax(java.lang.foreign.ValueLayout.JAVA_FLOAT, batch, batch, cols);  // in place

    int[] labels = {0, 1, 2, 3, 0, 1};
    CrossEntropy sparse = CrossEntropy.sparse();
    assertRejected(IllegalArgumentException.class, "out overlaps logits",
        () -> sparse.rowLosses(x, 0, rows, cols, labels, 0, x, 3), x);
    float[] targets = new float[rows * cols + rows];
    for (int r = 0; r < rows; r++) {
      targets[r * cols + r % cols] = 1f;
    }
    float[] logits = Arrays.copyOf(x, rows * cols);
    CrossEntropy dense = CrossEntropy.dense();
    assertRejected(IllegalArgumentException.class, "out overlaps targets",
        () -> dense.rowLosses(logits, 0, rows, cols, targets, 0, targets, 7), targets);
    assertRejected(IllegalArgumentException.class, "grad overlaps targets",
        () -> dense.lossAndGradient(logits, 0, rows, cols, targets, 0, targets, 0), targets);
    // binary cross-entropy's outputs are elementwise: over an input at the same offset they are in place
    BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits();
    float[] z = new float[rows * cols + 4];
    float[] bx = Arrays.copyOf(x, rows * cols + 4);
    assertRejected(IllegalArgumentException.class, "grad overlaps logits at a different offset",
        () -> bce.lossAndGradient(bx, 0, rows, cols, z, 0, bx, 3), bx, z);
    assertRejected(IllegalArgumentException.class, "out overlaps targets at a different offset",
        () -> bce.elementLosses(bx, 0, rows, cols, z, 0, z, 1), bx, z);
    float[] gradAside = new float[rows * cols];
    double loss = bce.lossAndGradient(bx, 0, rows, cols, z, 0, gradAside, 0);
    float[] inPlace = bx.clone();
    assertEquals(loss, bce.lossAndGradient(inPlace, 0, rows, cols, z, 0, inPlace, 0));
    assertArrayEquals(gradAside, Arrays.copyOf(inPlace, rows * cols));
    float[] lossesBeside = new float[rows];
    dense.rowLosses(logits, 0, rows, cols, targets, 0, lossesBeside, 0);
    dense.rowLosses(logits, 0, rows, cols, targets, 0, targets, rows * cols);
    assertArrayEquals(lossesBeside, Arrays.copyOfRange(targets, rows * cols, rows * cols + rows));
  }
}
