package io.github.logits4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NumPy {@code .npy} format, versions 1.0 to 3.0: the header of an array file, read and written.
 * Reading checks the header against the file's size, so a truncated file or one longer than its header
 * claims is refused before anything is computed.
 */
final class Npy {
  private Npy() {}

  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Bytes the header of an array written by this class takes: magic, version, length, dict, padding. */
  static final int WRITTEN_HEADER_BYTES = 128;

  /** A parsed header: the element type, its byte order, the shape, and where the data starts. */
  record Header(Path file, char kind, int itemSize, ByteOrder order, long[] shape, long shapeOffset, long dataOffset,
      long fileSize) {
    String dtypeName() {
      return switch (kind) {
        case 'f' -> "float" + itemSize * 8;
        case 'i' -> "int" + itemSize * 8;
        default -> "?";
      };
    }

    long count() {
      long n = 1;
      for (long s : shape) {
        n = Math.multiplyExact(n, s);
      }
      return n;
    }
  }

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /**
   * Reads and checks the header of {@code file}.
   *
   * @param file the file, for messages
   * @param ch the open channel
   * @param what what the array must hold, for messages: {@code "float32 or float64"} or {@code "int32 or int64"}
   * @param kindWanted {@code 'f'} or {@code 'i'}
   * @return the header
   */
  static Header read(Path file, FileChannel ch, String what, char kindWanted) throws IOException {
    long size = ch.size();
    ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, pre, 0);
    pre.flip();
    if (pre.remaining() < 10) {
      throw new CliException(file + ": byte offset " + pre.remaining() + ": truncated .npy header (file of "
          + size + " bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (pre.get(i) != MAGIC[i]) {
        throw new CliException(file + ": byte offset " + i + ": not a .npy file (no \\x93NUMPY magic)");
      }
    }
    int major = pre.get(6) & 0xff;
    long headerLen;
    int lenBytes;
    if (major == 1) {
      headerLen = pre.getShort(8) & 0xffff;
      lenBytes = 2;
    } else if (major == 2 || major == 3) {
      if (pre.remaining() < 12) {
        throw new CliException(file + ": byte offset " + pre.remaining() + ": truncated .npy header");
      }
      headerLen = pre.getInt(8) & 0xffffffffL;
      lenBytes = 4;
    } else {
      throw new CliException(file + ": byte offset 6: unsupported .npy version " + major);
    }
    long dictStart = 8 + lenBytes;
    long dataOffset = dictStart + headerLen;
    if (dataOffset > size) {
      throw new CliException(file + ": byte offset " + size + ": truncated .npy header (it claims "
          + headerLen + " bytes from byte offset " + dictStart + ")");
    }
    if (headerLen > 1 << 20) {
      throw new CliException(file + ": byte offset 8: .npy header length " + headerLen + " is implausible");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(ch, hb, dictStart);
    String dict = new String(hb.array(), 0, hb.position(),
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

    Matcher m = DESCR.matcher(dict);
    if (!m.find()) {
      throw new CliException(file + ": byte offset " + dictStart + ": .npy header has no 'descr'");
    }
    long descrAt = dictStart + m.start(1);
    String descr = m.group(1);
    char kind = 0;
    int itemSize = 0;
    ByteOrder order = ByteOrder.nativeOrder();
    if (descr.length() == 3 && "<>=|".indexOf(descr.charAt(0)) >= 0 && Character.isDigit(descr.charAt(2))) {
      char o = descr.charAt(0);
      order = o == '>' ? ByteOrder.BIG_ENDIAN : o == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
      kind = descr.charAt(1);
      itemSize = descr.charAt(2) - '0';
    }
    boolean ok = kind == kindWanted && (itemSize == 4 || itemSize == 8);
    if (!ok) {
      throw new CliException(file + ": byte offset " + descrAt + ": dtype '" + descr + "' is not " + what);
    }
    Matcher f = FORTRAN.matcher(dict);
    if (!f.find()) {
      throw new CliException(file + ": byte offset " + dictStart + ": .npy header has no 'fortran_order'");
    }
    if (f.group(1).equals("True")) {
      throw new CliException(file + ": byte offset " + (dictStart + f.start(1))
          + ": Fortran-order arrays are not supported; save it in C order");
    }
    Matcher s = SHAPE.matcher(dict);
    if (!s.find()) {
      throw new CliException(file + ": byte offset " + dictStart + ": .npy header has no 'shape'");
    }
    long shapeAt = dictStart + s.start(1);
    List<Long> dims = new ArrayList<>();
    for (String part : s.group(1).split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        long d = Long.parseLong(t);
        if (d < 0) {
          throw new NumberFormatException();
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw new CliException(file + ": byte offset " + shapeAt + ": bad shape (" + s.group(1) + ")");
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    Header h = new Header(file, kind, itemSize, order, shape, shapeAt, dataOffset, size);
    long count;
    try {
      count = h.count();
      Math.multiplyExact(count, itemSize);
    } catch (ArithmeticException e) {
      throw new CliException(file + ": byte offset " + shapeAt + ": shape (" + s.group(1) + ") is too large");
    }
    return h;
  }

  /** Checks that the data after the header is exactly what the header claims; the message names the row. */
  static void checkSize(Header h, long rows, long rowBytes, String claim) {
    long expected = h.dataOffset() + rows * rowBytes;
    if (h.fileSize() < expected) {
      long have = h.fileSize() - h.dataOffset();
      long row = rowBytes == 0 ? 0 : have / rowBytes;
      throw new CliException(h.file() + ": truncated at byte offset " + h.fileSize() + ", in row " + row
          + ": the header claims " + claim + " (" + (rows * rowBytes) + " bytes of data from byte offset "
          + h.dataOffset() + "), the file holds " + have + " bytes of data");
    }
    if (h.fileSize() > expected) {
      throw new CliException(h.file() + ": byte offset " + expected + ": " + (h.fileSize() - expected)
          + " bytes after the last row; the header claims only " + claim);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
  }

  /**
   * A version 1.0 header of exactly {@link #WRITTEN_HEADER_BYTES} bytes, little-endian, C order, so that it
   * can be written first with a placeholder row count and rewritten in place at the end.
   *
   * @param descr {@code "<f4"}, {@code "<f8"} or {@code "<i4"}
   * @param shape the shape, one or two dimensions
   */
  static byte[] header(String descr, long... shape) {
    StringBuilder sh = new StringBuilder();
    for (long d : shape) {
      sh.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? sh.substring(0, sh.length() - 1) : sh.substring(0, sh.length() - 2);
    StringBuilder dict = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
        + shapeText + "), }");
    int dictLen = WRITTEN_HEADER_BYTES - 10;
    while (dict.length() < dictLen - 1) {
      dict.append(' ');
    }
    dict.append('\n');
    ByteBuffer b = ByteBuffer.allocate(WRITTEN_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictLen);
    b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }
}
