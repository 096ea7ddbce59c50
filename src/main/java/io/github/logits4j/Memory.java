package io.github.logits4j;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * Argument checks of the entry points over {@link MemorySegment}s and NIO buffers. Every check runs before
 * anything is written, and every message names the argument.
 */
final class Memory {
  private Memory() {}

  /** The element layout given as the dtype: not null, native byte order. */
  static void type(ValueLayout type) {
    Checks.notNull(type, "type");
    if (type.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("type " + type + " has byte order " + type.order()
          + "; logits4j reads segments in the native order, " + ByteOrder.nativeOrder());
    }
  }

  /** A segment that can be accessed now, from this thread. */
  static void accessible(MemorySegment s, String name) {
    Checks.notNull(s, name);
    if (!s.scope().isAlive()) {
      throw new IllegalStateException(name + " belongs to an arena that is already closed");
    }
    if (!s.isAccessibleBy(Thread.currentThread())) {
      throw new WrongThreadException(name + " is confined to another thread than " + Thread.currentThread());
    }
  }

  /** A segment whose address is a multiple of the element size. */
  static void aligned(MemorySegment s, int size, String name) {
    if (s.maxByteAlignment() < size) {
      throw new IllegalArgumentException(name + " is not aligned to its element size of " + size + " bytes (address "
          + s.address() + (s.isNative() ? "" : " in its heap array") + ")");
    }
  }

  /** A segment the call may write. */
  static void writable(MemorySegment s, String name) {
    if (s.isReadOnly()) {
      throw new IllegalArgumentException(name + " is read-only");
    }
  }

  /**
   * The byte offset of {@code count} elements of {@code size} bytes at element {@code offset} of
   * {@code s}, after checking they lie inside it.
   */
  static long region(MemorySegment s, long offset, long count, int size, String name, String offsetName) {
    if (offset < 0) {
      throw new IllegalArgumentException(offsetName + " must be >= 0, was " + offset);
    }
    long elements = s.byteSize() / size;
    if (count > elements || offset > elements - count) {
      throw new IllegalArgumentException(name + " is too small: " + offsetName + "=" + offset + " plus " + count
          + " elements of " + size + " bytes needs " + (offset + count) + " elements, " + name + " holds "
          + elements + " (" + s.byteSize() + " bytes)");
    }
    return offset * size;
  }

  /** Rows of a whole segment: its size a multiple of {@code cols} elements. */
  static long rowsOf(MemorySegment s, int cols, int size, String name) {
    Checks.notNull(s, name);
    Checks.positiveCols(cols);
    long rowBytes = (long) cols * size;
    if (s.byteSize() % rowBytes != 0) {
      throw new IllegalArgumentException(name + ".byteSize() must be a multiple of cols=" + cols + " elements of "
          + size + " bytes, was " + s.byteSize());
    }
    return s.byteSize() / rowBytes;
  }

  static void rowCount(long rows, int cols) {
    Checks.positiveCols(cols);
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, was " + rows);
    }
    if (rows > Long.MAX_VALUE / 8 / cols) {
      throw new IllegalArgumentException("rows=" + rows + " times cols=" + cols + " is beyond any segment");
    }
  }

  /**
   * Rejects an output region that overlaps the input region at a different start; the same start is in
   * place.
   */
  static void noPartialOverlap(MemorySegment x, long xByte, long xBytes, MemorySegment y, long yByte, long yBytes) {
    if (overlaps(x, xByte, xBytes, y, yByte, yBytes) && x.address() + xByte != y.address() + yByte) {
      throw new IllegalArgumentException("y overlaps x at a different address; use the same region to work in place");
    }
  }

  /**
   * Whether the two regions share a byte: native regions and writable heap ones by address (no object is
   * made: the checks run on every call); where a heap segment is read-only, and so hides its array, through
   * {@link MemorySegment#asOverlappingSlice}, which sees it.
   */
  static boolean overlaps(MemorySegment x, long xByte, long xBytes, MemorySegment y, long yByte, long yBytes) {
    if (xBytes == 0 || yBytes == 0 || x.isNative() != y.isNative()) {
      return false;
    }
    if (!x.isNative()) {
      Object xBase = x.heapBase().orElse(null), yBase = y.heapBase().orElse(null);
      if (xBase == null || yBase == null) {
        return x.asSlice(xByte, xBytes).asOverlappingSlice(y.asSlice(yByte, yBytes)).isPresent();
      }
      if (xBase != yBase) {
        return false;
      }
    }
    long xs = x.address() + xByte, ys = y.address() + yByte;
    return xs < ys + yBytes && ys < xs + xBytes;
  }

  /** The rows of a buffer's remaining elements. */
  static int rowsOf(Buffer b, int cols, String name) {
    Checks.notNull(b, name);
    return Checks.rowsOf(b.remaining(), cols, name + ".remaining()");
  }

  /** A buffer in native order as a segment from its position to its limit. */
  static MemorySegment segment(FloatBuffer b, String name) {
    Checks.notNull(b, name);
    order(b.order(), name);
    return MemorySegment.ofBuffer(b);
  }

  static MemorySegment segment(DoubleBuffer b, String name) {
    Checks.notNull(b, name);
    order(b.order(), name);
    return MemorySegment.ofBuffer(b);
  }

  static MemorySegment segment(IntBuffer b, String name) {
    Checks.notNull(b, name);
    order(b.order(), name);
    return MemorySegment.ofBuffer(b);
  }

  private static void order(ByteOrder order, String name) {
    if (order != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(name + " has byte order " + order + "; logits4j needs the native order, "
          + ByteOrder.nativeOrder() + " (ByteBuffer.order(ByteOrder.nativeOrder()) before asFloatBuffer())");
    }
  }
}
