package io.github.logits4j.gen;

import java.util.Arrays;

/**
 * A generated row-major batch. Values are held as doubles; for float batches every value is a float, so
 * {@link #floats()} is exact. {@code toString} prints the call that regenerates the batch, so a failing
 * sample reported by jqwik can be pasted into an example test.
 */
public record Batch(Regime regime, int rows, int cols, double[] values, boolean isFloat, long seed) {

  /** A batch built from explicit values, e.g. a transformed copy of a generated one. */
  public Batch with(double[] newValues) {
    return new Batch(regime, rows, cols, newValues, isFloat, seed);
  }

  public float[] floats() {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }

  public double[] row(int r) {
    return Arrays.copyOfRange(values, r * cols, (r + 1) * cols);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Batches.make(Regime." + regime + ", " + rows + ", " + cols + ", "
        + seed + "L, " + isFloat + ") ");
    b.append('[');
    for (int i = 0; i < Math.min(values.length, 12); i++) {
      if (i > 0) {
        b.append(i % cols == 0 ? " | " : ", ");
      }
      b.append(isFloat ? Float.toHexString((float) values[i]) + "f" : Double.toHexString(values[i]));
    }
    return b.append(values.length > 12 ? ", ...]" : "]").toString();
  }
}
