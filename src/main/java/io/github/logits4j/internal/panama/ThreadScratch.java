package io.github.logits4j.internal.panama;

import io.github.logits4j.internal.spi.LossSums;

/**
 * Per-thread scratch of the kernels, so that they allocate nothing, whatever C2 inlines.
 *
 * <p>The row-block kernels transpose a block of narrow rows into it, so that column {@code j} of the block
 * is one contiguous vector ({@code x[row * n + j]} in lane {@code row}).
 *
 * <p>Why not the Vector API's gather ({@code fromArray} with an index map): that is a large library method.
 * In a JVM that has compiled it on its own first, for another caller, C2 calls it out of line, and there
 * its index vector and its result are boxed, some hundred bytes on every row block. A scalar
 * transposition reads each entry once and leaves only plain contiguous loads, which C2 always
 * intrinsifies; it costs about what the gathers cost, which read each entry once per pass.
 *
 * <p>One instance per thread, taken once per call, so the kernels stay thread-safe and allocation-free
 * after a thread's first call.
 */
final class ThreadScratch {
  /** A class, not {@code withInitial} and a lambda: a cold JVM's first lambda costs a millisecond or more. */
  private static final ThreadLocal<ThreadScratch> LOCAL = new ThreadLocal<>() {
    @Override
    protected ThreadScratch initialValue() {
      return new ThreadScratch();
    }
  };

