package io.github.logits4j.cli;

import static io.github.logits4j.cli.TestFiles.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every option and output format of {@code score}, against the library's results computed here. */
class ScoreTest {
  static final int ROWS = 203;
  static final int COLS = 7;

  @TempDir
  Path dir;

  final float[] x = logits(1, ROWS, COLS);
  final int[] y = labels(2, ROWS, COLS);

  float[] probs(float[] in, int cols, float t) {
    float[] p = new float[in.length];
    Logits.softmax(in, p, cols, t);
    return p;
  }

  float[] logProbs(float[] in, int cols, float t) {
    float[] p = new float[in.length];
    Logits.logSoftmax(in, p, cols, t);
    return p;
  }

  int[] argmax(float[] in, int cols) {
    int[] p = new int[in.length / cols];
    Logits.argmax(in, cols, p);
    return p;
  }

  float[] rowLosses(float[] in, int cols, int[] labels) {
    float[] l = new float[labels.length];
    CrossEntropy.sparse().rowLosses(in, cols, labels, l);
    return l;
  }

  static List<String> lines(Path p) throws IOException {
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  static float[] csvFloats(Path p) throws IOException {
    return lines(p).stream().flatMap(l -> java.util.Arrays.stream(l.split(",")))
        .map(Float::parseFloat).collect(FloatCollector.INSTANCE);
  }

  /** Collects boxed floats into a float[]. */
  enum FloatCollector implements java.util.stream.Collector<Float, java.util.List<Float>, float[]> {
    INSTANCE;

    @Override
    public java.util.function.Supplier<java.util.List<Float>> supplier() {
      return java.util.ArrayList::new;
    }

    @Override
    public java.util.function.BiConsumer<java.util.List<Float>, Float> accumulator() {
      return java.util.List::add;
    }

    @Override
    public java.util.function.BinaryOperator<java.util.List<Float>> combiner() {
      return (a, b) -> {
        a.addAll(b);
        return a;
      };
    }

    @Override
    public java.util.function.Function<java.util.List<Float>, float[]> finisher() {
      return l -> {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
          f[i] = l.get(i);
        }
        return f;
      };
    }

    @Override
    public java.util.Set<Characteristics> characteristics() {
      return java.util.Set.of();
    }
  }

