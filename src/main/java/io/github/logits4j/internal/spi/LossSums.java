package io.github.logits4j.internal.spi;

/**
 * How the losses sum their rows, the same for every implementation and every split of the rows.
 *
 * <p>The rows of a batch fall into blocks of {@link #rowsPerBlock} rows (about {@value #BLOCK_ELEMENTS}
 * elements, at least one row). Each block's losses are summed in a double-double, in the order its kernel
 * defines; the blocks' sums are then added in block order, again in a double-double ({@link #hi},
 * {@link #lo}), and the total is divided and rounded once ({@link #quotient}). A caller that splits a
 * batch between threads at block boundaries and adds the blocks' sums in order gets the bits of one
 * thread doing it all. Row losses are each within half an ulp plus a little of exact, so the total, exact
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

  /** The high part of the double-double {@code (hi + lo) + (blockHi + blockLo)}. */
  public static double hi(double hi, double blockHi) {
    return hi + blockHi;
  }

  /** The low part of the double-double {@code (hi + lo) + (blockHi + blockLo)}, beside {@link #hi}. */
  public static double lo(double hi, double lo, double blockHi, double blockLo) {
    double s = hi + blockHi;
    return lo + (twoSumError(hi, blockHi, s) + blockLo);
  }

  /**
   * {@code (hi + lo) / (dHi + dLo)}, rounded once; an infinite or NaN sum passes through, as does its
   * quotient.
   */
  public static double quotient(double hi, double lo, double dHi, double dLo) {
    double q = hi / dHi;
    return Double.isFinite(q) ? q + (Math.fma(-q, dHi, hi) + lo - q * dLo) / dHi : q;
  }

  /** The rounding error of {@code s = a + b}: Fast2Sum with the larger operand first. */
  public static double twoSumError(double a, double b, double s) {
    return Math.abs(a) >= Math.abs(b) ? b - (s - a) : a - (s - b);
  }
}
