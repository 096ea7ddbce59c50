package io.github.logits4j.gen;

import java.util.SplittableRandom;

/**
 * Value regimes for generated rows: the situations in which softmax kernels go wrong. Each fills one row
 * from a seeded generator; {@code isFloat} keeps magnitudes inside the float range and rounds to float.
 */
public enum Regime {
  /** N(0,1) scaled by 0.1 to 10: ordinary classifier logits. */
  SMALL {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double scale = new double[] {0.1, 1, 4, 10}[rnd.nextInt(4)];
      for (int j = 0; j < row.length; j++) {
        row[j] = gaussian(rnd) * scale;
      }
    }
  },
  /** Logits spread over 100 below a random maximum: exercises x - max far from 0. */
  SPREAD {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double top = (rnd.nextDouble() - 0.5) * 100;
      for (int j = 0; j < row.length; j++) {
        row[j] = top - rnd.nextDouble() * 100;
      }
      row[rnd.nextInt(row.length)] = top;
    }
  },
  /** Magnitudes from 1e-10 to 1e3 with random signs: many bits lost if x - max is rounded. */
  MIXED_MAGNITUDE {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -10 + 13 * rnd.nextDouble());
      }
    }
  },
  /** Huge magnitudes up to the largest finite value, both signs. */
  HUGE {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double maxExp = isFloat ? 38.5 : 308.2;
      for (int j = 0; j < row.length; j++) {
        double v = Math.pow(10, maxExp * (0.8 + 0.2 * rnd.nextDouble()));
        v = Math.min(v, isFloat ? Float.MAX_VALUE : Double.MAX_VALUE);
        row[j] = rnd.nextBoolean() ? v : -v;
      }
    }
  },
  /** A cluster just below the largest finite value: x - max would overflow if formed carelessly. */
  NEAR_MAX {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double top = isFloat ? Float.MAX_VALUE : Double.MAX_VALUE;
      double step = isFloat ? Math.ulp(Float.MAX_VALUE) : Math.ulp(Double.MAX_VALUE);
      for (int j = 0; j < row.length; j++) {
        row[j] = rnd.nextInt(4) == 0 ? -top : top - step * rnd.nextInt(8);
      }
    }
  },
  /**
   * Logits near the largest finite value, of both signs, mixed with ordinary ones. Each row takes one of
   * three shapes: an ordinary maximum above huge negative logits (log-probabilities near -1e308, finite);
   * a huge maximum above ordinary logits; huge logits of both signs, where {@code x - max} exceeds the
   * range while its quotient by a temperature above 1, and a loss weighted down, may not.
   */
  EXTREMES {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double top = isFloat ? Float.MAX_VALUE : Double.MAX_VALUE;
      int shape = rnd.nextInt(3);
      for (int j = 0; j < row.length; j++) {
        double huge = top * (1 - 0.6 * rnd.nextDouble() * rnd.nextDouble());
        row[j] = switch (shape) {
          case 0 -> rnd.nextInt(3) == 0 ? gaussian(rnd) * 4 : -huge;
          case 1 -> rnd.nextInt(3) == 0 ? huge : gaussian(rnd) * 4;
          default -> switch (rnd.nextInt(3)) {
            case 0 -> huge;
            case 1 -> -huge;
            default -> gaussian(rnd) * 4;
          };
        };
      }
      if (rnd.nextInt(4) == 0) {
        row[rnd.nextInt(row.length)] = rnd.nextBoolean() ? top : -top;
      }
    }
  },
  /** Ordinary logits with about a third masked to -inf, at least one entry finite. */
  MASKED {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      for (int j = 0; j < row.length; j++) {
        row[j] = rnd.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : gaussian(rnd) * 4;
      }
      row[rnd.nextInt(row.length)] = gaussian(rnd) * 4;
    }
  },
  /** Few distinct values, signed zeros included: ties everywhere. */
  TIES {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double[] pool = {-1, -0.0, 0.0, 0.5, 1, 2, 2};
      for (int j = 0; j < row.length; j++) {
        row[j] = pool[rnd.nextInt(pool.length)];
      }
    }
  },
  /** One dominant logit 15 to 40 above the rest: top probability within 1e-6..1e-17 of 1. */
  CONFIDENT {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double top = gaussian(rnd) * 5;
      double gap = 15 + 25 * rnd.nextDouble();
      for (int j = 0; j < row.length; j++) {
        row[j] = top - gap - rnd.nextDouble() * 10;
      }
      row[rnd.nextInt(row.length)] = top;
    }
  },
  /**
   * The top probability about 1 - 1e-9: the others sit ln((n - 1) 1e9) below it, jittered. Here log-softmax
   * of the top entry is about -1e-9, and forming it as {@code log(s)} instead of {@code log1p(s - 1)} loses
   * half its digits.
   */
  ALMOST_CERTAIN {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double top = gaussian(rnd) * 5;
      double gap = Math.log(Math.max(1, row.length - 1) * 1e9);
      for (int j = 0; j < row.length; j++) {
        row[j] = top - gap + (rnd.nextDouble() - 0.5);
      }
      row[rnd.nextInt(row.length)] = top;
    }
  },
  /** Tiny and subnormal magnitudes: every exponential rounds to about 1. */
  TINY {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double lowExp = isFloat ? -45 : -323;
      for (int j = 0; j < row.length; j++) {
        row[j] = (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, lowExp + (lowExp / -2) * rnd.nextDouble());
      }
    }
  },
  /** Entries 80 to 110 below the maximum: softmax outputs in the subnormal range. */
  UNDERFLOW {
    @Override
    void fill(double[] row, SplittableRandom rnd, boolean isFloat) {
      double depth = isFloat ? 80 : 700;
      double width = isFloat ? 30 : 50;
      for (int j = 0; j < row.length; j++) {
        row[j] = -depth - rnd.nextDouble() * width;
      }
      row[rnd.nextInt(row.length)] = 0;
    }
  };

  abstract void fill(double[] row, SplittableRandom rnd, boolean isFloat);

  /** Fills a row and, for float batches, rounds it to float. */
  public void fillRow(double[] row, SplittableRandom rnd, boolean isFloat) {
    fill(row, rnd, isFloat);
    if (isFloat) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) row[j];
      }
    }
  }

  static double gaussian(SplittableRandom rnd) {
    double u = Math.max(rnd.nextDouble(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
