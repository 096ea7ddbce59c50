package io.github.logits4j;

import io.github.logits4j.Matrix.Entry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a segment or buffer form of the matrix, binding its arguments by parameter name, and the array form
 * of the same op on the same values; each returns its outputs (and a loss) as arrays for a bit comparison.
 */
final class MemoryForms {
  private MemoryForms() {}

  private static boolean perRow(String name) {
    return name.equals("logSumExp") || name.equals("argmax") || name.equals("rowLosses");
  }

  /** The memory form on native segments or direct buffers. */
  static Object run(Entry e, double[] v, int rows, int cols, int[] labels) throws Exception {
    Method m = e.method();
    boolean f = e.isFloat();
    String name = m.getName();
    boolean argmax = name.equals("argmax");
    try (Arena arena = Arena.ofConfined()) {
      Map<String, Object> args = new HashMap<>();
      Object[] outputs = new Object[1];
      for (java.lang.reflect.Parameter p : m.getParameters()) {
        Class<?> t = p.getType();
        String n = p.getName();
        Object value = switch (n) {
          case "type" -> f ? ValueLayout.JAVA_FLOAT : ValueLayout.JAVA_DOUBLE;
          case "x", "logits" -> input(t, v, f, arena);
          case "y", "grad", "out" -> {
            int count = n.equals("out") && perRow(name) ? rows : v.length;
            Object o = output(t, count, f && !(argmax), argmax, arena);
            outputs[0] = o;
            yield o;
          }
          case "cols" -> cols;
          case "rows" -> t == long.class ? (Object) (long) rows : (Object) rows;
          case "labels" -> labels;
          case "labelsOffset" -> 0;
          default -> t == long.class ? (Object) 0L : (Object) 0;  // offsets
        };
        args.put(n, value);
      }
      Object target = m.getDeclaringClass() == CrossEntropy.class ? CrossEntropy.sparse() : null;
      Object returned = e.invoke(target, args);
      List<Object> result = new ArrayList<>();
      if (returned != null) {
        result.add(returned);
      }
      if (outputs[0] != null) {
        result.add(toArray(outputs[0], f, argmax));
      }
      return result.toArray();
    }
  }

  /** The array form of the same op. */
  static Object runArrays(Entry e, double[] v, int rows, int cols, int[] labels) {
    boolean f = e.isFloat();
    String name = e.method().getName();
    List<String> params = e.params();
    Object x = f ? floats(v) : v.clone();
    boolean hasOut = params.contains("y") || params.contains("grad") || params.contains("out");
    int outCount = perRow(name) ? rows : v.length;
    Object out = name.equals("argmax") ? new int[rows] : f ? new float[outCount] : new double[outCount];
    Object returned = null;
    CrossEntropy ce = CrossEntropy.sparse();
    switch (name) {
      case "softmax" -> { if (f) Logits.softmax((float[]) x, (float[]) out, cols); else Logits.softmax((double[]) x, (double[]) out, cols); }
      case "logSoftmax" -> { if (f) Logits.logSoftmax((float[]) x, (float[]) out, cols); else Logits.logSoftmax((double[]) x, (double[]) out, cols); }
      case "logSumExp" -> { if (f) Logits.logSumExp((float[]) x, cols, (float[]) out); else Logits.logSumExp((double[]) x, cols, (double[]) out); }
      case "argmax" -> { if (f) Logits.argmax((float[]) x, cols, (int[]) out); else Logits.argmax((double[]) x, cols, (int[]) out); }
      case "loss" -> returned = f ? ce.loss((float[]) x, cols, labels) : ce.loss((double[]) x, cols, labels);
      case "lossAndGradient" -> returned = f ? ce.lossAndGradient((float[]) x, cols, labels, (float[]) out)
          : ce.lossAndGradient((double[]) x, cols, labels, (double[]) out);
      case "rowLosses" -> { if (f) ce.rowLosses((float[]) x, cols, labels, (float[]) out); else ce.rowLosses((double[]) x, cols, labels, (double[]) out); }
      default -> throw new AssertionError("no array form for " + e.signature());
    }
    List<Object> result = new ArrayList<>();
    if (returned != null) {
      result.add(returned);
    }
    if (hasOut) {
      result.add(out);
    }
    return result.toArray();
  }

  private static float[] floats(double[] v) {
    float[] x = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      x[i] = (float) v[i];
    }
    return x;
  }

  private static Object input(Class<?> t, double[] v, boolean f, Arena arena) {
    if (t == MemorySegment.class) {
      MemorySegment s = arena.allocate((long) v.length * (f ? 4 : 8), 8);
      if (f) {
        MemorySegment.copy(floats(v), 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
      } else {
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_DOUBLE, 0, v.length);
      }
      return s;
    }
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * (f ? 4 : 8)).order(ByteOrder.nativeOrder());
    if (f) {
      return b.asFloatBuffer().put(floats(v)).flip();
    }
    return b.asDoubleBuffer().put(v).flip();
  }

  private static Object output(Class<?> t, int count, boolean f, boolean ints, Arena arena) {
    int size = ints || f ? 4 : 8;
    if (t == MemorySegment.class) {
      return arena.allocate((long) count * size, 8);
    }
    ByteBuffer b = ByteBuffer.allocateDirect(count * size).order(ByteOrder.nativeOrder());
    return t == IntBuffer.class ? b.asIntBuffer() : t == FloatBuffer.class ? b.asFloatBuffer() : b.asDoubleBuffer();
  }

  private static Object toArray(Object o, boolean f, boolean ints) {
    if (o instanceof MemorySegment s) {
      return ints ? s.toArray(ValueLayout.JAVA_INT) : f ? s.toArray(ValueLayout.JAVA_FLOAT)
          : s.toArray(ValueLayout.JAVA_DOUBLE);
    }
    if (o instanceof IntBuffer b) {
      int[] a = new int[b.capacity()];
      b.get(0, a);
      return a;
    }
    if (o instanceof FloatBuffer b) {
      float[] a = new float[b.capacity()];
      b.get(0, a);
      return a;
    }
    DoubleBuffer b = (DoubleBuffer) o;
    double[] a = new double[b.capacity()];
    b.get(0, a);
    return a;
  }
}
