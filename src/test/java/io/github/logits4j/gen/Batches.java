package io.github.logits4j.gen;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for batches. Column counts are weighted toward multiples of every lane count the
 * kernels can use (2 to 16 lanes, and twice and three times those) plus or minus one, where a vector loop
 * hands over to its masked tail; the rest are spread over 1..300 with a few longer rows.
 */
public final class Batches {
  private static final Integer[] LANE_COUNTS = {2, 4, 8, 16, 32, 48, 64};

  private Batches() {}

  public static Arbitrary<Integer> cols() {
    Arbitrary<Integer> laneEdge = Arbitraries.of(LANE_COUNTS)
        .flatMap(l -> Arbitraries.of(l - 1, l, l + 1))
        .filter(c -> c >= 1);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, laneEdge),
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 300)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(300, 3000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 5)));
  }

  public static Arbitrary<Batch> floats() {
    return batches(true, Arbitraries.of(Regime.class));
  }

  public static Arbitrary<Batch> doubles() {
    return batches(false, Arbitraries.of(Regime.class));
  }

  public static Arbitrary<Batch> batches(boolean isFloat, Arbitrary<Regime> regimes) {
    return Combinators.combine(regimes, Arbitraries.integers().between(1, 3), cols(), Arbitraries.longs())
        .as((regime, rows, cols, seed) -> make(regime, rows, cols, seed, isFloat));
  }

  public static Batch make(Regime regime, int rows, int cols, long seed, boolean isFloat) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] values = new double[rows * cols];
    double[] row = new double[cols];
    for (int r = 0; r < rows; r++) {
      regime.fillRow(row, rnd, isFloat);
      System.arraycopy(row, 0, values, r * cols, cols);
    }
    return new Batch(regime, rows, cols, values, isFloat, seed);
  }

  /**
   * A batch whose rows each draw their own regime; one row in four then has an entry set to the row's
   * maximum (a tie) or to {@code other} (-0.0 or -inf, say); with {@code specials}, one row in ten gets a
   * NaN, one a +inf, and one is all -inf. The one generator of the mixed-regime tests, so that a seed
   * that found a case keeps finding it.
   */
  public static Batch mixed(int rows, int cols, long seed, boolean isFloat, double other, boolean specials) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Regime[] regimes = Regime.values();
    double[] values = new double[rows * cols];
    double[] row = new double[cols];
    for (int r = 0; r < rows; r++) {
      regimes[rnd.nextInt(regimes.length)].fillRow(row, rnd, isFloat);
      if (rnd.nextInt(4) == 0) {
        row[rnd.nextInt(cols)] = rnd.nextBoolean() ? Arrays.stream(row).max().orElseThrow() : other;
      }
      if (specials) {
        switch (rnd.nextInt(10)) {
          case 0 -> row[rnd.nextInt(cols)] = Double.NaN;
          case 1 -> row[rnd.nextInt(cols)] = Double.POSITIVE_INFINITY;
          case 2 -> Arrays.fill(row, Double.NEGATIVE_INFINITY);
          default -> { }
        }
      }
      System.arraycopy(row, 0, values, r * cols, cols);
    }
    return new Batch(Regime.SMALL, rows, cols, values, isFloat, seed);
  }
}
