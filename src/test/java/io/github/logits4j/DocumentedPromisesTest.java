package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.gen.Regime;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the README and the javadoc promise is what the tests check.
 * <ul>
 *   <li>Every sentence of the README's Semantics and Accuracy sections is registered here with the tests
 *       that check it, and those tests exist: a new sentence without a test fails.</li>
 *   <li>The bounds in the README's accuracy table are the ones {@link Bounds} holds the kernels to.</li>
 *   <li>Every public computing method's javadoc states its bound, or refers to one that does, and every
 *       bound a javadoc states is the one {@link Bounds} holds for that operation.</li>
 * </ul>
 */
class DocumentedPromisesTest {
  static final Path README = Path.of("README.md");
  static final Path SOURCES = Path.of("target", "generated-sources", "spp", "io", "github", "logits4j");

  /** A phrase of each promise sentence, and the tests that check it ({@code Class#method}). */
  static final Map<String, List<String>> PROMISES = new LinkedHashMap<>();

  static void promise(String phrase, String... tests) {
    PROMISES.put(phrase, List.of(tests));
  }

  static {
    // Enabling the Vector API
    promise("The kernels need the incubating module", "ModulePathTest#modulePathWithTheVectorModuleRunsTheVectorKernels",
        "ModulePathTest#modulePathWithoutTheVectorModuleFallsBackWithOneWarning");
    promise("Start your application with", "ModulePathTest#classPathWithTheVectorModuleRunsTheVectorKernels");
    promise("(for Maven Surefire, add it to `argLine`", "ImplementationTest#runsTheExpectedKernels");
    promise("It works on the module path and on the class path alike",
        "ModulePathTest#modulePathWithTheVectorModuleRunsTheVectorKernels",
        "ModulePathTest#classPathWithTheVectorModuleRunsTheVectorKernels", "ModulePathTest#modulePathClosesTheInternalPackages");
    promise("Without the module logits4j still works", "ModulePathTest#modulePathWithoutTheVectorModuleFallsBackWithOneWarning",
        "ModulePathTest#classPathWithoutTheVectorModuleFallsBackWithOneWarning");
    promise("The same happens where the vector kernels would not pay", "ModulePathTest#withoutC2TheScalarKernelsRun",
        "ModulePathTest#narrowVectorsRunTheScalarKernels");
    promise("`Logits.implementation()` says which kernels run", "ImplementationTest#runsTheExpectedKernels",
        "EntryPointMatrixTest#implementationIsTheExpectedOne");
    promise("Two system properties serve testing and tuning", "ModulePathTest#vectorBitsNarrowsTheWidth",
        "ModulePathTest#scalarPropertyForcesTheScalarKernels");
    // Threads, native memory and cold start
    promise("**All cores.** A batch of at least", "ParallelismTest#aBatchAtTheThresholdIsSplitAndASmallerOneIsNot",
        "ParallelismTest#theScopeHoldsForItsCallsOnly");
    promise("The calling thread always takes part", "ParallelismTest#theCallingThreadRunsWhatAnExecutorRejects");
    promise("Every operation splits, on arrays, segments and buffers alike",
        "ParallelismTest#everyOpIsBitIdenticalAtAnyNumberOfParts", "MemoryTest#segmentsConfinedToOneThreadRunOnIt");
    promise("Choose otherwise for a scope", "ParallelismTest#theScopeHoldsForItsCallsOnly");
    promise("or for the whole JVM with `-Dlogits4j.parallelism=single`",
        "ParallelismTest#thePropertySingleKeepsCallsOnTheirThread");
    promise("**The bits do not depend on the split**", "ParallelismTest#everyOpIsBitIdenticalAtAnyNumberOfParts",
        "MemoryTest#sparseCrossEntropyOverSegmentsAndBuffersGivesTheArrayBits");
    promise("Segments confined to one thread", "MemoryTest#segmentsConfinedToOneThreadRunOnIt");
    promise("A call below the threshold allocates nothing;",
        "ParallelismTest#callsBelowTheThresholdAllocateNothing");
    promise("**Native memory.**", "MemoryTest#segmentsGiveTheArrayBits", "MemoryTest#buffersGiveTheArrayBits",
        "MemoryTest#doubleSegmentsAndOffsetsGiveTheArrayBits",
        "MemoryTest#sparseCrossEntropyOverSegmentsAndBuffersGivesTheArrayBits");
    promise("They give the same bits as the array forms", "MemoryTest#segmentsGiveTheArrayBits",
        "MemoryTest#sparseCrossEntropyOverSegmentsAndBuffersGivesTheArrayBits");
    promise("Segment offsets (in elements) and row counts are `long`", "LargeSegmentTest#aMatrixBeyondTwoToThe31Elements",
        "MemoryTest#doubleSegmentsAndOffsetsGiveTheArrayBits");
    promise("A buffer is read from its position to its limit", "MemoryTest#buffersGiveTheArrayBits",
        "MemoryTest#doubleSegmentsAndOffsetsGiveTheArrayBits");
    promise("A segment that is too small", "MemoryTest#badSegmentsThrowBeforeAnythingIsWritten",
        "MemoryTest#anOutputOverlappingAReadOnlyViewOfTheInputThrows", "MemoryTest#lossOutputsOverlappingTheLogitsThrow");
    promise("Narrow float32 argmax has since become faster on arrays",
        "ArgmaxSegmentsTest#theKernelsRunWideRowsInTheSegments");
    promise("A heap segment or buffer over a writable", "MemoryTest#segmentsGiveTheArrayBits",
        "MemoryTest#buffersGiveTheArrayBits");
    promise("In other memory, float32 softmax, log-softmax and log-sum-exp of rows of 16 entries or more",
        "LogSumExpFromFloatsTest#segmentRowsGiveTheRowPathsBits",
        "SoftmaxF32SegmentsTest#theKernelsRunWideRowsInTheSegments", "SoftmaxF32SegmentsTest#segmentsGiveTheArrayBits",
        "LogSoftmaxF32SegmentsTest#theKernelsRunWideRowsInTheSegments", "LogSoftmaxF32SegmentsTest#segmentsGiveTheArrayBits",
        "CrossEntropyF32SegmentsTest#theKernelsRunRowsInTheSegments", "CrossEntropyF32SegmentsTest#segmentsGiveTheArrayBits",
        "MemoryTest#wideSegmentRowsRunInTheSegments",
        "ArgmaxSegmentsTest#theKernelsRunWideRowsInTheSegments", "ArgmaxSegmentsTest#segmentsGiveTheArrayIndices",
        "MemoryTest#segmentLossesSumEveryBlockOfTheirOwnRows", "MemoryTest#segmentsGiveTheArrayBits");
    promise("ONNX Runtime writes its output into a direct buffer", "MemoryTest#anOrtStyleOutputBufferIsScoredWithoutACopy");
    promise("(`MemoryTest.anOrtStyleOutputBufferIsScoredWithoutACopy`", "MemoryTest#anOrtStyleOutputBufferIsScoredWithoutACopy");
    promise("**A cold JVM.**", "WarmUpTest#warmUpEndsAndChangesNoBits");
    promise("`Logits.warmUp()` waits for that thread", "WarmUpTest#warmUpEndsAndChangesNoBits");
    promise("**Float softmax starts on a scalar twin.**", "ModulePathTest#aColdJvmRunsTheTwinWithTheVectorKernelsBits");
    promise("While the twin runs, a call keeps to its calling thread", "ModulePathTest#aColdJvmRunsTheTwinWithTheVectorKernelsBits");
    promise("The check that C2 is on reads the VM's options", "ModulePathTest#withoutC2TheScalarKernelsRun");
    promise("Once the twin has run 2^22 entries", "ModulePathTest#aColdJvmRunsTheTwinWithTheVectorKernelsBits",
        "WarmUpTest#warmUpEndsAndChangesNoBits");
    promise("Which code runs changes no bit", "SoftmaxF32TwinTest", "ModulePathTest#aColdJvmRunsTheTwinWithTheVectorKernelsBits");
    promise("The twin creates no vector species", "ModulePathTest#aColdJvmsFirstSoftmaxCallsCreateNoVectorSpecies",
        "SoftmaxF32TwinTest");
    promise("`-Dlogits4j.coldStart=vector` runs the vector kernel", "ModulePathTest#aColdJvmRunsTheTwinWithTheVectorKernelsBits");
    promise("A JDK 25 AOT cache", "WarmUpTest#warmUpEndsAndChangesNoBits");
    promise("Figures and harness:", "WarmUpTest#warmUpEndsAndChangesNoBits");
    // Semantics
    promise("Special values follow PyTorch", "SpecialValuesTest#nanOrPlusInfGivesNanRows",
        "SpecialValuesTest#allMinusInfinity", "SpecialValuesTest#logSumExpSpecials", "EntryPointMatrixTest#matrix");
    promise("In a row whose maximum is finite, -inf entries get", "SpecialValuesTest#maskedEntries",
        "EntryPointMatrixTest#matrix");
    promise("The whole finite range", "EntryPointMatrixTest#matrix", "SpecialValuesTest#extremeLogits",
        "DoubleRangeExamplesTest#logSoftmaxNextToTheLargestDouble");
    promise("A result beyond the range of its type", "EntryPointMatrixTest#matrix",
        "LossPropertiesTest#doubleLossesBeyondTheRangeAreInfinite",
        "DoubleRangeExamplesTest#bceWithPosWeightBeyondTheRange");
    promise("A loss whose raw terms overflow", "EntryPointMatrixTest#matrix",
        "DoubleRangeExamplesTest#smoothedLossNearTheTopOfTheRange",
        "DoubleRangeExamplesTest#weightedLossNearTheTopOfTheRange",
        "DoubleRangeExamplesTest#denseTargetNearTheTopOfTheRange",
        "DoubleRangeExamplesTest#meanOfRowLossesWhoseSumOverflows",
        "DoubleRangeExamplesTest#meanWithARowLossBeyondTheRange");
    promise("The same bits in every form", "EntryPointMatrixTest#matrix", "InPlaceAndOffsetsTest#inPlaceEqualsOutOfPlace",
        "InPlaceAndOffsetsTest#offsetsSelectTheSameRows", "DoubleRangeExamplesTest#inPlaceSoftmaxOfDoubles");
    promise("`lossAndGradient` returns the bits `loss` returns", "EntryPointMatrixTest#matrix");
    // the matrix's "the same bits at every vector width" compares the stored hashes of the three widths
    promise("**The same bits at every vector width.**", "EntryPointMatrixTest#matrix",
        "LogisticF32TwinTest#theTailIsTheLanes", "LogicalWidthSumsTest#floatPassesSumAtTheLogicalWidth",
        "LogicalWidthSumsTest#wideRowsAndBoundaries", "BceInfiniteLogitTest#floatInfiniteLogitChangesOnlyItsElement",
        "BceInfiniteLogitTest#doubleInfiniteLogitChangesOnlyItsElement");
    promise("The scalar code that runs without the Vector API may differ", "EntryPointMatrixTest#matrix");
    promise("**argmax** gives ties", "SpecialValuesTest#argmaxTiesNanAndZeros",
        "ArgmaxTopKPropertiesTest#argmaxIsTheFirstOfTheRanking", "EntryPointMatrixTest#matrix");
    promise("**topK** returns values", "ArgmaxTopKPropertiesTest#topKIsThePrefixOfTheRanking",
        "EntryPointMatrixTest#matrix");
    promise("**Losses follow PyTorch**", "LossExamplesTest#ignoredRowsGetZeroGradientWhateverTheyHold",
        "LossExamplesTest#denseZeroTargetOnMinusInfinityContributesNothing", "LossExamplesTest#bceAtInfiniteLogits",
        "LossExamplesTest#sigmoidKeepsSubnormals", "EntryPointMatrixTest#matrix");
    promise("With `Reduction.MEAN` over a total weight of zero", "LossExamplesTest#everyRowIgnoredMeanIsNaN",
        "LossExamplesTest#zeroTotalWeightGivesNaNGradients", "EntryPointMatrixTest#matrix");
    promise("**Bad arguments** throw", "BadArgumentsTest#shapes", "BadArgumentsTest#nulls",
        "BadArgumentsTest#eitherValidOrRejectedWithoutWriting", "LossExamplesTest#lossBadInputLeavesOutputsUntouched");
    // Accuracy
    promise("Errors are raw", "EntryPointMatrixTest#matrix");
    promise("Outputs below the smallest normal are measured in absolute subnormal ulps", "EntryPointMatrixTest#matrix");
    promise("The tests assert every bound below against exact oracles", "EntryPointMatrixTest#matrix",
        "DDTest#divisionNearTheTopOfTheRange", "DocumentedPromisesTest#accuracyTableStatesTheTestedBounds");
    promise("`EntryPointMatrixTest` runs every public method", "EntryPointMatrixTest#everyPublicMethodHasAnEntry",
        "EntryPointMatrixTest#matrix", "DocumentedPromisesTest#theMatrixIsWhatTheReadmeSays",
        "LongRowTest#longRowsStayWithinBound");
    promise("The measured column is the largest error", "EntryPointMatrixTest#matrix",
        "PyTorchComparisonTest", "ReducedLossTest#sparseCrossEntropyOverTenMillionRows",
        "ReducedLossTest#bceWithLogitsOverTenMillionElements");
    promise("A gradient entry is `scale (A p_j - B_j)`", "EntryPointMatrixTest#matrix",
        "LossPropertiesTest#gradientMatchesFiniteDifference");
    promise("The PyTorch column is PyTorch's own output", "PyTorchComparisonTest");
    promise("PyTorch's float64 log-softmax, log-sum-exp and losses reach", "PyTorchComparisonTest");
    promise("**The fast mode.**", "FastLogitsTest#softmaxWithinFastBound", "EntryPointMatrixTest#matrix");
    promise("Its bounds, tested against the same oracle", "FastLogitsTest#softmaxWithinFastBound",
        "FastLogitsTest#logSoftmaxAndLogSumExpWithinFastBound", "EntryPointMatrixTest#matrix");
    promise("`Logits` is the default", "ImplementationTest#runsTheExpectedKernels");
    promise("Float32 softmax outputs below the smallest normal", "ExpAccuracyTest#floatExpSampled",
        "SoftmaxPropertiesTest#floatOutputsJustBelowTheSmallestNormal");
    promise("Rounded to the subnormal grid", "SoftmaxPropertiesTest#floatOutputsJustBelowTheSmallestNormal");
    promise("A row that has an entry whose output can land there", "SoftmaxPropertiesTest#floatOutputsJustBelowTheSmallestNormal",
        "EntryPointMatrixTest#matrix");
    promise("`SoftmaxPropertiesTest` sweeps that window", "SoftmaxPropertiesTest#floatOutputsJustBelowTheSmallestNormal");
    promise("The exponentials: the float exponential", "ExpAccuracyTest#floatExpSampled", "ExpAccuracyTest#floatExpExhaustive");
    promise("The double exponential, at 40 million points", "ExpAccuracyTest#doubleExpFortyMillionPoints",
        "ExpAccuracyTest#doubleExpFourMillionPoints");
    promise("Log-sum-exp near 0: where the maximum cancels", "DoubleDoubleExactTest#log1pPlusExactCancelsToItsBound",
        "DoubleDoubleExactTest#expSumTermIsExactTo2ToMinus100", "DoubleDoubleExactTest#expSumOfManyTermsIsExact",
        "RowBlocksTest#logSumExpNearZeroOfABlockIsTheRowsOwn");
    promise("float64 result within about 2^-43 of 0", "RowBlocksTest#logSumExpOfTwoLogitsThatCancel");
    promise("`RowBlocksTest` builds rows shifted by their own log-sum-exp", "RowBlocksTest#logSumExpNearZeroOfABlockIsTheRowsOwn");
    promise("**The scalar fallback**", "EntryPointMatrixTest#matrix", "ImplementationTest#runsTheExpectedKernels");
    promise("Its float32 results meet the bounds above", "EntryPointMatrixTest#matrix");
    promise("Its float64 results round `x - max`", "EntryPointMatrixTest#matrix", "SigmoidPropertiesTest#sigmoidWithinOneUlp",
        "LossPropertiesTest#longDoubleRowOnTheFallbackKeepsItsGradientBound");
    promise("The suite holds it to exactly that", "EntryPointMatrixTest#matrix");
  }

