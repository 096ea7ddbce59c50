package io.github.logits4j.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One output file. It is written to a temporary file in the target's folder, renamed over the target when
 * the whole run succeeds ({@link #commit}) and deleted when it fails ({@link #abort}).
 */
abstract class Output {
  /** What an output holds. */
  enum Kind {
    PROBS("probs"), LOG_PROBS("log_probs"), PRED("pred"), LOSS("loss"), TOP("probs");

    final String key;

    Kind(String key) {
      this.key = key;
    }
  }

  final Path target;
  final Kind kind;
  final String option;
  private Path tmp;
  FileChannel ch;
  OutputStream out;

  Output(Path target, Kind kind, String option) {
    this.target = target;
    this.kind = kind;
    this.option = option;
  }

  static String ext(Path p) {
    String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1);
  }

  /** The output for {@code option FILE}, its format chosen by the extension; checks nothing on disk yet. */
  static Output of(String option, Path target, Kind kind) {
    String e = ext(target);
    if (kind == Kind.TOP) {
      return switch (e) {
        case "npz" -> new NpzOut(target, option);
        case "csv" -> new CsvOut(target, kind, option);
        case "jsonl" -> new JsonlOut(target, kind, option);
        default -> throw new CliException(option + " " + target
            + ": unknown format: the name must end in .npz, .csv or .jsonl (.npy cannot hold classes and probabilities)");
      };
    }
    return switch (e) {
      case "npy" -> new NpyOut(target, kind, option);
      case "csv" -> new CsvOut(target, kind, option);
      case "jsonl" -> new JsonlOut(target, kind, option);
      default -> throw new CliException(option + " " + target
          + ": unknown format: the name must end in .npy, .csv or .jsonl");
    };
  }

  /** Checks that the target can be written: its folder exists, is a folder, and takes a new file. */
  void check() {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (Files.isDirectory(abs)) {
      throw new CliException(option + " " + target + ": is a folder");
    }
    if (dir == null || !Files.exists(dir)) {
      throw new CliException(option + " " + target + ": the folder " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new CliException(option + " " + target + ": " + dir + " is a file, not a folder");
    }
  }

  /** Creates the temporary file next to the target. */
  void open() throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    try {
      // a new file with the default permissions (umask), not createTempFile's owner-only ones
      for (int attempt = 0; tmp == null; attempt++) {
        Path p = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime() + attempt) + ".part");
        try {
          tmp = Files.createFile(p);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          if (attempt > 100) {
            throw e;
          }
        }
      }
    } catch (AccessDeniedException e) {
      throw new CliException(option + " " + target + ": cannot write in the folder " + dir + ": permission denied", e);
    } catch (FileSystemException e) {
      String why = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
      throw new CliException(option + " " + target + ": cannot write in the folder " + dir + ": " + why, e);
    }
    ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
    out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
    start();
  }

  void start() throws IOException {}

  abstract void write(Block b) throws IOException;

  /** Writes what comes after the last block, once the row count is known. */
  void end(long rows, int cols, boolean dbl) throws IOException {}

  void commit() throws IOException {
    out.flush();
    out.close();
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException(option + " " + target + ": cannot replace it: " + e.getMessage(), e);
    }
    tmp = null;
  }

  void abort() {
    try {
      if (out != null) {
        out.close();
      } else if (ch != null) {
        ch.close();
      }
    } catch (IOException ignored) {
      // the file is deleted next
    }
    try {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ignored) {
      // nothing more can be done
    }
  }

  /** A {@code .npy} of the computation's dtype (int32 for predictions), little-endian. */
  static final class NpyOut extends Output {
    private ByteBuffer buf;
    private boolean dbl;

    NpyOut(Path target, Kind kind, String option) {
      super(target, kind, option);
    }

    @Override
    void start() throws IOException {
      out.write(new byte[Npy.WRITTEN_HEADER_BYTES]);
    }

    @Override
    void write(Block b) throws IOException {
      dbl = b.dbl;
      int n = switch (kind) {
        case PROBS, LOG_PROBS -> b.rows * b.cols;
        default -> b.rows;
      };
      int bytes = n * (kind == Kind.PRED ? 4 : b.dbl ? 8 : 4);
      if (buf == null || buf.capacity() < bytes) {
        buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
      buf.clear();
      switch (kind) {
        case PROBS -> put(b.pf, b.pd, n);
        case LOG_PROBS -> put(b.lpf, b.lpd, n);
        case LOSS -> put(b.lossf, b.lossd, n);
        case PRED -> buf.asIntBuffer().put(b.pred, 0, n);
        default -> throw new IllegalStateException();
      }
      out.write(buf.array(), 0, bytes);
    }

    private void put(float[] f, double[] d, int n) {
      if (f != null) {
        buf.asFloatBuffer().put(f, 0, n);
      } else {
        buf.asDoubleBuffer().put(d, 0, n);
      }
    }

    @Override
    void end(long rows, int cols, boolean dbl) throws IOException {
      out.flush();
      String fd = dbl ? "<f8" : "<f4";
      byte[] h = switch (kind) {
        case PROBS, LOG_PROBS -> Npy.header(fd, rows, cols);
        case PRED -> Npy.header("<i4", rows);
        default -> Npy.header(fd, rows);
      };
      ByteBuffer hb = ByteBuffer.wrap(h);
      long p = 0;
      while (hb.hasRemaining()) {
        p += ch.write(hb, p);
      }
    }
  }

  /** Text outputs: one line per row. */
  abstract static class TextOut extends Output {
    Writer w;
    final StringBuilder sb = new StringBuilder(1 << 16);

    TextOut(Path target, Kind kind, String option) {
      super(target, kind, option);
    }

    @Override
    void start() {
      w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    @Override
    void write(Block b) throws IOException {
      for (int r = 0; r < b.rows; r++) {
        line(b, r, b.firstRow + r);
        sb.append('\n');
        if (sb.length() > 1 << 16) {
          w.append(sb);
          sb.setLength(0);
        }
      }
      w.append(sb);
      sb.setLength(0);
    }

    abstract void line(Block b, int r, long row);

    void values(float[] f, double[] d, int from, int n, char sep) {
      for (int j = 0; j < n; j++) {
        if (j > 0) {
          sb.append(sep);
        }
        sb.append(Block.num(f, d, from + j));
      }
    }

    void ints(int[] a, int from, int n, char sep) {
      for (int j = 0; j < n; j++) {
        if (j > 0) {
          sb.append(sep);
        }
        sb.append(a[from + j]);
      }
    }

    @Override
    void commit() throws IOException {
      w.flush();
      super.commit();
    }
  }

  /** CSV without a header: a row of values, one prediction or loss per line, or k classes then k probabilities. */
  static final class CsvOut extends TextOut {
    CsvOut(Path target, Kind kind, String option) {
      super(target, kind, option);
    }

    @Override
    void line(Block b, int r, long row) {
      switch (kind) {
        case PROBS -> values(b.pf, b.pd, r * b.cols, b.cols, ',');
        case LOG_PROBS -> values(b.lpf, b.lpd, r * b.cols, b.cols, ',');
        case PRED -> sb.append(b.pred[r]);
        case LOSS -> sb.append(Block.num(b.lossf, b.lossd, r));
        case TOP -> {
          ints(b.topCls, r * b.k, b.k, ',');
          sb.append(',');
          values(b.topPf, b.topPd, r * b.k, b.k, ',');
        }
      }
    }
  }

  /** JSON Lines: one object per row with its row index. */
  static final class JsonlOut extends TextOut {
    JsonlOut(Path target, Kind kind, String option) {
      super(target, kind, option);
    }

    @Override
    void line(Block b, int r, long row) {
      sb.append("{\"row\": ").append(row).append(", ");
      switch (kind) {
        case PROBS -> {
          sb.append("\"probs\": [");
          values(b.pf, b.pd, r * b.cols, b.cols, ',');
          sb.append(']');
        }
        case LOG_PROBS -> {
          sb.append("\"log_probs\": [");
          values(b.lpf, b.lpd, r * b.cols, b.cols, ',');
          sb.append(']');
        }
        case PRED -> sb.append("\"pred\": ").append(b.pred[r]);
        case LOSS -> sb.append("\"loss\": ").append(Block.num(b.lossf, b.lossd, r));
        case TOP -> {
          sb.append("\"classes\": [");
          ints(b.topCls, r * b.k, b.k, ',');
          sb.append("], \"probs\": [");
          values(b.topPf, b.topPd, r * b.k, b.k, ',');
          sb.append(']');
        }
      }
      sb.append('}');
    }
  }

  /**
   * {@code .npz}: a zip of {@code classes.npy} (int32, rows x k) and {@code probs.npy} (rows x k). The two
   * arrays are streamed to temporary files of their own in the same folder and zipped at the end.
   */
  static final class NpzOut extends Output {
    private final NpyOut classes;
    private final NpyOut probs;
    /** the block's top-k arrays seen as k-wide vectors, for the part writers */
    private Block view;

    NpzOut(Path target, String option) {
      super(target, Kind.TOP, option);
      Path dir = target.toAbsolutePath().getParent();
      String n = target.getFileName().toString();
      classes = new NpyOut(dir.resolve(n + ".classes.npy"), Kind.PRED, option);
      probs = new NpyOut(dir.resolve(n + ".probs.npy"), Kind.LOSS, option);
    }

    @Override
    void open() throws IOException {
      super.open();
      classes.open();
      probs.open();
    }

    @Override
    void write(Block b) throws IOException {
      // the part files hold k values per row: write them through the vector writers with a k-wide view
      if (view == null) {
        view = new Block(b.dbl, 1, 0);
      }
      Block v = view;
      v.rows = b.rows * b.k;
      v.pred = b.topCls;
      v.lossf = b.topPf;
      v.lossd = b.topPd;
      classes.write(v);
      probs.write(v);
    }

    @Override
    void end(long rows, int cols, boolean dbl) throws IOException {
      int k = kOf;
      classes.out.flush();
      probs.out.flush();
      writeHeader(classes, Npy.header("<i4", rows, k));
      writeHeader(probs, Npy.header(dbl ? "<f8" : "<f4", rows, k));
      try (ZipOutputStream z = new ZipOutputStream(new NonClosing(out))) {
        copy(z, "classes.npy", classes);
        copy(z, "probs.npy", probs);
      }
    }

    int kOf;

    private static void writeHeader(NpyOut o, byte[] h) throws IOException {
      ByteBuffer hb = ByteBuffer.wrap(h);
      long p = 0;
      while (hb.hasRemaining()) {
        p += o.ch.write(hb, p);
      }
    }

    private static void copy(ZipOutputStream z, String name, NpyOut part) throws IOException {
      ZipEntry e = new ZipEntry(name);
      // a fixed time: the same input gives the same bytes
      e.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
      z.putNextEntry(e);
      long size = part.ch.size();
      part.ch.position(0);
      // the channel was opened for writing only: read the part file through a fresh channel
      try (FileChannel in = FileChannel.open(part.tmpPath(), StandardOpenOption.READ)) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long done = 0;
        while (done < size) {
          b.clear();
          int n = in.read(b, done);
          if (n < 0) {
            break;
          }
          z.write(b.array(), 0, n);
          done += n;
        }
      }
      z.closeEntry();
    }

    @Override
    void commit() throws IOException {
      super.commit();
      classes.abort();
      probs.abort();
    }

    @Override
    void abort() {
      classes.abort();
      probs.abort();
      super.abort();
    }
  }

  Path tmpPath() {
    return tmp;
  }

  /** Lets the zip stream finish without closing the output underneath. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
