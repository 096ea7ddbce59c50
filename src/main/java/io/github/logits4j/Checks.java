package io.github.logits4j;

/**
 * Argument validation shared by the public entry points. Every check runs before any output is written,
 * and every message names the argument and the value that broke the rule.
 */
final class Checks {
  private Checks() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      // no message supplier: a capturing lambda would allocate on every call
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  static void positiveCols(int cols) {
    if (cols <= 0) {
      throw new IllegalArgumentException("cols must be > 0, was " + cols);
    }
  }

  static void nonNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }

  /** Rows implied by a whole array; the length must be a multiple of {@code cols}. */
  static int rowsOf(int length, int cols, String arrayName) {
    positiveCols(cols);
    if (length % cols != 0) {
      throw new IllegalArgumentException(
          arrayName + ".length must be a multiple of cols=" + cols + ", was " + length);
    }
    return length / cols;
  }

  /**
   * Checks that {@code count} elements starting at {@code offset} lie inside an array of {@code length}.
   * The element count is computed in long arithmetic so that huge rows*cols products cannot wrap.
   */
  static void range(int length, int offset, long count, String arrayName, String offsetName) {
    if (offset < 0) {
      throw new IllegalArgumentException(offsetName + " must be >= 0, was " + offset);
    }
    if (offset + count > length) {
      throw new IllegalArgumentException(arrayName + " is too short: " + offsetName + "=" + offset
          + " plus " + count + " elements needs length >= " + (offset + count) + ", was " + length);
    }
  }

  /** The region of a batch: rows*cols elements from offset. */
  static void batch(int length, int offset, int rows, int cols, String arrayName, String offsetName) {
    positiveCols(cols);
    nonNegative(rows, "rows");
    range(length, offset, (long) rows * cols, arrayName, offsetName);
  }

  /**
   * Rejects an output that shares an array with the input at a different, overlapping offset: the kernels
   * read a row more than once, so such an overlap would silently corrupt results. The same array at the
   * same offset is the supported in-place form.
   */
  static void noPartialOverlap(Object x, int xOffset, Object y, int yOffset, long count) {
    noPartialOverlap(x, xOffset, "x", y, yOffset, "y", count);
  }

  /** {@link #noPartialOverlap(Object, int, Object, int, long)} with the arrays' names in its message. */
  static void noPartialOverlap(Object x, int xOffset, String xName, Object y, int yOffset, String yName, long count) {
    if (x == y && xOffset != yOffset && intersect(xOffset, count, yOffset, count)) {
      throw new IllegalArgumentException(yName + " overlaps " + xName + " at a different offset (" + xName
          + " from " + xOffset + ", " + yName + " from " + yOffset + ", " + count
          + " elements); use the same offset to work in place");
    }
  }

  /**
   * Rejects a per-row output ({@code count} elements from {@code outOffset}) that shares an array with an
   * input it is computed from ({@code inCount} elements from {@code inOffset}) and overlaps it: a row's
   * result would overwrite inputs of rows not yet read, or being read by another thread, and silently
   * change their results. Unlike a batch output, a per-row output has no in-place form.
   */
  static void noOverlap(Object in, int inOffset, long inCount, String inName, Object out, int outOffset, long count,
      String outName) {
    if (in == out && intersect(inOffset, inCount, outOffset, count)) {
      throw new IllegalArgumentException(outName + " overlaps " + inName + " (" + outName + " elements " + outOffset
          + " to " + (outOffset + count - 1) + ", " + inName + " elements " + inOffset + " to "
          + (inOffset + inCount - 1) + "); write the per-row results to another range");
    }
  }

  /** Whether the index ranges {@code [a, a + aCount)} and {@code [b, b + bCount)} share an index. */
  private static boolean intersect(long a, long aCount, long b, long bCount) {
    return Math.max(a, b) < Math.min(a + aCount, b + bCount);
  }

  static void temperature(float temperature) {
    if (!(temperature > 0f) || !Float.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, was " + temperature);
    }
  }

  static void temperature(double temperature) {
    if (!(temperature > 0d) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, was " + temperature);
    }
  }

  static void k(int k, int cols) {
    if (k < 1 || k > cols) {
      throw new IllegalArgumentException("k must be in 1.." + cols + " (cols), was " + k);
    }
  }

  /** Every entry finite and {@code >= 0}; the message names the array and the entry. */
  static void finiteNonNegative(float[] w, String name) {
    notNull(w, name);
    for (int i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || !Float.isFinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, was " + w[i]);
      }
    }
  }

  /** Every entry finite and {@code >= 0}; the message names the array and the entry. */
  static void finiteNonNegative(double[] w, String name) {
    notNull(w, name);
    for (int i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, was " + w[i]);
      }
    }
  }
}
