package io.github.logits4j;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The entry-point matrix: every public method of the API classes, placed by its class, name and parameter
 * names into a family (what it computes) and a form (plain or with offsets, with or without a
 * temperature). The placement is derived from the signature rather than listed by hand, so a new public
 * method lands in the matrix by itself, or, if its shape is new, fails {@link EntryPointMatrixTest} until
 * the matrix learns it.
 *
 * <p>Arguments are bound by parameter name (the library is compiled with {@code -parameters}), so one
 * argument map drives every overload of a family.
 */
final class Matrix {
  private Matrix() {}

  static final List<Class<?>> API = List.of(Logits.class, FastLogits.class, CrossEntropy.class,
      BinaryCrossEntropy.class);

  /** What a method computes; the dtype and the form are separate axes. */
  enum Family {
    SOFTMAX, LOG_SOFTMAX, LOG_SUM_EXP, ARGMAX, TOP_K, SIGMOID, LOG_SIGMOID,
    FAST_SOFTMAX, FAST_LOG_SOFTMAX, FAST_LOG_SUM_EXP,
    SPARSE_LOSS, SPARSE_LOSS_AND_GRADIENT, SPARSE_ROW_LOSSES,
    DENSE_LOSS, DENSE_LOSS_AND_GRADIENT, DENSE_ROW_LOSSES,
    BCE_LOSS, BCE_LOSS_AND_GRADIENT, BCE_ELEMENT_LOSSES,
    /** Builders of a loss configuration, exercised by building the configurations the loss cases run. */
    CONFIGURATION,
    /** {@code Logits.implementation()}, checked against the kernels each test run expects. */
    IMPLEMENTATION,
    /** {@code Logits.version()}, checked against the pom by ImplementationTest#saysItsOwnVersion. */
    VERSION,
    /**
     * The forms over a {@code MemorySegment} (first parameter the element layout) or a NIO buffer: each run
     * against its array form by {@code EntryPointMatrixTest#memoryFormsGiveTheArrayBits}.
     */
    MEMORY,
    /** {@code Logits.warmUp()}, run by WarmUpTest. */
    WARM_UP;

    /** Families whose output has the input's shape and type, and may be the input itself. */
    boolean sameShape() {
      return this == SOFTMAX || this == LOG_SOFTMAX || this == FAST_SOFTMAX || this == FAST_LOG_SOFTMAX
          || this == SIGMOID || this == LOG_SIGMOID;
    }
  }

  /** One public method in the matrix. {@code isFloat} is meaningless for configuration methods. */
  record Entry(Method method, Family family, boolean isFloat, List<String> params) {
    boolean offsets() {
      return params.stream().anyMatch(p -> p.equals("offset") || p.endsWith("Offset"));
    }

    boolean temperature() {
      return params.contains("temperature");
    }

    String signature() {
      return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
          + Arrays.stream(method.getParameters()).map(p -> p.getType().getSimpleName() + " " + p.getName())
              .collect(Collectors.joining(", ")) + ")";
    }

    /** Invokes the method with arguments taken by name from {@code args}. */
    Object invoke(Object target, Map<String, Object> args) {
      Object[] values = new Object[params.size()];
      for (int i = 0; i < values.length; i++) {
        if (!args.containsKey(params.get(i))) {
          throw new AssertionError(signature() + ": no argument bound for " + params.get(i));
        }
        values[i] = args.get(params.get(i));
      }
      try {
        return method.invoke(Modifier.isStatic(method.getModifiers()) ? null : target, values);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new AssertionError(signature() + " threw", e.getCause());
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * The parameter names the matrix knows how to bind, and the type each must have: {@code A} stands for the
   * dtype's array ({@code float[]} or {@code double[]}), {@code T} for its scalar.
   */
  static final Map<String, String> PARAMETERS = Map.ofEntries(
      Map.entry("x", "A"), Map.entry("y", "A"), Map.entry("logits", "A"), Map.entry("targets", "A"),
      Map.entry("grad", "A"), Map.entry("values", "A"), Map.entry("temperature", "T"),
      Map.entry("cols", "int"), Map.entry("rows", "int"), Map.entry("count", "int"), Map.entry("k", "int"),
      Map.entry("offset", "int"), Map.entry("xOffset", "int"), Map.entry("yOffset", "int"),
      Map.entry("outOffset", "int"), Map.entry("indicesOffset", "int"), Map.entry("valuesOffset", "int"),
      Map.entry("labelsOffset", "int"), Map.entry("targetsOffset", "int"), Map.entry("gradOffset", "int"),
      Map.entry("labels", "int[]"), Map.entry("indices", "int[]"), Map.entry("out", "A|int[]"));

  /** Every public method of the API classes, placed, or the reason it could not be. */
  static List<Entry> entries(List<String> unplaced) {
    List<Entry> out = new ArrayList<>();
    for (Class<?> c : API) {
      for (Method m : c.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
          continue;
        }
        String why = place(m, out);
        if (why != null) {
          unplaced.add(c.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()) + ": " + why);
        }
      }
    }
    return out;
  }

