package io.github.logits4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;

/**
 * The launcher's training run for the JDK's ahead-of-time cache ({@code -XX:AOTCacheOutput}): it scores
 * small generated files through every reader and writer, so that the cache holds the classes a real run
 * loads, linked, and their profiles. Hidden: it prints nothing and leaves nothing behind.
 */
@Command(name = "aot-training", hidden = true)
final class AotTraining implements Callable<Integer> {
  @Override
  public Integer call() throws IOException {
    Path dir = Files.createTempDirectory("logits4j-aot");
    try {
      int rows = 8_000;
      int cols = 10;
      Random r = new Random(1);
      ByteBuffer x = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer y = ByteBuffer.allocate(rows * 4).order(ByteOrder.LITTLE_ENDIAN);
      StringBuilder csv = new StringBuilder();
      StringBuilder labels = new StringBuilder();
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          float v = (float) (r.nextGaussian() * 3);
          x.putFloat(v);
          if (i < 2000) {
            csv.append(j == 0 ? "" : ",").append(v);
          }
        }
        int label = r.nextInt(cols);
        y.putInt(label);
        if (i < 2000) {
          csv.append('\n');
          labels.append(label).append('\n');
        }
      }
      Path npy = write(dir.resolve("x.npy"), Npy.header("<f4", rows, cols), x.array());
      Path lab = write(dir.resolve("y.npy"), Npy.header("<i4", rows), y.array());
      Path c = Files.writeString(dir.resolve("x.csv"), csv);
      Path cl = Files.writeString(dir.resolve("y.csv"), labels);
      PrintWriter none = new PrintWriter(Writer.nullWriter());
      for (int round = 0; round < 2; round++) {
        Main.run(new String[] {"score", npy.toString(), "--labels", lab.toString(),
            "--probs", dir.resolve("p.npy").toString(), "--log-probs", dir.resolve("lp.npy").toString(),
            "--pred", dir.resolve("pred.npy").toString(), "--loss", dir.resolve("l.npy").toString(),
            "--top", "3", "--top-out", dir.resolve("t.npz").toString()}, none, none);
        Main.run(new String[] {"score", npy.toString(), "--probs", dir.resolve("p2.npy").toString()}, none, none);
        Main.run(new String[] {"score", c.toString(), "--labels", cl.toString(),
            "--probs", dir.resolve("p.csv").toString(), "--pred", dir.resolve("pred.jsonl").toString(),
            "--loss", dir.resolve("l.jsonl").toString(), "--top", "3", "--top-out", dir.resolve("t.csv").toString()},
            none, none);
        Main.run(new String[] {"score", c.toString(), "--dtype", "float64",
            "--probs", dir.resolve("pd.npy").toString(), "--log-probs", dir.resolve("lpd.csv").toString()}, none, none);
      }
      Main.run(new String[] {"demo"}, none, none);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private static Path write(Path p, byte[] header, byte[] data) throws IOException {
    try (var o = Files.newOutputStream(p)) {
      o.write(header);
      o.write(data);
    }
    return p;
  }
}
