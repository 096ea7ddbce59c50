package io.github.logits4j.internal.spi;

/**
 * How the losses sum their rows, the same for every implementation and every split of the rows.
 *
 * <p>The rows of a batch fall into blocks of {@link #rowsPerBlock} rows (about {@value #BLOCK_ELEMENTS}
 * elements, at least one row). Each block's losses are summed in a double-double, in the order its kernel
 * defines, and stored as a pair in an array of partial sums; the blocks' sums are then added in block
 * order, again in a double-double, and the total is divided and rounded once ({@link #quotient}). A caller
 * that splits a batch between threads at block boundaries gets the bits of one thread doing it all. Row losses are each within half an ulp plus a little of exact, so the total, exact
 * to far below an ulp in the double-double, is within 2 ulps once rounded.
 */
public final class LossSums {
  /** The size of a block, in elements. */
  public static final int BLOCK_ELEMENTS = 16384;

  private LossSums() {}

  /** Rows per block for rows of {@code cols}. */
  public static int rowsPerBlock(int cols) {
    return Math.max(1, BLOCK_ELEMENTS / cols);
  }

  /** The number of blocks of {@code rows} rows of {@code cols}. */
  public static int blocks(int rows, int cols) {
    int perBlock = rowsPerBlock(cols);
    return (rows + perBlock - 1) / perBlock;
  }

  /**
   * The blocks' sums {@code partials[offset + 2b] + partials[offset + 2b + 1]}, for {@code b} from 0 to
   * {@code blocks - 1}, added in order in a double-double, divided by {@code dHi + dLo} and rounded once;
   * an infinite or NaN sum passes through, as does its quotient.
   */
  public static double quotient(double[] partials, int offset, int blocks, double dHi, double dLo) {
    double hi = 0, lo = 0;
    for (int b = 0; b < blocks; b++) {
      double blockHi = partials[offset + 2 * b], blockLo = partials[offset + 2 * b + 1];
      double s = hi + blockHi;
      lo = lo + (twoSumError(hi, blockHi, s) + blockLo);
      hi = s;
    }
    double q = hi / dHi;
    return Double.isFinite(q) ? q + (Math.fma(-q, dHi, hi) + lo - q * dLo) / dHi : q;
  }

  /** The rounding error of {@code s = a + b}: Fast2Sum with the larger operand first. */
  public static double twoSumError(double a, double b, double s) {
    return Math.abs(a) >= Math.abs(b) ? b - (s - a) : a - (s - b);
  }
}