  private static final Set<String> CONFIGURATION = Set.of("sparse", "dense", "ignoreIndex", "classWeights",
      "labelSmoothing", "reduction", "withLogits", "posWeight", "weights");

  /** Adds the method's entry to {@code out}, or says why it has none. */
  private static String place(Method m, List<Entry> out) {
    Class<?> owner = m.getDeclaringClass();
    String name = m.getName();
    List<String> params = Arrays.stream(m.getParameters()).map(Parameter::getName).toList();
    if (!Arrays.stream(m.getParameters()).allMatch(Parameter::isNamePresent)) {
      return "parameter names missing: compile with -parameters";
    }
    if (owner != Logits.class && owner != FastLogits.class && CONFIGURATION.contains(name)) {
      out.add(new Entry(m, Family.CONFIGURATION, m.getParameterCount() == 1
          && m.getParameterTypes()[0] == float[].class, params));
      return null;
    }
    if (owner == Logits.class && name.equals("implementation") && params.isEmpty()) {
      out.add(new Entry(m, Family.IMPLEMENTATION, false, params));
      return null;
    }
    if (owner == Logits.class && name.equals("version") && params.isEmpty()) {
      out.add(new Entry(m, Family.VERSION, false, params));
      return null;
    }
    if (owner == Logits.class && name.equals("warmUp") && params.isEmpty()) {
      out.add(new Entry(m, Family.WARM_UP, false, params));
      return null;
    }
    Class<?> first = m.getParameterCount() > 0 ? m.getParameterTypes()[0] : null;
    if (first != null && (java.lang.foreign.ValueLayout.class.isAssignableFrom(first)
        || java.nio.Buffer.class.isAssignableFrom(first))) {
      if (family(owner, name, m.getParameterTypes()) == null) {
        return "no family for " + owner.getSimpleName() + "." + name;
      }
      boolean f = first == java.lang.foreign.ValueLayout.OfFloat.class || first == java.nio.FloatBuffer.class;
      out.add(new Entry(m, Family.MEMORY, f, params));
      return null;
    }
    Family family = family(owner, name, m.getParameterTypes());
    if (family == null) {
      return "no family for " + owner.getSimpleName() + "." + name;
    }
    Class<?> array = m.getParameterTypes().length > 0 ? m.getParameterTypes()[0] : null;
    if (array != float[].class && array != double[].class) {
      return "the first parameter is not a float[] or double[] batch";
    }
    boolean isFloat = array == float[].class;
    for (Parameter p : m.getParameters()) {
      String expected = PARAMETERS.get(p.getName());
      if (expected == null) {
        return "unknown parameter name " + p.getName();
      }
      String actual = p.getType() == array ? "A" : p.getType() == (isFloat ? float.class : double.class) ? "T"
          : p.getType().getSimpleName();
      if (!Arrays.asList(expected.split("\\|")).contains(actual)) {
        return "parameter " + p.getName() + " has type " + p.getType().getSimpleName() + ", expected " + expected;
      }
    }
    out.add(new Entry(m, family, isFloat, params));
    return null;
  }

  private static Family family(Class<?> owner, String name, Class<?>[] types) {
    if (owner == Logits.class) {
      return switch (name) {
        case "softmax" -> Family.SOFTMAX;
        case "logSoftmax" -> Family.LOG_SOFTMAX;
        case "logSumExp" -> Family.LOG_SUM_EXP;
        case "argmax" -> Family.ARGMAX;
        case "topK" -> Family.TOP_K;
        case "sigmoid" -> Family.SIGMOID;
        case "logSigmoid" -> Family.LOG_SIGMOID;
        default -> null;
      };
    }
    if (owner == FastLogits.class) {
      return switch (name) {
        case "softmax" -> Family.FAST_SOFTMAX;
        case "logSoftmax" -> Family.FAST_LOG_SOFTMAX;
        case "logSumExp" -> Family.FAST_LOG_SUM_EXP;
        default -> null;
      };
    }
    if (owner == CrossEntropy.class) {
      boolean sparse = Arrays.asList(types).contains(int[].class);
      return switch (name) {
        case "loss" -> sparse ? Family.SPARSE_LOSS : Family.DENSE_LOSS;
        case "lossAndGradient" -> sparse ? Family.SPARSE_LOSS_AND_GRADIENT : Family.DENSE_LOSS_AND_GRADIENT;
        case "rowLosses" -> sparse ? Family.SPARSE_ROW_LOSSES : Family.DENSE_ROW_LOSSES;
        default -> null;
      };
    }
    if (owner == BinaryCrossEntropy.class) {
      return switch (name) {
        case "loss" -> Family.BCE_LOSS;
        case "lossAndGradient" -> Family.BCE_LOSS_AND_GRADIENT;
        case "elementLosses" -> Family.BCE_ELEMENT_LOSSES;
        default -> null;
      };
    }
    return null;
  }
}