  /** The sentences of a README section, tables left out (the accuracy table is checked on its own). */
  static List<String> sentences(String section) throws IOException {
    String md = Files.readString(README);
    int i = md.indexOf("\n" + section + "\n");
    assertTrue(i >= 0, "README has no section " + section);
    int j = md.indexOf("\n## ", i + 3);
    int sub = md.indexOf("\n### ", i + 3);
    if (section.startsWith("### ") && sub >= 0 && (j < 0 || sub < j)) {
      j = sub;  // a subsection ends at the next one
    }
    String body = md.substring(i + section.length() + 2, j < 0 ? md.length() : j);
    List<String> paragraphs = new ArrayList<>();
    StringBuilder p = new StringBuilder();
    boolean code = false;
    for (String line : body.split("\n")) {
      if (line.startsWith("```")) {
        code = !code;  // code blocks are examples, not sentences
        continue;
      }
      if (code) {
        continue;
      }
      if (line.startsWith("|") || line.isBlank() || line.startsWith("- ")) {
        if (p.length() > 0) {
          paragraphs.add(p.toString());
        }
        p.setLength(0);
      }
      if (!line.startsWith("|") && !line.isBlank()) {
        p.append(p.length() > 0 ? " " : "").append(line.startsWith("- ") ? line.substring(2) : line.trim());
      }
    }
    if (p.length() > 0) {
      paragraphs.add(p.toString());
    }
    List<String> out = new ArrayList<>();
    for (String paragraph : paragraphs) {
      out.addAll(Arrays.asList(paragraph.split("(?<=[.])\\s+(?=[A-Z*`(])")));
    }
    return out;
  }

