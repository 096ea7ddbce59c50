package io.github.logits4j.bench.report;

import java.util.Locale;

/** How the report writes its figures: times to three decimals below 1 and two above, ratios with an x. */
final class Format {
  private Format() {}

  /** A time, e.g. ns per element: {@code 0.397}, {@code 17.19}. */
  static String time(double v) {
    return String.format(Locale.ROOT, Math.abs(v) < 1 ? "%.3f" : "%.2f", v);
  }

  /** A ratio of two times: {@code 0.79x}, {@code 3.23x}, {@code 43.3x}. */
  static String ratio(double r) {
    return String.format(Locale.ROOT, r >= 10 ? "%.1fx" : "%.2fx", r);
  }
}
