package io.github.logits4j.internal.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.logits4j.Logits;
import io.github.logits4j.oracle.DD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernels' exponentials against references far more precise than they are.
 *
 * <p><b>Float.</b> The vector exponential of {@link ExpF32}, with the Cody-Waite reduction the kernels
 * use, on every float {@code z} in {@code [-(DIRECT_LIMIT + CUTOFF), DIRECT_LIMIT]}: the whole domain
 * the kernels evaluate it on. Each argument is taken with the shift {@code round(z log2 e)}, so the result
 * {@code exp(z) 2^(BIAS - shift)} is near 2^BIAS; other shifts change only the exponent added to the
 * result's bits, which is exact while the result is normal, as the kernels keep it. The reference is
 * {@code Math.exp} in double of the reduced argument, itself within 2^-29 float ulps of the truth. The
 * vector results are also checked bit for bit against the scalar twin that finishes rows. The default
 * test command samples every 64th vector of arguments; {@code mvn -Pexhaustive test} runs them all.
 *
 * <p><b>Double.</b> {@link ExpF64#exp(double, double, double)} and its rounding error against the
 * double-double oracle, at random arguments over the whole range and at the hard cases: a few ulps either
 * side of every point where the table index changes, {@code (j + 1/2) ln2 / 8}.
 */
class ExpAccuracyTest {
  static final float FLOAT_BOUND = 0.57f;
  private static final double LN2_HI = 0x1.62e42fefa39efp-1, LN2_LO = 0x1.abc9e3b39803fp-56;

  private static void assumeVectorKernels() {
    assumeTrue(Logits.implementation().startsWith("panama"), "the exponentials are part of the vector kernels");
  }

  @Test
  void floatExpSampled() throws IOException {
    assumeVectorKernels();
    report("float exp, every 64th vector of arguments", floatExp(64));
  }

  @Test
  @Tag("exhaustive")
  void floatExpExhaustive() throws IOException {
    assumeVectorKernels();
    report("float exp, every float argument", floatExp(1));
  }

  @Test
  void doubleExpFourMillionPoints() throws IOException {
    assumeVectorKernels();
    report("double exp, 4M points", doubleExp(4_000_000));
  }

  @Test
  @Tag("exhaustive")
  void doubleExpFortyMillionPoints() throws IOException {
    assumeVectorKernels();
    report("double exp, 40M points", doubleExp(40_000_000));
  }

  /** Worst error in float ulps over every {@code step}-th vector of arguments, both signs. */
  static String floatExp(int step) {
    VectorSpecies<Float> f = VectorWidth.FLOAT;
    int lanes = f.length();
    float[] k = ExpF32.CONSTANTS;
    FloatVector log2e = FloatVector.broadcast(f, k[ExpF32.K_LOG2E]);
    FloatVector negLn2Hi = FloatVector.broadcast(f, k[ExpF32.K_NEG_LN2_HI]);
    FloatVector negLn2Lo = FloatVector.broadcast(f, k[ExpF32.K_NEG_LN2_LO]);
    FloatVector c2 = FloatVector.broadcast(f, k[ExpF32.K_C2]), c3 = FloatVector.broadcast(f, k[ExpF32.K_C3]);
    IntVector h0 = ExpF32.hiPart(0), h1 = ExpF32.hiPart(1), h2 = ExpF32.hiPart(2), h3 = ExpF32.hiPart(3);
    IntVector l0 = ExpF32.loPart(0), l1 = ExpF32.loPart(1), l2 = ExpF32.loPart(2), l3 = ExpF32.loPart(3);
    IntVector iota = IntVector.zero(VectorWidth.INT).addIndex(1);
    float[] out = new float[lanes];
    double worst = 0;
    float worstAt = 0;
    long count = 0;
    int[][] ranges = {
        {0, Float.floatToRawIntBits(ExpF32.DIRECT_LIMIT)},
        {Integer.MIN_VALUE, Float.floatToRawIntBits(-(ExpF32.DIRECT_LIMIT + ExpF32.CUTOFF))}};
    for (int[] range : ranges) {
      for (long bits = range[0]; bits <= range[1]; bits += (long) lanes * step) {
        float z0 = Float.intBitsToFloat((int) bits);
        int shift = ExpF32.shiftFor(z0);
        float magic = ExpF32.magic(shift);
        FloatVector vMagic = FloatVector.broadcast(f, magic);
        FloatVector z = iota.add((int) bits).reinterpretAsFloats();
        FloatVector t = z.fma(log2e, vMagic);
        FloatVector kf = t.sub(vMagic);
        FloatVector r = kf.fma(negLn2Lo, kf.fma(negLn2Hi, z));
        ExpF32.finish(t, r, c2, c3, h0, h1, h2, h3, l0, l1, l2, l3).intoArray(out, 0);
        for (int i = 0; i < lanes; i++) {
          float zi = Float.intBitsToFloat((int) bits + i);
          if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(ExpF32.exp(zi, magic))) {
            assertEquals(ExpF32.exp(zi, magic), out[i], "vector and scalar exp differ at z = " + zi);
          }
          // exp(z) 2^(BIAS - shift) in double: the reduced argument with ln 2 as a double-double
          double w = Math.fma(-shift, LN2_HI, zi) - shift * LN2_LO;
          double exact = Math.scalb(Math.exp(w), ExpF32.BIAS);
          double err = Math.abs(out[i] - exact) / Math.ulp((float) exact);
          if (err > worst) {
            worst = err;
            worstAt = zi;
          }
        }
        count += lanes;
      }
    }
    float at = worstAt;
    double max = worst;
    assertTrue(max <= FLOAT_BOUND, () -> "float exp off by " + max + " ulp at z = " + at);
    return String.format(Locale.ROOT, "%d arguments, max %.4f ulp at z = %s", count, worst, worstAt);
  }

  /**
   * Worst error of the double exponential: the rounded result in ulps (at most 1/2 plus the tiny error
   * before rounding), and the result plus its rounding error relative to the exact value.
   */
  static String doubleExp(int points) {
    DD ln2 = new DD(LN2_HI, LN2_LO);
    SplittableRandom rnd = new SplittableRandom(2026);
    double worstUlp = 0, worstRel = 0, ulpAt = 0, relAt = 0;
    for (int p = 0; p < points; p++) {
      double z;
      if (p % 4 == 0) {
        // a table-index boundary (j + 1/2) ln2/8, a few ulps either side
        long j = rnd.nextLong(-8 * 1075, 8 * 1024);
        double edge = (j + 0.5) * LN2_HI / 8;
        z = edge + rnd.nextInt(-4, 5) * Math.ulp(edge);
      } else if (p % 4 == 1) {
        z = (rnd.nextDouble() * 2 - 1) * Math.scalb(1.0, rnd.nextInt(-60, 1));  // near 0
      } else {
        z = -745 + rnd.nextDouble() * (709 + 745);
      }
      long shift = Math.round(z * 1.4426950408889634);
      double magic = ExpF64.magic(shift);
      double e = ExpF64.exp(z, 0, magic), rho = ExpF64.roundingError(z, 0, magic);
      DD exact = DD.exp(DD.of(z).sub(ln2.mul(shift))).scalb(ExpF64.BIAS);
      double ulps = Math.abs(DD.of(e).sub(exact).toDouble()) / Math.ulp(exact.toDouble());
      double rel = Math.abs(DD.of(e).add(rho).sub(exact).toDouble()) / exact.toDouble();
      if (ulps > worstUlp) {
        worstUlp = ulps;
        ulpAt = z;
      }
      if (rel > worstRel) {
        worstRel = rel;
        relAt = z;
      }
    }
    double u = worstUlp, r = worstRel, uz = ulpAt, rz = relAt;
    assertTrue(u <= 0.5 + 0x1p-8, () -> "double exp off by " + u + " ulp at z = " + uz);
    assertTrue(r <= 0x1p-60, () -> "double exp plus its rounding error off by " + r + " relative at z = " + rz);
    return String.format(Locale.ROOT, "%d arguments, rounded result max %.4f ulp at z = %s; with its rounding "
        + "error max 2^%.1f relative at z = %s", points, worstUlp, ulpAt, Math.log(worstRel) / Math.log(2), relAt);
  }

  private static void report(String what, String result) throws IOException {
    String line = "- " + what + " (" + Logits.implementation() + "): " + result + "\n";
    System.out.print(line);
    Path file = Path.of("target", "accuracy", "exp.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
