package io.github.logits4j.bench.report;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JMH's JSON result file (what {@code -rf json} writes) into {@link Measurement}s. */
final class JmhResults {
  private JmhResults() {}

  /** The run's results, in the file's order, and what the file says of the JVM and JMH. */
  record Run(List<Measurement> measurements, String jmhVersion, String jdkVersion, String vmName,
      String vmVersion, String jvm, List<String> jvmArgs) {}

  static Run read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  static Run parse(String json) throws IOException {
    List<Object> entries = JSON.std.listFrom(json);
    List<Measurement> out = new ArrayList<>();
    Map<String, Object> first = entries.isEmpty() ? Map.of() : map(entries.getFirst());
    for (Object entry : entries) {
      Map<String, Object> e = map(entry);
      Map<String, String> params = new LinkedHashMap<>();
      if (e.get("params") instanceof Map<?, ?> p) {
        p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
      }
      Map<String, Object> primary = map(e.get("primaryMetric"));
      out.add(new Measurement((String) e.get("benchmark"), params, String.valueOf(e.get("mode")),
          String.valueOf(primary.get("scoreUnit")), median(primary), settings(e)));
    }
    List<String> jvmArgs = new ArrayList<>();
    if (first.get("jvmArgs") instanceof List<?> args) {
      args.forEach(a -> jvmArgs.add(String.valueOf(a)));
    }
    return new Run(out, string(first.get("jmhVersion")), string(first.get("jdkVersion")),
        string(first.get("vmName")), string(first.get("vmVersion")), string(first.get("jvm")), List.copyOf(jvmArgs));
  }

  /**
   * The median of the measured iteration scores of every fork ({@code rawData}); where JMH gives none (sample
   * mode), its 50th percentile; else its score.
   */
  static double median(Map<String, Object> primary) {
    List<Double> scores = new ArrayList<>();
    if (primary.get("rawData") instanceof List<?> forks) {
      for (Object fork : forks) {
        for (Object score : (List<?>) fork) {
          scores.add(((Number) score).doubleValue());
        }
      }
    }
    if (scores.isEmpty()) {
      if (primary.get("scorePercentiles") instanceof Map<?, ?> p && p.get("50.0") instanceof Number n) {
        return n.doubleValue();
      }
      return ((Number) primary.get("score")).doubleValue();
    }
    scores.sort(null);
    int n = scores.size();
    return n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
  }

  private static String settings(Map<String, Object> e) {
    String forks = e.get("forks") instanceof Number n && n.intValue() == 0 ? "no forks (in the harness's JVM)"
        : plural(e.get("forks"), "fork");
    return forks + ", " + plural(e.get("warmupIterations"), "warm-up iteration") + " of "
        + e.get("warmupTime") + ", " + plural(e.get("measurementIterations"), "measured iteration") + " of "
        + e.get("measurementTime") + ", " + plural(e.get("threads"), "thread");
  }

  private static String plural(Object count, String noun) {
    return count + " " + noun + (count instanceof Number n && n.intValue() == 1 ? "" : "s");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
