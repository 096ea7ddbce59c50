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
    return trim(Float.toString(v));
  }

  /**
   * The shortest decimal that reads back to {@code v} as a double, without a trailing {@code .0}.
   *
   * @param v the value
   * @return its text
   */
  static String of(double v) {
    return trim(Double.toString(v));
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
    Float special = special(t) == null ? null : special(t).floatValue();
    if (special != null) {
      return special;
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
