package io.github.logits4j;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The batches the entry-point matrix runs every method on: every row width from 1 to 70 and a few
 * around the wider lane boundaries, in every value regime, plus a mixed regime whose rows each draw their
 * own regime and include the special rows (NaN, +inf, all -inf). Rows narrow enough for the row-block
 * kernels come 37 to a batch, more than two blocks at any width, so blocks and their leftover rows are
 * both exercised; wider rows come 3 to a batch.
 */
final class MatrixCases {
  private MatrixCases() {}

  /** Widths 1 to 70, then both sides of the wider multiples of every lane count, and one long row. */
  static final int[] WIDTHS = IntStream.concat(IntStream.rangeClosed(1, 70),
      IntStream.of(95, 96, 97, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 4099)).toArray();

  /** Temperatures for the forms that take one, cycled over the cases. */
  static final double[] TEMPERATURES = {0.05, 0.7, 1.0, 1.5, 3.3, 1000.0};

  /** One batch of the matrix. {@code index} numbers the cases, so options can be cycled over them. */
  record Case(Batch batch, String regime, int index, long seed, double temperature) {
    /** The temperature in the batch's dtype. */
    double t() {
      return batch.isFloat() ? (float) temperature : temperature;
    }

    @Override
    public String toString() {
      return regime + " " + (batch.isFloat() ? "float32" : "float64") + " " + batch.rows() + "x" + batch.cols()
          + " seed " + seed + (temperature != 1.0 ? " T=" + temperature : "");
    }
  }

  static List<Case> cases(boolean isFloat) {
    List<Case> out = new ArrayList<>();
    int index = 0;
    for (int cols : WIDTHS) {
      int rows = cols <= 32 ? 37 : 3;
      for (Regime regime : Regime.values()) {
        long seed = 1000003L * cols + 31L * regime.ordinal() + (isFloat ? 7 : 0);
        out.add(new Case(Batches.make(regime, rows, cols, seed, isFloat), regime.name(), index,
            seed, TEMPERATURES[index % TEMPERATURES.length]));
        index++;
      }
      long seed = 1000003L * cols + 977 + (isFloat ? 7 : 0);
      out.add(new Case(mixed(rows, cols, seed, isFloat), "MIXED", index, seed,
          TEMPERATURES[index % TEMPERATURES.length]));
      index++;
    }
    return out;
  }

  /**
   * A batch whose rows each draw their own regime, with ties of the maximum, -0.0, and one row in five
   * special: a NaN, a +inf, or only -inf.
   */
  static Batch mixed(int rows, int cols, long seed, boolean isFloat) {
    return Batches.mixed(rows, cols, seed, isFloat, -0.0, true);
  }

  /** The row's maximum with {@link Math#max}'s NaN rule. */
  static double max(double[] row) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : row) {
      m = Math.max(m, v);
    }
    return m;
  }
}
