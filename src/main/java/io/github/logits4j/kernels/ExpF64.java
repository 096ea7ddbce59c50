package io.github.logits4j.kernels;

import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.DoubleVector;

/**
 * Constants of the double exponential inside every double kernel. The scheme is the one described in
 * {@link ExpF32}, at double precision:
 * <ul>
 *   <li>the magic number {@code 1.5 * 2^52} rounds {@code z * log2 e} to the integer {@code k}, whose low
 *       bits shifted left by 52 form {@code 2^k};</li>
 *   <li>the kernels exponentiate {@code x - max} carried exactly as a TwoSum pair, whose error term joins
 *       the reduced argument {@code r = fma(k, -LN2_LO, fma(k, -LN2_HI, hi)) + lo}, so the maximum's own term
 *       is exactly {@code 2^BIAS};</li>
 *   <li>the polynomial {@code 1 + r + r^2 Q(r)}, {@code Q} of degree {@value #DEGREE_MINUS_2}, is a minimax
 *       fit of {@code exp} on {@code |r| <= 0.36} with relative error below 2^-58 (0.03 ulp), in Estrin form,
 *       finished by one fused multiply-add;</li>
 *   <li>a bias of 2^{@value #BIAS} keeps every term within {@link #CUTOFF} of the maximum normal; entries
 *       further below weigh less than 2^-1076 and are set to 0.</li>
 * </ul>
 */
final class ExpF64 {
  static final int DEGREE_MINUS_2 = 10;
  static final double LOG2E = 0x1.71547652b82fep0;
  static final double LN2_HI = 0x1.62e42fefa39efp-1;
  static final double LN2_LO = 0x1.abc9e3b39803fp-56;

  static final double C2 = 0x1.0p-1;
  static final double C3 = 0x1.555555555555dp-3;
  static final double C4 = 0x1.555555555556cp-5;
  static final double C5 = 0x1.111111110e54ap-7;
  static final double C6 = 0x1.6c16c16c0a3eap-10;
  static final double C7 = 0x1.a01a01b5f4f64p-13;
  static final double C8 = 0x1.a01a01e8decdcp-16;
  static final double C9 = 0x1.71ddea982bcabp-19;
  static final double C10 = 0x1.27e44a1c3d06fp-22;
  static final double C11 = 0x1.af75016552514p-26;
  static final double C12 = 0x1.2049ad053c66ep-29;

  static final int BIAS = 64;
  static final double CUTOFF = 746.0;
  private ExpF64() {}

  /**
   * {@code 2^k * exp(rHi + rLo)}: the degree-12 polynomial in Estrin form at {@code r = rHi + rLo}, the
   * linear term kept exact as in {@link SoftmaxF32}, one rounding for {@code q} and one at the end.
   */
  static DoubleVector finish(DoubleVector t, DoubleVector rHi, DoubleVector rLo) {
    DoubleVector r = rHi.add(rLo);
    DoubleVector r2 = r.mul(r);
    DoubleVector r4 = r2.mul(r2);
    DoubleVector p01 = r2.fma(r.fma(C5, C4), r.fma(C3, C2));
    DoubleVector p23 = r2.fma(r.fma(C9, C8), r.fma(C7, C6));
    DoubleVector p45 = r.fma(C11, C10).add(r2.mul(C12));
    DoubleVector big = r4.fma(r4.fma(p45, p23), p01);
    DoubleVector q = rHi.add(r2.fma(big, rLo));
    DoubleVector scale = t.reinterpretAsLongs().lanewise(LSHL, 52).reinterpretAsDoubles();
    return q.fma(scale, scale);
  }


  static double magic(long shift) {
    return 0x1.8p52 + (1023 + BIAS - shift);
  }
}