  /**
   * The most columns of a block: double rows under {@code VectorWidth.NARROW_DOUBLE_SUMS} (two logical
   * widths of eight lanes, or of the lane count where that is more), float rows under the float sums'
   * logical width.
   */
  private static final int BLOCK_COLUMNS = 2 * Math.max(8, VectorBits.DOUBLE_LANES);
  /** A block of double rows, or of float rows widened to double: {@link #BLOCK_COLUMNS} columns. */
  final double[] doubles = new double[BLOCK_COLUMNS * VectorBits.DOUBLE_LANES];
  /**
   * The blocks of double rows, or of float rows widened, that {@link RowBlocks} and {@link RowBlocksF32} run a
   * phase at a time:
   * {@link RowBlocks#GROUP} blocks of {@link #BLOCK_COLUMNS} columns, their lane values, and two masks each.
   * Float cross-entropy with a gradient leaves each block's columns holding its terms {@code exp(x - m) 2^64}
   * from its sums until its gradient is taken ({@link RowBlocksF32#lambdas}), where
   * {@code BlockTranspose.WIDENS} (at 128 bits the gradient is taken row by row).
   */
  final double[] groupColumns = new double[RowBlocks.GROUP * BLOCK_COLUMNS * VectorBits.DOUBLE_LANES];
  final double[] groupLanes = new double[RowBlocks.GROUP * RowBlocks.LANE_VALUES * VectorBits.DOUBLE_LANES];
  final long[] groupBits = new long[2 * RowBlocks.GROUP];
  /** A double row's cross-entropy sums {@code A} and {@code G}, each a double-double ({@link CrossEntropyF64}). */
  final double[] terms = new double[4];
  /** The loss sums of a row-block cross-entropy call. */
  final LossSums.Running lossSums = new LossSums.Running();
  /** The row losses of a group of blocks ({@link CrossEntropyRowBlocksF32}, {@link CrossEntropyRowBlocksF64}). */
  final double[] groupLosses = new double[RowBlocks.GROUP * VectorBits.DOUBLE_LANES];
  /** The widest narrow float row a block kernel takes, plus one: two vectors, or the sums' logical width. */
  private static final int NARROW_FLOAT_COLUMNS = Math.max(2 * VectorBits.FLOAT_LANES, VectorBits.SUM_LANES_FLOAT);
  /**
   * A block of float rows: {@link #NARROW_FLOAT_COLUMNS} columns (a float cross-entropy block's gradient
   * columns, narrowed, at the double lane count).
   */
  final float[] floats = new float[NARROW_FLOAT_COLUMNS * VectorBits.FLOAT_LANES];
  /** Per-lane values a block kernel hands from its vector part to its scalar part: floats, ints, doubles. */
  final float[] laneFloats = new float[4 * VectorBits.FLOAT_LANES];
  final int[] laneInts = new int[2 * VectorBits.FLOAT_LANES];
  final double[] laneDoubles = new double[VectorBits.FLOAT_LANES];  // two double vectors
  /**
   * Elements per stage of {@code LogisticF64.bceRows}'s vector part, here so that sizing this scratch
   * initialises no kernel class (a cold JVM's first float softmax calls must create no vector species).
   */
  static final int BCE_STAGE = 512;
  /** The values the stages of {@code LogisticF64.bceRows} hand on (four per element), and its lane sums. */
  final double[] bce = new double[4 * BCE_STAGE + 2 * VectorBits.SUM_LANES_DOUBLE];
  /**
   * The lane sums a float exp pass hands to {@code LaneSums.floatLogicalTotal}: three sets (sums,
   * compensations, rounding errors) of the logical width's lanes.
   */
  final float[] fusedFloats = new float[3 * VectorBits.SUM_LANES_FLOAT];
  /**
   * The logical double lanes {@code LaneSums.floatLogicalTotal} adds up, apart from {@link #laneDoubles}:
   * a block kernel that sends a row to the row path keeps its own lanes there.
   */
  final double[] logicalLanes = new double[VectorBits.SUM_LANES_FLOAT];
  /** The lane totals {@code SoftmaxF64}'s exp passes hand to its {@code foldLanes}: two double vectors. */
  final double[] foldLanes = new double[2 * Math.max(8, VectorBits.DOUBLE_LANES)];
  /** A block's row indices from {@code ArgmaxMaxTree} over segments, stored to the segment as one vector. */
  final int[] blockIndices = new int[VectorBits.FLOAT_LANES];
  /** {@code FastSoftmax}'s next row's maximum, float and double, from one row's exponential pass to the next row. */
  final float[] fastNextMaxF32 = new float[1];
  final double[] fastNextMaxF64 = new double[1];
  /** {@code SoftmaxF64}'s batch entry points' next row's maximum, from one row's exp pass to the next row. */
  final double[] nextMaxF64 = new double[1];
  /** {@code SoftmaxF32.logSoftmaxPairs}' maxima of the next pair's rows, from one pair's exp passes to the next. */
  final float[] nextMaxF32 = new float[2];
  /** The last partial logical width of a row that {@code SoftmaxF32Segments} reads from a segment. */
  final float[] fusedTail = new float[VectorBits.SUM_LANES_FLOAT];
  /**
   * One row of {@code SoftmaxF32Segments}: its exponentials between the fused pass and the normalisation,
   * and, for a row the fused pass does not accept, its input; grown to the longest row seen.
   */
  private float[] segmentRow = new float[0], segmentInput = new float[0];

  /**
   * {@code posWeight} repeated over the rows of a loss block, so that binary cross-entropy takes a block of
   * rows as one run of elements ({@link #posWeightRows}); grown to the longest seen (at most
   * {@code LossSums.BLOCK_ELEMENTS}).
   */
  private float[] posWeightFloats = new float[0];
  private double[] posWeightDoubles = new double[0];

  /** {@code pw} ({@code cols} entries) repeated {@code rows} times, in this thread's scratch. */
  float[] posWeightRows(float[] pw, int cols, int rows) {
    int count = rows * cols;
    float[] t = posWeightFloats.length >= count ? posWeightFloats : (posWeightFloats = new float[count]);
    repeat(pw, t, cols, count);
    return t;
  }

  /** {@code pw} ({@code cols} entries) repeated {@code rows} times, in this thread's scratch. */
  double[] posWeightRows(double[] pw, int cols, int rows) {
    int count = rows * cols;
    double[] t = posWeightDoubles.length >= count ? posWeightDoubles : (posWeightDoubles = new double[count]);
    repeat(pw, t, cols, count);
    return t;
  }

