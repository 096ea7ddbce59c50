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
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * logits4j is at least as accurate as PyTorch's CPU float32 kernels on the same inputs. The rows and
 * PyTorch's outputs come from {@code bench/accuracy/torch_outputs.py} (PyTorch's own results, not
 * ours); both sides are measured against the double-double oracle, and the test fails if logits4j's
 * largest error, or its count of results off by more than 1 ulp, exceeds PyTorch's.
 */
class PyTorchComparisonTest {
  record Row(float[] x, float[] softmax, float[] logSoftmax, float logSumExp) {}

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
        rows.add(new Row(x, sm, ls, lse[0]));
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

  /** Largest error and count of errors above 1 ulp, over normal outputs. */
  record Score(double max, int above1) {
    Score add(double err) {
      return new Score(Math.max(max, err), above1 + (err > 1 ? 1 : 0));
    }
  }

  @Test
  void softmaxAndLogSoftmaxAtLeastAsAccurateAsPyTorch() {
    Score oursP = new Score(0, 0), torchP = oursP, oursL = oursP, torchL = oursP, oursE = oursP, torchE = oursP;
    for (Row row : rows) {
      int n = row.x().length;
      float[] p = new float[n], ls = new float[n], lse = new float[1];
      Logits.softmax(row.x(), p, n);
      Logits.logSoftmax(row.x(), ls, n);
      Logits.logSumExp(row.x(), n, lse);
      double[] wide = Exact.widen(row.x());
      DD[] exactP = Exact.softmax(wide, 1.0), exactL = Exact.logSoftmax(wide, 1.0);
      DD exactE = Exact.logSumExp(wide);
      for (int j = 0; j < n; j++) {
        if (Math.abs(exactP[j].toDouble()) >= Float.MIN_NORMAL) {
          oursP = oursP.add(Ulps.ofFloat(p[j], exactP[j]));
          torchP = torchP.add(Ulps.ofFloat(row.softmax()[j], exactP[j]));
        }
        if (!Double.isInfinite(exactL[j].toDouble())) {
          oursL = oursL.add(Ulps.ofFloat(ls[j], exactL[j]));
          torchL = torchL.add(Ulps.ofFloat(row.logSoftmax()[j], exactL[j]));
        }
      }
      oursE = oursE.add(Ulps.ofFloat(lse[0], exactE));
      torchE = torchE.add(Ulps.ofFloat(row.logSumExp(), exactE));
    }
    System.out.printf("softmax     logits4j max %.3f ulp (%d > 1), PyTorch max %.3f ulp (%d > 1)%n",
        oursP.max(), oursP.above1(), torchP.max(), torchP.above1());
    System.out.printf("logSoftmax  logits4j max %.3f ulp (%d > 1), PyTorch max %.3g ulp (%d > 1)%n",
        oursL.max(), oursL.above1(), torchL.max(), torchL.above1());
    System.out.printf("logSumExp   logits4j max %.3f ulp (%d > 1), PyTorch max %.3f ulp (%d > 1)%n",
        oursE.max(), oursE.above1(), torchE.max(), torchE.above1());
    assertTrue(oursP.max() <= torchP.max() && oursP.above1() <= torchP.above1(), "softmax less accurate than PyTorch");
    assertTrue(oursL.max() <= torchL.max() && oursL.above1() <= torchL.above1(),
        "log-softmax less accurate than PyTorch");
    assertTrue(oursE.max() <= torchE.max() && oursE.above1() <= torchE.above1(),
        "log-sum-exp less accurate than PyTorch");
  }
}
