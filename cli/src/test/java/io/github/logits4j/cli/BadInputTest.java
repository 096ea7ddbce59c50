package io.github.logits4j.cli;

import static io.github.logits4j.cli.TestFiles.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the issue: a one-line error naming the file and the position, exit status 1, and no
 * output or temporary file left behind (an existing output keeps its old content).
 */
class BadInputTest {
  static final int ROWS = 20;
  static final int COLS = 4;

  @TempDir
  Path dir;
  Path out;
  Path goodNpy;
  Path goodCsv;
  Path goodLabels;
  final float[] x = logits(1, ROWS, COLS);

  @BeforeEach
  void files() throws IOException {
    goodNpy = npyF32(dir.resolve("x.npy"), x, ROWS, COLS);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < COLS; j++) {
        s.append(j == 0 ? "" : ",").append(x[i * COLS + j]);
      }
      s.append('\n');
    }
    goodCsv = Files.writeString(dir.resolve("x.csv"), s);
    goodLabels = npyLabels(dir.resolve("y.npy"), labels(2, ROWS, COLS));
    out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("old.csv"), "old\n");
  }

  /**
   * Runs score on {@code input} with every output into {@code out} (and --probs over the existing
   * old.csv), and checks the error: status 1, one line, naming the file and containing {@code position}.
   */
  void fails(Path input, Path labels, String file, String position, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("score", input.toString()));
    if (labels != null) {
      args.addAll(List.of("--labels", labels.toString(), "--loss", out.resolve("l.npy").toString()));
    }
    args.addAll(List.of("--probs", out.resolve("old.csv").toString(), "--log-probs", out.resolve("lp.npy").toString(),
        "--pred", out.resolve("pred.jsonl").toString(), "--top", "2", "--top-out", out.resolve("t.npz").toString(),
        "--block-rows", "3"));
    args.addAll(List.of(extra));
    Run r = run(args.toArray(String[]::new));
    assertEquals(1, r.code(), r.out() + r.err());
    String err = r.err();
    assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, "one line: " + err);
    assertTrue(err.startsWith("logits4j: "), err);
    assertTrue(err.contains(file), "names " + file + ": " + err);
    assertTrue(err.contains(position), "says " + position + ": " + err);
    assertEquals(List.of("old.csv"), names(out), "no output or temporary file is left behind");
    assertEquals("old\n", Files.readString(out.resolve("old.csv")));
    assertTrue(!r.out().contains("rows:"), "no summary after an error");
  }

  /** Where the data starts: after the 10 bytes of magic, version and length, and the header itself. */
  static long dataOffset(Path npy) throws IOException {
    byte[] b = Files.readAllBytes(npy);
    return 10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8);
  }

  /** Where the shape's first number is in the file. */
  static long shapeOffset(Path npy) throws IOException {
    String h = new String(Files.readAllBytes(npy), java.nio.charset.StandardCharsets.ISO_8859_1);
    return h.indexOf("'shape': (") + "'shape': (".length();
  }

  @Test
  void wrongDtype() throws IOException {
    Path p = npy(dir.resolve("i.npy"), "<i4", "(5, 4)", bytes(new int[20], ByteOrder.LITTLE_ENDIAN));
    // the descr value starts at byte 10 + len("{'descr': '")
    fails(p, null, p.toString(), "byte offset 21: dtype '<i4' is not float32 or float64");
    Path h = npy(dir.resolve("h.npy"), "<f2", "(5, 4)", new byte[40]);
    fails(h, null, h.toString(), "byte offset 21");
  }

  @Test
  void notTwoDimensional() throws IOException {
    Path one = npy(dir.resolve("one.npy"), "<f4", "(20,)", bytes(new float[20], ByteOrder.LITTLE_ENDIAN));
    fails(one, null, one.toString(), "byte offset " + shapeOffset(one) + ": the array has 1 dimensions");
    Path three = npy(dir.resolve("three.npy"), "<f4", "(2, 2, 5)", bytes(new float[20], ByteOrder.LITTLE_ENDIAN));
    fails(three, null, three.toString(), "the array has 3 dimensions");
  }

  @Test
  void fortranOrderAndBadMagic() throws IOException {
    byte[] all = Files.readAllBytes(goodNpy);
    String s = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'fortran_order': False",
        "'fortran_order': True ");
    Path f = Files.write(dir.resolve("f.npy"), s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    fails(f, null, f.toString(), "Fortran-order");
    Path m = Files.write(dir.resolve("m.npy"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    fails(m, null, m.toString(), "byte offset 0: not a .npy file");
  }

  @Test
  void truncatedNpy() throws IOException {
    byte[] all = Files.readAllBytes(goodNpy);
    // 64 header bytes, rows of 16 bytes: cut in the middle of row 12
    Path t = Files.write(dir.resolve("t.npy"), java.util.Arrays.copyOf(all, 64 + 12 * 16 + 5));
    // rows of 16 bytes: cut in the middle of row 12
    t = Files.write(t, java.util.Arrays.copyOf(all, (int) dataOffset(goodNpy) + 12 * 16 + 5));
    fails(t, null, t.toString(), "truncated at byte offset " + (dataOffset(goodNpy) + 12 * 16 + 5) + ", in row 12");
    Path h = Files.write(dir.resolve("h.npy"), java.util.Arrays.copyOf(all, 30));
    fails(h, null, h.toString(), "truncated .npy header");
  }

  @Test
  void headerClaimsFewerValuesThanTheFileHolds() throws IOException {
    byte[] data = bytes(x, ByteOrder.LITTLE_ENDIAN);
    Path p = npy(dir.resolve("more.npy"), "<f4", "(19, 4)", data);
    fails(p, null, p.toString(), "byte offset " + (dataOffset(p) + 19 * 16) + ": 16 bytes after the last row");
  }

  @Test
  void raggedCsvRow() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(goodCsv));
    lines.set(13, "1,2,3");
    Path p = Files.write(dir.resolve("r.csv"), lines);
    fails(p, null, p.toString(), "line 14, column 4: ragged row: 3 values");
    lines.set(13, "1,2,3,4,5");
    Files.write(p, lines);
    fails(p, null, p.toString(), "line 14, column 5: ragged row: 5 values");
  }

  @Test
  void nonNumericCell() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(goodCsv));
    lines.set(16, "1,2,x7,4");
    Path p = Files.write(dir.resolve("n.csv"), lines);
    fails(p, null, p.toString(), "line 17, column 3: 'x7' is not a number");
    lines.set(16, "1,2,0x10,4");
    Files.write(p, lines);
    fails(p, null, p.toString(), "line 17, column 3");
    lines.add(0, "a,b,c,d");
    lines.set(17, "1,2,3,");
    Files.write(p, lines);
    fails(p, null, p.toString(), "line 18, column 4: '' is not a number");
  }

  @Test
  void labelCountMismatch() throws IOException {
    Path fewer = npyLabels(dir.resolve("fewer.npy"), new int[ROWS - 1]);
    fails(goodNpy, fewer, fewer.toString(), "19 labels, but " + goodNpy + " has 20 rows");
    Path more = npyLabels(dir.resolve("more.npy"), new int[ROWS + 2]);
    fails(goodNpy, more, more.toString(), "22 labels, but " + goodNpy + " has 20 rows");
    Path fewerCsv = Files.writeString(dir.resolve("fewer.csv"), "0\n".repeat(ROWS - 1));
    fails(goodNpy, fewerCsv, fewerCsv.toString(), "line 20: only 19 labels, but " + goodNpy + " has a row 19");
    Path moreCsv = Files.writeString(dir.resolve("more.csv"), "label\n" + "1\n".repeat(ROWS + 3));
    fails(goodCsv, moreCsv, moreCsv.toString(), "line 22: 23 labels, but " + goodCsv + " has 20 rows");
    fails(goodCsv, more, more.toString(), "22 labels, but " + goodCsv + " has 20 rows");
  }

  @Test
  void labelOutOfRange() throws IOException {
    int[] y = labels(3, ROWS, COLS);
    y[15] = COLS;
    Path p = npyLabels(dir.resolve("big.npy"), y);
    fails(goodNpy, p, p.toString(), "row 15 (byte offset " + (dataOffset(p) + 15 * 4) + "): label 4 is out of range 0..3");
    y[15] = -1;
    Path n = npy(dir.resolve("neg.npy"), "<i8", "(" + ROWS + ",)", bytesLong(y, ByteOrder.LITTLE_ENDIAN));
    fails(goodNpy, n, n.toString(), "row 15 (byte offset " + (dataOffset(n) + 15 * 8) + "): label -1 is out of range");
    StringBuilder s = new StringBuilder("label\n");
    for (int i = 0; i < ROWS; i++) {
      s.append(i == 9 ? "-100" : "1").append('\n');
    }
    Path c = Files.writeString(dir.resolve("y.csv"), s);
    fails(goodNpy, c, c.toString(), "line 11, column 1: label -100 is out of range 0..3");
    Path d = Files.writeString(dir.resolve("d.csv"), s.toString().replace("-100", "2.5"));
    fails(goodNpy, d, d.toString(), "line 11, column 1: '2.5' is not an integer label");
    Path f = npy(dir.resolve("f.npy"), "<f4", "(" + ROWS + ",)", new byte[ROWS * 4]);
    fails(goodNpy, f, f.toString(), "dtype '<f4' is not int32 or int64");
  }

  @Test
  void missingInputOrLabels() throws IOException {
    Path gone = dir.resolve("gone.npy");
    fails(gone, null, gone.toString(), "no such file");
    fails(goodNpy, dir.resolve("gone.csv"), dir.resolve("gone.csv").toString(), "no such file");
  }

  @Test
  void outputFolderMissingIsAFileOrReadOnly() throws IOException {
    for (String opt : List.of("--log-probs", "--pred", "--top-out")) {
      Path missing = dir.resolve("nowhere").resolve(opt.equals("--top-out") ? "t.npz" : "p.npy");
      List<String> args = new ArrayList<>(List.of("score", goodNpy.toString(), "--probs",
          out.resolve("p.npy").toString(), opt, missing.toString()));
      if (opt.equals("--top-out")) {
        args.addAll(List.of("--top", "2"));
      }
      Run r = run(args.toArray(String[]::new));
      assertEquals(1, r.code());
      assertTrue(r.err().contains(missing.toString()) && r.err().contains("does not exist"), r.err());
      assertTrue(!Files.exists(dir.resolve("nowhere")), "the folder is not created");
    }
    Path file = Files.writeString(dir.resolve("afile"), "x");
    Run r = run("score", goodNpy.toString(), "--log-probs", out.resolve("lp.npy").toString(), "--pred",
        file.resolve("p.csv").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains(file + " is a file, not a folder"), r.err());
    Path folder = Files.createDirectories(dir.resolve("folder.csv"));
    Run d = run("score", goodNpy.toString(), "--pred", folder.toString());
    assertEquals(1, d.code());
    assertTrue(d.err().contains(folder + ": is a folder"), d.err());
    assertEquals(List.of("old.csv"), names(out));

    // read-only: a folder without write permission, or where that does not stop root, a read-only file system
    Path ro = Files.createDirectories(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path target = Files.isWritable(ro) ? Path.of("/proc/logits4j-test.npy") : ro.resolve("p.npy");
    Run w = run("score", goodNpy.toString(), "--probs", out.resolve("p.npy").toString(), "--pred", target.toString());
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(1, w.code(), w.out());
    assertTrue(w.err().startsWith("logits4j: --pred " + target + ": cannot write in the folder"), w.err());
    assertEquals(1, w.err().split("\n").length, w.err());
    assertEquals(List.of("old.csv"), names(out), "the outputs opened before are removed");
  }

  @Test
  void anErrorLateInTheFileRemovesEveryOutput() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      s.append(i == 4321 ? "1,2,3,oops" : "1,2,3,4").append('\n');
    }
    Path p = Files.writeString(dir.resolve("late.csv"), s);
    fails(p, null, p.toString(), "line 4322, column 4: 'oops' is not a number");
  }

  @Test
  void badOptions() throws IOException {
    Run a = run("score", goodNpy.toString(), "--dtype", "float64");
    assertEquals(1, a.code());
    assertTrue(a.err().contains(goodNpy.toString()) && a.err().contains("--dtype says float64"), a.err());
    assertEquals(1, run("score", goodNpy.toString(), "--loss", out.resolve("l.npy").toString()).code());
    assertEquals(1, run("score", goodNpy.toString(), "--top", "2").code());
    assertEquals(1, run("score", goodNpy.toString(), "--top", "5", "--top-out", out.resolve("t.csv").toString()).code());
    Run npy = run("score", goodNpy.toString(), "--top", "2", "--top-out", out.resolve("t.npy").toString());
    assertEquals(1, npy.code());
    assertTrue(npy.err().contains(".npz"), npy.err());
    assertEquals(1, run("score", goodNpy.toString(), "--probs", out.resolve("p.txt").toString()).code());
    assertEquals(1, run("score", dir.resolve("x.txt").toString()).code());
    assertEquals(1, run("score", goodNpy.toString(), "--temperature", "0").code());
    assertEquals(1, run("score", goodNpy.toString(), "--threads", "0").code());
    assertEquals(2, run("score", goodNpy.toString(), "--threads", "many").code());
    assertEquals(List.of("old.csv"), names(out));
    assertArrayEquals(new String[] {"old.csv"}, names(out).toArray());
  }
}
