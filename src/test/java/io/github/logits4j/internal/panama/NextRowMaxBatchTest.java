package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The accurate kernels' batch entry points that find each row's maximum in the exp pass of a row before it
 * (snippet next-row-max): the double ones ({@link SoftmaxF64#softmaxRows}, {@link SoftmaxF64#logSoftmaxRows},
 * {@link SoftmaxF64#logSumExpRows}; the row before) and float log-softmax ({@link SoftmaxF32#logSoftmaxPairs};
 * two rows before). Each row of a batch must get the bits of the row entry points, which take the row's own
 * maximum pass: rows of every length (narrow ones, whole logical widths, tails), far apart, with NaNs of both
 * signs, infinities, rows all -inf, rows of signed zeros, subnormals, entries near the ends of the range,
 * with and without a temperature, in place and out.
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
   * A batch whose rows are far apart, with rows of special values among them; {@code huge} and {@code tiny}
   * near the ends of the dtype's range (its subnormals from {@code tiny}).
   */
  private static double[] batch(SplittableRandom rnd, int rows, int n, double huge, double tiny) {
    double[] x = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      double centre = rnd.nextInt(3) == 0 ? rnd.nextDouble(-300, 300) : 0;
      double spread = rnd.nextBoolean() ? 1 : 30;
      boolean plain = rnd.nextBoolean();
      for (int j = 0; j < n; j++) {
        x[r * n + j] = plain ? centre + rnd.nextGaussian() * spread : entry(rnd, centre, spread, huge, tiny);
      }
      switch (rnd.nextInt(8)) {
        case 0 -> x[r * n + rnd.nextInt(n)] = switch (rnd.nextInt(4)) {
          case 0 -> Double.NaN;
          case 1 -> Double.longBitsToDouble(0xfff8000000000000L);  // a NaN with the sign bit set
          case 2 -> Double.POSITIVE_INFINITY;
          default -> Double.NEGATIVE_INFINITY;
        };
        case 1 -> Arrays.fill(x, r * n, (r + 1) * n, Double.NEGATIVE_INFINITY);
        case 2 -> Arrays.fill(x, r * n, (r + 1) * n, rnd.nextBoolean() ? -0.0 : 0.0);
        default -> { }
      }
    }
    return x;
  }

  @Property(tries = 150)
  void eachDoubleRowOfABatchGetsTheRowEntryPointsBits(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 * VectorWidth.NARROW_DOUBLE_SUMS : 150);
    int rows = 1 + rnd.nextInt(9);
    double[] x = batch(rnd, rows, n, 1e308, Double.MIN_VALUE);
    double temperature = switch (rnd.nextInt(4)) {
      case 0 -> 0.05;
      case 1 -> 3.7;
      default -> 1.0;
    };
    double betaHi = 1.0 / temperature, betaLo = Math.fma(-betaHi, temperature, 1.0) / temperature;
    for (int op = 0; op < 3; op++) {
      boolean inPlace = op < 2 && rnd.nextBoolean();
      int per = op < 2 ? n : 1;
      double[] y = inPlace ? x.clone() : new double[rows * per + 3];
      int yo = inPlace ? 0 : 3;  // an output offset of its own
      switch (op) {
        case 0 -> SoftmaxF64.softmaxRows(inPlace ? y : x, 0, y, yo, rows, n, betaHi, betaLo);
        case 1 -> SoftmaxF64.logSoftmaxRows(inPlace ? y : x, 0, y, yo, rows, n, betaHi, betaLo);
        default -> SoftmaxF64.logSumExpRows(x, 0, y, yo, rows, n);
      }
      for (int r = 0; r < rows; r++) {
        double[] expected = new double[per];
        switch (op) {
          case 0 -> SoftmaxF64.softmax(x, r * n, expected, 0, n, betaHi, betaLo);
          case 1 -> SoftmaxF64.logSoftmax(x, r * n, expected, 0, n, betaHi, betaLo);
          default -> expected[0] = SoftmaxF64.logSumExp(x, r * n, n);
        }
        for (int j = 0; j < per; j++) {
          final int row = r, col = j, o = op;
          assertEquals(Double.doubleToLongBits(expected[j]), Double.doubleToLongBits(y[yo + r * per + j]),
              () -> "op " + o + " row " + row + " of " + rows + " col " + col + " n " + n + " T " + temperature
                  + (inPlace ? " in place" : "") + ": " + Arrays.toString(Arrays.copyOfRange(x, row * n, row * n + Math.min(n, 8))));
        }
      }
    }
  }

  @Property(tries = 200)
  void eachFloatRowOfAPairedBatchGetsTheRowEntryPointsBits(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = VectorWidth.SUM_LANES_FLOAT + rnd.nextInt(rnd.nextBoolean() ? 40 : 150);
    int rows = rnd.nextInt(10);  // odd and even counts, and none
    double[] wide = batch(rnd, rows, n, 3e38, Float.MIN_VALUE);
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
    boolean inPlace = rnd.nextBoolean();
    float[] y = inPlace ? x.clone() : new float[rows * n + 5];
    int yo = inPlace ? 0 : 5;
    SoftmaxF32.logSoftmaxPairs(inPlace ? y : x, 0, y, yo, rows, n, beta, betaHi, betaLo);
    for (int r = 0; r < rows; r++) {
      float[] expected = new float[n];
      SoftmaxF32.logSoftmax(x, r * n, expected, 0, n, beta, betaHi, betaLo);
      for (int j = 0; j < n; j++) {
        final int row = r, col = j;
        assertEquals(Float.floatToIntBits(expected[j]), Float.floatToIntBits(y[yo + r * n + j]),
            () -> "row " + row + " of " + rows + " col " + col + " n " + n + " T " + temperature
                + (inPlace ? " in place" : "") + ": " + Arrays.toString(Arrays.copyOfRange(x, row * n, row * n + 8)));
      }
    }
  }
}
