package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Float sigmoid's and log-sigmoid's row tails ({@code LogisticF32.Scalar.sigmoidLane},
 * {@code logSigmoidLane}) give the vector lanes' bits, so the entries a width leaves to the tail come out as
 * the lanes give them, and the ops have the same bits at every vector width.
 */
class LogisticF32TwinTest {
  private static final int LANES = VectorWidth.DOUBLE.length();

  @Property(tries = 200)
  void theTailIsTheLanes(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[8 * LANES];
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
}
