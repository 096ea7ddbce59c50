package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The accurate kernels' batch entry points that find each row's maximum in the exp pass of a row before it
 * (snippet next-row-max): the double ones ({@link SoftmaxF64#softmaxRows}, {@link SoftmaxF64#logSoftmaxRows},
 * {@link SoftmaxF64#logSumExpRows}; the row before) and float log-softmax ({@link SoftmaxF32#logSoftmaxPairs};
 * two rows before, or the row before for rows of {@link SoftmaxF32#PAIRS_BELOW} or more). Each row of a
 * batch must get the raw bits of the row entry points, which take the row's own maximum pass: batches at an
 * offset in their array, of 0 to 9 rows of every length (narrow ones, whole logical widths, tails), rows
 * far apart, with NaNs of both signs, infinities, rows all -inf, rows of zeros of one or both signs,
 * subnormals, entries near the ends of the range, with and without a temperature, in place and out (the
 * input then unchanged).
 */
class NextRowMaxBatchTest {

  private static double entry(SplittableRandom rnd, double centre, double spread, double huge, double tiny) {
    return switch (rnd.nextInt(40)) {
      case 0 -> 0.0;
      case 1 -> -0.0;
      case 2 -> tiny * rnd.nextInt(1, 100) * (rnd.nextBoolean() ? 1 : -1);
      case 3 -> rnd.nextBoolean() ? huge : -huge;
      default -> centre + rnd.nextGaussian() * spread;
    };
  }

  /**
   * {@code rows} rows of {@code n} at offset {@code xo} of an array with two entries after them, the rows far
   * apart, with rows of special values among them; {@code huge} and {@code tiny} near the ends of the dtype's
   * range (its subnormals from {@code tiny}).
   */
  private static double[] batch(SplittableRandom rnd, int xo, int rows, int n, double huge, double tiny) {
    double[] x = new double[xo + rows * n + 2];
    Arrays.fill(x, 7.5);
    for (int r = 0; r < rows; r++) {
      int at = xo + r * n;
      double centre = rnd.nextInt(3) == 0 ? rnd.nextDouble(-300, 300) : 0;
      double spread = rnd.nextBoolean() ? 1 : 30;
      boolean plain = rnd.nextBoolean();
      for (int j = 0; j < n; j++) {
        x[at + j] = plain ? centre + rnd.nextGaussian() * spread : entry(rnd, centre, spread, huge, tiny);
      }
      switch (rnd.nextInt(9)) {
        case 0 -> x[at + rnd.nextInt(n)] = switch (rnd.nextInt(4)) {
          case 0 -> Double.NaN;
          case 1 -> Double.longBitsToDouble(0xfff8000000000000L);  // a NaN with the sign bit set
          case 2 -> Double.POSITIVE_INFINITY;
          default -> Double.NEGATIVE_INFINITY;
        };
        case 1 -> Arrays.fill(x, at, at + n, Double.NEGATIVE_INFINITY);
        case 2 -> Arrays.fill(x, at, at + n, rnd.nextBoolean() ? -0.0 : 0.0);
        case 3 -> {
          for (int j = 0; j < n; j++) {
            x[at + j] = rnd.nextBoolean() ? -0.0 : rnd.nextInt(4) == 0 ? -1 : 0.0;  // zeros of both signs on top
          }
        }
        default -> { }
      }
    }
    return x;
  }

  /** Runs op 0 (softmax), 1 (log-softmax) or 2 (log-sum-exp) of the batch entry points. */
  private static void batchOp(int op, double[] x, int xo, double[] y, int yo, int rows, int n, double betaHi,
      double betaLo) {
    switch (op) {
      case 0 -> SoftmaxF64.softmaxRows(x, xo, y, yo, rows, n, betaHi, betaLo);
      case 1 -> SoftmaxF64.logSoftmaxRows(x, xo, y, yo, rows, n, betaHi, betaLo);
      default -> SoftmaxF64.logSumExpRows(x, xo, y, yo, rows, n);
    }
  }

  /** The same op of the row entry points, row by row. */
  private static double[] perRow(int op, double[] x, int xo, int rows, int n, double betaHi, double betaLo) {
    int per = op < 2 ? n : 1;
    double[] expected = new double[rows * per];
    for (int r = 0; r < rows; r++) {
      switch (op) {
        case 0 -> SoftmaxF64.softmax(x, xo + r * n, expected, r * n, n, betaHi, betaLo);
        case 1 -> SoftmaxF64.logSoftmax(x, xo + r * n, expected, r * n, n, betaHi, betaLo);
        default -> expected[r] = SoftmaxF64.logSumExp(x, xo + r * n, n);
      }
    }
    return expected;
  }

  private static void assertSameBits(double[] expected, double[] y, int yo, String what) {
    for (int i = 0; i < expected.length; i++) {
      final int at = i;
      assertEquals(Long.toHexString(Double.doubleToRawLongBits(expected[i])),
          Long.toHexString(Double.doubleToRawLongBits(y[yo + i])), () -> what + ", output " + at);
    }
  }

  @Property(tries = 200)
  void eachDoubleRowOfABatchGetsTheRowEntryPointsBits(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 * VectorWidth.NARROW_DOUBLE_SUMS : 150);
    int rows = rnd.nextInt(10);
    int xo = rnd.nextInt(4);
    double[] x = batch(rnd, xo, rows, n, 1e308, Double.MIN_VALUE);
    double temperature = switch (rnd.nextInt(4)) {
      case 0 -> 0.05;
      case 1 -> 3.7;
      default -> 1.0;
    };
    double betaHi = 1.0 / temperature, betaLo = Math.fma(-betaHi, temperature, 1.0) / temperature;
    for (int op = 0; op < 3; op++) {
      double[] expected = perRow(op, x, xo, rows, n, betaHi, betaLo);
      boolean inPlace = op < 2 && rnd.nextBoolean();
      String what = "op " + op + ", " + rows + " rows of " + n + " at " + xo + ", T " + temperature
          + (inPlace ? ", in place" : "");
      if (inPlace) {
        double[] y = x.clone();
        batchOp(op, y, xo, y, xo, rows, n, betaHi, betaLo);
        assertSameBits(expected, y, xo, what);
      } else {
        double[] before = x.clone();
        double[] y = new double[expected.length + 3];
        batchOp(op, x, xo, y, 3, rows, n, betaHi, betaLo);
        assertSameBits(expected, y, 3, what);
        assertArrayEquals(before, x, what + ": the input changed");
      }
    }
  }

  /**
   * A shrunk case from a reading of the code: log-sum-exp of a row shorter than a vector whose NaN has the
   * sign bit set. The row entry point returns that NaN as it is; the maximum decoded from the row before's
   * pass is the canonical NaN, which the batch must not return.
   */
  @Example
  void aSignedNanOfAShortRowKeepsItsBitsInLogSumExp() {
    double[] x = {0, 1, Double.longBitsToDouble(0xfff8000000000000L), 0};
    double[] out = new double[2];
    SoftmaxF64.logSumExpRows(x, 0, out, 0, 2, 2);
    assertEquals(Long.toHexString(Double.doubleToRawLongBits(SoftmaxF64.logSumExp(x, 2, 2))),
        Long.toHexString(Double.doubleToRawLongBits(out[1])));
  }

  @Property(tries = 200)
  void eachFloatRowOfAPairedBatchGetsTheRowEntryPointsBits(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    // rows from the float sums' logical width, and some long enough to go one at a time
    boolean single = rnd.nextInt(8) == 0;
    int n = single ? SoftmaxF32.PAIRS_BELOW + rnd.nextInt(40)
        : VectorWidth.SUM_LANES_FLOAT + rnd.nextInt(rnd.nextBoolean() ? 40 : 150);
    int rows = rnd.nextInt(single ? 4 : 10);  // odd and even counts, and none
    int xo = rnd.nextInt(4);
    double[] wide = batch(rnd, xo, rows, n, 3e38, Float.MIN_VALUE);
    float[] x = new float[wide.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) wide[i];
    }
    float temperature = switch (rnd.nextInt(4)) {
      case 0 -> 0.05f;
      case 1 -> 3.7f;
      default -> 1f;
    };
    double beta = 1.0 / temperature;
    float betaHi = (float) beta, betaLo = (float) (beta - betaHi);
    float[] expected = new float[rows * n];
    for (int r = 0; r < rows; r++) {
      SoftmaxF32.logSoftmax(x, xo + r * n, expected, r * n, n, beta, betaHi, betaLo);
    }
    boolean inPlace = rnd.nextBoolean();
    float[] before = x.clone();
    float[] y = inPlace ? x : new float[rows * n + 5];
    int yo = inPlace ? xo : 5;
    SoftmaxF32.logSoftmaxPairs(x, xo, y, yo, rows, n, beta, betaHi, betaLo);
    String what = rows + " rows of " + n + " at " + xo + ", T " + temperature + (inPlace ? ", in place" : "");
    for (int i = 0; i < expected.length; i++) {
      final int at = i;
      assertEquals(Integer.toHexString(Float.floatToRawIntBits(expected[i])),
          Integer.toHexString(Float.floatToRawIntBits(y[yo + i])), () -> what + ", output " + at);
    }
    if (!inPlace) {
      assertArrayEquals(before, x, what + ": the input changed");
    }
  }
}
