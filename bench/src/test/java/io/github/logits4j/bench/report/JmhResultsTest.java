package io.github.logits4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultsTest {
  @Test
  void theMedianOfEveryForksIterations() {
    assertEquals(3, JmhResults.median(Map.of("rawData", List.of(List.of(5, 1, 3)), "score", 99)), 0);
    assertEquals(2.5, JmhResults.median(Map.of("rawData", List.of(List.of(4, 1), List.of(2, 3)), "score", 99)), 0);
    // sample mode keeps no rawData: its 50th percentile, else the score
    assertEquals(7, JmhResults.median(Map.of("scorePercentiles", Map.of("50.0", 7), "score", 99)), 0);
    assertEquals(99, JmhResults.median(Map.of("score", 99)), 0);
  }

  @Test
  void theSettingsOfEachBenchmark() throws Exception {
    JmhResults.Run run = JmhResults.parse("""
        [{"jmhVersion": "1.37", "benchmark": "a.B.c", "mode": "avgt", "threads": 1, "forks": 0, "jdkVersion": "25",
          "warmupIterations": 1, "warmupTime": "500 ms", "measurementIterations": 5, "measurementTime": "200 ms",
          "params": {"shape": "8x1000"}, "primaryMetric": {"score": 1, "scoreUnit": "ns/op", "rawData": [[1]]}},
         {"benchmark": "a.B.d", "mode": "avgt", "threads": 2, "forks": 3, "warmupIterations": 1, "warmupTime": "1 s",
          "measurementIterations": 1, "measurementTime": "1 s",
          "primaryMetric": {"score": 1, "scoreUnit": "ns/op", "rawData": [[1]]}}]
        """);
    assertEquals("no forks (in the harness's JVM), 1 warm-up iteration of 500 ms, 5 measured iterations of 200 ms, "
        + "1 thread", run.measurements().get(0).settings());
    assertEquals("3 forks, 1 warm-up iteration of 1 s, 1 measured iteration of 1 s, 2 threads",
        run.measurements().get(1).settings());
    assertEquals(Map.of("shape", "8x1000"), run.measurements().get(0).params());
    assertEquals(Map.of(), run.measurements().get(1).params());
    assertEquals("1.37", run.jmhVersion());
    assertEquals("B", run.measurements().get(0).className());
    assertEquals("d", run.measurements().get(1).method());
  }
}
