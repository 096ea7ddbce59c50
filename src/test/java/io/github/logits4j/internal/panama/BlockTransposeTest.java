package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockTranspose} against the definition written as plain index arithmetic, at every row length it
 * serves ({@code 1 <= n < lanes}) at this JVM's width, for raw bit patterns: NaNs with payloads, signed
 * zeros and subnormals must come through unchanged, and so must the entries around the block (at an
 * offset {@code base > 0} of a longer array), which the transposition must not touch.
 */
class BlockTransposeTest {
  private static final int FLOAT_LANES = VectorWidth.FLOAT.length(), DOUBLE_LANES = VectorWidth.DOUBLE.length();

  @Test
  void floatBlocksGoToColumnsAndBack() {
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 1; n < FLOAT_LANES; n++) {
      int base = 1 + random.nextInt(FLOAT_LANES), size = FLOAT_LANES * n;
      float[] x = new float[base + size + 5];
      for (int i = 0; i < x.length; i++) {
        x[i] = Float.intBitsToFloat(random.nextInt());  // every pattern: NaN payloads, -0.0, subnormals
      }
      float[] t = new float[size];
      BlockTranspose.toColumns(x, base, n, t, 0);
      for (int lane = 0; lane < FLOAT_LANES; lane++) {
        for (int j = 0; j < n; j++) {
          assertEquals(Float.floatToRawIntBits(x[base + lane * n + j]), Float.floatToRawIntBits(t[j * FLOAT_LANES + lane]),
              "float, n = " + n + ", row " + lane + ", column " + j);
        }
      }
      float[] y = new float[x.length];
      Arrays.fill(y, 7f);
      BlockTranspose.toRows(t, n, y, base);
      for (int i = 0; i < y.length; i++) {
        float expected = i >= base && i < base + size ? x[i] : 7f;
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(y[i]), "float back, n = " + n + ", at " + i);
      }
    }
  }

  @Test
  void doubleBlocksGoToColumnsAndBack() {
    SplittableRandom random = new SplittableRandom(12);
    for (int n = 1; n < DOUBLE_LANES; n++) {
      int base = 1 + random.nextInt(DOUBLE_LANES), size = DOUBLE_LANES * n;
      double[] x = new double[base + size + 5];
      for (int i = 0; i < x.length; i++) {
        x[i] = Double.longBitsToDouble(random.nextLong());
      }
      double[] t = new double[size], at = new double[n + size + 1];  // at: the same, from offset n
      BlockTranspose.toColumns(x, base, n, t, 0);
      BlockTranspose.toColumns(x, base, n, at, n);
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        for (int j = 0; j < n; j++) {
          assertEquals(Double.doubleToRawLongBits(x[base + lane * n + j]),
              Double.doubleToRawLongBits(t[j * DOUBLE_LANES + lane]), "double, n = " + n + ", row " + lane + ", column " + j);
        }
      }
      assertArrayEquals(new double[n], Arrays.copyOfRange(at, 0, n), "before the offset");
      assertArrayEquals(t, Arrays.copyOfRange(at, n, n + size), "from the offset");
      assertEquals(0.0, at[n + size], "after the block");
      double[] y = new double[x.length];
      Arrays.fill(y, 7.0);
      BlockTranspose.toRows(t, n, y, base);
      for (int i = 0; i < y.length; i++) {
        double expected = i >= base && i < base + size ? x[i] : 7.0;
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(y[i]),
            "double back, n = " + n + ", at " + i);
      }
    }
  }

  @Test
  void floatBlocksWidenIntoDoubleColumns() {
    assumeTrue(BlockTranspose.WIDENS, "128 bits: the scalar transposition serves");
    SplittableRandom random = new SplittableRandom(13);
    for (int n = 1; n < DOUBLE_LANES; n++) {
      int base = 1 + random.nextInt(DOUBLE_LANES), size = DOUBLE_LANES * n;
      float[] x = new float[base + size + 5];
      for (int i = 0; i < x.length; i++) {
        x[i] = Float.intBitsToFloat(random.nextInt());
      }
      int to = random.nextInt(3);
      double[] t = new double[to + size];
      BlockTranspose.toColumnsWidened(x, base, n, t, to);
      for (int i = 0; i < to; i++) {
        assertEquals(0.0, t[i], "before the offset");
      }
      for (int lane = 0; lane < DOUBLE_LANES; lane++) {
        for (int j = 0; j < n; j++) {
          double expected = x[base + lane * n + j], actual = t[to + j * DOUBLE_LANES + lane];
          String where = "widened, n = " + n + ", row " + lane + ", column " + j;
          if (Double.isNaN(expected)) {
            assertEquals(true, Double.isNaN(actual), where);  // a NaN's payload is not promised by widening
          } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), where);
          }
        }
      }
    }
  }

  /**
   * Float columns at the double lane count back to rows: full vectors for pairs of columns and, for odd
   * {@code n}, a half vector; every bit pattern through unchanged, nothing around the block touched.
   */
  @Test
  void narrowedColumnsGoBackToRows() {
    assumeTrue(BlockTranspose.WIDENS, "128 bits: the rows' gradients come from the row path");
    SplittableRandom random = new SplittableRandom(14);
    for (int n = 1; n < DOUBLE_LANES; n++) {
      int base = 1 + random.nextInt(DOUBLE_LANES), size = DOUBLE_LANES * n;
      float[] t = new float[size + DOUBLE_LANES];  // (n + 1) lanes: the last pair may be half
      for (int i = 0; i < t.length; i++) {
        t[i] = Float.intBitsToFloat(random.nextInt());
      }
      float[] y = new float[base + size + 3];
      Arrays.fill(y, 7f);
      BlockTranspose.toRowsHalf(t, n, y, base);
      for (int i = 0; i < y.length; i++) {
        int q = i - base;
        float expected = q >= 0 && q < size ? t[(q % n) * DOUBLE_LANES + q / n] : 7f;
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(y[i]), "n = " + n + ", at " + i);
      }
    }
  }
}
