package io.github.logits4j.cli;

import static io.github.logits4j.cli.TestFiles.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.Logits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./logits4j} at the repository root, run as a process on real files after the jar is packaged. */
class LauncherIT {
  static final Path ROOT = Path.of(System.getProperty("logits4j.root", "..")).toAbsolutePath().normalize();

  @TempDir
  Path dir;

  record Proc(int code, String out, String err) {
    /** stderr without the JVM's own warning about the incubating vector module. */
    List<String> errLines() {
      return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }
  }

  static Proc launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("logits4j").toString());
    cmd.addAll(List.of(args));
    return exec(env, cmd);
  }

  static Proc exec(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Path o = Files.createTempFile("launcher", ".out");
    Path e = Files.createTempFile("launcher", ".err");
    pb.redirectOutput(o.toFile()).redirectError(e.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the launcher finishes");
    Proc r = new Proc(p.exitValue(), Files.readString(o), Files.readString(e));
    Files.delete(o);
    Files.delete(e);
    return r;
  }

  @Test
  void demoRunsFromTheRepositoryRoot() throws Exception {
    Proc r = launch(Map.of(), "demo");
    assertEquals(0, r.code(), r.err());
    DemoTest.Expected e = DemoTest.Expected.compute();
    assertTrue(r.out().contains(String.format(Locale.ROOT, "accuracy: %.4f (%d of 8)", e.correct() / 8.0, e.correct())),
        r.out());
    assertTrue(r.out().contains(String.format(Locale.ROOT, "mean loss (cross-entropy from logits): %.4f", e.mean())));
    assertEquals(List.of(), r.errLines(), "nothing else on stderr");
    assertTrue(r.out().contains("(kernels: panama-"), "the launcher enables the vector module: " + r.out());
    // the first run made the start-up cache, and a run without it gives the same output
    assertTrue(Files.isRegularFile(ROOT.resolve("cli/target/logits4j-cli.aot")), "the AOT cache exists");
    Proc plain = launch(Map.of("LOGITS4J_AOT", "0"), "demo");
    assertEquals(r.out(), plain.out());
  }

  @Test
  void scoresARealFileAndFailsWithOneLine() throws Exception {
    int rows = 5000;
    int cols = 10;
    float[] x = logits(7, rows, cols);
    Path in = npyF32(dir.resolve("x.npy"), x, rows, cols);
    Path lab = npyLabels(dir.resolve("y.npy"), labels(8, rows, cols));
    Proc r = launch(Map.of(), "score", in.toString(), "--labels", lab.toString(), "--probs",
        dir.resolve("p.npy").toString(), "--top", "3", "--top-out", dir.resolve("t.jsonl").toString());
    assertEquals(0, r.code(), r.err());
    float[] p = new float[x.length];
    Logits.softmax(x, p, cols);
    assertArrayEquals(p, readNpy(dir.resolve("p.npy")).floats());
    assertEquals(rows, Files.readAllLines(dir.resolve("t.jsonl"), StandardCharsets.UTF_8).size());
    assertTrue(r.out().contains("rows: 5000\nclasses: 10\nrows/s: "), r.out());
    assertEquals(List.of(), r.errLines(), "no progress bar when stderr is not a terminal");

    Path bad = Files.write(dir.resolve("bad.npy"), java.util.Arrays.copyOf(Files.readAllBytes(in), 1000));
    Proc b = launch(Map.of(), "score", bad.toString(), "--probs", dir.resolve("q.npy").toString());
    assertEquals(1, b.code());
    assertEquals(1, b.errLines().size(), b.err());
    assertTrue(b.errLines().get(0).startsWith("logits4j: " + bad + ": truncated at byte offset 1000"), b.err());
    assertTrue(!Files.exists(dir.resolve("q.npy")));
  }

  @Test
  void aFileLargerThanTheHeapIsStreamed() throws Exception {
    int rows = 1_000_000;
    int cols = 10;
    float[] x = logits(11, rows, cols);
    Path in = npyF32(dir.resolve("x.npy"), x, rows, cols);
    // 40 MB of logits and 40 MB of probabilities through a 24 MB heap
    Proc r = launch(Map.of("JDK_JAVA_OPTIONS", "-Xmx24m"), "score", in.toString(), "--probs",
        dir.resolve("p.npy").toString(), "--pred", dir.resolve("pred.csv").toString());
    assertEquals(0, r.code(), r.err());
    float[] p = new float[x.length];
    Logits.softmax(x, p, cols);
    assertArrayEquals(p, readNpy(dir.resolve("p.npy")).floats());
    int[] pred = new int[rows];
    Logits.argmax(x, cols, pred);
    assertArrayEquals(pred, Files.readAllLines(dir.resolve("pred.csv")).stream().mapToInt(Integer::parseInt).toArray());
  }

  @Test
  void progressBarOnlyOnATerminal() throws Exception {
    int rows = 20000;
    Path in = npyF32(dir.resolve("x.npy"), logits(3, rows, 4), rows, 4);
    String cmd = ROOT.resolve("logits4j") + " score " + in + " --block-rows 100 --probs " + dir.resolve("p.npy");
    Map<String, String> env = Map.of("JDK_JAVA_OPTIONS", "-Dlogits4j.progress.afterMs=0");
    // script(1) runs the command on a pseudo-terminal: stderr is a terminal there
    Proc tty = exec(env, List.of("script", "-qec", cmd, "/dev/null"));
    assertEquals(0, tty.code(), tty.out());
    assertTrue(tty.out().contains("] 100% 20000 rows") || tty.out().contains("% "), "a progress bar: " + tty.out());
    Proc pipe = exec(env, List.of("bash", "-c", cmd));
    assertEquals(0, pipe.code(), pipe.err());
    assertTrue(!pipe.err().contains("rows") && !pipe.err().contains("%"), pipe.err());
  }
}
