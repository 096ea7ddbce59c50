package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link SoftmaxF32#logSoftmaxOutputNear}, which lets the narrow float log-softmax blocks use a
 * {@code lambda} other than the row path's: it writes a row only where every output rounds to the same
 * float for any {@code lambda} within its slack, and otherwise writes nothing.
 */
class LogSoftmaxOutputNearTest {

  /** An output half-way between two floats could round either way: the row is left alone. */
  @Test
  void anOutputAtAFloatMidpointIsInDoubt() {
    float[] x = {0f, -1f, -2f};
    float[] y = {7f, 7f, 7f};
    double midpoint = 1 + 0x1p-24;  // half-way between 1 and 1 + 2^-23: the top entry's output is -midpoint
    assertFalse(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 3, 0f, 1.0, midpoint));
    assertArrayEquals(new float[] {7f, 7f, 7f}, y, 0f);
    // within the slack of the midpoint, still in doubt; a quarter of a float ulp away, sure and written
    double slack = SoftmaxF32.NEAR_LAMBDA * midpoint;
    assertFalse(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 3, 0f, 1.0, midpoint + slack / 2));
    assertArrayEquals(new float[] {7f, 7f, 7f}, y, 0f);
    assertTrue(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 3, 0f, 1.0, midpoint + 0x1p-25));
    assertArrayEquals(new float[] {-(1 + 0x1p-23f), (float) (-1 - midpoint - 0x1p-25),
        (float) (-2 - midpoint - 0x1p-25)}, y, 0f);
  }

  /** Away from any midpoint the row is written, each entry {@code (x - m) beta - lambda} rounded once. */
  @Test
  void aSureRowIsWrittenAsTheRowPathWould() {
    float[] x = {0.5f, -1.25f, 3f, -0f};
    float[] y = new float[4];
    double lambda = 0.75;  // every output is a short binary fraction: far from a midpoint
    assertTrue(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 4, 3f, 2.0, lambda));
    float[] expected = new float[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = (float) (((double) x[i] - 3f) * 2.0 - lambda);
    }
    assertArrayEquals(expected, y, 0f);
    assertArrayEquals(new float[] {-5.75f, -9.25f, -0.75f, -6.75f}, y, 0f);
  }

  /**
   * An output of minus infinity (a -inf logit) is sure whatever lambda is, and so is the top entry's 0 of
   * a row whose other entries are all -inf: both lambdas are exactly 0 there.
   */
  @Test
  void minusInfinityIsSure() {
    float[] x = {Float.NEGATIVE_INFINITY, 0f};
    float[] y = new float[2];
    assertTrue(SoftmaxF32.logSoftmaxOutputNear(x, 0, y, 0, 2, 0f, 1.0, 0.0));
    assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 0f}, y, 0f);
  }
}
