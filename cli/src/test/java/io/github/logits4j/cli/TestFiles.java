package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Test helpers written independently of the command's code: .npy files by hand, a run in-process. */
final class TestFiles {
  private TestFiles() {}

  /** The result of one in-process run. */
  record Run(int code, String out, String err) {
    String value(String key) {
      for (String line : out.split("\n")) {
        if (line.startsWith(key + ": ")) {
          return line.substring(key.length() + 2).strip();
        }
      }
      throw new AssertionError("no '" + key + "' in\n" + out);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** A .npy file with the given descr, shape and raw data, header padded to 64 bytes as NumPy does. */
  static Path npy(Path file, String descr, String shape, byte[] data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String h = dict + " ".repeat(pad) + "\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.write(h.length() & 0xff);
    b.write(h.length() >> 8);
    b.write(h.getBytes(StandardCharsets.ISO_8859_1));
    b.write(data);
    Files.write(file, b.toByteArray());
    return file;
  }

  static byte[] bytes(float[] x, ByteOrder o) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(o);
    for (float v : x) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] bytes(double[] x, ByteOrder o) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 8).order(o);
    for (double v : x) {
      b.putDouble(v);
    }
    return b.array();
  }

  static byte[] bytes(int[] x, ByteOrder o) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(o);
    for (int v : x) {
      b.putInt(v);
    }
    return b.array();
  }

  static byte[] bytesLong(int[] x, ByteOrder o) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 8).order(o);
    for (int v : x) {
      b.putLong(v);
    }
    return b.array();
  }

  static Path npyF32(Path file, float[] x, int rows, int cols) throws IOException {
    return npy(file, "<f4", "(" + rows + ", " + cols + ")", bytes(x, ByteOrder.LITTLE_ENDIAN));
  }

  static Path npyLabels(Path file, int[] y) throws IOException {
    return npy(file, "<i4", "(" + y.length + ",)", bytes(y, ByteOrder.LITTLE_ENDIAN));
  }

  /** A parsed .npy file: descr, shape and data. */
  record Array(String descr, long[] shape, ByteBuffer data) {
    float[] floats() {
      assertEquals("<f4", descr);
      float[] f = new float[data.remaining() / 4];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
      return f;
    }

    double[] doubles() {
      assertEquals("<f8", descr);
      double[] f = new double[data.remaining() / 8];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(f);
      return f;
    }

    int[] ints() {
      assertEquals("<i4", descr);
      int[] f = new int[data.remaining() / 4];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(f);
      return f;
    }
  }

  static Array readNpy(byte[] all) {
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals((byte) 0x93, b.get(0));
    assertEquals("NUMPY", new String(all, 1, 5, StandardCharsets.ISO_8859_1));
    int hlen = b.getShort(8) & 0xffff;
    assertEquals(0, (10 + hlen) % 64, "header length a multiple of 64");
    String h = new String(all, 10, hlen, StandardCharsets.ISO_8859_1);
    Matcher d = Pattern.compile("'descr': '([^']+)'").matcher(h);
    Matcher s = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(h);
    assertTrue(d.find() && s.find(), h);
    assertTrue(h.contains("'fortran_order': False"), h);
    List<Long> dims = new ArrayList<>();
    for (String p : s.group(1).split(",")) {
      if (!p.isBlank()) {
        dims.add(Long.parseLong(p.strip()));
      }
    }
    ByteBuffer data = ByteBuffer.wrap(all, 10 + hlen, all.length - 10 - hlen).slice();
    long n = 1;
    for (long x : dims) {
      n *= x;
    }
    int item = Integer.parseInt(d.group(1).substring(2));
    assertEquals(n * item, data.remaining(), "data length matches the shape");
    return new Array(d.group(1), dims.stream().mapToLong(Long::longValue).toArray(), data);
  }

  static Array readNpy(Path p) throws IOException {
    return readNpy(Files.readAllBytes(p));
  }

  static Map<String, Array> readNpz(Path p) throws IOException {
    Map<String, Array> m = new TreeMap<>();
    try (ZipInputStream z = new ZipInputStream(Files.newInputStream(p))) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        m.put(e.getName(), readNpy(z.readAllBytes()));
      }
    }
    return m;
  }

  /** Random logits of a few regimes: ordinary, spread, confident rows, with ties. */
  static float[] logits(long seed, int rows, int cols) {
    java.util.Random r = new java.util.Random(seed);
    float[] x = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      float scale = switch (i % 4) {
        case 0 -> 1f;
        case 1 -> 10f;
        case 2 -> 0.01f;
        default -> 40f;
      };
      for (int j = 0; j < cols; j++) {
        x[i * cols + j] = (float) (r.nextGaussian() * scale);
      }
      if (i % 7 == 3 && cols > 1) {
        x[i * cols + 1] = x[i * cols];
      }
    }
    return x;
  }

  static int[] labels(long seed, int rows, int cols) {
    java.util.Random r = new java.util.Random(seed);
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = r.nextInt(cols);
    }
    return y;
  }

  /** The names of the files in a folder. */
  static List<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
