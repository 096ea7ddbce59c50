package io.github.logits4j.internal.panama;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double exponential inside every double kernel, accurate to far below one ulp before its final
 * rounding, which the kernels also get back exactly.
 *
 * <ul>
 *   <li><b>Reduction.</b> {@code exp(z) = 2^k * 2^(j/8) * exp(r)} with {@code 8k + j = round(z * 8/ln2)},
 *       from the magic-number trick: {@code t = z * 8/ln2 + 1.5 * 2^52} holds {@code 8k + j} in its low
 *       bits, whose low three index the table and whose next ones, shifted into the exponent field, scale
 *       by {@code 2^k}. The kernels pass {@code z} as a pair {@code zHi + zLo} ({@code x - max}, exactly,
 *       times the temperature's reciprocal); {@code rHi = fma(kf, -LN2_8_HI, zHi)} is exact (once
 *       {@code kf != 0}, both terms are multiples of 2^-57 and the difference is below 2^-4), and
 *       {@code rLo = fma(kf, -LN2_8_LO, zLo)} carries the rest; {@code |r| <= 0.0434}.</li>
 *   <li><b>Polynomial.</b> {@code exp(r) = 1 + r + r^2 P(r)} with the Taylor coefficients up to
 *       {@code r^9}: relative error 2^-66 on {@code |r| <= 0.046}, in Estrin form.</li>
 *   <li><b>Double-double result.</b> {@code 2^(j/8) = Thi + Tlo} (106 bits). {@code Thi * rHi} is split
 *       exactly by an FMA, {@code Thi + Thi rHi} by Fast2Sum, and every small term joins the low part, so
 *       {@code e + rho}, the rounded result and its rounding error, is within about 2^-60 of {@code exp}
 *       relative. {@code e} alone is within 0.51 ulp.</li>
 *   <li><b>Range.</b> A bias of 2^{@value #BIAS} keeps every term within {@link #CUTOFF} of the maximum a
 *       normal double, as the integer scaling requires; entries further below weigh less than 2^-1076 and
 *       are set to 0.</li>
 *   <li><b>Widths.</b> The 8-entry table is one vector at 512 bits, two at 256 (a two-table lookup) and
 *       four at 128 (two two-table lookups and a blend): every width, and the scalar twin, give the same
 *       bits.</li>
 * </ul>
 */
final class ExpF64 {
  private static final VectorSpecies<Long> J = VectorWidth.LONG;

  static final double LOG2E_8 = 0x1.71547652b82fep3;
  static final double LN2_8_HI = 0x1.62e42fefa39efp-4;
  static final double LN2_8_LO = 0x1.abc9e3b39803fp-59;

  static final double C2 = 0x1.0p-1;
  static final double C3 = 0x1.5555555555555p-3;
  static final double C4 = 0x1.5555555555555p-5;
  static final double C5 = 0x1.1111111111111p-7;
  static final double C6 = 0x1.6c16c16c16c17p-10;
  static final double C7 = 0x1.a01a01a01a01ap-13;
  static final double C8 = 0x1.a01a01a01a01ap-16;
  static final double C9 = 0x1.71de3a556c734p-19;

  /** {@code 2^(j/8) = Thi + Tlo}, as raw bits, from a 60-digit evaluation. */
  static final long[] TABLE_HI = bits(0x1.0p0, 0x1.172b83c7d517bp0, 0x1.306fe0a31b715p0, 0x1.4bfdad5362a27p0,
      0x1.6a09e667f3bcdp0, 0x1.8ace5422aa0dbp0, 0x1.ae89f995ad3adp0, 0x1.d5818dcfba487p0);
  static final long[] TABLE_LO = bits(0x0.0p0, -0x1.19041b9d78a76p-55, 0x1.6f46ad23182e4p-55,
      0x1.d4397afec42e2p-56, -0x1.bdd3413b26456p-54, 0x1.6e9f156864b27p-54, 0x1.7a1cd345dcc81p-54,
      0x1.2ed02d75b3707p-55);

  /** How many vectors the table takes at this width: 1, 2 or 4. */
  static final int PARTS = Math.max(1, 8 / J.length());
  static final long[] LANES_HI = layout(TABLE_HI), LANES_LO = layout(TABLE_LO);

  static final int BIAS = 64;
  static final double CUTOFF = 746.0;
  /** The bits of 1.0: added to the exponent bits they make the double {@code 2^(k + BIAS - shift)}. */
  static final long ONE_BITS = 0x3FF0000000000000L;

  private ExpF64() {}

  /**
   * The magic number whose addition rounds {@code z * 8/ln2} to {@code 8k + j} and leaves
   * {@code 8k + j + 8 (BIAS - shift)} in the low bits.
   */
  static double magic(long shift) {
    return 0x1.8p52 + 8 * (BIAS - shift);
  }

  // ------------------------------------------------------------------------------------------ vector

  static LongVector hiPart(int p) {
    // parts the lookup never reads stay null: fewer loads keep big kernels under C2's inlining budget
    return p < PARTS ? LongVector.fromArray(J, LANES_HI, p * J.length()) : null;
  }

  static LongVector loPart(int p) {
    // parts the lookup never reads stay null: fewer loads keep big kernels under C2's inlining budget
    return p < PARTS ? LongVector.fromArray(J, LANES_LO, p * J.length()) : null;
  }

  // The vector exponential itself is written out in the kernels, from the snippets exp-f64-core,
  // exp-f64-small and exp-f64-lookup of the templates: the kernels run near C2's node budget for inlining,
  // and a helper left as a call would box its vectors. The scalar twin below is the same operations.

  // ------------------------------------------------------------------------------------------ scalar

  /** {@code r^2 P(r) + rLo} at {@code r = rHi + rLo}: everything of {@code exp(r) - 1} but {@code rHi}. */
  static double smallTerms(double rHi, double rLo) {
    double r = rHi + rLo;
    double r2 = r * r;
    double r4 = r2 * r2;
    double p01 = Math.fma(r2, Math.fma(r, C5, C4), Math.fma(r, C3, C2));
    double p23 = Math.fma(r2, Math.fma(r, C9, C8), Math.fma(r, C7, C6));
    return Math.fma(r2, Math.fma(r4, p23, p01), rLo);
  }

  /**
   * One lane of a double kernel's exponential: {@code exp(zHi + zLo) * 2^(BIAS - shift)} for
   * {@code magic = magic(shift)}, rounded once. Valid where the result is a normal double.
   */
  static double exp(double zHi, double zLo, double magic) {
    return expOrError(zHi, zLo, magic, false);
  }

  /** The rounding error of {@link #exp(double, double, double)}, scaled like its result. */
  static double roundingError(double zHi, double zLo, double magic) {
    return expOrError(zHi, zLo, magic, true);
  }

  private static double expOrError(double zHi, double zLo, double magic, boolean error) {
    double t = Math.fma(zHi, LOG2E_8, magic);
    double kf = t - magic;
    double rHi = Math.fma(kf, -LN2_8_HI, zHi);
    double x = smallTerms(rHi, Math.fma(kf, -LN2_8_LO, zLo));
    long tb = Double.doubleToRawLongBits(t);
    double th = Double.longBitsToDouble(TABLE_HI[(int) tb & 7]), tl = Double.longBitsToDouble(TABLE_LO[(int) tb & 7]);
    double p = th * rHi;
    double pe = Math.fma(th, rHi, -p);
    double s = th + p;
    double lo = ((p - (s - th)) + pe) + Math.fma(th, x, Math.fma(tl, rHi, tl));
    double e = s + lo;
    return error ? (lo - (e - s)) * Double.longBitsToDouble(((tb >> 3) << 52) + ONE_BITS)
        : Double.longBitsToDouble(Double.doubleToRawLongBits(e) + ((tb >> 3) << 52));
  }

  private static long[] bits(double... values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Double.doubleToRawLongBits(values[i]);
    }
    return out;
  }

  private static long[] layout(long[] table) {
    long[] out = new long[Math.max(8, J.length())];
    for (int i = 0; i < out.length; i++) {
      out[i] = table[i % 8];
    }
    return out;
  }
}
