package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;

/**
 * Constants of the float exponential inside every float kernel, and why they are safe.
 *
 * <p><b>Reduction.</b> {@code exp(z) = 2^k * (1 + q(r))} with {@code k = round(z * log2 e)} and
 * {@code r = z - k * ln2}. The integer {@code k} comes from the magic-number trick: adding
 * {@code 1.5 * 2^23} rounds {@code z * log2 e} to an integer held in the low mantissa bits, so shifting
 * those bits left by 23 builds {@code 2^k} directly. {@code r} is computed as
 * {@code fma(k, -LN2_HI, z)} then {@code fma(k, -LN2_LO, r)}. With {@code LN2_HI} the float nearest ln 2,
 * the first step is exact: both {@code z} and {@code k * LN2_HI} are multiples of
 * {@code min(ulp(z), 2^-24)} and the difference, below 0.36 in magnitude, fits in 24 bits. So the
 * argument is reduced without rounding error as long as {@code |z * log2 e| < 2^22}; {@link #DIRECT_LIMIT}
 * keeps well inside that.
 *
 * <p><b>No {@code x - max}.</b> Because the reduction is exact for any float below the limit, the kernels
 * exponentiate the logits themselves and shift by the row maximum through the exponent bias instead:
 * {@code exp(x) * 2^(BIAS - round(max * log2 e))}. Softmax is invariant to that common factor, and no
 * rounded difference {@code x - max} is ever formed. Rows whose maximum exceeds the limit subtract it
 * instead; there every entry that matters lies within a factor of two of the maximum, so by Sterbenz's
 * lemma the subtraction is exact too.
 *
 * <p><b>Polynomial.</b> {@code 1 + r + r^2 (C2 + C3 r + C4 r^2 + C5 r^3 + C6 r^4)}, a minimax fit of
 * {@code exp} on {@code |r| <= 0.36} with float coefficients and relative error 2^-27.4 (0.05 ulp),
 * evaluated in Estrin form for a shorter dependency chain. The final step {@code s + s*q} is one fused
 * multiply-add, so the result is rounded once: about 0.5 ulp plus 0.05 ulp of approximation.
 *
 * <p><b>Range.</b> The extra {@link #BIAS} of 2^64 keeps every term within {@link #CUTOFF} of the row
 * maximum a normal float, so products that land in the subnormal range are rounded once, at the end.
 * Entries more than {@code CUTOFF} below the maximum weigh less than 2^-181 relative to it and are set
 * to exactly 0, which also absorbs -inf.
 */
final class ExpF32 {
  static final float LOG2E = 0x1.715476p0f;
  static final float LN2_HI = 0x1.62e430p-1f;
  static final float LN2_LO = -0x1.05c610p-29f;

  static final float C2 = 0x1.0p-1f;
  static final float C3 = 0x1.55543ep-3f;
  static final float C4 = 0x1.5552ap-5f;
  static final float C5 = 0x1.127194p-7f;
  static final float C6 = 0x1.702d46p-10f;

  /**
   * The constants above as an array, for the kernels to load into vector locals. Loaded from an array they
   * stay in registers across a loop; broadcast from compile-time constants, C2 rematerialises them from
   * memory at every use, which costs a load and a broadcast per constant per vector.
   */
  static final float[] TABLE = {LOG2E, -LN2_HI, -LN2_LO, C2, C3, C4, C5, C6};
  static final int T_LOG2E = 0, T_NEG_LN2_HI = 1, T_NEG_LN2_LO = 2, T_C2 = 3, T_C3 = 4, T_C4 = 5, T_C5 = 6,
      T_C6 = 7;

  /**
   * One lane of the vector exponential in scalar code, with the same operations in the same order, so a
   * row's last partial vector, handled here, gets exactly the bits a full vector would give it.
   * {@code exp(z) * 2^(BIAS - shift)} for {@code magic = magic(shift)}.
   */
  static float exp(float z, float magic) {
    float t = Math.fma(z, LOG2E, magic);
    float k = t - magic;
    return finish(t, Math.fma(k, -LN2_HI, z), k * -LN2_LO);
  }

  /** {@link #exp} of {@code (x - c) * (betaHi + betaLo)}, the temperature form of the kernels. */
  static float exp(float x, float c, float betaHi, float betaLo, float magic) {
    float d = x - c;
    float zHi = d * betaHi;
    float zLo = Math.fma(d, betaLo, Math.fma(d, betaHi, -zHi));
    float t = Math.fma(zHi, LOG2E, magic);
    float k = t - magic;
    return finish(t, Math.fma(k, -LN2_HI, zHi), Math.fma(k, -LN2_LO, zLo));
  }

  /** Scalar twin of {@link #finish(FloatVector, FloatVector, FloatVector, FloatVector, FloatVector, FloatVector, FloatVector, FloatVector)}. */
  static float finish(float t, float rHi, float rLo) {
    float r = rHi + rLo;
    float r2 = r * r;
    float low = Math.fma(r, C3, C2);
    float high = Math.fma(r2, C6, Math.fma(r, C5, C4));
    float q = rHi + Math.fma(r2, Math.fma(r2, high, low), rLo);
    float scale = Float.intBitsToFloat(Float.floatToRawIntBits(t) << 23);
    return Math.fma(q, scale, scale);
  }

  /** Binary exponent added to every exponential: the largest term is about 2^64. */
  static final int BIAS = 64;
  /** Entries below {@code max - CUTOFF} are exactly 0 after exponentiation. */
  static final float CUTOFF = 126f;
  /** Largest {@code |max|} (after temperature) for which the logits are exponentiated directly. */
  static final float DIRECT_LIMIT = 0x1p21f;

  private ExpF32() {}

  /**
   * {@code 2^k * exp(rHi + rLo)} where {@code t} holds the magic sum for {@code k}, {@code rHi} is the exact
   * first step of the reduction and {@code rLo} the small rest. The polynomial {@code r^2 Q(r)} is taken at
   * the rounded {@code r = rHi + rLo}, where its sensitivity to that rounding is tiny, while the linear
   * term keeps {@code rHi} exact: {@code q = rHi + (rLo + r^2 Q)} is rounded once, then
   * {@code s + s*q} once more. Error: 0.5 ulp final rounding + at most 0.25 ulp from {@code q} + 0.05 ulp
   * polynomial.
   */
  static FloatVector finish(FloatVector t, FloatVector rHi, FloatVector rLo, FloatVector c2,
      FloatVector c3, FloatVector c4, FloatVector c5, FloatVector c6) {
    FloatVector r = rHi.add(rLo);
    FloatVector r2 = r.mul(r);
    FloatVector low = r.fma(c3, c2);
    FloatVector high = r2.fma(c6, r.fma(c5, c4));
    FloatVector q = rHi.add(r2.fma(r2.fma(high, low), rLo));
    FloatVector scale = t.reinterpretAsInts().lanewise(LSHL, 23).reinterpretAsFloats();
    return q.fma(scale, scale);
  }


  /**
   * The magic number whose addition rounds {@code z * log2 e} to an integer {@code k} and leaves
   * {@code k + 127 + BIAS - shift} in the low bits, ready to become the exponent of {@code 2^(k+BIAS-shift)}.
   */
  static float magic(int shift) {
    return 0x1.8p23f + (127 + BIAS - shift);
  }

  /** {@code round(z * log2 e)} for the row's largest argument: the power of two the row is shifted by. */
  static int shiftFor(double maxArgument) {
    return (int) Math.rint(maxArgument * 1.4426950408889634);
  }
}
