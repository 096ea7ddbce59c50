package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fast mode finds each row's maximum in the exponential pass of the row before it (snippet
 * next-row-max). The maximum it carries is held to a plain fold with {@link Math#max}'s rules (NaN if any
 * entry is NaN, +0.0 above -0.0), at every row length, tail included; and each row of a batch gets the
 * bits of the per-row code it replaced (a maximum pass of the row's own, then the exponential pass),
 * in place and out of place, with rows of special values among them.
 */
class FastSoftmaxNextRowMaxTest {

  private static float floatEntry(SplittableRandom rnd, int kinds) {
    return switch (rnd.nextInt(kinds)) {
      case 0 -> 0f;
      case 1 -> -0f;
      case 2 -> Float.MIN_VALUE * rnd.nextInt(1, 100) * (rnd.nextBoolean() ? 1 : -1);
      case 3 -> Float.NEGATIVE_INFINITY;
      case 4 -> Float.POSITIVE_INFINITY;
      case 5 -> Float.intBitsToFloat(rnd.nextBoolean() ? 0x7fc00001 : 0xffc00000);  // NaNs of both signs
      default -> (float) (rnd.nextGaussian() * 10);
    };
  }

  private static double doubleEntry(SplittableRandom rnd, int kinds) {
    return switch (rnd.nextInt(kinds)) {
      case 0 -> 0.0;
      case 1 -> -0.0;
      case 2 -> Double.MIN_VALUE * rnd.nextInt(1, 100) * (rnd.nextBoolean() ? 1 : -1);
      case 3 -> Double.NEGATIVE_INFINITY;
      case 4 -> Double.POSITIVE_INFINITY;
      case 5 -> Double.longBitsToDouble(rnd.nextBoolean() ? 0x7ff8000000000001L : 0xfff8000000000000L);
      default -> rnd.nextGaussian() * 10;
    };
  }

  @Property(tries = 300)
  void theCarriedMaximumIsTheNextRowsMaximum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 140) int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int kinds = rnd.nextInt(3) == 0 ? 3 : 7 + rnd.nextInt(8);  // zeros and tiny values alone, or any kind
    boolean allNegative = rnd.nextInt(4) == 0;
    float[] xf = new float[2 * n];
    double[] xd = new double[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      float f = floatEntry(rnd, kinds);
      double d = doubleEntry(rnd, kinds);
      xf[i] = allNegative && !Float.isNaN(f) ? -Math.abs(f) - 1 : f;
      xd[i] = allNegative && !Double.isNaN(d) ? -Math.abs(d) - 1 : d;
    }
    float expectF = Float.NEGATIVE_INFINITY;
    double expectD = Double.NEGATIVE_INFINITY;
    for (int i = n; i < 2 * n; i++) {
      expectF = Math.max(expectF, xf[i]);
      expectD = Math.max(expectD, xd[i]);
    }
    float[] gotF = {Float.NaN};
    double[] gotD = {Double.NaN};
    FastSoftmax.expStore(xf, 0, new float[n], 0, n, 0f, n, gotF);
    FastSoftmax.expStore(xd, 0, new double[n], 0, n, 0.0, n, gotD);
    if (Float.isNaN(expectF)) {
      assertTrue(Float.isNaN(gotF[0]), () -> "float: NaN expected, got " + gotF[0]);
    } else {
      assertEquals(Float.floatToRawIntBits(expectF), Float.floatToRawIntBits(gotF[0]),
          () -> "float row " + Arrays.toString(Arrays.copyOfRange(xf, n, 2 * n)) + ": " + gotF[0]);
    }
    if (Double.isNaN(expectD)) {
      assertTrue(Double.isNaN(gotD[0]), () -> "double: NaN expected, got " + gotD[0]);
    } else {
      assertEquals(Double.doubleToRawLongBits(expectD), Double.doubleToRawLongBits(gotD[0]),
          () -> "double row " + Arrays.toString(Arrays.copyOfRange(xd, n, 2 * n)) + ": " + gotD[0]);
    }
  }

  /** A batch whose rows are far apart, with rows of special values among them. */
  private static double[] batch(SplittableRandom rnd, int rows, int n) {
    double[] x = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      double centre = rnd.nextInt(3) == 0 ? rnd.nextDouble(-300, 300) : 0;
      int special = rnd.nextInt(6);
      for (int j = 0; j < n; j++) {
        x[r * n + j] = centre + rnd.nextGaussian() * (rnd.nextBoolean() ? 1 : 30);
      }
      if (special == 0) {
        x[r * n + rnd.nextInt(n)] = switch (rnd.nextInt(3)) {
          case 0 -> Double.NaN;
          case 1 -> Double.POSITIVE_INFINITY;
          default -> Double.NEGATIVE_INFINITY;
        };
      } else if (special == 1) {
        Arrays.fill(x, r * n, (r + 1) * n, Double.NEGATIVE_INFINITY);
      }
    }
    return x;
  }

  /** Runs op 0 (softmax), 1 (log-softmax) or 2 (log-sum-exp) over {@code rows} rows at {@code xo}. */
  private static void run(int op, Object x, int xo, Object y, int yo, int rows, int n) {
    switch (op) {
      case 0 -> {
        if (x instanceof float[] f) {
          FastSoftmax.softmaxRows(f, xo, (float[]) y, yo, rows, n);
        } else {
          FastSoftmax.softmaxRows((double[]) x, xo, (double[]) y, yo, rows, n);
        }
      }
      case 1 -> {
        if (x instanceof float[] f) {
          FastSoftmax.logSoftmaxRows(f, xo, (float[]) y, yo, rows, n);
        } else {
          FastSoftmax.logSoftmaxRows((double[]) x, xo, (double[]) y, yo, rows, n);
        }
      }
      default -> {
        if (x instanceof float[] f) {
          FastSoftmax.logSumExpRows(f, xo, (float[]) y, yo, rows, n);
        } else {
          FastSoftmax.logSumExpRows((double[]) x, xo, (double[]) y, yo, rows, n);
        }
      }
    }
  }

  /**
   * Row {@code r} as the fast mode computed it before the maximum was carried: its own maximum pass, then
   * the exponential pass and the normalisation, or the default kernels where the maximum is not finite.
   */
  private static float[] perRow(int op, float[] x, int xr, int n) {
    float[] y = new float[n];
    float m = RowMax.max(x, xr, n);
    if (!Float.isFinite(m)) {
      switch (op) {
        case 0 -> SoftmaxF32.softmax(x, xr, y, 0, n);
        case 1 -> SoftmaxF32.logSoftmax(x, xr, y, 0, n, 1.0, 1f, 0f);
        default -> y[0] = SoftmaxF32.logSumExp(x, xr, n);
      }
      return y;
    }
    float s = FastSoftmax.expStore(x, xr, y, 0, n, m, xr, new float[1]);
    float shift = m + (float) Math.log(Math.scalb((double) s, -ExpF32.BIAS));
    for (int j = 0; j < n; j++) {
      y[j] = op == 0 ? y[j] * (1 / s) : x[xr + j] - shift;
    }
    y[0] = op == 2 ? shift : y[0];
    return y;
  }

  private static double[] perRow(int op, double[] x, int xr, int n) {
    double[] y = new double[n];
    double m = RowMax.max(x, xr, n);
    if (!Double.isFinite(m)) {
      switch (op) {
        case 0 -> SoftmaxF64.softmax(x, xr, y, 0, n, 1.0, 0.0);
        case 1 -> SoftmaxF64.logSoftmax(x, xr, y, 0, n, 1.0, 0.0);
        default -> y[0] = SoftmaxF64.logSumExp(x, xr, n);
      }
      return y;
    }
    double s = FastSoftmax.expStore(x, xr, y, 0, n, m, xr, new double[1]);
    double shift = m + Math.log(Math.scalb(s, -ExpF64.BIAS));
    for (int j = 0; j < n; j++) {
      y[j] = op == 0 ? y[j] * (1 / s) : x[xr + j] - shift;
    }
    y[0] = op == 2 ? shift : y[0];
    return y;
  }

  @Property(tries = 60)
  void eachRowOfABatchGetsThePerRowBits(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = VectorWidth.FAST_DEFAULTS_BELOW_DOUBLE + rnd.nextInt(100);
    int rows = 1 + rnd.nextInt(8);
    double[] xd = batch(rnd, rows, n);
    float[] xf = new float[xd.length];
    for (int i = 0; i < xd.length; i++) {
      xf[i] = (float) xd[i];
    }
    for (int op = 0; op < 3; op++) {
      for (Object x : new Object[] {xf, xd}) {
        boolean inPlace = op < 2 && rnd.nextBoolean();
        int per = op < 2 ? n : 1;
        Object y = inPlace ? (x instanceof float[] f ? f.clone() : ((double[]) x).clone())
            : x instanceof float[] ? new float[rows * per] : new double[rows * per];
        run(op, inPlace ? y : x, 0, y, 0, rows, n);
        for (int r = 0; r < rows; r++) {
          Object expected = x instanceof float[] f ? perRow(op, f, r * n, n) : perRow(op, (double[]) x, r * n, n);
          for (int j = 0; j < per; j++) {
            double a = java.lang.reflect.Array.getDouble(expected, j), b = java.lang.reflect.Array.getDouble(y, r * per + j);
            final int row = r, col = j, o = op;
            assertEquals(Double.doubleToLongBits(a), Double.doubleToLongBits(b), () -> (x instanceof float[] ? "float" : "double")
                + " op " + o + " row " + row + " of " + rows + " col " + col + (inPlace ? " in place" : ""));
          }
        }
      }
    }
  }
}
