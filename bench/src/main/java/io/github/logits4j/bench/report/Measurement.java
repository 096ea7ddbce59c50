package io.github.logits4j.bench.report;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JMH result: a benchmark method at one set of parameters, with the median of its measured iterations
 * in JMH's unit, and the settings it ran with.
 *
 * @param benchmark the full name, {@code package.Class.method}
 * @param params the {@code @Param} values, e.g. {@code shape=1024x1000}
 * @param mode JMH's mode ({@code avgt}, {@code thrpt}, ...)
 * @param unit JMH's score unit, e.g. {@code ns/op}
 * @param median the median of the measured iteration scores, in {@code unit}
 * @param settings forks, warm-up and measurement, e.g. {@code 1 fork, 3 warm-up iterations of 1 s, ...}
 */
record Measurement(String benchmark, Map<String, String> params, String mode, String unit, double median,
    String settings) {
  private static final Pattern SHAPE = Pattern.compile("(\\d+)x(\\d+)");

  Measurement {
    params = Map.copyOf(params);
  }

  /** The simple name of the benchmark class. */
  String className() {
    String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
    return owner.substring(owner.lastIndexOf('.') + 1);
  }

  /** The benchmark method. */
  String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** The {@code shape} parameter, {@code null} when there is none. */
  String shape() {
    return params.get("shape");
  }

  /** Rows times columns of a {@code RxC} shape; empty without one. */
  OptionalDouble elements() {
    if (shape() == null) {
      return OptionalDouble.empty();
    }
    Matcher m = SHAPE.matcher(shape());
    return m.matches() ? OptionalDouble.of(Double.parseDouble(m.group(1)) * Double.parseDouble(m.group(2)))
        : OptionalDouble.empty();
  }

  /** Columns of a {@code RxC} shape; empty without one. */
  OptionalDouble columns() {
    if (shape() == null) {
      return OptionalDouble.empty();
    }
    Matcher m = SHAPE.matcher(shape());
    return m.matches() ? OptionalDouble.of(Double.parseDouble(m.group(2))) : OptionalDouble.empty();
  }

  /** Nanoseconds per call, from a time-per-call unit or the inverse of a throughput unit; else empty. */
  OptionalDouble nsPerOp() {
    String[] parts = unit.split("/");
    if (parts.length != 2) {
      return OptionalDouble.empty();
    }
    if (parts[1].equals("op")) {
      double scale = nanos(parts[0]);
      return Double.isNaN(scale) ? OptionalDouble.empty() : OptionalDouble.of(median * scale);
    }
    if (parts[0].equals("ops")) {
      double scale = nanos(parts[1]);
      return Double.isNaN(scale) || median <= 0 ? OptionalDouble.empty() : OptionalDouble.of(scale / median);
    }
    return OptionalDouble.empty();
  }

  /** Nanoseconds per element of the shape, when both are known. */
  OptionalDouble nsPerElement() {
    OptionalDouble ns = nsPerOp(), n = elements();
    return ns.isPresent() && n.isPresent() ? OptionalDouble.of(ns.getAsDouble() / n.getAsDouble())
        : OptionalDouble.empty();
  }

  private static double nanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "min" -> 60e9;
      default -> Double.NaN;
    };
  }
}