  @Test
  void everyPromiseOfTheReadmeHasATest() throws Exception {
    List<String> missing = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    for (String section : new String[] {"### Enabling the Vector API", "## Threads, native memory and cold start",
        "## Semantics", "## Accuracy"}) {
      for (String sentence : sentences(section)) {
        String key = PROMISES.keySet().stream().filter(sentence::contains).findFirst().orElse(null);
        if (key == null) {
          missing.add(sentence);
        } else {
          used.add(key);
        }
      }
    }
    assertTrue(missing.isEmpty(), () -> "README sentences with no test registered in DocumentedPromisesTest:\n  "
        + String.join("\n  ", missing));
    Set<String> stale = new TreeSet<>(PROMISES.keySet());
    stale.removeAll(used);
    assertTrue(stale.isEmpty(), () -> "registered promises the README no longer makes: " + stale);
    for (List<String> tests : PROMISES.values()) {
      for (String test : tests) {
        assertTestExists(test);
      }
    }
  }

  /** The class exists, and the method, if named, is one of its tests. */
  static void assertTestExists(String test) throws ClassNotFoundException {
    String[] parts = test.split("#");
    String pkg = parts[0].startsWith("ExpAccuracyTest") || parts[0].startsWith("SoftmaxF32TwinTest")
        || parts[0].matches("(Softmax|LogSoftmax|CrossEntropy)F32SegmentsTest.*|ArgmaxSegmentsTest.*")
        || parts[0].startsWith("LogSumExpFromFloatsTest") || parts[0].startsWith("LogisticF32TwinTest")
        || parts[0].startsWith("LogicalWidthSumsTest") || parts[0].startsWith("DoubleDoubleExactTest")
        ? "io.github.logits4j.internal.panama."
        : parts[0].startsWith("DDTest") ? "io.github.logits4j.oracle." : "io.github.logits4j.";
    Class<?> c;
    try {
      c = Class.forName(pkg + parts[0]);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      // the white-box kernel tests are left out of the scalar-fallback run: their class cannot load there
      if (pkg.endsWith(".panama.") && Logits.implementation().equals("scalar")) {
        return;
      }
      throw e;
    }
    if (parts.length > 1) {
      boolean found = Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(parts[1]::equals);
      assertTrue(found, () -> "no test method " + test);
    }
  }

