package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import io.github.logits4j.oracle.Ulps;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of softmax for float and double batches, against the exact oracle and the reference. */
class SoftmaxPropertiesTest {

  @Provide
  Arbitrary<Batch> batches() {
    return Arbitraries.oneOf(Batches.floats(), Batches.doubles());
  }

  @Provide
  Arbitrary<Double> temperatures() {
    return Arbitraries.of(0.05, 0.3, 0.7, 1.0, 1.5, 2.0, 3.3, 10.0, 1000.0);
  }

  /** Every output within the documented bound of the exact softmax. */
  @Property
  void withinBoundOfExact(@ForAll("batches") Batch b) {
    double[] y = Ops.softmax(b, 1.0);
    assertWithinBound(b, y, 1.0);
  }

  /** softmax(x, T) is the softmax of the exact quotients x / T, within the same bound. */
  @Property
  void temperatureIsSoftmaxOfQuotient(@ForAll("batches") Batch b, @ForAll("temperatures") double t) {
    double temperature = b.isFloat() ? (float) t : t;
    double[] y = Ops.softmax(b, temperature);
    assertWithinBound(b, y, temperature);
  }

  /** Outputs lie in [0, 1] and no row sums further from 1 than the bound allows. */
  @Property
  void normalized(@ForAll("batches") Batch b) {
    double[] y = Ops.softmax(b, 1.0);
    double unit = b.isFloat() ? 0x1p-23 : 0x1p-52;
    for (int r = 0; r < b.rows(); r++) {
      DD sum = DD.ZERO;
      for (int j = 0; j < b.cols(); j++) {
        double p = y[r * b.cols() + j];
        assertTrue(p >= 0 && p <= 1, () -> "p=" + p + " outside [0,1] in " + b);
        sum = sum.add(p);
      }
      double s = sum.toDouble();
      // each output carries at most the bound in ulps, i.e. a relative error of bound * 2^-23 (2^-52)
      double bound = Bounds.softmax(b, b.row(r), 1.0);
      assertTrue(Math.abs(s - 1) <= bound * unit, () -> "row sum " + s + " in " + b);
    }
  }