  /** The first {@code count} entries of {@code to}: {@code row}'s {@code cols} entries over and over. */
  private static void repeat(Object row, Object to, int cols, int count) {
    if (count == 0) {
      return;  // no rows: nothing reads it
    }
    System.arraycopy(row, 0, to, 0, cols);
    for (int done = cols; done < count; done *= 2) {  // doubling: a few copies, not one per row
      System.arraycopy(to, 0, to, done, Math.min(done, count - done));
    }
  }

  /**
   * The exponentials of a row whose log-sum-exp {@code SoftmaxF32} takes from the fused pass, which stores
   * them, and of a float row of {@code FastSoftmax}'s log-sum-exp and log-softmax; grown to the longest row
   * seen (a call with a longer row than any before allocates it once).
   */
  private float[] lseRow = new float[0];

  float[] lseRow(int n) {
    return lseRow.length >= n ? lseRow : (lseRow = new float[n]);
  }

  /** The exponentials of a double row of {@code FastSoftmax}'s log-sum-exp and log-softmax, which store them. */
  private double[] fastRowDouble = new double[0];

  double[] fastRowDouble(int n) {
    return fastRowDouble.length >= n ? fastRowDouble : (fastRowDouble = new double[n]);
  }

  float[] segmentRow(int n) {
    return segmentRow.length >= n ? segmentRow : (segmentRow = new float[n]);
  }

  float[] segmentInput(int n) {
    return segmentInput.length >= n ? segmentInput : (segmentInput = new float[n]);
  }

  /**
   * The exact exponential sum of the rows whose rounding is in doubt. A fresh {@link DoubleDouble.ExpSum}
   * per row would live on the stack only where C2 inlines its {@code addExp}, a large method that a busy
   * JVM may have compiled on its own.
   */
  private final DoubleDouble.ExpSum expSum = new DoubleDouble.ExpSum();

  private ThreadScratch() {}

  /** The calling thread's exact exponential sum, set to zero. */
  static DoubleDouble.ExpSum expSum() {
    DoubleDouble.ExpSum sum = LOCAL.get().expSum;
    sum.hi = 0;
    sum.lo = 0;
    return sum;
  }

  /** The calling thread's scratch. */
  static ThreadScratch get() {
    return LOCAL.get();
  }

  /** Block {@code t[to + j * lanes + lane] = x[base + lane * n + j]} of {@code lanes} rows of {@code n}. */
  static void transpose(double[] x, int base, int n, int lanes, double[] t, int to) {
    for (int lane = 0; lane < lanes; lane++) {
      for (int j = 0, o = base + lane * n; j < n; j++) {
        t[to + j * lanes + lane] = x[o + j];
      }
    }
  }

  /** {@code y[yBase + lane * n + j] = t[j * lanes + lane]}: the inverse of {@link #transpose(double[], int, int, int, double[], int)} with {@code to = 0}. */
  static void transposeBack(double[] t, int n, int lanes, double[] y, int yBase) {
    for (int lane = 0; lane < lanes; lane++) {
      for (int j = 0, o = yBase + lane * n; j < n; j++) {
        y[o + j] = t[j * lanes + lane];
      }
    }
  }

  /** The float rows widened to double, exactly, as {@link #transpose(double[], int, int, int, double[], int)}. */
  static void transpose(float[] x, int base, int n, int lanes, double[] t, int to) {
    for (int lane = 0; lane < lanes; lane++) {
      for (int j = 0, o = base + lane * n; j < n; j++) {
        t[to + j * lanes + lane] = x[o + j];
      }
    }
  }

  /** The float twin of {@link #transposeBack(double[], int, int, double[], int)}. */
  static void transposeBack(float[] t, int n, int lanes, float[] y, int yBase) {
    for (int lane = 0; lane < lanes; lane++) {
      for (int j = 0, o = yBase + lane * n; j < n; j++) {
        y[o + j] = t[j * lanes + lane];
      }
    }
  }

  /** The float twin of {@link #transpose(double[], int, int, int, double[], int)}. */
  static void transpose(float[] x, int base, int n, int lanes, float[] t, int to) {
    for (int lane = 0; lane < lanes; lane++) {
      for (int j = 0, o = base + lane * n; j < n; j++) {
        t[to + j * lanes + lane] = x[o + j];
      }
    }
  }
}
