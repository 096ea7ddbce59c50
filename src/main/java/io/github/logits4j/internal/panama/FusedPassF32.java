package io.github.logits4j.internal.panama;

/**
 * The scalar parts of the fused float softmax pass ({@link SoftmaxF32#fusedRows}): the shift guess, the
 * test that accepts a row for the pass, and the row's scalar tail. Shared by the vector kernel and its
 * scalar twin ({@link SoftmaxF32Twin}), and kept free of vector types: a cold JVM's first calls run the
 * twin, and reaching these through {@link SoftmaxF32} would initialise the Vector API's species and vector
 * classes first, about 50 ms.
 */
final class FusedPassF32 {
  private FusedPassF32() {}

  /**
   * {@link #fusedAccepts} decided before the fused pass, from the row's maximum and minimum packed as
   * {@link RowMax#maxAndMin} gives them: the magic sums of the other entries lie between theirs. In place,
   * a row the pass would reject must not be overwritten by it.
   */
  static boolean fusedAcceptsExtremes(long maxAndMin, int n, int shift) {
    float magic = ExpF32.magic(shift);
    int tMax = Float.floatToRawIntBits(Math.fma(Float.intBitsToFloat((int) (maxAndMin >>> 32)), ExpF32.LOG2E_16, magic));
    int tMin = Float.floatToRawIntBits(Math.fma(Float.intBitsToFloat((int) maxAndMin), ExpF32.LOG2E_16, magic));
    return fusedAccepts(tMax, tMin, n, shift);
  }

  /** A shift guess from one entry of the row, which the row's maximum can only exceed. */
  static int firstGuess(float v) {
    return Float.isFinite(v) && Math.abs(v) <= ExpF32.DIRECT_LIMIT ? ExpF32.shiftFor(v) - GUESS_MARGIN : 0;
  }

  /**
   * The guess for the row after one that the fused pass (or the three passes, {@code sum} their scaled sum)
   * ran with {@code shift}: {@code log2(sum) - BIAS} is that row's maximum's exponent above its shift, plus
   * log2 of its mass, and the next guess sits {@link #GUESS_MARGIN} below it.
   */
  static int nextGuess(int shift, double sum) {
    return shift + Math.getExponent(sum) - ExpF32.BIAS - GUESS_MARGIN;
  }

  /**
   * How far below the expected maximum the shift guess is set, in powers of two. The fused pass accepts a
   * row whose largest term lands up to {@code 34 - log2(n)} powers of two above the guess and whose
   * smallest term stays normal.
   */
  static final int GUESS_MARGIN = 8;

  /** {@code |kf|} for {@code |z| = DIRECT_LIMIT}: the fused pass's logits stay within the direct limit. */
  static final int KF_LIMIT = (int) (ExpF32.DIRECT_LIMIT * ExpF32.LOG2E_16);

  /**
   * Whether the fused pass with this shift is exact for a row whose magic sums {@code t} range over these
   * raw bits: every {@code t} is a rounded integer in {@code [2^23, 2^24)} (NaN, infinities and huge
   * logits fall outside), every logit is within the direct limit, every term {@code 2^K * (1 + q)} is a
   * normal float ({@code K >= -124}), the sum of {@code n} terms stays below 2^100, where the low half
   * of its reciprocal is still a normal float, and no output can fall below the smallest normal float.
   */
  static boolean fusedAccepts(int tMax, int tMin, int n, int shift) {
    if (tMin < 0x4B000000 || tMax >= 0x4B800000) {
      return false;
    }
    int offset = 0x4B400000 + 16 * (ExpF32.BIAS - shift);
    if (tMax - offset > KF_LIMIT || tMin - offset < -KF_LIMIT) {
      return false;
    }
    int bits = 32 - Integer.numberOfLeadingZeros(n);
    int kMin = ExpF32.exponentOf(tMin), kMax = ExpF32.exponentOf(tMax);
    // The last condition keeps every output normal: the smallest term is at least 0.97 * 2^kMin and the
    // sum at most n * 2.01 * 2^kMax, so every output is at least 2^(kMin - kMax - 2 - bits) >= 2^-126.
    // Rows with outputs below that go to softmax(), which gives them the care of accurateRow.
    return kMin >= -124 && kMax <= 98 - bits && kMin - kMax >= -124 + bits;
  }

  /**
   * The scalar end of {@link SoftmaxF32#expStoreFused} from index {@code from}, in its own method so that the vector
   * pass stays within C2's inlining budget: the sum of the exact terms, or -1 if the whole row, whose
   * vector part's magic sums range over {@code [tLo, tHi]}, fails {@link #fusedAccepts}.
   */
  static double fusedTail(float[] x, int xo, float[] y, int yo, int n, int from, float magic, int shift,
      int tHi, int tLo) {
    double sum = 0;
    for (int i = from; i < n; i++) {
      float v = x[xo + i];
      int tb = Float.floatToRawIntBits(Math.fma(v, ExpF32.LOG2E_16, magic));
      tHi = Math.max(tHi, tb);
      tLo = Math.min(tLo, tb);
      float e = ExpF32.exp(v, magic);
      y[yo + i] = e;
      sum += (double) e + ExpF32.roundingError(v, magic);
    }
    return fusedAccepts(tHi, tLo, n, shift) ? sum : -1;
  }
}
