package io.github.logits4j.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Class labels, one per row of logits, read a block at a time and checked against the number of classes. */
abstract class LabelSource implements Closeable {
  final Path file;
  /** labels in the file, or -1 for a CSV file */
  long count = -1;

  LabelSource(Path file) {
    this.file = file;
  }

  /**
   * Reads the labels of rows {@code first .. first + n - 1} into {@code out[0..n)}, each in {@code 0..cols-1}.
   *
   * @param logits the logits' source, whose file a count mismatch names
   */
  abstract void next(int[] out, int n, long first, int cols, LogitSource logits) throws IOException;

  /** Checks that no label is left over after {@code rows} rows. */
  abstract void finish(long rows, LogitSource logits) throws IOException;

  static LabelSource open(Path file) throws IOException {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (Files.isDirectory(file)) {
      throw new CliException(file + ": is a folder, not a labels file");
    }
    if (!Files.exists(file)) {
      throw new CliException(file + ": no such file");
    }
    if (name.endsWith(".npy")) {
      return new NpyLabels(file);
    }
    if (name.endsWith(".csv")) {
      return new CsvLabels(file);
    }
    throw new CliException(file + ": unknown labels format: the name must end in .npy or .csv");
  }

  static CliException range(Path file, String where, long label, int cols) {
    return new CliException(file + ": " + where + ": label " + label + " is out of range 0.." + (cols - 1)
        + " (" + cols + " classes)");
  }

  static final class NpyLabels extends LabelSource {
    private final FileChannel ch;
    private final Npy.Header h;
    private long pos;
    private ByteBuffer buf;

    NpyLabels(Path file) throws IOException {
      super(file);
      ch = FileChannel.open(file, StandardOpenOption.READ);
      try {
        h = Npy.read(file, ch, "int32 or int64", 'i');
        long[] s = h.shape();
        if (!(s.length == 1 || (s.length == 2 && s[1] == 1))) {
          throw new CliException(file + ": byte offset " + h.shapeOffset() + ": labels of shape "
              + LogitSource.shapeText(s) + "; they must be 1-D (rows,) or (rows, 1)");
        }
        count = s[0];
        Npy.checkSize(h, count, h.itemSize(), count + " " + h.dtypeName() + " labels");
        pos = h.dataOffset();
      } catch (RuntimeException | IOException e) {
        ch.close();
        throw e;
      }
    }

    /** Called before anything is computed when the logits' row count is known. */
    void checkCount(LogitSource logits) {
      if (logits.rows >= 0 && logits.rows != count) {
        throw new CliException(file + ": byte offset " + h.shapeOffset() + ": " + count + " labels, but "
            + logits.file + " has " + logits.rows + " rows");
      }
    }

    @Override
    void next(int[] out, int n, long first, int cols, LogitSource logits) throws IOException {
      if (first + n > count) {
        throw new CliException(file + ": only " + count + " labels, but " + logits.file + " has a "
            + logits.where(count));
      }
      int bytes = n * h.itemSize();
      if (buf == null || buf.capacity() < bytes) {
        buf = ByteBuffer.allocate(Math.max(bytes, 1 << 16)).order(h.order());
      }
      buf.clear().limit(bytes);
      while (buf.hasRemaining()) {
        if (ch.read(buf, pos + buf.position()) < 0) {
          throw new CliException(file + ": truncated at byte offset " + (pos + buf.position()));
        }
      }
      buf.flip();
      for (int i = 0; i < n; i++) {
        long v = h.itemSize() == 4 ? buf.getInt() : buf.getLong();
        if (v < 0 || v >= cols) {
          long r = first + i;
          throw range(file, "row " + r + " (byte offset " + (h.dataOffset() + r * h.itemSize()) + ")", v, cols);
        }
        out[i] = (int) v;
      }
      pos += bytes;
    }

    @Override
    void finish(long rows, LogitSource logits) {
      if (rows != count) {
        throw new CliException(file + ": byte offset " + h.shapeOffset() + ": " + count + " labels, but "
            + logits.file + " has " + rows + " rows");
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  static final class CsvLabels extends LabelSource {
    private final CSVParser parser;
    private final Iterator<CSVRecord> it;
    private CSVRecord pending;
    private long seen;

    CsvLabels(Path file) throws IOException {
      super(file);
      parser = LogitSource.csv(file);
      it = parser.iterator();
      try {
        if (it.hasNext()) {
          CSVRecord first = it.next();
          boolean header = first.size() == 1 && !Numbers.isNumber(first.get(0)) && !first.get(0).isEmpty();
          if (!header) {
            pending = first;
          }
        }
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        parser.close();
        throw new CliException(file + ": " + e.getMessage(), e);
      }
    }

    private CSVRecord nextRecord() {
      if (pending != null) {
        CSVRecord r = pending;
        pending = null;
        return r;
      }
      try {
        return it.hasNext() ? it.next() : null;
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        throw new CliException(file + ": line " + (parser.getCurrentLineNumber() + 1) + ": " + e.getMessage(), e);
      }
    }

    @Override
    void next(int[] out, int n, long first, int cols, LogitSource logits) {
      for (int i = 0; i < n; i++) {
        CSVRecord r = nextRecord();
        if (r == null) {
          throw new CliException(file + ": line " + (parser.getCurrentLineNumber() + 1) + ": only " + seen
              + " labels, but " + logits.file + " has a " + logits.where(first + i));
        }
        seen++;
        long line = r.getRecordNumber();
        if (r.size() != 1) {
          throw new CliException(file + ": line " + line + ", column 2: " + r.size()
              + " values; a labels file has one label per line");
        }
        String s = r.get(0);
        long v;
        try {
          v = Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
          throw new CliException(file + ": line " + line + ", column 1: '" + s + "' is not an integer label");
        }
        if (v < 0 || v >= cols) {
          throw range(file, "line " + line + ", column 1", v, cols);
        }
        out[i] = (int) v;
      }
    }

    @Override
    void finish(long rows, LogitSource logits) {
      CSVRecord r = nextRecord();
      if (r != null) {
        long more = 1;
        while (nextRecord() != null) {
          more++;
        }
        throw new CliException(file + ": line " + r.getRecordNumber() + ": " + (rows + more) + " labels, but "
            + logits.file + " has " + rows + " rows");
      }
    }

    @Override
    public void close() throws IOException {
      parser.close();
    }
  }
}
