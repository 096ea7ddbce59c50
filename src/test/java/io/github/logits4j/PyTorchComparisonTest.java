package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import io.github.logits4j.oracle.Ulps;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * logits4j is at least as accurate as PyTorch's CPU kernels on the same inputs, in float32 and float64.
 * The rows and PyTorch's outputs come from {@code bench/accuracy/torch_outputs.py} (PyTorch's own results,
 * not ours); both sides are measured against the double-double oracle. The test fails if logits4j's
 * largest error, or its count of results off by more than 1 ulp, exceeds PyTorch's for softmax,
 * log-softmax, log-sum-exp or the per-row cross-entropy. It writes both sides' maxima for every op, BCE
 * with logits, sigmoid and log-sigmoid included, to {@code target/accuracy/pytorch-<implementation>.md}
 * for the README.
 */
class PyTorchComparisonTest {
  /** One row of a reference file, widened to double whatever its dtype. */
  record Row(double[] x, double[] softmax, double[] logSoftmax, double logSumExp, double ceTop, double ceFirst,
      double[] bce, double[] sigmoid, double[] logSigmoid) {}

  static List<Row> float32, float64;

  @BeforeAll
  static void load() throws IOException {
    float32 = read("/pytorch-float32.bin.gz", 4);
    float64 = read("/pytorch-float64.bin.gz", 8);
  }

