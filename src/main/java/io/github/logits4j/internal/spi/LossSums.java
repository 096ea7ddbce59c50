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

  /**
   * The block sums of one call's rows as they come, in row order: each loss added to its block's
   * double-double, and the block's pair stored when the block is full or the rows end, as a loop over the
   * blocks would store them. Kernels whose rows come a group at a time (row blocks, rows read one by one
   * from a segment) keep one per thread in their scratch and {@link #start} it per call: no allocation.
   */
  public static final class Running {
    private double[] partials;
    private int at, perBlock, inBlock, left;
    private double hi, lo;
    private final double[] one = new double[1];

    /**
     * Starts the sums of {@code rows} rows of {@code cols} entries, the first at a block boundary, the pairs
     * stored from {@code partials[offset]}.
     */
    public Running start(int rows, int cols, double[] partials, int offset) {
      this.partials = partials;
      this.at = offset;
      this.perBlock = rowsPerBlock(cols);
      this.inBlock = 0;
      this.left = rows;
      this.hi = 0;
      this.lo = 0;
      return this;
    }

    /**
     * Adds the next {@code count} rows' losses, {@code losses[from]} on, in order: each added to its block's
     * double-double, the block's pair stored when it is full or the rows end. The running sums are in locals
     * for the loop rather than in this object's fields, whose stores and reloads would put a memory round
     * trip on every row's chain of dependent additions.
     */
    public void add(double[] losses, int from, int count) {
      double h = hi, l = lo;
      int in = inBlock, rest = left;
      for (int i = from; i < from + count; i++) {
        double loss = losses[i];
        double next = h + loss;
        l += twoSumError(h, loss, next);
        h = next;
        rest--;
        if (++in == perBlock || rest == 0) {
          partials[at] = h;
          partials[at + 1] = l;
          at += 2;
          h = 0;
          l = 0;
          in = 0;
        }
      }
      hi = h;
      lo = l;
      inBlock = in;
      left = rest;
    }

    /** Adds the next row's loss: {@link #add(double[], int, int)} of one. */
    public void add(double loss) {
      one[0] = loss;
      add(one, 0, 1);
    }
  }

  /** The rounding error of {@code s = a + b}: Fast2Sum with the larger operand first. */
  public static double twoSumError(double a, double b, double s) {
    return Math.abs(a) >= Math.abs(b) ? b - (s - a) : a - (s - b);
  }
}
