package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch's special values, at column counts on both sides of every lane boundary, with the special entry
 * in the vector body and in the masked tail.
 */
class SpecialValuesTest {
  static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

  static Stream<Arguments> positions() {
    return Stream.of(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100).flatMap(cols ->
        Stream.of(0, cols / 2, cols - 1).distinct().map(pos -> Arguments.of(cols, pos)));
  }

  static float[] row(int cols, float fill) {
    float[] x = new float[cols];
    for (int j = 0; j < cols; j++) {
      x[j] = fill + j * 0.25f;
    }
    return x;
  }

  static double[] widen(float[] f) {
    return Ops.widen(f);
  }

  @ParameterizedTest
  @MethodSource("positions")
  void nanOrPlusInfGivesNanRows(int cols, int pos) {
    for (float special : new float[] {NAN, INF, -NAN}) {
      float[] x = row(cols, -1f);
      x[pos] = special;
      float[] y = new float[cols];
      Logits.softmax(x, y, cols);
      for (float v : y) {
        assertTrue(Float.isNaN(v), "softmax must be NaN with " + special + " at " + pos + " of " + cols);
      }
      Logits.logSoftmax(x, y, cols);
      for (float v : y) {
        assertTrue(Float.isNaN(v), "logSoftmax must be NaN with " + special + " at " + pos);
      }
      double[] xd = widen(x), yd = new double[cols];
      Logits.softmax(xd, yd, cols);
      assertTrue(Double.isNaN(yd[0]) && Double.isNaN(yd[cols - 1]));
      Logits.logSoftmax(xd, yd, cols);
      assertTrue(Double.isNaN(yd[0]) && Double.isNaN(yd[cols - 1]));
    }
  }

  @ParameterizedTest
  @MethodSource("positions")
  void logSumExpSpecials(int cols, int pos) {
    float[] x = row(cols, -1f);
    float[] out = new float[1];
    double[] outD = new double[1];
    x[pos] = INF;
    Logits.logSumExp(x, cols, out);
    assertEquals(INF, out[0]);
    Logits.logSumExp(widen(x), cols, outD);
    assertEquals(Double.POSITIVE_INFINITY, outD[0]);
    x[(pos + 1) % cols] = NAN;  // NaN wins over +inf
    Logits.logSumExp(x, cols, out);
    assertTrue(Float.isNaN(out[0]));
    Logits.logSumExp(widen(x), cols, outD);
    assertTrue(Double.isNaN(outD[0]));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100})
  void allMinusInfinity(int cols) {
    float[] x = new float[cols];
    java.util.Arrays.fill(x, -INF);
    float[] y = new float[cols];
    Logits.softmax(x, y, cols);
    assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[cols - 1]));
    Logits.logSoftmax(x, y, cols);
    assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[cols - 1]));
    float[] out = new float[1];
    Logits.logSumExp(x, cols, out);
    assertEquals(-INF, out[0]);
    double[] outD = new double[1];
    Logits.logSumExp(widen(x), cols, outD);
    assertEquals(Double.NEGATIVE_INFINITY, outD[0]);
    int[] idx = new int[1];
    Logits.argmax(x, cols, idx);
    assertEquals(0, idx[0]);
  }

  /** The masking case: -inf entries get exactly 0 probability and -inf log-probability. */
  @ParameterizedTest
  @MethodSource("positions")
  void maskedEntries(int cols, int pos) {
    float[] x = row(cols, 2f);
    for (int j = 0; j < cols; j += 2) {
      x[j] = -INF;
    }
    x[pos] = 3f;
    float[] y = new float[cols], ly = new float[cols];
    Logits.softmax(x, y, cols);
    Logits.logSoftmax(x, ly, cols);
    double[] yd = new double[cols], lyd = new double[cols];
    Logits.softmax(widen(x), yd, cols);
    Logits.logSoftmax(widen(x), lyd, cols);
    for (int j = 0; j < cols; j++) {
      if (x[j] == -INF) {
        assertEquals(0f, y[j]);
        assertEquals(0.0, yd[j]);
        assertEquals(-INF, ly[j]);
        assertEquals(Double.NEGATIVE_INFINITY, lyd[j]);
      } else {
        assertTrue(y[j] > 0 && Float.isFinite(ly[j]));
      }
    }
  }

  /** Logits of +-3e38 neither overflow nor produce NaN. */
  @ParameterizedTest
  @ValueSource(ints = {2, 3, 17, 64})
  void extremeLogits(int cols) {
    float[] x = new float[cols];
    for (int j = 0; j < cols; j++) {
      x[j] = (j % 2 == 0) ? 3e38f : -3e38f;
    }
    float[] y = new float[cols], ly = new float[cols];
    Logits.softmax(x, y, cols);
    Logits.logSoftmax(x, ly, cols);
    int top = (cols + 1) / 2;
    for (int j = 0; j < cols; j++) {
      assertEquals(j % 2 == 0 ? 1f / top : 0f, y[j], 1e-7f, "softmax at " + j);
      assertTrue(j % 2 == 0 ? Float.isFinite(ly[j]) : ly[j] == -INF, "log-softmax at " + j + ": " + ly[j]);
    }
    float[] out = new float[1];
    Logits.logSumExp(x, cols, out);
    assertEquals(3e38f, out[0], Math.ulp(3e38f));
    double[] xd = new double[cols], yd = new double[cols];
    for (int j = 0; j < cols; j++) {
      xd[j] = (j % 2 == 0) ? 1.7e308 : -1.7e308;
    }
    Logits.softmax(xd, yd, cols);
    assertEquals(1.0 / top, yd[0], 1e-15);
    assertEquals(0.0, yd[1]);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8, 17, 40})
  void argmaxTiesNanAndZeros(int cols) {
    float[] x = new float[cols];
    java.util.Arrays.fill(x, 1f);
    int[] out = new int[1];
    Logits.argmax(x, cols, out);
    assertEquals(0, out[0], "ties go to the lowest index");
    java.util.Arrays.fill(x, -0f);
    x[cols - 1] = 0f;
    Logits.argmax(x, cols, out);
    assertEquals(0, out[0], "+0.0 and -0.0 tie");
    x[cols / 2] = NAN;
    x[cols - 1] = INF;
    Logits.argmax(x, cols, out);
    assertEquals(cols - 1 == cols / 2 ? cols - 1 : cols / 2, out[0], "NaN is the maximum");
    Logits.argmax(widen(x), cols, out);
    assertEquals(cols - 1 == cols / 2 ? cols - 1 : cols / 2, out[0]);
  }
}
