package io.github.logits4j.bench;

import io.github.logits4j.Logits;
import io.github.logits4j.internal.reference.ScalarReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cold-start harness: a fresh JVM per sample, timing the first calls of float32 softmax over a 1024x1000
 * batch. Each child JVM times its first call, the sum of its first 20, and runs on for 6 seconds to find the
 * steady per-call time (the median of the last half of the calls) and when it was reached (from the start of
 * the first call to the first of 5 calls in a row within 1.25x of the steady time).
 *
 * <p>Variants: {@code logits4j} ({@code Logits.softmax}), {@code scalar} (the scalar reference, the same
 * JVM flags), {@code vector} ({@code Logits.softmax} with {@code -Dlogits4j.coldStart=vector}: the vector
 * kernel from the first call, no scalar twin), {@code warmup} ({@code Logits.warmUp()} first, timed, then the calls), and {@code aot}
 * ({@code Logits.softmax} in a JVM started with {@code -XX:AOTCache=} a cache written by a training run of
 * the {@code logits4j} variant with {@code -XX:AOTCacheOutput=}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.logits4j.bench.ColdStart [SAMPLES [OUTPUT.md]]}.
 */
public final class ColdStart {
  static final int ROWS = 1024, COLS = 1000, FIRST = 20;
  static final long RUN_NANOS = 6_000_000_000L;

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1]);
      return;
    }
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path out = args.length > 1 ? Path.of(args[1]) : null;
    Path aot = Files.createTempDirectory("logits4j-aot").resolve("softmax.aot");
    String train = run(List.of("-XX:AOTCacheOutput=" + aot), "logits4j");
    System.err.println("AOT training run: " + train.strip() + "; cache " + Files.size(aot) + " bytes");
    String[] variants = {"scalar", "logits4j", "vector", "warmup", "aot"};
    List<List<double[]>> results = new ArrayList<>();
    for (String v : variants) {
      results.add(new ArrayList<>());
    }
    for (int s = 0; s < samples; s++) {
      for (int i = 0; i < variants.length; i++) {
        List<String> flags = switch (variants[i]) {
          case "aot" -> List.of("-XX:AOTCache=" + aot);
          case "vector" -> List.of("-Dlogits4j.coldStart=vector");
          default -> List.of();
        };
        String line = run(flags, variants[i].equals("aot") || variants[i].equals("vector") ? "logits4j" : variants[i]);
        System.err.println(variants[i] + ": " + line.strip());
        results.get(i).add(parse(line));
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("| variant | first call (ms) | first 20 calls (ms) | steady call (ms) | steady after (ms) | warmUp() (ms) |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < variants.length; i++) {
      double[] med = new double[5];
      for (int k = 0; k < 5; k++) {
        final int kk = k;
        med[k] = median(results.get(i).stream().mapToDouble(r -> r[kk]).toArray());
      }
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %.0f | %s |%n", variants[i], med[0], med[1],
          med[2], med[3], variants[i].equals("warmup") ? String.format(Locale.ROOT, "%.0f", med[4]) : ""));
    }
    System.out.print(md);
    if (out != null) {
      Files.writeString(out, md.toString());
    }
  }

  /** One child JVM: its result line. */
  private static String run(List<String> flags, String variant) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ColdStart.class.getName());
    cmd.add("--child");
    cmd.add(variant);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String outText = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("child " + variant + " failed: " + outText);
    }
    return outText.lines().filter(l -> l.startsWith("first=")).findFirst().orElseThrow();
  }

  private static double[] parse(String line) {
    double[] r = new double[5];
    for (String kv : line.strip().split(" ")) {
      String[] p = kv.split("=");
      int i = switch (p[0]) {
        case "first" -> 0;
        case "first20" -> 1;
        case "steady" -> 2;
        case "steadyAfter" -> 3;
        default -> 4;
      };
      r[i] = Double.parseDouble(p[1]);
    }
    return r;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The child: times the calls and prints one line, in ms. */
  private static void child(String variant) {
    float[] x = Shapes.floats(ROWS * COLS, 1), y = new float[x.length];
    boolean scalar = variant.equals("scalar");
    double warm = 0;
    if (variant.equals("warmup")) {
      long w = System.nanoTime();
      Logits.warmUp();
      warm = (System.nanoTime() - w) / 1e6;
    }
    List<long[]> calls = new ArrayList<>();  // {start, duration}
    long begin = System.nanoTime();
    while (System.nanoTime() - begin < RUN_NANOS || calls.size() < FIRST) {
      long t = System.nanoTime();
      if (scalar) {
        ScalarReference.INSTANCE.softmax(x, 0, y, 0, ROWS, COLS, 1f);
      } else {
        Logits.softmax(x, y, COLS);
      }
      calls.add(new long[] {t, System.nanoTime() - t});
    }
    long first20 = 0;
    for (int i = 0; i < FIRST; i++) {
      first20 += calls.get(i)[1];
    }
    double[] tail = calls.subList(calls.size() / 2, calls.size()).stream().mapToDouble(c -> c[1]).toArray();
    double steady = median(tail);
    long reached = calls.getLast()[0];
    for (int i = 0; i + 5 <= calls.size(); i++) {
      boolean ok = true;
      for (int j = i; j < i + 5 && ok; j++) {
        ok = calls.get(j)[1] <= 1.25 * steady;
      }
      if (ok) {
        reached = calls.get(i)[0];
        break;
      }
    }
    System.out.printf(Locale.ROOT, "first=%.3f first20=%.3f steady=%.4f steadyAfter=%.1f warmUp=%.1f%n",
        calls.get(0)[1] / 1e6, first20 / 1e6, steady / 1e6, (reached - begin) / 1e6, warm);
  }
}
