package io.github.logits4j.bench.report;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON that {@code torch_bench.py --json} writes: the PyTorch version and, per op, dtype and shape,
 * the median ns per element.
 */
final class TorchResults {
  private TorchResults() {}

  record Result(String op, String dtype, int rows, int cols, int threads, double medianNsPerElement) {
    String shape() {
      return rows + "x" + cols;
    }
  }

  record Run(String version, List<Result> results) {}

  static Run read(Path file) throws IOException {
    Map<String, Object> root = JSON.std.mapFrom(Files.readString(file));
    List<Result> out = new ArrayList<>();
    if (root.get("results") instanceof List<?> results) {
      for (Object o : results) {
        Map<?, ?> r = (Map<?, ?>) o;
        out.add(new Result(String.valueOf(r.get("op")), String.valueOf(r.get("dtype")), number(r.get("rows")),
            number(r.get("cols")), r.get("threads") == null ? 1 : number(r.get("threads")),
            ((Number) r.get("median_ns_per_el")).doubleValue()));
      }
    }
    return new Run(String.valueOf(root.get("torch")), List.copyOf(out));
  }

  private static int number(Object o) {
    return ((Number) o).intValue();
  }
}