  static List<Row> read(String resource, int width) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(PyTorchComparisonTest.class.getResourceAsStream(resource));
        DataInputStream data = new DataInputStream(in)) {
      int count = Integer.reverseBytes(data.readInt());
      for (int r = 0; r < count; r++) {
        int cols = Integer.reverseBytes(data.readInt());
        double[] x = values(data, cols, width), sm = values(data, cols, width), ls = values(data, cols, width);
        double[] lse = values(data, 1, width), ce = values(data, 2, width), bce = values(data, cols, width);
        double[] sig = values(data, cols, width), logSig = values(data, cols, width);
        rows.add(new Row(x, sm, ls, lse[0], ce[0], ce[1], bce, sig, logSig));
      }
    }
    return rows;
  }

  static double[] values(DataInputStream in, int n, int width) throws IOException {
    byte[] b = new byte[width * n];
    in.readFully(b);
    ByteBuffer buffer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = width == 4 ? buffer.getFloat() : buffer.getDouble();
    }
    return out;
  }

  /** Largest error and count of errors above 1 ulp. */
  record Score(double max, int above1) {
    static final Score ZERO = new Score(0, 0);

    Score add(double err) {
      return new Score(Math.max(max, err), above1 + (err > 1 ? 1 : 0));
    }
  }

  /** logits4j's and PyTorch's scores for one op. */
  static final class Pair {
    final boolean isFloat;
    Score ours = Score.ZERO, torch = Score.ZERO;

    Pair(boolean isFloat) {
      this.isFloat = isFloat;
    }

    void add(double oursValue, double torchValue, DD exact) {
      ours = ours.add(ulps(oursValue, exact));
      torch = torch.add(ulps(torchValue, exact));
    }

    private double ulps(double v, DD exact) {
      return isFloat ? Ulps.ofFloat((float) v, exact) : Ulps.ofDouble(v, exact);
    }
  }

  /** Our results for one row, through the public API in the row's dtype, widened to double. */
  record Ours(double[] softmax, double[] logSoftmax, double logSumExp, int top, double ceTop, double ceFirst,
      double[] bce, double[] sigmoid, double[] logSigmoid) {

    static Ours of(double[] x, double[] z, boolean isFloat) {
      int n = x.length;
      int[] top = new int[1];
      if (isFloat) {
        float[] xf = new float[n], zf = new float[n];
        for (int j = 0; j < n; j++) {
          xf[j] = (float) x[j];
          zf[j] = (float) z[j];
        }
        float[] p = new float[n], ls = new float[n], lse = new float[1], ce = new float[2];
        float[] bce = new float[n], sig = new float[n], logSig = new float[n];
        Logits.softmax(xf, p, n);
        Logits.logSoftmax(xf, ls, n);
        Logits.logSumExp(xf, n, lse);
        Logits.argmax(xf, n, top);
        CrossEntropy.sparse().rowLosses(xf, 0, 1, n, top, 0, ce, 0);
        CrossEntropy.sparse().rowLosses(xf, 0, 1, n, new int[] {0}, 0, ce, 1);
        BinaryCrossEntropy.withLogits().elementLosses(xf, n, zf, bce);
        Logits.sigmoid(xf, sig);
        Logits.logSigmoid(xf, logSig);
        return new Ours(Ops.widen(p), Ops.widen(ls), lse[0], top[0], ce[0], ce[1], Ops.widen(bce), Ops.widen(sig),
            Ops.widen(logSig));
      }
      double[] p = new double[n], ls = new double[n], lse = new double[1], ce = new double[2];
      double[] bce = new double[n], sig = new double[n], logSig = new double[n];
      Logits.softmax(x, p, n);
      Logits.logSoftmax(x, ls, n);
      Logits.logSumExp(x, n, lse);
      Logits.argmax(x, n, top);
      CrossEntropy.sparse().rowLosses(x, 0, 1, n, top, 0, ce, 0);
      CrossEntropy.sparse().rowLosses(x, 0, 1, n, new int[] {0}, 0, ce, 1);
      BinaryCrossEntropy.withLogits().elementLosses(x, n, z, bce);
      Logits.sigmoid(x, sig);
      Logits.logSigmoid(x, logSig);
      return new Ours(p, ls, lse[0], top[0], ce[0], ce[1], bce, sig, logSig);
    }
  }

  @Test
  void float32AtLeastAsAccurateAsPyTorch() throws IOException {
    compare(float32, true);
  }

  @Test
  void float64AtLeastAsAccurateAsPyTorch() throws IOException {
    compare(float64, false);
  }

  private static void compare(List<Row> rows, boolean isFloat) throws IOException {
    Map<String, Pair> ops = new LinkedHashMap<>();
    for (String op : List.of("softmax", "logSoftmax", "logSumExp", "row cross-entropy", "BCE with logits (element)",
        "sigmoid", "logSigmoid")) {
      ops.put(op, new Pair(isFloat));
    }
    double minNormal = isFloat ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    for (Row row : rows) {
      double[] x = row.x();
      int n = x.length;
      double[] z = new double[n];
      for (int j = 0; j < n; j++) {
        z[j] = new double[] {0, 1, 0.25}[j % 3];
      }
      Ours ours = Ours.of(x, z, isFloat);
      DD[] exactP = Exact.softmax(x, 1.0), exactL = Exact.logSoftmax(x, 1.0);
      DD exactE = Exact.logSumExp(x);
      for (int j = 0; j < n; j++) {
        if (Math.abs(exactP[j].toDouble()) >= minNormal) {
          ops.get("softmax").add(ours.softmax()[j], row.softmax()[j], exactP[j]);
        }
        if (!Double.isInfinite(exactL[j].toDouble())) {
          ops.get("logSoftmax").add(ours.logSoftmax()[j], row.logSoftmax()[j], exactL[j]);
        }
        if (Double.isFinite(x[j])) {
          ops.get("BCE with logits (element)").add(ours.bce()[j], row.bce()[j], SigmoidPropertiesTest.bce(x[j], z[j]));
          ops.get("sigmoid").add(ours.sigmoid()[j], row.sigmoid()[j], SigmoidPropertiesTest.sigmoid(x[j]));
          ops.get("logSigmoid").add(ours.logSigmoid()[j], row.logSigmoid()[j], SigmoidPropertiesTest.logSigmoid(x[j]));
        }
      }
      ops.get("logSumExp").add(ours.logSumExp(), row.logSumExp(), exactE);
      ops.get("row cross-entropy").add(ours.ceTop(), row.ceTop(), exactE.sub(DD.of(x[ours.top()])));
      if (Double.isFinite(x[0])) {
        ops.get("row cross-entropy").add(ours.ceFirst(), row.ceFirst(), exactE.sub(DD.of(x[0])));
      }
    }
    String dtype = isFloat ? "float32" : "float64";
    StringBuilder md = new StringBuilder("| op (" + dtype + ") | logits4j max ulp | logits4j results > 1 ulp"
        + " | PyTorch max ulp | PyTorch results > 1 ulp |\n|---|---:|---:|---:|---:|\n");
    ops.forEach((op, pair) -> md.append(String.format(Locale.ROOT, "| %s | %.3f | %d | %.4g | %d |%n", op,
        pair.ours.max(), pair.ours.above1(), pair.torch.max(), pair.torch.above1())));
    System.out.print(md);
    Path out = Path.of("target", "accuracy", "pytorch-" + dtype + "-" + Logits.implementation() + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    for (String op : List.of("softmax", "logSoftmax", "logSumExp", "row cross-entropy")) {
      Pair pair = ops.get(op);
      assertTrue(pair.ours.max() <= pair.torch.max() && pair.ours.above1() <= pair.torch.above1(),
          op + " (" + dtype + ") less accurate than PyTorch: " + pair.ours + " vs " + pair.torch);
    }
  }
}
