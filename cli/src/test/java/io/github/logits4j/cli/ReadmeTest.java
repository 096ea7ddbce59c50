package io.github.logits4j.cli;

import static io.github.logits4j.cli.TestFiles.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's claims about the command line: its first command, the options, the summary, the errors. */
class ReadmeTest {
  static final Path README = Path.of(System.getProperty("logits4j.root", "..")).resolve("README.md");

  @TempDir
  Path dir;

  static String section(String title) throws IOException {
    String s = Files.readString(README);
    int start = s.indexOf("\n## " + title + "\n");
    assertTrue(start >= 0, "README has ## " + title);
    int end = s.indexOf("\n## ", start + 1);
    return s.substring(start, end < 0 ? s.length() : end);
  }

  static List<String> codeBlocks(String text) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```[a-z]*\n(.*?)```", Pattern.DOTALL).matcher(text);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void theFirstCommandIsTheDemo() throws IOException {
    assertEquals("./logits4j demo\n", codeBlocks(section("Commands")).get(0));
    String s = Files.readString(README);
    assertTrue(s.indexOf("## Command line") > s.indexOf("## Use"), "the section comes after ## Use");
  }

  @Test
  void theOptionsTableListsExactlyTheOptions() throws IOException {
    String sec = section("Command line");
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("\n\\| `(--[a-z-]+)").matcher(sec);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Matcher top = Pattern.compile("\\| `--top K (--top-out) FILE`").matcher(sec);
    if (top.find()) {
      documented.add(top.group(1));
    }
    Set<String> actual = new TreeSet<>();
    Matcher h = Pattern.compile("(--[a-z][a-z-]+)").matcher(run("score", "--help").out());
    while (h.find()) {
      actual.add(h.group(1));
    }
    actual.removeAll(Set.of("--help", "--version"));
    assertEquals(actual, documented);
    assertEquals(1 << 20, Score.BLOCK_ELEMENTS, "blocks of 2^20 values");
    assertTrue(sec.contains("blocks of 2^20 values"));
  }

  @Test
  void theCsvNumberExamples() throws IOException {
    assertTrue(section("Command line").contains("(`1`, `0.25`, `1E-5`, `NaN`, `Infinity`)"));
    assertEquals(List.of("1", "0.25", "1E-5", "NaN", "Infinity"), List.of(Numbers.of(1f), Numbers.of(0.25f),
        Numbers.of(1e-5f), Numbers.of(Float.NaN), Numbers.of(Double.POSITIVE_INFINITY)));
  }

  @Test
  void theSummaryExampleIsTheDemoExample() throws IOException {
    String example = codeBlocks(section("Command line")).stream().filter(b -> b.startsWith("rows: "))
        .findFirst().orElseThrow();
    Path x = dir.resolve("x.csv");
    Path y = dir.resolve("y.csv");
    Files.write(x, Demo.lines(Demo.LOGITS));
    Files.write(y, Demo.lines(Demo.LABELS));
    Run r = run("score", x.toString(), "--labels", y.toString());
    assertEquals(0, r.code(), r.err());
    // the figures against the demo computed in double, then the whole text
    DemoTest.Expected e = DemoTest.Expected.compute();
    Matcher mean = Pattern.compile("mean loss: (\\S+)").matcher(example);
    assertTrue(mean.find());
    assertEquals(e.mean(), Double.parseDouble(mean.group(1)), 1e-6);
    assertTrue(example.contains(String.format(java.util.Locale.ROOT, "accuracy: %.4f (%d of 8)", e.correct() / 8.0,
        e.correct())));
    String got = r.out().replaceAll("rows/s: \\d+", "rows/s: N");
    assertEquals(example.replaceAll("rows/s: \\d+", "rows/s: N"), got);
  }

  @Test
  void theErrorExamplesAreWhatTheCommandSays() throws IOException {
    List<String> examples = codeBlocks(section("Command line")).stream().filter(b -> b.startsWith("logits4j: "))
        .findFirst().orElseThrow().lines().toList();
    float[] x = logits(1, 20, 4);
    Path good = npyF32(dir.resolve("x.npy"), x, 20, 4);
    Path out = dir.resolve("out");
    List<String> got = new ArrayList<>();

    Path p = npy(dir.resolve("x.npy"), "<i4", "(5, 4)", bytes(new int[20], ByteOrder.LITTLE_ENDIAN));
    got.add(err("score", p.toString()));
    npy(p, "<f4", "(20,)", bytes(new float[20], ByteOrder.LITTLE_ENDIAN));
    got.add(err("score", p.toString()));
    byte[] all = Files.readAllBytes(npyF32(p, x, 20, 4));
    Files.write(p, java.util.Arrays.copyOf(all, 261));
    got.add(err("score", p.toString()));
    npy(p, "<f4", "(19, 4)", bytes(x, ByteOrder.LITTLE_ENDIAN));
    got.add(err("score", p.toString()));

    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      csv.append(i == 13 ? "1,2,3" : i == 16 ? "1,2,x7,4" : "1,2,3,4").append('\n');
    }
    Path c = Files.writeString(dir.resolve("x.csv"), csv);
    got.add(err("score", c.toString()));
    Files.writeString(c, csv.toString().replace("1,2,3\n", "1,2,3,4\n"));
    got.add(err("score", c.toString()));

    npyF32(good, x, 20, 4);
    Path y = npyLabels(dir.resolve("y.npy"), new int[19]);
    got.add(err("score", good.toString(), "--labels", y.toString()));
    int[] labels = new int[20];
    labels[15] = 4;
    npyLabels(y, labels);
    got.add(err("score", good.toString(), "--labels", y.toString()));
    Path yc = Files.writeString(dir.resolve("y.csv"), "label\n" + "1\n".repeat(9) + "-100\n" + "1\n".repeat(10));
    got.add(err("score", good.toString(), "--labels", yc.toString()));
    got.add(err("score", dir.resolve("gone.npy").toString()));
    got.add(err("score", good.toString(), "--probs", out.resolve("p.npy").toString()));
    Path file = Files.writeString(dir.resolve("afile"), "");
    got.add(err("score", good.toString(), "--pred", file.resolve("p.csv").toString()));
    Path ro = Files.createDirectories(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    boolean root = Files.isWritable(ro);
    String roErr = err("score", good.toString(), "--pred", (root ? Path.of("/proc") : ro).resolve("p.npy").toString());
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertEquals(examples.size(), got.size() + 1);
    for (int i = 0; i < got.size(); i++) {
      assertEquals(examples.get(i), got.get(i));
    }
    String roExample = examples.get(examples.size() - 1);
    if (root) {
      // root may write in a read-only folder: the same error from a read-only file system
      assertTrue(roExample.startsWith("logits4j: --pred ro/p.npy: cannot write in the folder ro: "), roExample);
      assertTrue(roErr.startsWith("logits4j: --pred /proc/p.npy: cannot write in the folder /proc: "), roErr);
    } else {
      assertEquals(roExample, roErr);
    }
  }

  /** The one-line error of a failing run, with the temporary folder's path taken out. */
  String err(String... args) {
    Run r = run(args);
    assertEquals(1, r.code(), r.out() + r.err());
    String e = r.err().strip();
    assertEquals(1, e.lines().count(), e);
    return e.replace(dir.toString() + "/", "");
  }
}
