package io.github.logits4j.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Logits read a block of rows at a time from a {@code .npy} or {@code .csv} file. */
abstract class LogitSource implements Closeable {
  final Path file;
  boolean dbl;
  int cols;
  /** rows in the file, or -1 for a CSV file until its end */
  long rows = -1;

  LogitSource(Path file) {
    this.file = file;
  }

  /** Fills {@code b} with up to {@code b.limit} rows; returns the count, 0 at the end. */
  abstract int next(Block b) throws IOException;

  /** Where row {@code r} is, for messages. */
  abstract String where(long r);

  static LogitSource open(Path file, String dtype) throws IOException {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (Files.isDirectory(file)) {
      throw new CliException(file + ": is a folder, not a logits file");
    }
    if (!Files.exists(file)) {
      throw new CliException(file + ": no such file");
    }
    if (name.endsWith(".npy")) {
      NpySource s = new NpySource(file);
      if (dtype != null && s.dbl != dtype.equals("float64")) {
        s.close();
        throw new CliException(file + ": byte offset " + s.descrNote + ": the file holds "
            + (s.dbl ? "float64" : "float32") + ", --dtype says " + dtype
            + " (a .npy input is computed in its own dtype; drop --dtype)");
      }
      return s;
    }
    if (name.endsWith(".csv")) {
      return new CsvSource(file, "float64".equals(dtype));
    }
    throw new CliException(file + ": unknown input format: the name must end in .npy or .csv");
  }

  static CSVParser csv(Path file) throws IOException {
    java.io.PushbackReader r = new java.io.PushbackReader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    int first = r.read();
    if (first >= 0 && first != '\uFEFF') {
      r.unread(first);  // a byte order mark, as spreadsheets write, is not part of the first cell
    }
    CSVFormat f = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).setIgnoreSurroundingSpaces(true).get();
    return CSVParser.builder().setReader(r).setFormat(f).get();
  }

  static final class NpySource extends LogitSource {
    private final FileChannel ch;
    private final Npy.Header h;
    private final long rowBytes;
    final long descrNote;
    private long pos;
    private ByteBuffer buf;

    NpySource(Path file) throws IOException {
      super(file);
      try {
        ch = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        throw new CliException(file + ": no such file");
      }
      try {
        h = Npy.read(file, ch, "float32 or float64", 'f');
        if (h.shape().length != 2) {
          throw new CliException(file + ": byte offset " + h.shapeOffset() + ": the array has "
              + h.shape().length + " dimensions, shape " + shapeText(h.shape()) + "; logits must be 2-D (rows, classes)");
        }
        if (h.shape()[1] == 0 || h.shape()[1] > Integer.MAX_VALUE / 8) {
          throw new CliException(file + ": byte offset " + h.shapeOffset() + ": " + h.shape()[1]
              + " classes per row; need 1 to " + Integer.MAX_VALUE / 8);
        }
        dbl = h.itemSize() == 8;
        cols = (int) h.shape()[1];
        rows = h.shape()[0];
        rowBytes = (long) cols * h.itemSize();
        Npy.checkSize(h, rows, rowBytes, rows + " x " + cols + " " + h.dtypeName() + " values");
        descrNote = h.shapeOffset();
        pos = h.dataOffset();
      } catch (RuntimeException | IOException e) {
        ch.close();
        throw e;
      }
    }

    @Override
    int next(Block b) throws IOException {
      long left = (h.dataOffset() + rows * rowBytes - pos) / rowBytes;
      int n = (int) Math.min(left, b.limit);
      if (n == 0) {
        return 0;
      }
      int bytes = Math.toIntExact(n * rowBytes);
      if (buf == null || buf.capacity() < bytes) {
        buf = ByteBuffer.allocateDirect(Math.toIntExact(b.capacity * rowBytes)).order(h.order());
      }
      buf.clear().limit(bytes);
      while (buf.hasRemaining()) {
        int got = ch.read(buf, pos + buf.position());
        if (got < 0) {
          throw new CliException(file + ": truncated at byte offset " + (pos + buf.position()) + ", in row "
              + ((pos + buf.position() - h.dataOffset()) / rowBytes) + " (the file shrank while being read)");
        }
      }
      buf.flip();
      if (dbl) {
        buf.asDoubleBuffer().get(b.xd, 0, n * cols);
      } else {
        buf.asFloatBuffer().get(b.xf, 0, n * cols);
      }
      pos += bytes;
      return n;
    }

    @Override
    String where(long r) {
      return "row " + r + " (byte offset " + (h.dataOffset() + r * rowBytes) + ")";
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  static String shapeText(long[] shape) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]).append(i + 1 < shape.length || shape.length == 1 ? "," : "");
      if (i + 1 < shape.length) {
        s.append(' ');
      }
    }
    return s.append(')').toString();
  }

  static final class CsvSource extends LogitSource {
    private final CSVParser parser;
    private final Iterator<CSVRecord> it;
    private CSVRecord pending;
    private long row;
    private long firstDataLine;

    CsvSource(Path file, boolean dbl) throws IOException {
      super(file);
      this.dbl = dbl;
      parser = csv(file);
      try {
        it = parser.iterator();
        CSVRecord first = it.hasNext() ? it.next() : null;
        if (first != null && isHeader(first)) {
          first = it.hasNext() ? it.next() : null;
        }
        if (first == null) {
          throw new CliException(file + ": line 1: no rows of logits");
        }
        pending = first;
        firstDataLine = first.getRecordNumber();
        cols = first.size();
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        parser.close();
        throw new CliException(file + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        parser.close();
        throw e;
      }
    }

    /** The first line is a header when none of its cells is a number. */
    private static boolean isHeader(CSVRecord r) {
      if (r.getRecordNumber() != 1) {
        return false;
      }
      for (String s : r) {
        if (Numbers.isNumber(s)) {
          return false;
        }
      }
      return true;
    }

    @Override
    int next(Block b) {
      int n = 0;
      try {
        while (n < b.limit) {
          CSVRecord r;
          if (pending != null) {
            r = pending;
            pending = null;
          } else if (it.hasNext()) {
            r = it.next();
          } else {
            break;
          }
          long line = r.getRecordNumber();
          if (r.size() != cols) {
            int col = Math.min(r.size(), cols) + 1;
            throw new CliException(file + ": line " + line + ", column " + col + ": ragged row: " + r.size()
                + " values, the first row has " + cols);
          }
          int base = n * cols;
          for (int j = 0; j < cols; j++) {
            String s = r.get(j);
            try {
              if (dbl) {
                b.xd[base + j] = Numbers.parseDouble(s);
              } else {
                b.xf[base + j] = Numbers.parseFloat(s);
              }
            } catch (NumberFormatException e) {
              throw new CliException(file + ": line " + line + ", column " + (j + 1) + ": '" + s
                  + "' is not a number");
            }
          }
          n++;
        }
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        throw new CliException(file + ": line " + (parser.getCurrentLineNumber() + 1) + ": " + e.getMessage(), e);
      }
      row += n;
      if (n < b.limit) {
        rows = row;
      }
      return n;
    }

    @Override
    String where(long r) {
      return "row " + r + " (line " + (firstDataLine + r) + ")";
    }

    @Override
    public void close() throws IOException {
      parser.close();
    }
  }
}
