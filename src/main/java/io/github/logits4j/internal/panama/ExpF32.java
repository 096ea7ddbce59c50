package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.NE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * The float exponential inside every float kernel, and why it is accurate.
 *
 * <p><b>Reduction.</b> {@code exp(z) = 2^k * 2^(j/16) * exp(r)} with {@code 16k + j = round(z * 16/ln2)}
 * and {@code r = z - (16k + j) * ln2/16}. The integer {@code kf = 16k + j} comes from the magic-number
 * trick: adding {@code 1.5 * 2^23} to {@code z * 16/ln2} rounds it to an integer held in the low mantissa
 * bits of {@code t}, whose low four bits then index the table of {@code 2^(j/16)} and whose next bits,
 * shifted into the exponent field, scale by {@code 2^k}. {@code r} is {@code fma(kf, -LN2_16_HI, z)}
 * then {@code fma(kf, -LN2_16_LO, .)}. The first step is exact: {@code LN2_16_HI} is a multiple of
 * 2^-25, so {@code kf * LN2_16_HI} is too; when {@code kf != 0}, {@code |z| >= 2^-6} is a multiple of
 * 2^-29; and the difference is below 2^-5, so it fits in 24 bits. That needs {@code |z| < 2^17}; the
 * kernels keep {@code |z| <=} {@link #DIRECT_LIMIT}, where {@code |r| <= 0.0223}. The second step rounds
 * {@code r} once, an error below 2^-30 relative to the result.
 *
 * <p><b>No {@code x - max}.</b> Because the reduction is exact for any float below the limit, the kernels
 * exponentiate the logits themselves and shift by the row maximum through the exponent instead:
 * {@code exp(x) * 2^(BIAS - shift)}. Softmax is invariant to that common factor, and no rounded difference
 * {@code x - max} is ever formed. Rows whose maximum exceeds the limit subtract it instead; there every
 * entry that matters lies within a factor of two of the maximum, so by Sterbenz's lemma the subtraction is
 * exact too.
 *
 * <p><b>Polynomial and table.</b> {@code exp(r) - 1 ~ q = r + r^2 (C2 + C3 r)}, a minimax fit on
 * {@code |r| <= 0.0223} with relative error 2^-29.05. Each {@code 2^(j/16)} is stored as a float pair
 * {@code Thi + Tlo} (about 48 bits), and the result {@code Thi + fma(Thi, q, Tlo)} is rounded once, at the
 * final addition: the small part carries errors below 2^-30. The result is within about 0.55 ulp of
 * {@code exp}: {@code ExpAccuracyTest} measures at most 0.5689 ulp over every float argument the kernels
 * evaluate it on ({@code mvn -Pexhaustive test}; the default test command samples them).
 *
 * <p><b>Range.</b> The extra {@link #BIAS} of 2^64 keeps every term within {@link #CUTOFF} of the row
 * maximum a normal float, so products that land in the subnormal range are rounded once, at the end.
 * Entries more than {@code CUTOFF} below the maximum weigh less than 2^-181 relative to it and are set to
 * exactly 0, which also absorbs -inf. The exponent is applied by integer addition, so the kernels only
 * ever scale terms whose result is a normal float.
 *
 * <p><b>Widths.</b> The 16-entry table is one vector at 512 bits and wider, two at 256 bits (a two-table
 * lookup) and four at 128 bits (two two-table lookups and a blend). The arithmetic is the same at every
 * width, so every width gives the same bits, and so does the scalar twin {@link #exp(float, float)}.
 */
final class ExpF32 {

  static final float LOG2E_16 = 0x1.715476p4f;
  static final float LN2_16_HI = 0x1.62e430p-5f;
  static final float LN2_16_LO = -0x1.05c610p-33f;
  static final float C2 = 0x1.00023ep-1f;
  static final float C3 = 0x1.5555a2p-3f;

  /**
   * The reduction and polynomial constants as an array, for the kernels to load into vector locals: loaded
   * from an array they stay in registers across a loop, while broadcasts of compile-time constants are
   * rematerialised from memory at every use.
   */
  static final float[] CONSTANTS = {LOG2E_16, -LN2_16_HI, -LN2_16_LO, C2, C3};
  static final int K_LOG2E = 0, K_NEG_LN2_HI = 1, K_NEG_LN2_LO = 2, K_C2 = 3, K_C3 = 4;

  /** {@code 2^(j/16) = Thi + Tlo}, as raw float bits, from a 200-bit evaluation. */
  static final int[] TABLE_HI = bits(
      0x1.0p0f, 0x1.0b5586p0f, 0x1.172b84p0f, 0x1.2387a6p0f, 0x1.306fe0p0f, 0x1.3dea64p0f, 0x1.4bfdaep0f,
      0x1.5ab07ep0f, 0x1.6a09e6p0f, 0x1.7a1148p0f, 0x1.8ace54p0f, 0x1.9c4918p0f, 0x1.ae89fap0f, 0x1.c199bep0f,
      0x1.d5818ep0f, 0x1.ea4afap0f);
  static final int[] TABLE_LO = bits(
      0x0.0p0f, 0x1.9f3122p-25f, -0x1.c15742p-27f, 0x1.ceac48p-25f, 0x1.4636e2p-25f, 0x1.824684p-25f,
      -0x1.593abcp-25f, -0x1.5bd5ecp-27f, 0x1.9fcef4p-26f, -0x1.829fd0p-25f, 0x1.15506ep-27f, 0x1.51f848p-27f,
      -0x1.a94b14p-26f, -0x1.3d56b2p-27f, -0x1.822dbcp-27f, 0x1.52486cp-27f);

  /** How many vectors the table takes at this width: 1, 2 or 4. */
  static final int PARTS = Math.max(1, 16 / VectorBits.FLOAT_LANES);
  /** The tables laid out per part; at 512 bits and wider, the 16 entries repeat across the lanes. */
  static final int[] LANES_HI = layout(TABLE_HI), LANES_LO = layout(TABLE_LO);

  /** Binary exponent added to every exponential: the largest term is about 2^64. */
  static final int BIAS = 64;
  /** Entries below {@code max - CUTOFF} are exactly 0 after exponentiation. */
  static final float CUTOFF = 126f;
  /** Largest {@code |max|} (after temperature) for which the logits are exponentiated directly. */
  static final float DIRECT_LIMIT = 4096f;

  private ExpF32() {}

  // ------------------------------------------------------------------------------------------ vector

  /** Part {@code p} of the high table, for a kernel's locals (parts beyond {@link #PARTS} are unused). */
  static IntVector hiPart(int p) {
    // parts the lookup never reads stay null: fewer loads keep big kernels under C2's inlining budget
    return p < PARTS ? IntVector.fromArray(VectorWidth.INT, LANES_HI, p * VectorBits.FLOAT_LANES) : null;
  }

  /** Part {@code p} of the low table. */
  static IntVector loPart(int p) {
    // parts the lookup never reads stay null: fewer loads keep big kernels under C2's inlining budget
    return p < PARTS ? IntVector.fromArray(VectorWidth.INT, LANES_LO, p * VectorBits.FLOAT_LANES) : null;
  }

  /**
   * {@code 2^k * exp(r)} scaled as {@link #magic} arranged: {@code t} holds the magic sum for
   * {@code kf = 16k + j}, {@code r} the reduced argument. {@code h0..h3} and {@code l0..l3} are the table
   * parts from {@link #hiPart} and {@link #loPart}. Kernels that also need the rounding error of the result
   * assemble the same steps themselves from {@link #polynomial}, {@link #tableHi}, {@link #tableLo} and
   * {@link #exponentBits}.
   */
  static FloatVector finish(FloatVector t, FloatVector r, FloatVector c2, FloatVector c3, IntVector h0,
      IntVector h1, IntVector h2, IntVector h3, IntVector l0, IntVector l1, IntVector l2, IntVector l3) {
    FloatVector q = polynomial(r, c2, c3);
    IntVector tb = t.reinterpretAsInts();
    FloatVector th = tableHi(tb, h0, h1, h2, h3);
    FloatVector e0 = th.add(th.fma(q, tableLo(tb, l0, l1, l2, l3)));
    return e0.reinterpretAsInts().add(exponentBits(tb)).reinterpretAsFloats();
  }

  /** {@code q ~ exp(r) - 1 = r + r^2 (C2 + C3 r)}. */
  static FloatVector polynomial(FloatVector r, FloatVector c2, FloatVector c3) {
    return r.mul(r).fma(r.fma(c3, c2), r);
  }

  /** {@code Thi} of the entry {@code j} held in the low bits of the magic sum's bits {@code tb}. */
  static FloatVector tableHi(IntVector tb, IntVector h0, IntVector h1, IntVector h2, IntVector h3) {
    return lookup(tb, h0, h1, h2, h3).reinterpretAsFloats();
  }

  /** {@code Tlo} of the entry {@code j}. */
  static FloatVector tableLo(IntVector tb, IntVector l0, IntVector l1, IntVector l2, IntVector l3) {
    return lookup(tb, l0, l1, l2, l3).reinterpretAsFloats();
  }

  /** {@code (k + BIAS - shift) << 23}: added to a float's bits, it scales by {@code 2^(k + BIAS - shift)}. */
  static IntVector exponentBits(IntVector tb) {
    return tb.lanewise(ASHR, 4).lanewise(LSHL, 23);
  }

  /** Table entry {@code index & 15} in every lane. */
  private static IntVector lookup(IntVector index, IntVector p0, IntVector p1, IntVector p2, IntVector p3) {
    if (PARTS == 1) {
      return index.selectFrom(p0);
    }
    if (PARTS == 2) {
      return index.selectFrom(p0, p1);
    }
    IntVector low = index.selectFrom(p0, p1), high = index.selectFrom(p2, p3);
    return low.blend(high, index.and(8).compare(NE, 0));
  }

  // ------------------------------------------------------------------------------------------ scalar

  /**
   * One lane of the vector exponential in scalar code, with the same operations in the same order, so a
   * row's last partial vector, handled here, gets exactly the bits a full vector would give it:
   * {@code exp(z) * 2^(BIAS - shift)} for {@code magic = magic(shift)}.
   */
  static float exp(float z, float magic) {
    return exp(z, 0f, magic);  // adding a zero small part changes no bit: r + 0 is r (-0 turns +0, same result)
  }

  /**
   * {@link #exp(float, float)} of {@code zHi + zLo}, the temperature form of the kernels: the small part
   * joins the reduced argument.
   */
  static float exp(float zHi, float zLo, float magic) {
    float t = Math.fma(zHi, LOG2E_16, magic);
    float kf = t - magic;
    return finish(t, Math.fma(kf, -LN2_16_LO, Math.fma(kf, -LN2_16_HI, zHi)) + zLo);
  }

  /** Scalar twin of the vector {@link #finish}. */
  static float finish(float t, float r) {
    float q = Math.fma(r * r, Math.fma(r, C3, C2), r);
    int tb = Float.floatToRawIntBits(t);
    float th = Float.intBitsToFloat(TABLE_HI[tb & 15]);
    float e0 = th + Math.fma(th, q, Float.intBitsToFloat(TABLE_LO[tb & 15]));
    return Float.intBitsToFloat(Float.floatToRawIntBits(e0) + ((tb >> 4) << 23));
  }

  /**
   * The rounding error of {@link #exp(float, float)}'s result, scaled like it: {@code exp(z) * 2^(BIAS -
   * shift)} minus the float returned, to within 2^-30 relative to the result. The final addition
   * {@code Thi + u} has {@code |Thi| >= |u|}, so its error is exactly {@code u - (e0 - Thi)} (Fast2Sum).
   */
  static float roundingError(float z, float magic) {
    return roundingError(z, 0f, magic);
  }

  /** {@link #roundingError(float, float)} of the temperature form {@link #exp(float, float, float)}. */
  static float roundingError(float zHi, float zLo, float magic) {
    float t = Math.fma(zHi, LOG2E_16, magic);
    float kf = t - magic;
    float r = Math.fma(kf, -LN2_16_LO, Math.fma(kf, -LN2_16_HI, zHi)) + zLo;
    float q = Math.fma(r * r, Math.fma(r, C3, C2), r);
    int tb = Float.floatToRawIntBits(t);
    float th = Float.intBitsToFloat(TABLE_HI[tb & 15]);
    float u = Math.fma(th, q, Float.intBitsToFloat(TABLE_LO[tb & 15]));
    float e0 = th + u;
    return (u - (e0 - th)) * Float.intBitsToFloat(((tb >> 4) << 23) + ONE_BITS);
  }

  /** The bits of 1.0f: added to {@link #exponentBits} they make the float {@code 2^(k + BIAS - shift)}. */
  static final int ONE_BITS = 0x3F800000;

  // ------------------------------------------------------------------------------------------ scaling

  /**
   * The magic number whose addition rounds {@code z * 16/ln2} to the integer {@code kf} and leaves
   * {@code kf + 16 (BIAS - shift)} in the low bits: the table index in bits 0..3 and the exponent to add,
   * {@code k + BIAS - shift}, above them.
   */
  static float magic(int shift) {
    return 0x1.8p23f + 16 * (BIAS - shift);
  }

  /** {@code round(z * log2 e)} for the row's largest argument: the power of two the row is shifted by. */
  static int shiftFor(double maxArgument) {
    return (int) Math.rint(maxArgument * 1.4426950408889634);
  }

  /**
   * The exponent {@code k + BIAS - shift} that {@link #finish} adds, read back from the raw bits of a magic
   * sum {@code t}: the kernels track the extremes of {@code t} to check a guessed shift after the fact.
   */
  static int exponentOf(int tBits) {
    return (tBits - 0x4B400000) >> 4;
  }

  private static int[] bits(float... values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }

  private static int[] layout(int[] table) {
    int lanes = VectorBits.FLOAT_LANES;
    int[] out = new int[Math.max(16, lanes)];
    for (int i = 0; i < out.length; i++) {
      out[i] = table[i % 16];
    }
    return out;
  }
}
