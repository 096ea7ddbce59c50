package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** {@code logits4j demo} against the bundled example computed here in double. */
class DemoTest {
  /** The expected demo figures, computed in double from the bundled files. */
  record Expected(double[][] p, int[] pred, int[] labels, double[] loss, double mean, int correct) {
    static Expected compute() throws IOException {
      List<String> rows = Demo.lines(Demo.LOGITS);
      List<String> labelLines = Demo.lines(Demo.LABELS);
      int n = rows.size() - 1;
      int cols = rows.get(0).split(",").length;
      double[][] p = new double[n][cols];
      int[] pred = new int[n];
      int[] labels = new int[n];
      double[] loss = new double[n];
      double sum = 0;
      int correct = 0;
      for (int r = 0; r < n; r++) {
        String[] c = rows.get(r + 1).split(",");
        double[] x = new double[cols];
        double s = 0;
        for (int j = 0; j < cols; j++) {
          x[j] = Double.parseDouble(c[j]);
          s += Math.exp(x[j]);
          if (x[j] > x[pred[r]]) {
            pred[r] = j;
          }
        }
        for (int j = 0; j < cols; j++) {
          p[r][j] = Math.exp(x[j]) / s;
        }
        labels[r] = Integer.parseInt(labelLines.get(r + 1).strip());
        loss[r] = Math.log(s) - x[labels[r]];
        sum += loss[r];
        correct += pred[r] == labels[r] ? 1 : 0;
      }
      return new Expected(p, pred, labels, loss, sum / n, correct);
    }
  }

  @Test
  void printsProbabilitiesPredictionsLossAndAccuracy() throws IOException {
    TestFiles.Run r = TestFiles.run("demo");
    assertEquals(0, r.code(), r.err());
    Expected e = Expected.compute();
    String[] classes = Demo.lines(Demo.LOGITS).get(0).split(",");
    assertEquals(4, classes.length, "a 4-class problem");
    assertEquals(8, e.pred().length);
    List<String> lines = List.of(r.out().split("\n"));
    assertTrue(lines.get(0).contains("8 rows of 4-class logits with labels"), lines.get(0));
    int first = 3;
    for (int row = 0; row < 8; row++) {
      String[] f = lines.get(first + row).trim().split("\\s+");
      assertEquals(String.valueOf(row), f[0]);
      for (int j = 0; j < 4; j++) {
        assertEquals(e.p()[row][j], Double.parseDouble(f[1 + j]), 0.00005 + 1e-9, "row " + row);
      }
      assertEquals(classes[e.pred()[row]], f[5]);
      assertEquals(classes[e.labels()[row]], f[6]);
      assertEquals(e.loss()[row], Double.parseDouble(f[7]), 0.00005 + 1e-9);
      assertEquals(e.pred()[row] != e.labels()[row], lines.get(first + row).endsWith("(wrong)"));
    }
    assertTrue(r.out().contains(String.format(Locale.ROOT, "mean loss (cross-entropy from logits): %.4f%n", e.mean())),
        r.out());
    assertTrue(r.out().contains(String.format(Locale.ROOT, "accuracy: %.4f (%d of 8)%n", e.correct() / 8.0, e.correct())),
        r.out());
    assertTrue(e.correct() > 0 && e.correct() < 8, "the example has right and wrong predictions");
  }
}
