package io.github.logits4j.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small SVG element tree and its XML text: elements with attributes, child elements and text, written
 * with every attribute value and text escaped, so that any label (a benchmark name, a peer's version
 * string) gives well-formed XML. Characters XML 1.0 cannot hold at all (control characters other than tab,
 * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF) are written as U+FFFD.
 */
final class Svg {
  static final String NAMESPACE = "http://www.w3.org/2000/svg";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]*");

  private final String name;
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private final List<Object> children = new ArrayList<>();

  private Svg(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not an XML name: " + name);
    }
    this.name = name;
  }

  /** A new element named {@code name}. */
  static Svg element(String name) {
    return new Svg(name);
  }

  /** A root {@code svg} element of the given size, in the SVG namespace. */
  static Svg root(double width, double height) {
    return element("svg").attr("xmlns", NAMESPACE).attr("width", width).attr("height", height)
        .attr("viewBox", "0 0 " + number(width) + " " + number(height));
  }

  String name() {
    return name;
  }

  /** Sets an attribute to a string (escaped when written). */
  Svg attr(String attribute, String value) {
    if (!NAME.matcher(attribute).matches()) {
      throw new IllegalArgumentException("not an XML name: " + attribute);
    }
    attributes.put(attribute, value);
    return this;
  }

  /** Sets an attribute to a number, written with at most two decimals. */
  Svg attr(String attribute, double value) {
    return attr(attribute, number(value));
  }

  /** Appends a child element and returns it. */
  Svg add(Svg child) {
    children.add(child);
    return child;
  }

  /** Appends a child element named {@code childName} and returns it. */
  Svg add(String childName) {
    return add(element(childName));
  }

  /** Appends text (escaped when written). */
  Svg text(String text) {
    children.add(text);
    return this;
  }

  /** The document: an XML declaration and this element. */
  String document() {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write(b, 0);
    return b.toString();
  }

  private void write(StringBuilder b, int depth) {
    b.append("  ".repeat(depth)).append('<').append(name);
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      b.append(' ').append(a.getKey()).append("=\"").append(escape(a.getValue(), true)).append('"');
    }
    if (children.isEmpty()) {
      b.append("/>\n");
      return;
    }
    if (children.stream().noneMatch(c -> c instanceof Svg)) {
      b.append('>');
      for (Object c : children) {
        b.append(escape((String) c, false));
      }
      b.append("</").append(name).append(">\n");
      return;
    }
    b.append(">\n");
    for (Object c : children) {
      if (c instanceof Svg e) {
        e.write(b, depth + 1);
      } else {
        b.append("  ".repeat(depth + 1)).append(escape((String) c, false)).append('\n');
      }
    }
    b.append("  ".repeat(depth)).append("</").append(name).append(">\n");
  }

  /**
   * {@code s} as XML character data: markup characters and carriage returns (which a parser would turn into
   * line feeds) as references, characters XML cannot hold as U+FFFD; in an attribute value also the double
   * quote, tabs and line feeds, which attribute normalisation would turn into spaces.
   */
  static String escape(String s, boolean attribute) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
        continue;
      }
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append(attribute ? "&quot;" : "\"");
        case '\r' -> b.append("&#13;");
        case '\t', '\n' -> b.append(attribute ? "&#" + (int) c + ";" : String.valueOf(c));
        default -> b.append(c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  /** A coordinate or size: at most two decimals, no trailing zeros, never NaN or infinite. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("not a finite coordinate: " + v);
    }
    String s = String.format(Locale.ROOT, "%.2f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }
}