  /** The README describes the matrix it runs: widths, the widest, the number of value regimes. */
  @Test
  void theMatrixIsWhatTheReadmeSays() throws IOException {
    String md = Files.readString(README);
    assertTrue(md.contains("every width from 1 to 70"), "widths");
    int widest = Arrays.stream(MatrixCases.WIDTHS).max().orElseThrow();
    assertTrue(md.contains("(to " + widest + ")"), "widest row " + widest);
    String[] words = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen"};
    assertTrue(md.contains("in " + words[Regime.values().length] + " value regimes"), "regime count "
        + Regime.values().length);
  }

  /** The accuracy table's bounds, row by row, are the ones the tests hold the kernels to. */
  @Test
  void accuracyTableStatesTheTestedBounds() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    String softmax = fmt(Bounds.SOFTMAX) + "; below the smallest normal " + fmt(Bounds.SOFTMAX_SUBNORMAL)
        + " subnormal ulp";
    assertEquals(Bounds.SOFTMAX_SUBNORMAL, Bounds.SOFTMAX_SUBNORMAL_DOUBLE);
    expected.put("softmax", softmax);
    expected.put("log-softmax", fmt(Bounds.LOG_SOFTMAX) + ", entries near 0 included");
    expected.put("log-sum-exp", fmt(Bounds.LOG_SUM_EXP));
    expected.put("cross-entropy, per row", fmt(Bounds.ROW_LOSS) + ", tiny losses included");
    expected.put("BCE with logits, per element", fmt(Bounds.ROW_LOSS) + ", tiny losses included");
    expected.put("sigmoid", fmt(Bounds.SIGMOID));
    expected.put("log-sigmoid", fmt(Bounds.SIGMOID));
    expected.put("reduced cross-entropy and BCE", fmt(Bounds.REDUCED_LOSS));
    expected.put("cross-entropy and BCE gradients", fmt(Bounds.GRADIENT) + " u of the magnitude of the entry's two terms");
    int rows = 0;
    String md = Files.readString(README);
    int from = md.indexOf("\n## Accuracy\n"), to = md.indexOf("\n## ", from + 3);
    for (String line : md.substring(from, to).split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| op ") || line.startsWith("|---")) {
        continue;
      }
      String[] cells = Arrays.stream(line.split("\\|")).map(String::trim).toArray(String[]::new);
      if (cells.length < 5 || !cells[3].matches("\\d.*")) {
        continue;  // another table
      }
      String op = cells[1];
      String key = expected.keySet().stream().filter(op::startsWith).reduce((a, b) -> a.length() >= b.length() ? a : b)
          .orElse(null);
      assertTrue(key != null, "an accuracy table row with no tested bound: " + line);
      String bound = cells[3].replace(" float ulps", "");
      assertEquals(expected.get(key), bound, "README bound for " + op + " " + cells[2]);
      rows++;
    }
    assertTrue(rows >= 18, "accuracy table rows found: " + rows);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * Every public method of the API that computes something states its bound in its javadoc (an
   * {@code Error:} sentence), refers to one that does ({@code Bounds as in}, {@code bounds in the class
   * description}), or says it is exact; and every number of ulps a javadoc states is a tested bound.
   */
  @Test
  void javadocStatesTheTestedBounds() throws IOException {
    Set<Double> tested = new TreeSet<>(List.of(Bounds.SOFTMAX, Bounds.SOFTMAX_SUBNORMAL, Bounds.LOG_SOFTMAX,
        Bounds.LOG_SUM_EXP, Bounds.ROW_LOSS, Bounds.REDUCED_LOSS, Bounds.SIGMOID));
    Map<String, Double> perMethod = Map.of("softmax", Bounds.SOFTMAX, "logSoftmax", Bounds.LOG_SOFTMAX,
        "logSumExp", Bounds.LOG_SUM_EXP, "sigmoid", Bounds.SIGMOID, "logSigmoid", Bounds.SIGMOID);
    Pattern method = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public (static )?(\\w+) (\\w+)\\(", Pattern.DOTALL);
    Pattern ulps = Pattern.compile("(\\d+(?:\\.\\d+)?) (subnormal )?ulps?\\b");
    List<String> problems = new ArrayList<>();
    for (String file : new String[] {"Logits.java", "FastLogits.java", "CrossEntropy.java", "BinaryCrossEntropy.java"}) {
      String src = Files.readString(SOURCES.resolve(file));
      Matcher m = method.matcher(src);
      while (m.find()) {
        String doc = m.group(1).replaceAll("\\s*\\*\\s*", " ");
        String returns = m.group(3), name = m.group(4);
        boolean computes = !returns.equals("CrossEntropy") && !returns.equals("BinaryCrossEntropy")
            && !returns.equals("String");
        if (computes && !(doc.contains("Error:") || doc.contains("Bounds as in") || doc.contains("Exact:")
            || doc.toLowerCase().contains("bounds in the class description") || doc.contains("semantics as in"))) {
          problems.add(file + " " + name + ": no bound stated or referred to");
        }
        Matcher u = ulps.matcher(doc);
        while (u.find()) {
          double v = Double.parseDouble(u.group(1));
          Double own = perMethod.get(name);
          boolean subnormal = u.group(2) != null;
          if (!tested.contains(v) || (file.equals("Logits.java") && own != null && !subnormal && v != own)
              || (subnormal && v != Bounds.SOFTMAX_SUBNORMAL)) {
            problems.add(file + " " + name + ": states " + u.group() + ", not its tested bound");
          }
        }
      }
      // the class descriptions of the losses state the tested loss and gradient bounds
      if (file.contains("CrossEntropy")) {
        String flat = src.replaceAll("\\s*\\n\\s*\\*\\s*", " ");
        assertTrue(flat.contains("within " + fmt(Bounds.ROW_LOSS) + " ulps of the output type"), file
            + " states its row bound");
        assertTrue(flat.contains("within " + fmt(Bounds.REDUCED_LOSS) + " ulps of the logits' type"), file
            + " states its reduction's bound");
        assertTrue(flat.contains("{@code " + fmt(Bounds.GRADIENT) + " u}"), file + " states the gradient bound "
            + fmt(Bounds.GRADIENT) + " u");
      }
    }
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }
}