  @Test
  void npyOutputsMatchTheLibrary() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Path lab = npyLabels(dir.resolve("y.npy"), y);
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--probs", dir.resolve("p.npy").toString(),
        "--log-probs", dir.resolve("lp.npy").toString(), "--pred", dir.resolve("pred.npy").toString(),
        "--loss", dir.resolve("loss.npy").toString());
    assertEquals(0, r.code(), r.err());
    Array p = readNpy(dir.resolve("p.npy"));
    assertArrayEquals(new long[] {ROWS, COLS}, p.shape());
    assertArrayEquals(probs(x, COLS, 1), p.floats());
    assertArrayEquals(logProbs(x, COLS, 1), readNpy(dir.resolve("lp.npy")).floats());
    Array pred = readNpy(dir.resolve("pred.npy"));
    assertArrayEquals(new long[] {ROWS}, pred.shape());
    assertArrayEquals(argmax(x, COLS), pred.ints());
    Array loss = readNpy(dir.resolve("loss.npy"));
    assertArrayEquals(rowLosses(x, COLS, y), loss.floats());
    // and the library against a plain double softmax, independently
    float[] pf = p.floats();
    for (int i = 0; i < ROWS; i++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < COLS; j++) {
        m = Math.max(m, x[i * COLS + j]);
      }
      double s = 0;
      for (int j = 0; j < COLS; j++) {
        s += Math.exp(x[i * COLS + j] - m);
      }
      for (int j = 0; j < COLS; j++) {
        double e = Math.exp(x[i * COLS + j] - m) / s;
        assertEquals(e, pf[i * COLS + j], 1e-6 * Math.max(e, 1e-30) + Float.MIN_VALUE * 2);
      }
      double l = Math.log(s) + m - x[i * COLS + y[i]];
      assertEquals(l, loss.floats()[i], 1e-5 * Math.max(1, l));
    }
  }

  @Test
  void summaryReportsRowsClassesLossAndAccuracies() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Path lab = npyLabels(dir.resolve("y.npy"), y);
    Run r = run("score", in.toString(), "--labels", lab.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(String.valueOf(ROWS), r.value("rows"));
    assertEquals(String.valueOf(COLS), r.value("classes"));
    assertTrue(Double.parseDouble(r.value("rows/s")) > 0);
    double mean = CrossEntropy.sparse().loss(x, COLS, y);
    assertEquals(mean, Double.parseDouble(r.value("mean loss")), 1e-5 * mean);
    int[] pred = argmax(x, COLS);
    int correct = 0;
    int top5 = 0;
    for (int i = 0; i < ROWS; i++) {
      correct += pred[i] == y[i] ? 1 : 0;
      // rank of the label: how many logits are larger (ties: lower index first)
      int rank = 0;
      for (int j = 0; j < COLS; j++) {
        float a = x[i * COLS + j];
        float b = x[i * COLS + y[i]];
        if (a > b || (a == b && j < y[i])) {
          rank++;
        }
      }
      top5 += rank < 5 ? 1 : 0;
    }
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f (%d of %d)", correct / (double) ROWS, correct, ROWS),
        r.value("accuracy"));
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f (%d of %d)", top5 / (double) ROWS, top5, ROWS),
        r.value("top-5 accuracy"));
  }

  @Test
  void summaryGivesTop1AccuracyUnderFiveClassesAndNoLossWithoutLabels() throws IOException {
    float[] x3 = logits(3, 50, 3);
    int[] y3 = labels(4, 50, 3);
    Path in = npyF32(dir.resolve("x.npy"), x3, 50, 3);
    Run r = run("score", in.toString(), "--labels", npyLabels(dir.resolve("y.npy"), y3).toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(r.value("accuracy"), r.value("top-1 accuracy"));
    assertTrue(!r.out().contains("top-5"), r.out());
    Run n = run("score", in.toString());
    assertEquals(0, n.code(), n.err());
    assertEquals("50", n.value("rows"));
    assertTrue(!n.out().contains("loss") && !n.out().contains("accuracy"), n.out());
  }

  @Test
  void csvOutputsAreShortestRoundTripDecimals() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Path lab = npyLabels(dir.resolve("y.npy"), y);
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--probs", dir.resolve("p.csv").toString(),
        "--log-probs", dir.resolve("lp.csv").toString(), "--pred", dir.resolve("pred.csv").toString(),
        "--loss", dir.resolve("loss.csv").toString(), "--top", "3", "--top-out", dir.resolve("top.csv").toString());
    assertEquals(0, r.code(), r.err());
    float[] p = probs(x, COLS, 1);
    assertEquals(ROWS, lines(dir.resolve("p.csv")).size());
    assertArrayEquals(p, csvFloats(dir.resolve("p.csv")));
    assertArrayEquals(logProbs(x, COLS, 1), csvFloats(dir.resolve("lp.csv")));
    assertArrayEquals(rowLosses(x, COLS, y), csvFloats(dir.resolve("loss.csv")));
    assertArrayEquals(argmax(x, COLS), lines(dir.resolve("pred.csv")).stream().mapToInt(Integer::parseInt).toArray());
    int[] idx = new int[ROWS * 3];
    float[] val = new float[ROWS * 3];
    Logits.topK(x, COLS, 3, idx, val);
    List<String> top = lines(dir.resolve("top.csv"));
    for (int i = 0; i < ROWS; i++) {
      String[] c = top.get(i).split(",");
      assertEquals(6, c.length);
      for (int j = 0; j < 3; j++) {
        assertEquals(idx[i * 3 + j], Integer.parseInt(c[j]));
        assertEquals(p[i * COLS + idx[i * 3 + j]], Float.parseFloat(c[3 + j]));
      }
    }
    // shortest: no decimal with one digit fewer reads back to the same float
    for (String line : lines(dir.resolve("p.csv")).subList(0, 40)) {
      for (String cell : line.split(",")) {
        assertShortest(cell);
      }
    }
  }

  static void assertShortest(String cell) {
    float v = Float.parseFloat(cell);
    assertTrue(!cell.endsWith(".0") && !cell.contains(".0E"), cell);
    BigDecimal d = new BigDecimal(cell);
    int digits = d.stripTrailingZeros().precision();
    if (digits <= 1) {
      return;
    }
    BigDecimal exact = new BigDecimal(v);
    for (RoundingMode m : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal shorter = exact.round(new MathContext(digits - 1, m));
      assertTrue(shorter.floatValue() != v, cell + " could be " + shorter);
    }
  }

  @Test
  void numbersAreShortestForRandomFloatsAndDoubles() {
    Random r = new Random(5);
    for (int i = 0; i < 20000; i++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (!Float.isFinite(f)) {
        continue;
      }
      String s = Numbers.of(f);
      assertEquals(f, Float.parseFloat(s), s);
      assertShortest(s);
      double d = Double.longBitsToDouble(r.nextLong());
      if (Double.isFinite(d)) {
        String t = Numbers.of(d);
        assertEquals(d, Double.parseDouble(t), t);
        int digits = new BigDecimal(t).stripTrailingZeros().precision();
        if (digits > 1) {
          BigDecimal exact = new BigDecimal(d);
          assertTrue(exact.round(new MathContext(digits - 1, RoundingMode.FLOOR)).doubleValue() != d, t);
          assertTrue(exact.round(new MathContext(digits - 1, RoundingMode.CEILING)).doubleValue() != d, t);
        }
      }
    }
    assertEquals("1", Numbers.of(1f));
    assertEquals("1E-5", Numbers.of(1e-5f));
    assertEquals("NaN", Numbers.of(Float.NaN));
    assertEquals("-Infinity", Numbers.of(Double.NEGATIVE_INFINITY));
  }

  @Test
  void jsonLinesHaveOneObjectPerRow() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Path lab = npyLabels(dir.resolve("y.npy"), y);
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--probs", dir.resolve("p.jsonl").toString(),
        "--log-probs", dir.resolve("lp.jsonl").toString(), "--pred", dir.resolve("pred.jsonl").toString(),
        "--loss", dir.resolve("loss.jsonl").toString(), "--top", "2", "--top-out", dir.resolve("top.jsonl").toString());
    assertEquals(0, r.code(), r.err());
    float[] p = probs(x, COLS, 1);
    float[] lp = logProbs(x, COLS, 1);
    int[] pred = argmax(x, COLS);
    float[] loss = rowLosses(x, COLS, y);
    int[] idx = new int[ROWS * 2];
    Logits.topK(x, COLS, 2, idx, new float[ROWS * 2]);
    Pattern num = Pattern.compile("-?[0-9.]+(E-?[0-9]+)?|NaN|-?Infinity");
    List<String> pl = lines(dir.resolve("p.jsonl"));
    List<String> lpl = lines(dir.resolve("lp.jsonl"));
    List<String> prl = lines(dir.resolve("pred.jsonl"));
    List<String> ll = lines(dir.resolve("loss.jsonl"));
    List<String> tl = lines(dir.resolve("top.jsonl"));
    assertEquals(ROWS, pl.size());
    for (int i = 0; i < ROWS; i++) {
      assertArray(pl.get(i), "{\"row\": " + i + ", \"probs\": [", p, i * COLS, COLS);
      assertArray(lpl.get(i), "{\"row\": " + i + ", \"log_probs\": [", lp, i * COLS, COLS);
      assertEquals("{\"row\": " + i + ", \"pred\": " + pred[i] + "}", prl.get(i));
      String lossLine = ll.get(i);
      assertTrue(lossLine.startsWith("{\"row\": " + i + ", \"loss\": ") && lossLine.endsWith("}"), lossLine);
      assertEquals(loss[i], Float.parseFloat(lossLine.substring(lossLine.lastIndexOf(' ') + 1, lossLine.length() - 1)));
      Matcher m = Pattern.compile("\\{\"row\": " + i + ", \"classes\": \\[(\\d+),(\\d+)\\], \"probs\": \\[([^,]+),([^\\]]+)\\]\\}")
          .matcher(tl.get(i));
      assertTrue(m.matches(), tl.get(i));
      for (int j = 0; j < 2; j++) {
        int c = Integer.parseInt(m.group(1 + j));
        assertEquals(idx[i * 2 + j], c);
        assertEquals(p[i * COLS + c], Float.parseFloat(m.group(3 + j)));
      }
    }
    assertTrue(num.matcher("1.5E-7").matches());
  }

  static void assertArray(String line, String prefix, float[] want, int off, int n) {
    assertTrue(line.startsWith(prefix) && line.endsWith("]}"), line);
    String[] cells = line.substring(prefix.length(), line.length() - 2).split(",");
    assertEquals(n, cells.length, line);
    for (int j = 0; j < n; j++) {
      assertEquals(want[off + j], Float.parseFloat(cells[j]), line);
    }
  }

  @Test
  void npzHoldsClassesAndProbs() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Run r = run("score", in.toString(), "--top", "4", "--top-out", dir.resolve("top.npz").toString());
    assertEquals(0, r.code(), r.err());
    Map<String, Array> z = readNpz(dir.resolve("top.npz"));
    assertEquals(List.of("classes.npy", "probs.npy"), List.copyOf(z.keySet()));
    int[] idx = new int[ROWS * 4];
    Logits.topK(x, COLS, 4, idx, new float[ROWS * 4]);
    assertArrayEquals(new long[] {ROWS, 4}, z.get("classes.npy").shape());
    assertArrayEquals(idx, z.get("classes.npy").ints());
    float[] p = probs(x, COLS, 1);
    float[] tp = z.get("probs.npy").floats();
    for (int i = 0; i < idx.length; i++) {
      assertEquals(p[(i / 4) * COLS + idx[i]], tp[i]);
    }
    assertEquals(List.of("top.npz", "x.npy"), names(dir), "no part files left");
  }

  @Test
  void float64AndBigEndianInputsAreComputedInTheirOwnDtype() throws IOException {
    double[] xd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xd[i] = x[i] * 1.0000001;
    }
    int[] yd = y;
    Path in = npy(dir.resolve("xd.npy"), ">f8", "(" + ROWS + ", " + COLS + ")", bytes(xd, ByteOrder.BIG_ENDIAN));
    Path lab = npy(dir.resolve("y.npy"), ">i8", "(" + ROWS + ",)", bytesLong(yd, ByteOrder.BIG_ENDIAN));
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--probs", dir.resolve("p.npy").toString(),
        "--loss", dir.resolve("l.csv").toString(), "--top", "2", "--top-out", dir.resolve("t.npz").toString());
    assertEquals(0, r.code(), r.err());
    double[] p = new double[xd.length];
    Logits.softmax(xd, p, COLS);
    assertArrayEquals(p, readNpy(dir.resolve("p.npy")).doubles());
    double[] l = new double[ROWS];
    CrossEntropy.sparse().rowLosses(xd, COLS, yd, l);
    assertArrayEquals(l, lines(dir.resolve("l.csv")).stream().mapToDouble(Double::parseDouble).toArray());
    assertEquals("<f8", readNpz(dir.resolve("t.npz")).get("probs.npy").descr());
    // big-endian float32
    Path be = npy(dir.resolve("xb.npy"), ">f4", "(" + ROWS + ", " + COLS + ")", bytes(x, ByteOrder.BIG_ENDIAN));
    assertEquals(0, run("score", be.toString(), "--probs", dir.resolve("pb.npy").toString()).code());
    assertArrayEquals(probs(x, COLS, 1), readNpy(dir.resolve("pb.npy")).floats());
  }

  @Test
  void csvInputWithHeaderAndDtype() throws IOException {
    StringBuilder s = new StringBuilder("a,b,c,d,e,f,g\n");
    StringBuilder labelsCsv = new StringBuilder("label\n");
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < COLS; j++) {
        s.append(j == 0 ? "" : ", ").append(x[i * COLS + j]);
      }
      s.append('\n');
      labelsCsv.append(y[i]).append('\n');
    }
    Path in = Files.writeString(dir.resolve("x.csv"), s);
    Path lab = Files.writeString(dir.resolve("y.csv"), labelsCsv);
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--probs", dir.resolve("p.npy").toString(),
        "--loss", dir.resolve("l.npy").toString());
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(probs(x, COLS, 1), readNpy(dir.resolve("p.npy")).floats());
    assertArrayEquals(rowLosses(x, COLS, y), readNpy(dir.resolve("l.npy")).floats());
    // without a header, in float64: the decimals are read as doubles
    Path noHeader = Files.writeString(dir.resolve("x2.csv"), s.substring(s.indexOf("\n") + 1));
    Run d = run("score", noHeader.toString(), "--dtype", "float64", "--probs", dir.resolve("pd.npy").toString());
    assertEquals(0, d.code(), d.err());
    double[] xd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xd[i] = Double.parseDouble(Float.toString(x[i]));
    }
    double[] pd = new double[xd.length];
    Logits.softmax(xd, pd, COLS);
    assertArrayEquals(pd, readNpy(dir.resolve("pd.npy")).doubles());
    // a byte order mark before the first cell, and Windows line ends
    Path bom = Files.writeString(dir.resolve("bom.csv"), "\uFEFF1,2,3\r\n4,5,6\r\n");
    Run b = run("score", bom.toString(), "--probs", dir.resolve("bom-p.npy").toString());
    assertEquals(0, b.code(), b.err());
    assertArrayEquals(probs(new float[] {1, 2, 3, 4, 5, 6}, 3, 1), readNpy(dir.resolve("bom-p.npy")).floats());
    // special values
    Path sp = Files.writeString(dir.resolve("s.csv"), "nan,1,2\ninf,0,0\n-Infinity,1,1\n");
    assertEquals(0, run("score", sp.toString(), "--probs", dir.resolve("sp.csv").toString()).code());
    List<String> out = lines(dir.resolve("sp.csv"));
    assertEquals("NaN,NaN,NaN", out.get(0));
    assertEquals("NaN,NaN,NaN", out.get(1));
    float[] masked = probs(new float[] {Float.NEGATIVE_INFINITY, 1, 1}, 3, 1);
    assertEquals("0," + masked[1] + "," + masked[2], out.get(2));
    assertEquals(0.5f, masked[1], 1e-7f);
  }

  @Test
  void temperatureScalesTheLogits() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Path lab = npyLabels(dir.resolve("y.npy"), y);
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--temperature", "2.5",
        "--probs", dir.resolve("p.npy").toString(), "--log-probs", dir.resolve("lp.npy").toString(),
        "--loss", dir.resolve("l.npy").toString(), "--top", "2", "--top-out", dir.resolve("t.csv").toString());
    assertEquals(0, r.code(), r.err());
    float[] p = probs(x, COLS, 2.5f);
    float[] lp = logProbs(x, COLS, 2.5f);
    assertArrayEquals(p, readNpy(dir.resolve("p.npy")).floats());
    assertArrayEquals(lp, readNpy(dir.resolve("lp.npy")).floats());
    float[] l = readNpy(dir.resolve("l.npy")).floats();
    double sum = 0;
    for (int i = 0; i < ROWS; i++) {
      assertEquals(-lp[i * COLS + y[i]], l[i]);
      sum += l[i];
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < COLS; j++) {
        m = Math.max(m, x[i * COLS + j] / 2.5);
      }
      double s = 0;
      for (int j = 0; j < COLS; j++) {
        s += Math.exp(x[i * COLS + j] / 2.5 - m);
      }
      double want = Math.log(s) + m - x[i * COLS + y[i]] / 2.5;
      assertEquals(want, l[i], 1e-5 * Math.max(1, want));
    }
    assertEquals(sum / ROWS, Double.parseDouble(r.value("mean loss")), 1e-5 * sum / ROWS);
    int[] idx = new int[ROWS * 2];
    Logits.topK(x, COLS, 2, idx, new float[ROWS * 2]);
    List<String> top = lines(dir.resolve("t.csv"));
    for (int i = 0; i < ROWS; i++) {
      String[] c = top.get(i).split(",");
      for (int j = 0; j < 2; j++) {
        assertEquals(idx[i * 2 + j], Integer.parseInt(c[j]), "the order does not depend on T");
        assertEquals(p[i * COLS + idx[i * 2 + j]], Float.parseFloat(c[2 + j]));
      }
    }
  }

  @Test
  void tiesGoToTheFirstClassAndLabelsMayBeAColumn() throws IOException {
    Path in = Files.writeString(dir.resolve("t.csv"), "1,3,3\n5,5,5\n0,-1,2\n");
    Path lab = npy(dir.resolve("y.npy"), "<i4", "(3, 1)", bytes(new int[] {2, 0, 2}, ByteOrder.LITTLE_ENDIAN));
    Run r = run("score", in.toString(), "--labels", lab.toString(), "--pred", dir.resolve("p.csv").toString(),
        "--top", "3", "--top-out", dir.resolve("top.csv").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("1", "0", "2"), lines(dir.resolve("p.csv")));
    assertEquals("0,1,2", lines(dir.resolve("top.csv")).get(1).substring(0, 5));
    assertEquals("2,0,1", lines(dir.resolve("top.csv")).get(2).substring(0, 5));
    assertEquals("0.6667 (2 of 3)", r.value("accuracy"));
  }

  @Test
  void streamingGivesTheSameBytesAsOneBlock() throws IOException {
    int rows = 1000;
    float[] big = logits(9, rows, COLS);
    int[] yb = labels(10, rows, COLS);
    Path in = npyF32(dir.resolve("x.npy"), big, rows, COLS);
    Path lab = npyLabels(dir.resolve("y.npy"), yb);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < COLS; j++) {
        csv.append(j == 0 ? "" : ",").append(big[i * COLS + j]);
      }
      csv.append('\n');
    }
    Path inCsv = Files.writeString(dir.resolve("x.csv"), csv);
    String[] outs = {"p.npy", "lp.csv", "pred.jsonl", "loss.npy", "t.npz", "t.jsonl"};
    byte[][] first = null;
    String[][] variants = {{"--block-rows", "1000000"}, {"--block-rows", "1"}, {"--block-rows", "7"},
        {"--block-rows", "64", "--threads", "3"}, {"--threads", "1"}};
    for (Path input : List.of(in, inCsv)) {
      for (String[] v : variants) {
        Path o = Files.createDirectories(dir.resolve("o" + System.nanoTime()));
        List<String> args = new java.util.ArrayList<>(List.of("score", input.toString(), "--labels", lab.toString(),
            "--probs", o.resolve(outs[0]).toString(), "--log-probs", o.resolve(outs[1]).toString(),
            "--pred", o.resolve(outs[2]).toString(), "--loss", o.resolve(outs[3]).toString()));
        args.addAll(List.of(v));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Run r2 = run("score", input.toString(), "--top", "3", "--top-out", o.resolve(outs[4]).toString(), v[0], v[1]);
        Run r3 = run("score", input.toString(), "--top", "3", "--top-out", o.resolve(outs[5]).toString(), v[0], v[1]);
        assertEquals(0, r2.code() + r3.code(), r2.err() + r3.err());
        byte[][] got = new byte[outs.length][];
        for (int i = 0; i < outs.length; i++) {
          got[i] = Files.readAllBytes(o.resolve(outs[i]));
        }
        if (first == null) {
          first = got;
          assertArrayEquals(probs(big, COLS, 1), readNpy(got[0]).floats());
        } else {
          for (int i = 0; i < outs.length; i++) {
            assertArrayEquals(first[i], got[i], outs[i] + " with " + String.join(" ", v) + " from " + input);
          }
        }
        assertEquals(r.value("mean loss"), run("score", in.toString(), "--labels", lab.toString()).value("mean loss"));
      }
    }
  }

  @Test
  void existingOutputIsReplacedAndEmptyInputGivesEmptyOutputs() throws IOException {
    Path in = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    Path out = Files.writeString(dir.resolve("p.csv"), "old\n");
    assertEquals(0, run("score", in.toString(), "--probs", out.toString()).code());
    assertEquals(ROWS, lines(out).size());
    Path empty = npy(dir.resolve("e.npy"), "<f4", "(0, 3)", new byte[0]);
    Run r = run("score", empty.toString(), "--probs", dir.resolve("e-p.npy").toString());
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(new long[] {0, 3}, readNpy(dir.resolve("e-p.npy")).shape());
  }

  @Test
  void helpAndVersion() {
    Run h = run("--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("score") && h.out().contains("demo"), h.out());
    Run s = run("score", "--help");
    for (String opt : List.of("--labels", "--probs", "--log-probs", "--pred", "--loss", "--top", "--top-out",
        "--temperature", "--threads", "--dtype")) {
      assertTrue(s.out().contains(opt), opt);
    }
    assertTrue(run("--version").out().contains(Logits.version()));
    assertEquals(2, run("score").code(), "a missing INPUT is a usage error");
  }
}