  /** x[i] <= x[j] implies p[i] <= p[j] within every row. */
  @Property
  void monotonic(@ForAll("batches") Batch b) {
    double[] y = Ops.softmax(b, 1.0);
    for (int r = 0; r < b.rows(); r++) {
      int base = r * b.cols();
      Integer[] order = IntStream.range(0, b.cols()).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble(j -> b.values()[base + j]));
      for (int i = 1; i < order.length; i++) {
        int lo = base + order[i - 1], hi = base + order[i];
        if (b.values()[lo] <= b.values()[hi]) {
          assertTrue(y[lo] <= y[hi], () -> "x=" + b.values()[lo] + " <= " + b.values()[hi] + " but p=" + y[lo]
              + " > " + y[hi] + " in " + b);
        }
      }
    }
  }

  /** Agrees with the scalar reference: within the bound plus the reference's own measured error. */
  @Property
  void agreesWithReference(@ForAll("batches") Batch b) {
    double[] y = Ops.softmax(b, 1.0);
    double[] ref = Ops.referenceSoftmax(b, 1.0);
    for (int r = 0; r < b.rows(); r++) {
      DD[] exact = Exact.softmax(b.row(r), 1.0);
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        assertTrue(Ops.agrees(b, y[i], ref[i], exact[j], Bounds.softmax(b, b.row(r), j, 1.0)),
            () -> "kernel " + y[i] + " vs reference " + ref[i] + " at " + i + " in " + b);
      }
    }
  }

  /** softmax(x + c) == softmax(x) within twice the bound, for shifts that keep x + c exact. */
  @Property
  void shiftInvariant(@ForAll("batches") Batch b, @ForAll("shifts") int c) {
    // Round the logits to multiples of 2^-8 below 2^12 so x + c is exact in either dtype.
    double[] x = Arrays.stream(b.values()).map(v -> Math.max(-4000, Math.min(4000, Math.rint(v * 256) / 256)))
        .toArray();
    Batch base = b.with(x);
    Batch shifted = b.with(Arrays.stream(x).map(v -> v + c).toArray());
    double[] y0 = Ops.softmax(base, 1.0);
    double[] y1 = Ops.softmax(shifted, 1.0);
    for (int i = 0; i < y0.length; i++) {
      double apart = Ops.ulps(base, y1[i], DD.of(y0[i]));
      int at = i;
      double bound = Bounds.softmax(base, base.row(i / b.cols()), 1.0) + Bounds.softmax(shifted, shifted.row(i / b.cols()), 1.0);
      assertTrue(apart <= bound + 1, () -> "shift " + c + " moved p[" + at + "] from " + y0[at]
          + " to " + y1[at] + " in " + base);
    }
  }

  @Provide
  Arbitrary<Integer> shifts() {
    return Arbitraries.integers().between(-1000, 1000);
  }

  /** The most probable class is the largest logit: argmax(softmax(x)) picks a p equal to p[argmax(x)]. */
  @Property
  void argmaxOfSoftmaxIsArgmax(@ForAll("batches") Batch b) {
    double[] y = Ops.softmax(b, 1.0);
    int[] classes = Ops.argmax(b);
    Batch probabilities = b.with(y);
    int[] fromP = Ops.argmax(probabilities);
    for (int r = 0; r < b.rows(); r++) {
      int base = r * b.cols();
      assertEquals(y[base + classes[r]], y[base + fromP[r]], "row " + r + " of " + b);
      assertTrue(fromP[r] <= classes[r], "rounding can only create ties below the true argmax in " + b);
    }
  }

  @Property(tries = 30)
  void hugeRowsDoNotOverflow(@ForAll("hugeRegimes") Regime regime, @ForAll long seed) {
    for (boolean isFloat : new boolean[] {true, false}) {
      Batch b = Batches.make(regime, 2, 37, seed, isFloat);
      double[] y = Ops.softmax(b, 1.0);
      assertTrue(Arrays.stream(y).allMatch(Double::isFinite), () -> "non-finite output for " + b);
      assertWithinBound(b, y, 1.0);
    }
  }

  /**
   * Float outputs in the window just below the smallest normal, where the general passes' stored
   * exponential would add its error to the final rounding's: every one within 1 subnormal ulp of exact,
   * out of place and in place, at temperature 1 and 2, with the rows shifted by up to 1000.
   */
  @Example
  void floatOutputsJustBelowTheSmallestNormal() {
    int n = 33, rows = 3000;
    for (float temperature : new float[] {1f, 2f}) {
      SplittableRandom rnd = new SplittableRandom(7);
      float[] x = new float[rows * n];
      for (int r = 0; r < rows; r++) {
        double shift = r % 3 == 0 ? 0 : (rnd.nextDouble() - 0.5) * 2000;
        x[r * n] = (float) shift;
        for (int j = 1; j < n; j++) {
          x[r * n + j] = (float) (shift - (87.1 + rnd.nextDouble() * (r % 2 == 0 ? 0.6 : 1.2)) * temperature);
        }
      }
      for (boolean inPlace : new boolean[] {false, true}) {
        float[] y = inPlace ? x.clone() : new float[x.length];
        Logits.softmax(inPlace ? y : x, 0, y, 0, rows, n, temperature);
        int subnormal = 0;
        for (int r = 0; r < rows; r++) {
          double[] row = new double[n];
          for (int j = 0; j < n; j++) {
            row[j] = x[r * n + j];
          }
          DD[] exact = Exact.softmax(row, temperature);
          for (int j = 0; j < n; j++) {
            if (Math.abs(exact[j].toDouble()) >= Float.MIN_NORMAL) {
              continue;
            }
            subnormal++;
            int at = r * n + j;
            double err = Ulps.ofFloat(y[at], exact[j]);
            String where = " (T=" + temperature + ", in place " + inPlace + ")";
            assertTrue(err <= Bounds.SOFTMAX_SUBNORMAL, () -> "softmax[" + at + "] = " + y[at] + " is " + err
                + " subnormal ulps from " + exact[at % n] + where);
          }
        }
        assertTrue(subnormal > rows, "the sweep must reach the subnormal window: " + subnormal);
      }
    }
  }

  @Provide
  Arbitrary<Regime> hugeRegimes() {
    return Arbitraries.of(Regime.HUGE, Regime.NEAR_MAX);
  }

  static void assertWithinBound(Batch b, double[] y, double temperature) {
    for (int r = 0; r < b.rows(); r++) {
      DD[] exact = Exact.softmax(b.row(r), temperature);
      for (int j = 0; j < b.cols(); j++) {
        int i = r * b.cols() + j;
        double err = Ops.ulps(b, y[i], exact[j]);
        double bound = Ops.belowNormal(b, exact[j]) ? Bounds.softmaxSubnormal(b, b.row(r), j, temperature)
            : Bounds.softmax(b, b.row(r), j, temperature);
        int col = j;
        assertTrue(err <= bound, () -> "softmax[" + i + "] = " + y[i] + " is " + err + " ulp from exact "
            + exact[col] + " (T=" + temperature + ") in " + b);
      }
    }
  }
}
