package io.github.logits4j.cli;

/**
 * Numbers as text: the shortest decimal that reads back to the same float or double, and the parsing of
 * CSV cells (decimal and scientific notation, {@code nan}, {@code inf}, {@code infinity} in any case).
 */
final class Numbers {
  private Numbers() {}

  /**
   * The shortest decimal that reads back to {@code v} as a float ({@link Float#toString} since JDK 19
   * gives it), without a trailing {@code .0}: {@code 1}, {@code 0.25}, {@code 1.2E-5}, {@code NaN},
   * {@code Infinity}, {@code -Infinity}.
   *
   * @param v the value
   * @return its text
   */
  static String of(float v) {
    String s = trim(Float.toString(v));
    if (twoDigits(s)) {
      java.math.BigDecimal one = oneDigit(new java.math.BigDecimal(v), c -> c.floatValue() == v);
      if (one != null) {
        return format(one);
      }
    }
    return s;
  }

  /**
   * The shortest decimal that reads back to {@code v} as a double, without a trailing {@code .0}.
   *
   * @param v the value
   * @return its text
   */
  static String of(double v) {
    String s = trim(Double.toString(v));
    if (twoDigits(s)) {
      java.math.BigDecimal one = oneDigit(new java.math.BigDecimal(v), c -> c.doubleValue() == v);
      if (one != null) {
        return format(one);
      }
    }
    return s;
  }

  /**
   * Java's {@code toString} gives at least two significant digits ({@code 1.4E-45} for the smallest
   * float, which {@code 1E-45} also reads back to): a two-digit result is checked for a one-digit one.
   */
  private static boolean twoDigits(String s) {
    int digits = 0;
    boolean leading = true;
    int end = s.indexOf('E') < 0 ? s.length() : s.indexOf('E');
    int lastNonZero = 0;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (c != '0') {
          leading = false;
        }
        if (!leading) {
          digits++;
          if (c != '0') {
            lastNonZero = digits;
          }
        }
      }
    }
    return lastNonZero == 2;
  }

  private static java.math.BigDecimal oneDigit(java.math.BigDecimal exact,
      java.util.function.Predicate<java.math.BigDecimal> readsBack) {
    for (java.math.RoundingMode m : new java.math.RoundingMode[] {java.math.RoundingMode.HALF_EVEN,
        java.math.RoundingMode.FLOOR, java.math.RoundingMode.CEILING}) {
      java.math.BigDecimal c = exact.round(new java.math.MathContext(1, m));
      if (readsBack.test(c)) {
        return c;
      }
    }
    return null;
  }

  /** A one-digit decimal in the layout of {@link Double#toString}: plain from 1e-3 to 1e7, else d.E-n. */
  private static String format(java.math.BigDecimal c) {
    java.math.BigDecimal s = c.stripTrailingZeros();
    int exp = s.precision() - s.scale() - 1;
    if (exp >= -3 && exp < 7) {
      return s.toPlainString();
    }
    String sign = s.signum() < 0 ? "-" : "";
    return sign + s.unscaledValue().abs() + "E" + exp;
  }

  private static String trim(String s) {
    int e = s.indexOf('E');
    int end = e < 0 ? s.length() : e;
    if (end >= 2 && s.charAt(end - 1) == '0' && s.charAt(end - 2) == '.') {
      return s.substring(0, end - 2) + s.substring(end);
    }
    return s;
  }

  /**
   * Parses a CSV cell as a float, rounded once from the decimal.
   *
   * @param s the cell
   * @return the value
   * @throws NumberFormatException if it is not a number
   */
  static float parseFloat(String s) {
    String t = s.strip();
    Double special = special(t);
    if (special != null) {
      return special.floatValue();
    }
    checkPlain(t, s);
    return Float.parseFloat(t);
  }

  /**
   * Parses a CSV cell as a double.
   *
   * @param s the cell
   * @return the value
   * @throws NumberFormatException if it is not a number
   */
  static double parseDouble(String s) {
    String t = s.strip();
    Double special = special(t);
    if (special != null) {
      return special;
    }
    checkPlain(t, s);
    return Double.parseDouble(t);
  }

  /** Whether the cell is a number at all (for telling a header line from data). */
  static boolean isNumber(String s) {
    try {
      parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Double special(String t) {
    String u = t.toLowerCase(java.util.Locale.ROOT);
    return switch (u) {
      case "nan", "+nan", "-nan" -> Double.NaN;
      case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
      default -> null;
    };
  }

  /** Java's parser also takes hexadecimal and {@code f}/{@code d} suffixes; a CSV number does not. */
  private static void checkPlain(String t, String s) {
    if (t.isEmpty()) {
      throw new NumberFormatException("empty");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
      if (!ok) {
        throw new NumberFormatException(s);
      }
    }
  }
}
