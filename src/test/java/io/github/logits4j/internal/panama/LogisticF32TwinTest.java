package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The scalar forms that float sigmoid's, log-sigmoid's and binary cross-entropy's tails take
 * ({@code LogisticF32.Scalar.sigmoidLane}, {@code logSigmoidLane}, {@code bceLane},
 * {@code bceUnweightedLane}, {@code bceGradientLane}) give the vector lanes' bits, so the entries past the
 * vector loop come out as the lanes give them, and an element's bits do not depend on where it falls.
 */
class LogisticF32TwinTest {
  private static final int LANES = VectorWidth.DOUBLE.length();

  @Property(tries = 200)
  void theTailIsTheLanes(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = logits(rnd, 8 * LANES);
    float[] y = new float[x.length], s = new float[x.length];
    LogisticF32.logSigmoid(x, 0, y, 0, x.length);  // whole vectors: no tail
    LogisticF32.sigmoid(x, 0, s, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToIntBits(y[i]), Float.floatToIntBits((float) LogisticF32.Scalar.logSigmoidLane(x[i])),
          "log-sigmoid of " + x[i] + ": lanes " + y[i]);
      assertEquals(Float.floatToIntBits(s[i]), Float.floatToIntBits((float) LogisticF32.Scalar.sigmoidLane(x[i])),
          "sigmoid of " + x[i] + ": lanes " + s[i]);
    }
  }

  /**
   * Every BCE loop (without weights, with them, with the gradient, and the loops with the limits that an
   * output in an input's array takes) over whole multiples of the logical width, element by element
   * against the scalar form its tail takes.
   */
  @Property(tries = 200)
  void theBceTailIsTheLanes(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 16 * LANES;  // a multiple of the logical width (8): no tail
    float[] x = logits(rnd, n), z = new float[n], pw = new float[n], w = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = switch (rnd.nextInt(4)) {
        case 0 -> 0f;
        case 1 -> 1f;
        default -> (float) rnd.nextDouble();
      };
      pw[i] = rnd.nextInt(4) == 0 ? Float.intBitsToFloat(rnd.nextInt(0x7f800000)) : (float) rnd.nextDouble(0, 4);
      w[i] = (float) rnd.nextDouble(0, 3);
    }
    double scale = 1.0 / n;
    // with the infinite logits, and without them: then the loops without the limits keep every element
    float[] finite = x.clone();
    for (int i = 0; i < n; i++) {
      finite[i] = Float.isInfinite(finite[i]) ? (float) rnd.nextGaussian() : finite[i];
    }
    bceLoops(x, z, pw, w, scale);
    bceLoops(finite, z, pw, w, scale);
  }

  private static void bceLoops(float[] x, float[] z, float[] pw, float[] w, double scale) {
    int n = x.length;
    for (boolean inPlace : new boolean[] {false, true}) {
      float[] out = inPlace ? x.clone() : new float[n];
      float[] in = inPlace ? out : x;  // out == x: the loops with the limits
      LogisticF32.bceRow(in, 0, n, z, 0, null, null, 0, out, 0, null, 0, 1);
      for (int i = 0; i < n; i++) {
        assertBits(LogisticF32.Scalar.bceUnweightedLane(x[i], z[i]), out[i], "unweighted", x[i], z[i], inPlace);
      }
      out = inPlace ? x.clone() : new float[n];
      in = inPlace ? out : x;
      LogisticF32.bceRow(in, 0, n, z, 0, pw, w, 0, out, 0, null, 0, 1);
      for (int i = 0; i < n; i++) {
        assertBits(LogisticF32.Scalar.bceLane(x[i], z[i], pw[i], w[i]), out[i], "weighted", x[i], z[i], inPlace);
      }
      out = new float[n];
      float[] grad = inPlace ? x.clone() : new float[n];
      in = inPlace ? grad : x;
      LogisticF32.bceRow(in, 0, n, z, 0, pw, w, 0, out, 0, grad, 0, scale);
      for (int i = 0; i < n; i++) {
        assertBits(LogisticF32.Scalar.bceLane(x[i], z[i], pw[i], w[i]), out[i], "with gradient", x[i], z[i],
            inPlace);
        assertBits(LogisticF32.Scalar.bceGradientLane(x[i], z[i], pw[i], w[i], scale), grad[i], "gradient", x[i],
            z[i], inPlace);
      }
    }
  }

  private static void assertBits(double scalar, float lanes, String what, float x, float z, boolean inPlace) {
    assertEquals(Float.floatToIntBits((float) scalar), Float.floatToIntBits(lanes),
        what + " BCE of " + x + " against " + z + (inPlace ? " in place" : "") + ": lanes " + lanes
            + ", scalar " + (float) scalar);
  }

  private static float[] logits(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = switch (rnd.nextInt(8)) {
        case 0 -> (float) rnd.nextDouble(-1, 1);
        case 1 -> (float) rnd.nextDouble(-120, 120);
        case 2 -> (float) (rnd.nextBoolean() ? 1 : -1) * Float.intBitsToFloat(rnd.nextInt(0x7f800000));
        case 3 -> new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE}[rnd.nextInt(8)];
        case 4 -> (float) rnd.nextDouble(-1e-6, 1e-6);
        default -> (float) rnd.nextGaussian() * 8;
      };
    }
    return x;
  }
}
