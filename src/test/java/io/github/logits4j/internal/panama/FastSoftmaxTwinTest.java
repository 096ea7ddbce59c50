package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The double fast exponential pass's scalar tail ({@code FastSoftmax.expLane}) gives its vector lanes'
 * bits, so an entry's exponential does not depend on whether it falls past the last multiple of the
 * logical width. It took {@code Math.exp}, which differs from the lanes in about a quarter of arguments.
 * Every entry of the pass, in a lane or in the tail, is held to {@code expLane}.
 */
class FastSoftmaxTwinTest {

  @Property(tries = 200)
  void theDoubleTailIsTheLanes(@ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 8 * (1 + rnd.nextInt(4)) + rnd.nextInt(8);  // whole logical widths and a tail of 0 to 7
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = switch (rnd.nextInt(5)) {
        case 0 -> rnd.nextDouble(-20, 0);
        case 1 -> rnd.nextDouble(-760, -700);  // the cutoff and the range where exp(d) alone is subnormal
        case 2 -> Double.NEGATIVE_INFINITY;
        default -> rnd.nextGaussian() * 5;
      };
    }
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    if (m == Double.NEGATIVE_INFINITY) {
      return;
    }
    double[] y = new double[n];
    double[] rowMax = {Double.NaN};
    FastSoftmax.expStore(x, 0, y, 0, n, m, 0, rowMax);
    assertEquals(Double.doubleToRawLongBits(m), Double.doubleToRawLongBits(rowMax[0]), "the row's own maximum");
    double magic = ExpF64.magic(0);
    for (int i = 0; i < n; i++) {
      double d = x[i] - m;
      double tail = d < -ExpF64.CUTOFF ? 0 : FastSoftmax.expLane(d, magic);
      assertEquals(Double.doubleToRawLongBits(y[i]), Double.doubleToRawLongBits(tail),
          "exp(" + d + ") * 2^BIAS at " + i + " of " + n + ": pass " + y[i] + ", lane form " + tail);
    }
  }
}
