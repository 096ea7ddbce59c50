package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Batch;
import io.github.logits4j.gen.Batches;
import io.github.logits4j.gen.Regime;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fixed sweep over every value regime and a spread of row lengths, measuring each op's largest error
 * against the exact oracle. It asserts the documented bounds and writes the measured maxima to
 * {@code target/accuracy/<kernels>.md}, the source of the README's "measured" column.
 */
class AccuracyReportTest {
  static final int[] COLS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257, 1000, 4099};

  @Test
  void measureAndAssertBounds() throws IOException {
    Map<String, Double> worst = new LinkedHashMap<>();
    for (boolean isFloat : new boolean[] {true, false}) {
      String dtype = isFloat ? "float32" : "float64";
      for (Regime regime : Regime.values()) {
        for (int cols : COLS) {
          for (long seed = 0; seed < 3; seed++) {
            Batch b = Batches.make(regime, 2, cols, seed * 7919 + cols, isFloat);
            double[] p = Ops.softmax(b, 1.0), ls = Ops.logSoftmax(b, 1.0), lse = Ops.logSumExp(b);
            for (int r = 0; r < b.rows(); r++) {
              double[] row = b.row(r);
              DD[] exactP = Exact.softmax(row, 1.0), exactL = Exact.logSoftmax(row, 1.0);
              DD exactE = Exact.logSumExp(row);
              for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double ep = Ops.ulps(b, p[i], exactP[j]);
                boolean subnormal = Ops.belowNormal(b, exactP[j]);
                double bound = subnormal ? Bounds.softmaxSubnormal(b, row, j, 1.0) : Bounds.softmax(b, row, j, 1.0);
                assertTrue(ep <= bound, "softmax " + ep + " ulp at " + i + " in " + b);
                worst.merge("softmax " + dtype + (subnormal ? " (subnormal outputs)" : ""), ep, Math::max);
                double el = Ops.ulps(b, ls[i], exactL[j]);
                assertTrue(el <= Bounds.logSoftmax(b, row, 1.0), "logSoftmax " + el + " ulp at " + i + " in " + b);
                worst.merge("logSoftmax " + dtype, el, Math::max);
              }
              double ee = Ops.ulps(b, lse[r], exactE);
              assertTrue(ee <= Bounds.logSumExp(b, row, exactE.toDouble()), "logSumExp " + ee + " ulp in " + b);
              worst.merge("logSumExp " + dtype, ee, Math::max);
            }
          }
        }
      }
    }
    StringBuilder md = new StringBuilder("| op | measured maximum (ulp) |\n|---|---:|\n");
    worst.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.3f |%n", k, v)));
    Path out = Path.of("target", "accuracy", Logits.implementation() + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    System.out.println(md);
  }
}
