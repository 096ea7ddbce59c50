package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The float64 binary cross-entropy's vector stages each parse within C2's budget for inlining at parse
 * time ({@code DesiredMethodLimit}, 8000 bytecodes), as the README's design notes say. The one loop they
 * replace parsed past it, and after some histories it boxed 100 bytes per element: in one CI run, in two of
 * three local runs of the mixed workload, and in one more with {@code -XX:PerMethodTrapLimit} raised. A child JVM at this run's
 * width runs the loss and its gradient and writes C2's compilation log; every C2 compilation of each stage
 * must report fewer inlined bytecodes than the budget.
 */
class InliningBudgetTest {
  /** HotSpot's {@code DesiredMethodLimit}, a develop flag: fixed in product builds. */
  private static final int DESIRED_METHOD_LIMIT = 8000;
  private static final String[] STAGES = {"bceExp", "bceLog1p", "bceLoss", "bceLossAndGradient"};

  @Test
  void float64BceStagesParseWithinTheInliningBudget() throws Exception {
    assumeTrue(Logits.implementation().startsWith("panama"), "the stages are vector code");
    Path log = Files.createTempFile(Path.of("target"), "bce-compilation", ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Dlogits4j.parallelism=single",
        "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log));
    String bits = System.getProperty("logits4j.vectorBits");
    if (bits != null) {
      command.add("-Dlogits4j.vectorBits=" + bits);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.github.logits4j.probe.BceCompileProbe",
        "8"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe timed out");
    assertEquals(0, p.exitValue(), () -> "probe failed: " + command + "\n" + out);

    // <task ... method='io.github.logits4j.internal.panama.LogisticF64 bceLoss (...' ...> opens a
    // compilation; C1's carry a level attribute, C2's do not; <task_done ... inlined_bytes='n'> closes it
    Pattern task = Pattern.compile("^<task .*method='io\\.github\\.logits4j\\.internal\\.panama\\.LogisticF64 (\\w+) ");
    Pattern done = Pattern.compile("^<task_done .*inlined_bytes='(\\d+)'");
    Map<String, Integer> most = new TreeMap<>();
    String current = null;
    try (var lines = Files.lines(log)) {
      for (String line : (Iterable<String>) lines::iterator) {
        Matcher m = task.matcher(line);
        if (line.startsWith("<task ")) {
          current = m.find() && !line.contains(" level='") ? m.group(1) : null;
        } else if (current != null && line.startsWith("<task_done")) {
          Matcher d = done.matcher(line);
          most.merge(current, d.find() ? Integer.parseInt(d.group(1)) : 0, Math::max);
          current = null;
        }
      }
    }
    Files.deleteIfExists(log);
    for (String stage : STAGES) {
      assertTrue(most.containsKey(stage), () -> stage + " was not compiled by C2; compiled: " + most);
      assertTrue(most.get(stage) < DESIRED_METHOD_LIMIT,
          () -> stage + " inlined " + most.get(stage) + " bytecodes, past the budget; all: " + most);
    }
  }
}
