package io.github.logits4j.cli;

import io.github.logits4j.CrossEntropy;
import io.github.logits4j.Logits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code logits4j demo}: scores the bundled example, 8 rows of a 4-class problem with their labels, and
 * prints the probabilities, the predictions, each row's loss, the mean loss and the accuracy.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Score a small bundled example (8 rows, 4 classes, with labels) and print the results.")
public final class Demo implements Callable<Integer> {
  static final String LOGITS = "demo/logits.csv";
  static final String LABELS = "demo/labels.csv";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<String> rows = lines(LOGITS);
    List<String> labelLines = lines(LABELS);
    String[] classes = rows.get(0).split(",");
    int cols = classes.length;
    int n = rows.size() - 1;
    float[] x = new float[n * cols];
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      String[] cells = rows.get(r + 1).split(",");
      for (int j = 0; j < cols; j++) {
        x[r * cols + j] = Float.parseFloat(cells[j].strip());
      }
      labels[r] = Integer.parseInt(labelLines.get(r + 1).strip());
    }
    float[] p = new float[x.length];
    Logits.softmax(x, p, cols);
    int[] pred = new int[n];
    Logits.argmax(x, cols, pred);
    float[] rowLoss = new float[n];
    CrossEntropy.sparse().rowLosses(x, cols, labels, rowLoss);
    double mean = CrossEntropy.sparse().loss(x, cols, labels);
    int correct = 0;
    for (int r = 0; r < n; r++) {
      correct += pred[r] == labels[r] ? 1 : 0;
    }

    out.printf(Locale.ROOT, "logits4j %s demo (kernels: %s): %d rows of %d-class logits with labels%n",
        Logits.version(), Logits.implementation(), n, cols);
    out.println();
    StringBuilder head = new StringBuilder("row");
    for (String c : classes) {
      head.append(String.format(Locale.ROOT, "  %-8s", "p(" + c.strip() + ")"));
    }
    head.append("  pred  label  loss");
    out.println(head);
    for (int r = 0; r < n; r++) {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%3d", r));
      for (int j = 0; j < cols; j++) {
        s.append(String.format(Locale.ROOT, "  %-8.4f", p[r * cols + j]));
      }
      s.append(String.format(Locale.ROOT, "  %-4s  %-5s  %.4f%s", classes[pred[r]].strip(),
          classes[labels[r]].strip(), rowLoss[r], pred[r] == labels[r] ? "" : "  (wrong)"));
      out.println(s);
    }
    out.println();
    out.printf(Locale.ROOT, "mean loss (cross-entropy from logits): %.4f%n", mean);
    out.printf(Locale.ROOT, "accuracy: %.4f (%d of %d)%n", (double) correct / n, correct, n);
    out.println();
    out.println("Score your own file: ./logits4j score logits.npy --labels labels.npy --probs probs.npy");
    out.flush();
    return 0;
  }

  /** The lines of a bundled resource. */
  static List<String> lines(String name) throws IOException {
    InputStream in = Demo.class.getResourceAsStream(name);
    if (in == null) {
      throw new CliException("the demo resource " + name + " is missing from the jar");
    }
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
    }
    return out;
  }
}
