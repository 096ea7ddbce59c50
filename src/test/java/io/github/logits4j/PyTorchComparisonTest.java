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
 * logits4j is at least as accurate as PyTorch's CPU float32 kernels on the same inputs. The rows and
 * PyTorch's outputs come from {@code bench/accuracy/torch_outputs.py} (PyTorch's own results, not
 * ours); both sides are measured against the double-double oracle. The test fails if logits4j's largest
 * error, or its count of results off by more than 1 ulp, exceeds PyTorch's for softmax, log-softmax,
 * log-sum-exp or the per-row cross-entropy. It writes both sides' maxima for every op, BCE with logits,
 * sigmoid and log-sigmoid included, to {@code target/accuracy/pytorch.md} for the README.
 */
class PyTorchComparisonTest {
  record Row(float[] x, float[] softmax, float[] logSoftmax, float logSumExp, float ceTop, float ceFirst,
      float[] bce, float[] sigmoid, float[] logSigmoid) {}

  static List<Row> rows;

  @BeforeAll
  static void load() throws IOException {
    rows = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(PyTorchComparisonTest.class.getResourceAsStream("/pytorch-float32.bin.gz"));
        DataInputStream data = new DataInputStream(in)) {
      int count = Integer.reverseBytes(data.readInt());
      for (int r = 0; r < count; r++) {
        int cols = Integer.reverseBytes(data.readInt());
        float[] x = floats(data, cols), sm = floats(data, cols), ls = floats(data, cols), lse = floats(data, 1);
        float[] ce = floats(data, 2), bce = floats(data, cols), sig = floats(data, cols), logSig = floats(data, cols);
        rows.add(new Row(x, sm, ls, lse[0], ce[0], ce[1], bce, sig, logSig));
      }
    }
  }

  static float[] floats(DataInputStream in, int n) throws IOException {
    byte[] b = new byte[4 * n];
    in.readFully(b);
    float[] f = new float[n];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
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
    Score ours = Score.ZERO, torch = Score.ZERO;

    void add(float oursValue, float torchValue, DD exact) {
      ours = ours.add(Ulps.ofFloat(oursValue, exact));
      torch = torch.add(Ulps.ofFloat(torchValue, exact));
    }
  }

  @Test
  void atLeastAsAccurateAsPyTorch() throws IOException {
    Map<String, Pair> ops = new LinkedHashMap<>();
    for (String op : List.of("softmax", "logSoftmax", "logSumExp", "row cross-entropy", "BCE with logits (element)",
        "sigmoid", "logSigmoid")) {
      ops.put(op, new Pair());
    }
    for (Row row : rows) {
      int n = row.x().length;
      float[] p = new float[n], ls = new float[n], lse = new float[1], ce = new float[2];
      float[] bce = new float[n], sig = new float[n], logSig = new float[n], z = new float[n];
      for (int j = 0; j < n; j++) {
        z[j] = new float[] {0f, 1f, 0.25f}[j % 3];
      }
      Logits.softmax(row.x(), p, n);
      Logits.logSoftmax(row.x(), ls, n);
      Logits.logSumExp(row.x(), n, lse);
      int[] top = new int[1];
      Logits.argmax(row.x(), n, top);
      CrossEntropy.sparse().rowLosses(row.x(), 0, 1, n, top, 0, ce, 0);
      CrossEntropy.sparse().rowLosses(row.x(), 0, 1, n, new int[] {0}, 0, ce, 1);
      BinaryCrossEntropy.withLogits().elementLosses(row.x(), n, z, bce);
      Logits.sigmoid(row.x(), sig);
      Logits.logSigmoid(row.x(), logSig);
      double[] wide = Exact.widen(row.x());
      DD[] exactP = Exact.softmax(wide, 1.0), exactL = Exact.logSoftmax(wide, 1.0);
      DD exactE = Exact.logSumExp(wide);
      for (int j = 0; j < n; j++) {
        if (Math.abs(exactP[j].toDouble()) >= Float.MIN_NORMAL) {
          ops.get("softmax").add(p[j], row.softmax()[j], exactP[j]);
        }
        if (!Double.isInfinite(exactL[j].toDouble())) {
          ops.get("logSoftmax").add(ls[j], row.logSoftmax()[j], exactL[j]);
        }
        if (Float.isFinite(row.x()[j])) {
          ops.get("BCE with logits (element)").add(bce[j], row.bce()[j], SigmoidPropertiesTest.bce(wide[j], z[j]));
          ops.get("sigmoid").add(sig[j], row.sigmoid()[j], SigmoidPropertiesTest.sigmoid(wide[j]));
          ops.get("logSigmoid").add(logSig[j], row.logSigmoid()[j], SigmoidPropertiesTest.logSigmoid(wide[j]));
        }
      }
      ops.get("logSumExp").add(lse[0], row.logSumExp(), exactE);
      ops.get("row cross-entropy").add(ce[0], row.ceTop(), exactE.sub(DD.of(wide[top[0]])));
      if (Float.isFinite(row.x()[0])) {
        ops.get("row cross-entropy").add(ce[1], row.ceFirst(), exactE.sub(DD.of(wide[0])));
      }
    }
    StringBuilder md = new StringBuilder(
        "| op (float32) | logits4j max ulp | logits4j results > 1 ulp | PyTorch max ulp | PyTorch results > 1 ulp |\n"
            + "|---|---:|---:|---:|---:|\n");
    ops.forEach((op, pair) -> md.append(String.format(Locale.ROOT, "| %s | %.3f | %d | %.4g | %d |%n", op,
        pair.ours.max(), pair.ours.above1(), pair.torch.max(), pair.torch.above1())));
    System.out.print(md);
    Path out = Path.of("target", "accuracy", "pytorch-" + Logits.implementation() + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    for (String op : List.of("softmax", "logSoftmax", "logSumExp", "row cross-entropy")) {
      Pair pair = ops.get(op);
      assertTrue(pair.ours.max() <= pair.torch.max() && pair.ours.above1() <= pair.torch.above1(),
          op + " less accurate than PyTorch: " + pair.ours + " vs " + pair.torch);
    }
  }
}
