package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.Matrix.Entry;
import io.github.logits4j.Matrix.Family;
import io.github.logits4j.MatrixCases.Case;
import io.github.logits4j.gen.Batch;
import io.github.logits4j.oracle.DD;
import io.github.logits4j.oracle.Exact;
import io.github.logits4j.oracle.ExactLoss;
import io.github.logits4j.oracle.Ulps;
import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated entry-point matrix. Every public method of {@link Logits}, {@link FastLogits},
 * {@link CrossEntropy} and {@link BinaryCrossEntropy} is found by reflection and placed by {@link Matrix};
 * a method it cannot place fails {@link #everyPublicMethodHasAnEntry}. Then, for every family and dtype,
 * on every batch of {@link MatrixCases} (widths 1 to 70 and around the wider lane boundaries, every value
 * regime), each method of the family runs in each of its forms, and the test checks that
 * <ul>
 *   <li>the in-place result is bit-identical to the out-of-place one;</li>
 *   <li>the offset form is bit-identical to the plain form, writes nothing outside its rows and reads
 *       nothing outside them either (the rest of the array holds other values);</li>
 *   <li>no input array is modified;</li>
 *   <li>every result is within the method's documented bound of the exact oracle, and NaN only where the
 *       exact result is NaN (or infinite only where it is beyond the range);</li>
 *   <li>for the losses, each configuration (class weights, label smoothing, ignored rows, dense targets,
 *       {@code posWeight}, element weights) and every reduction, with the configuration built through the
 *       configuration methods themselves.</li>
 * </ul>
 * The surefire runs repeat all of it at 512, 256 and 128 bits and on the scalar fallback. The measured
 * maxima go to {@code target/matrix/<kernels>.md}.
 */
class EntryPointMatrixTest {
  /** Entries of every public method, and the methods that could not be placed. */
  static final List<String> UNPLACED = new ArrayList<>();
  static final List<Entry> ENTRIES = Matrix.entries(UNPLACED);
  /** Configuration methods invoked while building the loss configurations. */
  static final Map<String, Boolean> CONFIG_USED = new java.util.concurrent.ConcurrentHashMap<>();
  /** The largest error measured per check, in its unit. */
  static final Map<String, Double> WORST = new ConcurrentSkipListMap<>();
  static final Map<String, String> WORST_AT = new ConcurrentSkipListMap<>();
  static final int MAX_FAILURES = 12;

  /**
   * Every form over a segment or a buffer, placed by the matrix, gives the bits of its array form: on native
   * segments and on direct buffers, at several widths, with NaN, infinite and masked rows among ordinary
   * ones, in float and double.
   */
  @Test
  void memoryFormsGiveTheArrayBits() throws Exception {
    List<Entry> memory = ENTRIES.stream().filter(e -> e.family() == Family.MEMORY).toList();
    assertTrue(memory.size() >= 24, "memory forms found: " + memory.size());
    for (Entry e : memory) {
      for (int cols : new int[] {1, 3, 17, 70, 1000}) {
        int rows = 37;
        double[] v = new double[rows * cols];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(cols);
        for (int i = 0; i < v.length; i++) {
          v[i] = (rnd.nextDouble() - 0.5) * 40;
        }
        v[cols] = Double.NaN;
        v[2 * cols] = Double.POSITIVE_INFINITY;
        v[3 * cols] = Double.NEGATIVE_INFINITY;
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
          labels[r] = r % 5 == 4 ? -100 : rnd.nextInt(cols);
        }
        Object memoryResult = MemoryForms.run(e, v, rows, cols, labels);
        Object arrayResult = MemoryForms.runArrays(e, v, rows, cols, labels);
        assertTrue(ParallelismTest.sameBits(arrayResult, memoryResult), e.signature() + " at " + rows + "x" + cols);
      }
    }
  }

  @Test
  void everyPublicMethodHasAnEntry() {
    assertTrue(UNPLACED.isEmpty(), () -> "public methods with no entry in the matrix:\n  "
        + String.join("\n  ", UNPLACED));
    assertTrue(ENTRIES.size() > 90, "found only " + ENTRIES.size() + " public methods");
  }

  @Test
  void implementationIsTheExpectedOne() {
    for (Entry e : entries(Family.IMPLEMENTATION, false)) {
      String name = (String) e.invoke(null, Map.of());
      assertTrue(name.equals("scalar") || name.matches("panama-(128|256|512)"), name);
      assertEquals(Logits.implementation(), name);
    }
  }

  @TestFactory
  Stream<DynamicTest> matrix() {
    List<DynamicTest> tests = new ArrayList<>();
    for (boolean isFloat : new boolean[] {true, false}) {
      String dtype = isFloat ? "float32" : "float64";
      for (Family f : new Family[] {Family.SOFTMAX, Family.LOG_SOFTMAX, Family.FAST_SOFTMAX,
          Family.FAST_LOG_SOFTMAX, Family.SIGMOID, Family.LOG_SIGMOID}) {
        tests.add(DynamicTest.dynamicTest(f + " " + dtype, () -> sameShape(f, isFloat)));
      }
      for (Family f : new Family[] {Family.LOG_SUM_EXP, Family.FAST_LOG_SUM_EXP, Family.ARGMAX}) {
        tests.add(DynamicTest.dynamicTest(f + " " + dtype, () -> perRow(f, isFloat)));
      }
      tests.add(DynamicTest.dynamicTest("TOP_K " + dtype, () -> topK(isFloat)));
      tests.add(DynamicTest.dynamicTest("sparse cross-entropy " + dtype, () -> crossEntropy(true, isFloat)));
      tests.add(DynamicTest.dynamicTest("dense cross-entropy " + dtype, () -> crossEntropy(false, isFloat)));
      tests.add(DynamicTest.dynamicTest("BCE with logits " + dtype, () -> bce(isFloat)));
    }
    tests.add(DynamicTest.dynamicTest("the results' hashes are the stored ones", EntryPointMatrixTest::hashes));
    tests.add(DynamicTest.dynamicTest("the same bits at every vector width", EntryPointMatrixTest::sameAtEveryWidth));
    tests.add(DynamicTest.dynamicTest("every configuration method was exercised", () -> {
      List<String> unused = entries(Family.CONFIGURATION, null).stream().map(Entry::signature)
          .filter(s -> !CONFIG_USED.containsKey(s)).toList();
      assertTrue(unused.isEmpty(), () -> "configuration methods the loss cases never called: " + unused);
    }));
    return tests.stream();
  }

  /**
   * The hash of each family's results against the stored one in {@code src/test/resources/golden}, so a
   * change of any bit of any result on the matrix shows. With {@code -Dlogits4j.golden=write} the hashes
   * are stored instead; a change of bits that is meant must be stored, and said in its commit.
   */
  static void hashes() throws IOException {
    StringBuilder now = new StringBuilder();
    HASHES.forEach((k, v) -> now.append(k).append(" = ").append(v).append('\n'));
    Path target = Path.of("target", "golden", Logits.implementation() + ".txt");
    Files.createDirectories(target.getParent());
    Files.writeString(target, now);
    Path stored = Path.of("src", "test", "resources", "golden", Logits.implementation() + ".txt");
    if ("write".equals(System.getProperty("logits4j.golden"))) {
      Files.createDirectories(stored.getParent());
      Files.writeString(stored, now);
      return;
    }
    assertTrue(Files.exists(stored), "no stored hashes " + stored + "; run with -Dlogits4j.golden=write");
    Map<String, String> expected = new LinkedHashMap<>();
    for (String line : Files.readAllLines(stored)) {
      if (line.contains(" = ")) {
        expected.put(line.substring(0, line.indexOf(" = ")), line.substring(line.indexOf(" = ") + 3));
      }
    }
    List<String> changed = new ArrayList<>();
    expected.forEach((k, v) -> {
      if (!v.equals(HASHES.get(k))) {
        changed.add(k);
      }
    });
    assertTrue(changed.isEmpty(), () -> "results whose bits differ from " + stored + ": " + changed);
    assertEquals(expected.keySet(), HASHES.keySet(), "families hashed");
  }

  /**
   * Every family has the same bits at 128, 256 and 512 bits, as the README's Semantics promise: each
   * width's run holds its results to its stored hashes ({@link #hashes}), and here the three widths' stored
   * hashes agree family by family, so the results do too. The stored files must each name every family
   * hashed, so that a family cannot drop out of the comparison.
   */
  static void sameAtEveryWidth() throws IOException {
    Map<String, Map<String, String>> byWidth = new LinkedHashMap<>();
    for (String width : new String[] {"panama-128", "panama-256", "panama-512"}) {
      Map<String, String> stored = new LinkedHashMap<>();
      for (String line : Files.readAllLines(Path.of("src", "test", "resources", "golden", width + ".txt"))) {
        if (line.contains(" = ")) {
          stored.put(line.substring(0, line.indexOf(" = ")), line.substring(line.indexOf(" = ") + 3));
        }
      }
      byWidth.put(width, stored);
    }
    Set<String> families = new TreeSet<>(byWidth.get("panama-512").keySet());
    assertTrue(families.size() >= 26, () -> "families stored: " + families);
    List<String> differ = new ArrayList<>();
    for (String family : families) {
      Set<String> hashes = new HashSet<>();
      byWidth.values().forEach(stored -> hashes.add(stored.get(family)));
      if (hashes.size() != 1 || hashes.contains(null)) {
        differ.add(family);
      }
    }
    assertTrue(differ.isEmpty(), () -> "families whose stored bits differ between vector widths: " + differ);
  }

  @AfterAll
  static void writeMeasuredMaxima() throws IOException {
    if (WORST.isEmpty()) {
      return;
    }
    StringBuilder md = new StringBuilder("| check | largest measured | where |\n|---|---:|---|\n");
    WORST.forEach((k, v) -> md.append("| ").append(k).append(" | ")
        .append(String.format(Locale.ROOT, "%.4g", v)).append(" | ").append(WORST_AT.getOrDefault(k, ""))
        .append(" |\n"));
    Path dir = Path.of("target", "matrix");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(Logits.implementation() + ".md"), md);
    System.out.print(md);
  }

  // =========================================================================================== helpers

  static List<Entry> entries(Family f, Boolean isFloat) {
    return ENTRIES.stream().filter(e -> e.family() == f && (isFloat == null || f == Family.CONFIGURATION
        || e.isFloat() == isFloat)).sorted(Comparator.comparing(Entry::offsets)
        .thenComparing(Entry::temperature)).toList();
  }

  /** Collects failures and measured maxima for one dynamic test, and fails at the end with the first few. */
  static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The hash of every family's results, in the matrix's order, by family and dtype. */
  static final Map<String, String> HASHES = new ConcurrentSkipListMap<>();

  static final class Report {
    final String name;
    final List<String> failures = new ArrayList<>();
    int count;

    Report(String name) {
      this.name = name;
    }

    void fail(String message) {
      count++;
      if (failures.size() < MAX_FAILURES) {
        failures.add(message);
      }
    }

    void check(boolean ok, java.util.function.Supplier<String> message) {
      if (!ok) {
        fail(message.get());
      }
    }

    void measure(String what, double value) {
      measure(what, value, () -> "");
    }

    /** Records a measured error, and where it was measured if it is the largest so far. */
    void measure(String what, double value, java.util.function.Supplier<String> where) {
      if (!Double.isNaN(value) && !Double.isInfinite(value)) {
        String key = name + ": " + what;
        synchronized (WORST) {
          if (value > WORST.getOrDefault(key, -1.0)) {
            WORST.put(key, value);
            WORST_AT.put(key, where.get());
          }
        }
      }
    }

    /** Feeds results into this family's hash, the record of its bits kept in src/test/resources/golden. */
    void digest(long[] bits) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * bits.length);
      for (long b : bits) {
        buffer.putLong(b);
      }
      digest.update(buffer.array());
    }

    void digest(double v) {
      digest(new long[] {Double.doubleToLongBits(v)});
    }

    private final java.security.MessageDigest digest = sha256();

    void done() {
      HASHES.put(name, java.util.HexFormat.of().formatHex(digest.digest()));
      if (count > 0) {
        org.junit.jupiter.api.Assertions.fail(count + " failures in " + name + ", the first:\n  "
            + String.join("\n  ", failures));
      }
    }
  }

  static Object newArray(boolean isFloat, int n) {
    return isFloat ? new float[n] : new double[n];
  }

  static Object array(Batch b) {
    return b.isFloat() ? b.floats() : b.values().clone();
  }

  static Object arrayOf(boolean isFloat, double[] v) {
    if (!isFloat) {
      return v.clone();
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static int length(Object a) {
    return java.lang.reflect.Array.getLength(a);
  }

  /** Element {@code i} widened to double (int arrays too). */
  static double get(Object a, int i) {
    return a instanceof float[] f ? f[i] : a instanceof double[] d ? d[i] : ((int[]) a)[i];
  }

  /**
   * The bits of every element, for bit-for-bit comparison; every NaN counts as the one canonical NaN, as
   * the sign and payload of a NaN result are not part of any promise.
   */
  static long[] bits(Object a) {
    int n = length(a);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = a instanceof float[] f ? Float.floatToIntBits(f[i])
          : a instanceof double[] d ? Double.doubleToLongBits(d[i]) : ((int[]) a)[i];
    }
    return out;
  }

  static long[] bits(Object a, int from, int count) {
    return Arrays.copyOfRange(bits(a), from, from + count);
  }

  /** {@code v} embedded at {@code offset} in a longer array whose other entries hold {@code fill}. */
  static Object embed(Object v, int offset, int extra, double fill) {
    int n = length(v);
    Object out = v instanceof int[] ? new int[offset + n + extra] : newArray(v instanceof float[], offset + n + extra);
    for (int i = 0; i < length(out); i++) {
      set(out, i, fill);
    }
    System.arraycopy(v, 0, out, offset, n);
    return out;
  }

  static void set(Object a, int i, double v) {
    if (a instanceof float[] f) {
      f[i] = (float) v;
    } else if (a instanceof double[] d) {
      d[i] = v;
    } else {
      ((int[]) a)[i] = (int) v;
    }
  }

  /** Checks that nothing outside {@code [from, from + count)} of {@code a} differs from {@code fill}. */
  static boolean untouchedOutside(Object a, int from, int count, double fill) {
    long fillBits = a instanceof float[] ? Float.floatToIntBits((float) fill)
        : a instanceof double[] ? Double.doubleToLongBits(fill) : (int) fill;
    long[] b = bits(a);
    for (int i = 0; i < b.length; i++) {
      if ((i < from || i >= from + count) && b[i] != fillBits) {
        return false;
      }
    }
    return true;
  }

  static double ulps(boolean isFloat, double actual, DD exact) {
    return isFloat ? Ulps.ofFloat((float) actual, exact) : Ulps.ofDouble(actual, exact);
  }

  /**
   * The error of {@code actual} in ulps of the dtype against an exact decimal: below the smallest normal,
   * in subnormal ulps measured in decimal, since a double-double cannot hold such a value more finely than
   * the subnormal grid.
   */
  static double ulps(boolean isFloat, double actual, ExactLoss.Value exact) {
    if (exact.isSpecial()) {
      return ulps(isFloat, actual, exact.toDD());
    }
    if (exact.exact().abs().compareTo(FINE_DD) >= 0 || !Double.isFinite(actual)) {
      return ulps(isFloat, actual, exact.toDD());
    }
    double rounded = isFloat ? (float) actual : actual;
    double a = exact.exact().abs().doubleValue();
    double ulp = isFloat ? (a < Float.MIN_NORMAL ? 0x1p-149 : Math.scalb(1.0, Math.getExponent((float) a) - 23))
        : (a < Double.MIN_NORMAL ? Double.MIN_VALUE : Math.ulp(a));
    return new BigDecimal(rounded).subtract(exact.exact()).abs().divide(new BigDecimal(ulp), MC).doubleValue();
  }

  /**
   * Below 2^-968 the low part of a double-double is subnormal, so the pair is no finer than a double
   * there; such exact values are compared in decimal.
   */
  static final BigDecimal FINE_DD = new BigDecimal(0x1p-968);

  /** Whether a double-double exact value is too close to the subnormal range to be compared as one. */
  static boolean coarse(DD exact) {
    return Double.isFinite(exact.toDouble()) && Math.abs(exact.toDouble()) < 0x1p-968;
  }

  /** A double result that promises the dtype's accuracy: its error in ulps of the dtype at the exact value. */
  static double reducedUlps(boolean isFloat, double actual, DD exact) {
    double e = exact.toDouble();
    if (Double.isNaN(e) || Double.isInfinite(e)) {
      return Double.compare(actual, e) == 0 || (Double.isNaN(actual) && Double.isNaN(e)) ? 0
          : Double.POSITIVE_INFINITY;
    }
    if (!Double.isFinite(actual)) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = Math.abs(DD.of(actual).sub(exact).toDouble());
    double a = Math.abs(e);
    double ulp = isFloat ? (a < Float.MIN_NORMAL ? 0x1p-149 : Math.scalb(1.0, Math.getExponent(a) - 23))
        : (a < Double.MIN_NORMAL ? Double.MIN_VALUE : Math.scalb(1.0, Math.getExponent(a) - 52));
    return diff / ulp;
  }

  static final double FILL = -7.25;
  static final int INT_FILL = -77;

  // ======================================================================== same-shape families

  /** softmax, log-softmax (both modes), sigmoid, log-sigmoid: output of the input's shape, in place too. */
  static void sameShape(Family f, boolean isFloat) {
    Report report = new Report(f + " " + (isFloat ? "float32" : "float64"));
    List<Entry> es = entries(f, isFloat);
    assertTrue(!es.isEmpty(), "no methods in " + f);
    for (Case c : MatrixCases.cases(isFloat)) {
      Batch b = c.batch();
      int n = b.values().length;
      // one canonical result per temperature: the forms without one run at T = 1
      Map<Boolean, long[]> canonical = new HashMap<>();
      for (Entry e : es) {
        double t = e.temperature() ? c.t() : 1.0;
        Object x = array(b);
        Object xCopy = array(b);
        Object y = newArray(isFloat, n);
        int xo = e.offsets() ? 1 + c.index() % 9 : 0, yo = e.offsets() ? 1 + (c.index() * 7) % 9 : 0;
        Object xa = e.offsets() ? embed(x, xo, 3, FILL) : x;
        Object ya = e.offsets() ? embed(y, yo, 5, FILL) : y;
        e.invoke(null, args(b, xa, xo, ya, yo, t));
        long[] out = bits(ya, yo, n);
        report.check(Arrays.equals(bits(xa, xo, n), bits(xCopy)), () -> e.signature() + " modified its input in " + c);
        if (e.offsets()) {
          report.check(untouchedOutside(ya, yo, n, FILL), () -> e.signature() + " wrote outside its rows in " + c);
        }
        long[] first = canonical.putIfAbsent(e.temperature(), out);
        if (first == null) {
          report.digest(out);
        }
        if (first != null) {
          report.check(Arrays.equals(first, out), () -> e.signature() + " differs from the plain form in " + c);
        }
        // in place: the same array, at the same offset
        Object inPlace = e.offsets() ? embed(array(b), xo, 3, FILL) : array(b);
        e.invoke(null, args(b, inPlace, xo, inPlace, xo, t));
        report.check(Arrays.equals(out, bits(inPlace, xo, n)), () -> e.signature() + " in place differs from out of place in " + c);
        if (e.offsets()) {
          report.check(untouchedOutside(inPlace, xo, n, FILL), () -> e.signature() + " in place wrote outside its rows in " + c);
        }
        if (e == es.get(0) || (e.temperature() && !e.offsets())) {
          checkSameShape(f, report, c, ya, yo, t);
        }
      }
    }
    report.done();
  }

  static Map<String, Object> args(Batch b, Object x, int xo, Object y, int yo, double t) {
    Map<String, Object> a = new HashMap<>();
    a.put("x", x);
    a.put("y", y);
    a.put("xOffset", xo);
    a.put("yOffset", yo);
    a.put("rows", b.rows());
    a.put("cols", b.cols());
    a.put("count", b.rows() * b.cols());
    a.put("temperature", b.isFloat() ? (Object) (float) t : (Object) t);
    return a;
  }

  static void checkSameShape(Family f, Report report, Case c, Object y, int yo, double t) {
    Batch b = c.batch();
    boolean isFloat = b.isFloat();
    int cols = b.cols();
    for (int rr = 0; rr < b.rows(); rr++) {
      final int r = rr;
      double[] row = b.row(r);
      double m = MatrixCases.max(row);
      double logS = f == Family.FAST_LOG_SOFTMAX && Double.isFinite(m) ? Exact.logSumShifted(row).toDouble() : 0;
      BigDecimal[] exactBig = null;
      DD[] exact = switch (f) {
        case SOFTMAX, FAST_SOFTMAX -> Double.isFinite(m) ? Exact.softmax(row, t) : nans(cols);
        case LOG_SOFTMAX, FAST_LOG_SOFTMAX -> Double.isFinite(m) ? Exact.logSoftmax(row, t) : nans(cols);
        case SIGMOID -> Arrays.stream(row).mapToObj(ExactLoss::sigmoid).toArray(DD[]::new);
        case LOG_SIGMOID -> Arrays.stream(row).mapToObj(ExactLoss::logSigmoid).toArray(DD[]::new);
        default -> throw new AssertionError(f);
      };
      for (int j = 0; j < cols; j++) {
        double actual = get(y, yo + r * cols + j);
        DD ex = exact[j];
        if (f == Family.FAST_LOG_SOFTMAX && Double.isFinite(m)) {
          double err = FastLogitsTest.overflowError(actual, ex, b);
          double bound = fastLogBound(b, row, logS, ex, true);
          report.measure("absolute error / bound", err / bound);
          int jj = j;
          report.check(err <= bound, () -> "fast logSoftmax " + actual + " off by " + err + " (bound " + bound
              + ") from " + ex + " at row " + rowAt(r, jj) + " in " + c);
          continue;
        }
        boolean subnormal = Double.isFinite(m) && Ops.belowNormal(b, ex) && f != Family.LOG_SOFTMAX;
        // below the smallest normal the double-double oracle is only as fine as the subnormal grid: there
        // the exact decimal decides
        double err = ulps(isFloat, actual, ex);
        if (coarse(ex) && (f == Family.SOFTMAX || f == Family.FAST_SOFTMAX)) {
          exactBig = exactBig != null ? exactBig : Exact.softmaxExact(row, t);
          err = ulps(isFloat, actual, ExactLoss.Value.of(exactBig[j]));
        } else if (coarse(ex)) {
          if (f == Family.LOG_SOFTMAX && t == 1.0 && row[j] == m) {
            err = ulps(isFloat, actual, ExactLoss.Value.of(Exact.logSumShiftedExact(row).negate()));
          } else if (f == Family.LOG_SIGMOID && row[j] > 0) {
            err = ulps(isFloat, actual, ExactLoss.Value.of(ExactLoss.log1pExpNegAbsExact(row[j]).negate()));
          }
        }
        double bound = Double.isNaN(ex.toDouble()) ? 0 : switch (f) {
          case SOFTMAX -> subnormal ? Bounds.softmaxSubnormal(b, row, j, t) : Bounds.softmax(b, row, j, t);
          case FAST_SOFTMAX -> Bounds.fastSoftmax(row, j, subnormal);
          case LOG_SOFTMAX -> Bounds.logSoftmax(b, row, t);
          case SIGMOID -> Bounds.sigmoid(isFloat);
          case LOG_SIGMOID -> Bounds.logSigmoid(isFloat);
          default -> throw new AssertionError(f);
        };
        int jj = j;
        double measured = err;
        report.measure((subnormal ? "ulp (below the smallest normal)" : "ulp"), measured, () -> actual + " vs " + ex
            + " at " + rowAt(r, jj) + " in " + c + " (t=" + t + ")");
        report.check(measured <= bound, () -> f + " " + actual + " is " + measured + " ulp (bound " + bound + ") from " + ex
            + " at " + rowAt(r, jj) + " in " + c + ", row " + Arrays.toString(Arrays.copyOf(row, Math.min(cols, 8))));
      }
    }
  }

  static String rowAt(int r, int j) {
    return "[" + r + "][" + j + "]";
  }

  static DD[] nans(int n) {
    DD[] out = new DD[n];
    Arrays.fill(out, DD.of(Double.NaN));
    return out;
  }

  /**
   * The fast mode's absolute bound for log-softmax ({@code entry}) or log-sum-exp, given the row's
   * {@code log(sum exp(x - max))}.
   */
  static double fastLogBound(Batch b, double[] row, double logS, DD exact, boolean entry) {
    int n = row.length;
    double m = MatrixCases.max(row);
    double u = b.isFloat() ? 0x1p-24 : 0x1p-53;
    double common = (n + 3) * u + FastLogitsTest.ulp(b, logS) / 2;
    return entry ? common + FastLogitsTest.ulp(b, m + logS) / 2 + FastLogitsTest.ulp(b, exact.toDouble()) / 2
        : common + FastLogitsTest.ulp(b, exact.toDouble()) / 2;
  }

  // ============================================================================ per-row families

  static void perRow(Family f, boolean isFloat) {
    Report report = new Report(f + " " + (isFloat ? "float32" : "float64"));
    List<Entry> es = entries(f, isFloat);
    for (Case c : MatrixCases.cases(isFloat)) {
      Batch b = c.batch();
      int rows = b.rows();
      long[] first = null;
      for (Entry e : es) {
        Object x = array(b);
        Object out = f == Family.ARGMAX ? new int[rows] : newArray(isFloat, rows);
        int xo = e.offsets() ? 1 + c.index() % 9 : 0, oo = e.offsets() ? 1 + (c.index() * 5) % 9 : 0;
        Object xa = e.offsets() ? embed(x, xo, 3, FILL) : x;
        Object oa = e.offsets() ? embed(out, oo, 4, f == Family.ARGMAX ? INT_FILL : FILL) : out;
        Map<String, Object> a = new HashMap<>();
        a.put("x", xa);
        a.put("xOffset", xo);
        a.put("out", oa);
        a.put("outOffset", oo);
        a.put("rows", rows);
        a.put("cols", b.cols());
        e.invoke(null, a);
        long[] result = bits(oa, oo, rows);
        report.check(Arrays.equals(bits(xa, xo, b.values().length), bits(array(b))),
            () -> e.signature() + " modified its input in " + c);
        if (e.offsets()) {
          report.check(untouchedOutside(oa, oo, rows, f == Family.ARGMAX ? INT_FILL : FILL),
              () -> e.signature() + " wrote outside its rows in " + c);
        }
        if (first == null) {
          first = result;
          report.digest(result);
          checkPerRow(f, report, c, oa, oo);
        } else {
          long[] expected = first;
          report.check(Arrays.equals(expected, result), () -> e.signature() + " differs from the plain form in " + c);
        }
      }
    }
    report.done();
  }

  static void checkPerRow(Family f, Report report, Case c, Object out, int oo) {
    Batch b = c.batch();
    for (int r = 0; r < b.rows(); r++) {
      double[] row = b.row(r);
      double actual = get(out, oo + r);
      int rr = r;
      if (f == Family.ARGMAX) {
        int expected = numpyArgmax(row);
        report.check(actual == expected, () -> "argmax " + actual + ", expected " + expected + " for row " + rr
            + " in " + c);
        continue;
      }
      DD exact = logSumExp(row);
      if (f == Family.FAST_LOG_SUM_EXP && Double.isFinite(MatrixCases.max(row))) {
        double err = FastLogitsTest.overflowError(actual, exact, b);
        double bound = fastLogBound(b, row, Exact.logSumShifted(row).toDouble(), exact, false);
        report.measure("absolute error / bound", err / bound);
        report.check(err <= bound, () -> "fast logSumExp " + actual + " off by " + err + " (bound " + bound
            + ") from " + exact + " for row " + rr + " in " + c);
        continue;
      }
      double err = ulps(b.isFloat(), actual, exact);
      if (coarse(exact)) {
        // a result below the smallest normal: the exact decimal, finer than the double-double
        err = ulps(b.isFloat(), actual, ExactLoss.Value.of(new BigDecimal(MatrixCases.max(row))
            .add(Exact.logSumShiftedExact(row))));
      }
      double measured = err;
      double bound = Double.isFinite(exact.toDouble()) ? Bounds.logSumExp(b, row, exact.toDouble()) : 0;
      report.measure("ulp", measured, () -> actual + " vs " + exact + " for row " + rr + " in " + c);
      report.check(measured <= bound, () -> f + " " + actual + " is " + measured + " ulp (bound " + bound + ") from " + exact
          + " for row " + rr + " in " + c);
    }
  }

  /** log-sum-exp with PyTorch's special values: NaN with a NaN, +inf with +inf, -inf for all -inf. */
  static DD logSumExp(double[] row) {
    boolean nan = false, inf = false, allMinusInf = true;
    for (double v : row) {
      nan |= Double.isNaN(v);
      inf |= v == Double.POSITIVE_INFINITY;
      allMinusInf &= v == Double.NEGATIVE_INFINITY;
    }
    if (nan || inf || allMinusInf) {
      return DD.of(nan ? Double.NaN : inf ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
    }
    return Exact.logSumExp(row);
  }

  /** numpy's argmax: the first NaN, else the first maximum, +0.0 and -0.0 tied. */
  static int numpyArgmax(double[] row) {
    int best = 0;
    for (int j = 0; j < row.length; j++) {
      if (Double.isNaN(row[j])) {
        return j;
      }
      if (row[j] > row[best]) {
        best = j;
      }
    }
    return best;
  }

  // ===================================================================================== top-k

  static void topK(boolean isFloat) {
    Report report = new Report("TOP_K " + (isFloat ? "float32" : "float64"));
    List<Entry> es = entries(Family.TOP_K, isFloat);
    for (Case c : MatrixCases.cases(isFloat)) {
      Batch b = c.batch();
      int rows = b.rows(), cols = b.cols();
      int k = switch (c.index() % 3) {
        case 0 -> 1;
        case 1 -> Math.min(3, cols);
        default -> cols;
      };
      long[] firstIdx = null, firstVal = null;
      for (Entry e : es) {
        int xo = e.offsets() ? 1 + c.index() % 9 : 0, io = e.offsets() ? 2 : 0, vo = e.offsets() ? 5 : 0;
        Object xa = e.offsets() ? embed(array(b), xo, 3, FILL) : array(b);
        Object idx = e.offsets() ? embed(new int[rows * k], io, 3, INT_FILL) : new int[rows * k];
        Object val = e.offsets() ? embed(newArray(isFloat, rows * k), vo, 3, FILL) : newArray(isFloat, rows * k);
        Map<String, Object> a = new HashMap<>();
        a.put("x", xa);
        a.put("xOffset", xo);
        a.put("rows", rows);
        a.put("cols", cols);
        a.put("k", k);
        a.put("indices", idx);
        a.put("indicesOffset", io);
        a.put("values", val);
        a.put("valuesOffset", vo);
        e.invoke(null, a);
        long[] ib = bits(idx, io, rows * k), vb = bits(val, vo, rows * k);
        if (e.offsets()) {
          report.check(untouchedOutside(idx, io, rows * k, INT_FILL) && untouchedOutside(val, vo, rows * k, FILL),
              () -> e.signature() + " wrote outside its rows in " + c);
        }
        if (firstIdx == null) {
          firstIdx = ib;
          report.digest(ib);
          report.digest(vb);
          firstVal = vb;
          for (int r = 0; r < rows; r++) {
            double[] row = b.row(r);
            Integer[] order = IntStream.range(0, cols).boxed().sorted((p, q) -> {
              double u = row[p], v = row[q];
              if (Double.isNaN(u) || Double.isNaN(v)) {
                return Double.isNaN(u) && Double.isNaN(v) ? Integer.compare(p, q) : Double.isNaN(u) ? -1 : 1;
              }
              return u != v ? Double.compare(v, u) : Integer.compare(p, q);  // +0.0 and -0.0 tie
            }).toArray(Integer[]::new);
            for (int i = 0; i < k; i++) {
              int got = (int) get(idx, io + r * k + i);
              int want = order[i];
              double value = get(val, vo + r * k + i);
              int rr = r, ii = i;
              report.check(got == want, () -> "topK index " + got + ", expected " + want + " at row " + rr
                  + " rank " + ii + " in " + c);
              report.check(Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(row[got]),
                  () -> "topK value is not x at its index, row " + rr + " in " + c);
            }
          }
        } else {
          long[] fi = firstIdx, fv = firstVal;
          report.check(Arrays.equals(fi, ib) && Arrays.equals(fv, vb),
              () -> e.signature() + " differs from the plain form in " + c);
        }
      }
    }
    report.done();
  }

  // ============================================================================== cross-entropy

  static final MathContext MC = new MathContext(60);

  /** A loss configuration of the cycle, built by invoking the configuration methods. */
  static Object configure(String start, boolean isFloat, List<Object[]> calls) {
    Object config = invokeConfig(start, null, null);
    for (Object[] call : calls) {
      config = invokeConfig((String) call[0], config, call[1]);
    }
    return config;
  }

  /** Invokes a configuration method by name, picking the overload whose one parameter fits {@code arg}. */
  static Object invokeConfig(String name, Object target, Object arg) {
    for (Entry e : entries(Family.CONFIGURATION, null)) {
      Method m = e.method();
      if (!m.getName().equals(name) || (target != null && m.getDeclaringClass() != target.getClass())) {
        continue;
      }
      Class<?>[] p = m.getParameterTypes();
      boolean fits = arg == null ? p.length == 0 : p.length == 1 && (p[0].isInstance(arg)
          || (p[0] == int.class && arg instanceof Integer) || (p[0] == double.class && arg instanceof Double));
      if (fits) {
        CONFIG_USED.put(e.signature(), true);
        try {
          return m.invoke(target, arg == null ? new Object[0] : new Object[] {arg});
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    throw new AssertionError("no configuration method " + name + "(" + arg + ")");
  }

  /** The options a case runs with: cycled over the cases so each combination meets every regime. */
  record LossOptions(String weights, double smoothing, int ignore, String targets) {
    @Override
    public String toString() {
      return "weights " + weights + ", smoothing " + smoothing + (ignore != 0 ? ", ignoreIndex " + ignore : "")
          + (targets != null ? ", targets " + targets : "");
    }
  }

  static final String[] WEIGHTS = {"none", "random", "tiny", "with zeros"};
  static final double[] SMOOTHING = {0, 0.1, 0.5};
  static final int[] IGNORE = {0, -100, -7};
  static final String[] TARGETS = {"one-hot", "uniform", "random", "tiny", "zero where masked"};

  static double[] weights(String kind, int cols, SplittableRandom rnd, boolean isFloat) {
    if (kind.equals("none")) {
      return null;
    }
    double[] w = new double[cols];
    for (int c = 0; c < cols; c++) {
      w[c] = switch (kind) {
        case "random" -> 0.25 + 1.75 * rnd.nextDouble();
        // tiny weights bring a loss that overflows near the top of the range back into it
        case "tiny" -> Math.scalb(1 + rnd.nextDouble(), -10 - rnd.nextInt(20));
        default -> rnd.nextInt(3) == 0 ? 0 : 0.5 + rnd.nextDouble();
      };
      if (isFloat) {
        w[c] = (float) w[c];
      }
    }
    return w;
  }

  static void crossEntropy(boolean sparse, boolean isFloat) {
    String dtype = isFloat ? "float32" : "float64";
    Report report = new Report((sparse ? "sparse" : "dense") + " cross-entropy " + dtype);
    Family lossF = sparse ? Family.SPARSE_LOSS : Family.DENSE_LOSS;
    Family gradF = sparse ? Family.SPARSE_LOSS_AND_GRADIENT : Family.DENSE_LOSS_AND_GRADIENT;
    Family rowsF = sparse ? Family.SPARSE_ROW_LOSSES : Family.DENSE_ROW_LOSSES;
    List<Entry> lossEs = entries(lossF, isFloat), gradEs = entries(gradF, isFloat), rowEs = entries(rowsF, isFloat);
    for (Case c : MatrixCases.cases(isFloat)) {
      Batch b = c.batch();
      int rows = b.rows(), cols = b.cols(), n = rows * cols;
      SplittableRandom rnd = new SplittableRandom(c.seed() * 31 + 5);
      int i = c.index();
      LossOptions o = new LossOptions(WEIGHTS[i % WEIGHTS.length], SMOOTHING[(i / 4) % SMOOTHING.length],
          sparse ? IGNORE[(i / 2) % IGNORE.length] : 0, sparse ? null : TARGETS[(i / 3) % TARGETS.length]);
      double[] w = weights(o.weights(), cols, rnd, isFloat);
      // labels, or target rows
      int[] labels = new int[rows];
      double[] targets = new double[n];
      for (int r = 0; r < rows; r++) {
        labels[r] = rnd.nextInt(cols);
        double[] t = targetRow(o.targets(), b.row(r), labels[r], rnd, isFloat);
        System.arraycopy(t, 0, targets, r * cols, cols);
      }
      if (sparse && o.ignore() != 0) {
        labels[rnd.nextInt(rows)] = o.ignore();
      }
      // the exact row losses, their weights, and the exact gradient factors
      ExactLoss.Value[] rowExact = new ExactLoss.Value[rows];
      BigDecimal[][] rowWeights = new BigDecimal[rows][];
      BigDecimal denominator = BigDecimal.ZERO;
      for (int r = 0; r < rows; r++) {
        boolean ignored = sparse && labels[r] == (o.ignore() == 0 ? -100 : o.ignore());
        if (ignored) {
          rowExact[r] = ExactLoss.Value.of(BigDecimal.ZERO);
          continue;
        }
        rowWeights[r] = sparse ? ExactLoss.sparseWeights(cols, labels[r], w, o.smoothing())
            : ExactLoss.denseWeights(Arrays.copyOfRange(targets, r * cols, (r + 1) * cols), w, o.smoothing());
        rowExact[r] = ExactLoss.crossEntropy(b.row(r), rowWeights[r]);
        denominator = denominator.add(sparse ? (w == null ? BigDecimal.ONE : new BigDecimal(w[labels[r]]))
            : BigDecimal.ONE);
      }
      // the exact gradient of each row at scale 1; each reduction scales it
      BigDecimal[][] gradExact = new BigDecimal[rows][];
      double[][] gradMagnitude = new double[rows][];
      double[] gradFactor = new double[rows];
      for (int r = 0; r < rows; r++) {
        if (rowWeights[r] != null) {
          gradMagnitude[r] = new double[cols];
          double[] factor = new double[1];
          gradExact[r] = ExactLoss.crossEntropyGradient(b.row(r), rowWeights[r], gradMagnitude[r], factor);
          gradFactor[r] = factor[0];
        }
      }
      Object x = array(b);
      Object ys = sparse ? labels : arrayOf(isFloat, targets);
      for (Reduction reduction : Reduction.values()) {
        List<Object[]> calls = new ArrayList<>();
        if (sparse && o.ignore() != 0 && o.ignore() != -100) {
          calls.add(new Object[] {"ignoreIndex", o.ignore()});
        }
        if (w != null) {
          calls.add(new Object[] {"classWeights", arrayOf(isFloat, w)});
        }
        if (o.smoothing() != 0 || reduction == Reduction.SUM) {
          calls.add(new Object[] {"labelSmoothing", o.smoothing()});
        }
        calls.add(new Object[] {"reduction", reduction});
        Object config = configure(sparse ? "sparse" : "dense", isFloat, calls);
        String what = c + ", " + o + ", " + reduction;
        // the exact reduced loss
        ExactLoss.Value total = ExactLoss.Value.of(BigDecimal.ZERO);
        for (ExactLoss.Value v : rowExact) {
          total = total.plus(v);
        }
        BigDecimal divisor = reduction == Reduction.MEAN ? (sparse ? denominator : BigDecimal.valueOf(rows))
            : BigDecimal.ONE;
        DD exactReduced = total.dividedBy(divisor).toDD();
        // MEAN over a total weight of zero: the loss is 0/0 or l/0, the gradient of every row that counts NaN
        boolean undefined = divisor.signum() == 0;
        BigDecimal scale = reduction == Reduction.MEAN && !undefined ? BigDecimal.ONE.divide(divisor, MC) : BigDecimal.ONE;
        // loss, all forms
        Double loss = null;
        for (Entry e : lossEs) {
          Map<String, Object> a = lossArgs(e, b, x, ys, sparse, c);
          double l = (Double) e.invoke(config, a);
          if (loss == null) {
            loss = l;
            report.digest(l);
            double err = reducedUlps(isFloat, l, exactReduced);
            double bound = Bounds.reducedLoss(b);
            report.measure("reduced loss, ulp", err);
            report.check(err <= bound, () -> "loss " + l + " is " + err + " ulp (bound " + bound + ") from "
                + exactReduced + " in " + what);
          } else {
            double first = loss;
            report.check(Double.doubleToLongBits(first) == Double.doubleToLongBits(l),
                () -> e.signature() + " gives " + l + ", the plain form " + first + " in " + what);
          }
          checkInputs(report, e, a, x, ys, c);
        }
        // lossAndGradient, all forms
        long[] gradFirst = null;
        for (Entry e : gradEs) {
          Map<String, Object> a = lossArgs(e, b, x, ys, sparse, c);
          int go = e.offsets() ? 1 + (i * 3) % 9 : 0;
          Object grad = embed(newArray(isFloat, n), go, 2, FILL);
          if (!e.offsets()) {
            grad = newArray(isFloat, n);
          }
          a.put("grad", grad);
          a.put("gradOffset", go);
          double l = (Double) e.invoke(config, a);
          double first = loss;
          report.check(Double.doubleToLongBits(first) == Double.doubleToLongBits(l),
              () -> e.signature() + " returns " + l + ", loss() " + first + " in " + what);
          if (e.offsets()) {
            Object g = grad;
            report.check(untouchedOutside(g, go, n, FILL), () -> e.signature() + " wrote outside its rows in " + what);
          }
          long[] gb = bits(grad, go, n);
          if (gradFirst == null) {
            gradFirst = gb;
            report.digest(gb);
            checkGradient(report, b, gradExact, gradMagnitude, gradFactor, scale, undefined, grad, go, what);
          } else {
            long[] g0 = gradFirst;
            report.check(Arrays.equals(g0, gb), () -> e.signature() + " differs from the plain form in " + what);
          }
          checkInputs(report, e, a, x, ys, c);
        }
        if (reduction != Reduction.NONE) {
          continue;  // row losses do not depend on the reduction
        }
        long[] rowsFirst = null;
        for (Entry e : rowEs) {
          Map<String, Object> a = lossArgs(e, b, x, ys, sparse, c);
          int oo = e.offsets() ? 1 + (i * 5) % 9 : 0;
          Object out = e.offsets() ? embed(newArray(isFloat, rows), oo, 2, FILL) : newArray(isFloat, rows);
          a.put("out", out);
          a.put("outOffset", oo);
          e.invoke(config, a);
          if (e.offsets()) {
            report.check(untouchedOutside(out, oo, rows, FILL), () -> e.signature() + " wrote outside its rows in " + what);
          }
          long[] ob = bits(out, oo, rows);
          if (rowsFirst == null) {
            rowsFirst = ob;
            report.digest(ob);
            for (int r = 0; r < rows; r++) {
              DD exact = rowExact[r].toDD();
              double actual = get(out, oo + r);
              double err = ulps(isFloat, actual, rowExact[r]);
              double bound = Bounds.rowLoss(b, b.row(r));
              report.measure("row loss, ulp", err);
              int rr = r;
              report.check(err <= bound, () -> "row loss " + actual + " is " + err + " ulp (bound " + bound + ") from "
                  + exact + " at row " + rr + " in " + what + ", row "
                  + Arrays.toString(Arrays.copyOf(b.row(rr), Math.min(cols, 8))));
            }
          } else {
            long[] r0 = rowsFirst;
            report.check(Arrays.equals(r0, ob), () -> e.signature() + " differs from the plain form in " + what);
          }
          checkInputs(report, e, a, x, ys, c);
        }
      }
    }
    report.done();
  }

  /** Arguments of a loss call; the offset forms get the batch embedded in longer arrays. */
  static Map<String, Object> lossArgs(Entry e, Batch b, Object x, Object ys, boolean sparse, Case c) {
    Map<String, Object> a = new HashMap<>();
    int off = e.offsets() ? 1 + c.index() % 9 : 0, yo = e.offsets() ? 1 + (c.index() * 7) % 9 : 0;
    a.put("logits", e.offsets() ? embed(x, off, 3, FILL) : x);
    a.put("offset", off);
    a.put("rows", b.rows());
    a.put("cols", b.cols());
    Object y = e.offsets() ? embed(ys, yo, 2, ys instanceof int[] ? INT_FILL : FILL) : ys;
    a.put(sparse ? "labels" : "targets", y);
    a.put(sparse ? "labelsOffset" : "targetsOffset", yo);
    return a;
  }

  /** The call left its logits and labels or targets as they were. */
  static void checkInputs(Report report, Entry e, Map<String, Object> a, Object x, Object ys, Case c) {
    int off = (Integer) a.getOrDefault("offset", 0);
    Object logits = a.get("logits");
    report.check(Arrays.equals(bits(logits, off, length(x)), bits(x)), () -> e.signature() + " modified its logits in " + c);
    Object y = a.containsKey("labels") ? a.get("labels") : a.get("targets");
    int yo = (Integer) (a.containsKey("labelsOffset") ? a.get("labelsOffset") : a.get("targetsOffset"));
    report.check(Arrays.equals(bits(y, yo, length(ys)), bits(ys)), () -> e.signature() + " modified its labels or targets in " + c);
  }

  /** A row of target probabilities of the given kind; zero where the logit is -inf for the last kind. */
  static double[] targetRow(String kind, double[] row, int label, SplittableRandom rnd, boolean isFloat) {
    int cols = row.length;
    double[] t = new double[cols];
    if (kind == null) {
      return t;
    }
    switch (kind) {
      case "one-hot" -> t[label] = 1;
      case "uniform" -> Arrays.fill(t, 1.0 / cols);
      case "tiny" -> {
        // a small probability on every class: weighs a loss near the top of the range back into it
        Arrays.fill(t, Math.scalb(1.0, -12) / cols);
        t[label] = 1 - Math.scalb(1.0, -12) * (cols - 1) / cols;
      }
      default -> {
        double sum = 0;
        for (int c = 0; c < cols; c++) {
          t[c] = kind.equals("zero where masked") && row[c] == Double.NEGATIVE_INFINITY ? 0 : rnd.nextDouble();
          sum += t[c];
        }
        for (int c = 0; c < cols; c++) {
          t[c] = sum == 0 ? 0 : t[c] / sum;
        }
      }
    }
    if (isFloat) {
      for (int c = 0; c < cols; c++) {
        t[c] = (float) t[c];
      }
    }
    return t;
  }

  static void checkGradient(Report report, Batch b, BigDecimal[][] gradExact, double[][] gradMagnitude,
      double[] gradFactor, BigDecimal scale, boolean undefined, Object grad, int go, String what) {
    int cols = b.cols();
    double u = b.isFloat() ? 0x1p-24 : 0x1p-53;
    double tiny = b.isFloat() ? 0x1p-149 : Double.MIN_VALUE;
    double s = scale.doubleValue();
    for (int r = 0; r < b.rows(); r++) {
      if (gradMagnitude[r] == null) {
        for (int j = 0; j < cols; j++) {
          double g = get(grad, go + r * cols + j);
          int rr = r;
          report.check(Double.doubleToRawLongBits(g) == 0, () -> "ignored row " + rr + " has gradient " + g + " in " + what);
        }
        continue;
      }
      for (int j = 0; j < cols; j++) {
        double g = get(grad, go + r * cols + j);
        BigDecimal ex = undefined || gradExact[r] == null ? null : gradExact[r][j].multiply(scale, MC);
        double magnitude = gradMagnitude[r][j] * s;
        double allowed = Bounds.gradient(b, b.row(r)) * u * magnitude
            + Bounds.gradientSubnormal(gradFactor[r] * s) * tiny;
        double err = ex == null ? (Double.isNaN(g) ? 0 : Double.POSITIVE_INFINITY)
            : !Double.isFinite(g) ? Double.POSITIVE_INFINITY : new BigDecimal(g).subtract(ex).abs().doubleValue();
        double absolutePart = Bounds.gradientSubnormal(gradFactor[r] * s) * tiny;
        if (u * magnitude > 1e6 * absolutePart) {
          report.measure("gradient, error / (u * |terms|)", err / (u * magnitude));
        }
        int rr = r, jj = j;
        report.check(err <= allowed, () -> "gradient " + g + " off by " + err + " (allowed " + allowed + ") from "
            + (ex == null ? "NaN" : ex.doubleValue()) + " at " + rowAt(rr, jj) + " in " + what);
      }
    }
  }

  // ===================================================================================== BCE

  static void bce(boolean isFloat) {
    String dtype = isFloat ? "float32" : "float64";
    Report report = new Report("BCE with logits " + dtype);
    List<Entry> lossEs = entries(Family.BCE_LOSS, isFloat), gradEs = entries(Family.BCE_LOSS_AND_GRADIENT, isFloat),
        elemEs = entries(Family.BCE_ELEMENT_LOSSES, isFloat);
    String[] pwKinds = {"none", "random", "tiny", "large"};
    String[] wKinds = {"none", "random", "tiny"};
    for (Case c : MatrixCases.cases(isFloat)) {
      Batch b = c.batch();
      int rows = b.rows(), cols = b.cols(), n = rows * cols;
      SplittableRandom rnd = new SplittableRandom(c.seed() * 17 + 3);
      int i = c.index();
      String pwKind = pwKinds[i % pwKinds.length], wKind = wKinds[(i / 4) % wKinds.length];
      boolean fractional = (i / 2) % 2 == 1;
      double[] z = new double[n], pw = null, w = null;
      for (int k = 0; k < n; k++) {
        z[k] = fractional ? rnd.nextInt(5) * 0.25 : rnd.nextInt(2);
      }
      if (!pwKind.equals("none")) {
        pw = new double[cols];
        for (int k = 0; k < cols; k++) {
          pw[k] = switch (pwKind) {
            case "random" -> 0.1 + 3.9 * rnd.nextDouble();
            case "tiny" -> Math.scalb(1 + rnd.nextDouble(), -12 - rnd.nextInt(isFloat ? 60 : 200));
            default -> 2 + rnd.nextInt(6);
          };
          pw[k] = isFloat ? (float) pw[k] : pw[k];
        }
      }
      if (!wKind.equals("none")) {
        w = new double[n];
        for (int k = 0; k < n; k++) {
          w[k] = wKind.equals("random") ? 0.25 + 1.75 * rnd.nextDouble() : Math.scalb(1 + rnd.nextDouble(), -12 - rnd.nextInt(12));
          w[k] = isFloat ? (float) w[k] : w[k];
        }
      }
      ExactLoss.Value[] elemExact = new ExactLoss.Value[n];
      ExactLoss.Value total = ExactLoss.Value.of(BigDecimal.ZERO);
      for (int k = 0; k < n; k++) {
        elemExact[k] = ExactLoss.bce(b.values()[k], z[k], pw == null ? 1 : pw[k % cols], w == null ? 1 : w[k]);
        total = total.plus(elemExact[k]);
      }
      Object x = array(b), zs = arrayOf(isFloat, z);
      for (Reduction reduction : Reduction.values()) {
        List<Object[]> calls = new ArrayList<>();
        if (pw != null) {
          calls.add(new Object[] {"posWeight", arrayOf(isFloat, pw)});
        }
        if (w != null) {
          calls.add(new Object[] {"weights", arrayOf(isFloat, w)});
        }
        calls.add(new Object[] {"reduction", reduction});
        Object config = configure("withLogits", isFloat, calls);
        String what = c + ", posWeight " + pwKind + ", weights " + wKind + (fractional ? ", fractional targets" : "")
            + ", " + reduction;
        DD exactReduced = total.dividedBy(reduction == Reduction.MEAN ? BigDecimal.valueOf(n) : BigDecimal.ONE).toDD();
        double scale = reduction == Reduction.MEAN ? 1.0 / n : 1;
        Double loss = null;
        for (Entry e : lossEs) {
          Map<String, Object> a = bceArgs(e, b, x, zs, c);
          double l = (Double) e.invoke(config, a);
          if (loss == null) {
            loss = l;
            report.digest(l);
            double err = reducedUlps(isFloat, l, exactReduced);
            double bound = Bounds.reducedBce(b, n);
            report.measure("reduced loss, ulp", err);
            report.check(err <= bound, () -> "loss " + l + " is " + err + " ulp (bound " + bound + ") from "
                + exactReduced + " in " + what);
          } else {
            double first = loss;
            report.check(Double.doubleToLongBits(first) == Double.doubleToLongBits(l),
                () -> e.signature() + " gives " + l + ", the plain form " + first + " in " + what);
          }
        }
        long[] gradFirst = null;
        for (Entry e : gradEs) {
          Map<String, Object> a = bceArgs(e, b, x, zs, c);
          int go = e.offsets() ? 1 + (i * 3) % 9 : 0;
          Object grad = e.offsets() ? embed(newArray(isFloat, n), go, 2, FILL) : newArray(isFloat, n);
          a.put("grad", grad);
          a.put("gradOffset", go);
          double l = (Double) e.invoke(config, a);
          double first = loss;
          report.check(Double.doubleToLongBits(first) == Double.doubleToLongBits(l),
              () -> e.signature() + " returns " + l + ", loss() " + first + " in " + what);
          if (e.offsets()) {
            report.check(untouchedOutside(grad, go, n, FILL), () -> e.signature() + " wrote outside its rows in " + what);
          }
          long[] gb = bits(grad, go, n);
          if (gradFirst == null) {
            gradFirst = gb;
            report.digest(gb);
            double u = isFloat ? 0x1p-24 : 0x1p-53;
            for (int k = 0; k < n; k++) {
              double[] magnitude = new double[2];
              DD ex = ExactLoss.bceGradient(b.values()[k], z[k], pw == null ? 1 : pw[k % cols], w == null ? 1 : w[k],
                  scale, magnitude);
              double g = get(grad, go + k);
              double err = Double.isNaN(ex.toDouble()) ? (Double.isNaN(g) ? 0 : Double.POSITIVE_INFINITY)
                  : Math.abs(DD.of(g).sub(ex).toDouble());
              double allowed = Bounds.bceGradient(b) * u * magnitude[0]
                  + Bounds.gradientSubnormal(magnitude[1]) * (isFloat ? 0x1p-149 : Double.MIN_VALUE);
              if (u * magnitude[0] > 1e6 * Bounds.gradientSubnormal(magnitude[1]) * (isFloat ? 0x1p-149 : Double.MIN_VALUE)) {
                report.measure("gradient, error / (u * |terms|)", err / (u * magnitude[0]));
              }
              int kk = k;
              report.check(err <= allowed, () -> "BCE gradient " + g + " off by " + err + " (allowed " + allowed
                  + ") from " + ex + " at " + kk + " (x=" + b.values()[kk] + ", z=" + z[kk] + ") in " + what);
            }
          } else {
            long[] g0 = gradFirst;
            report.check(Arrays.equals(g0, gb), () -> e.signature() + " differs from the plain form in " + what);
          }
        }
        if (reduction != Reduction.NONE) {
          continue;
        }
        long[] first = null;
        for (Entry e : elemEs) {
          Map<String, Object> a = bceArgs(e, b, x, zs, c);
          int oo = e.offsets() ? 1 + (i * 5) % 9 : 0;
          Object out = e.offsets() ? embed(newArray(isFloat, n), oo, 2, FILL) : newArray(isFloat, n);
          a.put("out", out);
          a.put("outOffset", oo);
          e.invoke(config, a);
          if (e.offsets()) {
            report.check(untouchedOutside(out, oo, n, FILL), () -> e.signature() + " wrote outside its rows in " + what);
          }
          long[] ob = bits(out, oo, n);
          if (first == null) {
            first = ob;
            report.digest(ob);
            for (int k = 0; k < n; k++) {
              DD exact = elemExact[k].toDD();
              double actual = get(out, oo + k);
              double err = ulps(isFloat, actual, elemExact[k]);
              double bound = Bounds.bceElement(b, b.values()[k], z[k], exact);
              report.measure("element loss, ulp", err);
              int kk = k;
              report.check(err <= bound, () -> "element loss " + actual + " is " + err + " ulp (bound " + bound
                  + ") from " + exact + " at " + kk + " (x=" + b.values()[kk] + ", z=" + z[kk] + ") in " + what);
            }
          } else {
            long[] f0 = first;
            report.check(Arrays.equals(f0, ob), () -> e.signature() + " differs from the plain form in " + what);
          }
        }
      }
    }
    report.done();
  }

  static Map<String, Object> bceArgs(Entry e, Batch b, Object x, Object z, Case c) {
    Map<String, Object> a = new LinkedHashMap<>();
    int off = e.offsets() ? 1 + c.index() % 9 : 0, zo = e.offsets() ? 1 + (c.index() * 7) % 9 : 0;
    a.put("logits", e.offsets() ? embed(x, off, 3, FILL) : x);
    a.put("offset", off);
    a.put("rows", b.rows());
    a.put("cols", b.cols());
    a.put("targets", e.offsets() ? embed(z, zo, 2, FILL) : z);
    a.put("targetsOffset", zo);
    return a;
  }
}
