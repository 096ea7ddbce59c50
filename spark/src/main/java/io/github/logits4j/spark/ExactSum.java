package io.github.logits4j.spark;

import java.io.Serial;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact sum of doubles: every finite addend is added without rounding into a fixed-point accumulator of
 * 32-bit limbs that spans the whole double range (2^-1074 to 2^1024), so the sum does not depend on the order
 * of the addends or on how they were split between partial sums; {@link #value()} rounds it once.
 *
 * <p>Not thread-safe: one instance per partition, merged on the driver.
 */
public final class ExactSum implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;
  private static final int LIMBS = 68;
  private static final long MASK32 = 0xFFFF_FFFFL;
  private static final int ADDS_BEFORE_CARRY = 1 << 29;
  private static final BigDecimal TWO_POW_MINUS_1074 = new BigDecimal(Double.MIN_VALUE);

  private final long[] limbs = new long[LIMBS];
  private int pending;
  private boolean nan;
  private boolean posInf;
  private boolean negInf;

  /** An empty sum (zero). */
  public ExactSum() {
  }

  /**
   * Adds {@code d} exactly. NaN makes the sum NaN; an infinity makes it that infinity (both: NaN).
   *
   * @param d any double
   */
  public void add(double d) {
    if (!Double.isFinite(d)) {
      if (Double.isNaN(d)) {
        nan = true;
      } else if (d > 0) {
        posInf = true;
      } else {
        negInf = true;
      }
      return;
    }
    long bits = Double.doubleToRawLongBits(d);
    int biased = (int) ((bits >>> 52) & 0x7FF);
    long m = bits & 0x000F_FFFF_FFFF_FFFFL;
    if (biased != 0) {
      m |= 1L << 52;
    }
    if (m == 0) {
      return;
    }
    int shift = biased == 0 ? 0 : biased - 1; // value = m * 2^(shift - 1074)
    int i = shift >>> 5;
    int off = shift & 31;
    long lo = m << off;
    long hi = off == 0 ? 0 : m >>> (64 - off);
    if (bits < 0) {
      limbs[i] -= lo & MASK32;
      limbs[i + 1] -= lo >>> 32;
      limbs[i + 2] -= hi;
    } else {
      limbs[i] += lo & MASK32;
      limbs[i + 1] += lo >>> 32;
      limbs[i + 2] += hi;
    }
    if (++pending >= ADDS_BEFORE_CARRY) {
      carry();
    }
  }

  /**
   * Adds another sum exactly.
   *
   * @param other the sum to add; not modified
   */
  public void add(ExactSum other) {
    carry();
    for (int i = 0; i < LIMBS; i++) {
      limbs[i] += other.carried(i);
    }
    nan |= other.nan;
    posInf |= other.posInf;
    negInf |= other.negInf;
    carry();
  }

  private long carried(int i) {
    carry();
    return limbs[i];
  }

  private void carry() {
    for (int i = 0; i < LIMBS - 1; i++) {
      long c = limbs[i] >> 32;
      limbs[i] -= c << 32;
      limbs[i + 1] += c;
    }
    pending = 0;
  }

  /**
   * The exact sum rounded once to the nearest double (ties to even).
   *
   * @return the rounded sum; NaN if a NaN or both infinities were added, an infinity if one was
   */
  public double value() {
    if (nan || (posInf && negInf)) {
      return Double.NaN;
    }
    if (posInf) {
      return Double.POSITIVE_INFINITY;
    }
    if (negInf) {
      return Double.NEGATIVE_INFINITY;
    }
    BigInteger total = BigInteger.ZERO;
    for (int i = LIMBS - 1; i >= 0; i--) {
      total = total.shiftLeft(32).add(BigInteger.valueOf(limbs[i]));
    }
    return new BigDecimal(total).multiply(TWO_POW_MINUS_1074).doubleValue();
  }
}
