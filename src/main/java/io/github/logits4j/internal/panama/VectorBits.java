package io.github.logits4j.internal.panama;

import jdk.incubator.vector.VectorShape;

/**
 * The vector width every Panama kernel uses, chosen once per JVM, as a number of bits and lanes only.
 *
 * <p>The default is the platform's preferred shape (512 bits with AVX-512, 256 with AVX2, the SVE or
 * NEON width on ARM). The system property {@value #PROPERTY} ({@code 128}, {@code 256} or {@code 512})
 * narrows it, which is how the tests exercise every width on one machine. A width wider than the
 * preferred shape would run the Vector API's slow Java fallback, so it is refused.
 *
 * <p>Apart from {@link VectorWidth}'s species so that scalar code with the kernels' lane structure (the
 * cold start's {@link SoftmaxF32Twin}) can know the lane count without creating a species: that loads
 * and initialises the Vector API's vector classes, about 50 ms of a cold JVM's first call.
 */
final class VectorBits {
  static final String PROPERTY = "logits4j.vectorBits";

  /** Why the property was ignored, or null when it was honoured or absent. */
  static final String PROPERTY_PROBLEM;
  static final VectorShape SHAPE;
  /** Lanes of a float vector and of a double vector at {@link #SHAPE}. */
  static final int FLOAT_LANES, DOUBLE_LANES;
  /**
   * The logical width of the float exp passes' lane sums: sixteen lanes, one vector at 512 bits, two at
   * 256, four at 128, so that each entry of a row goes to the same logical lane's sums at every width
   * ({@link VectorWidth#PARTS_FLOAT}; a vector wider than 512 bits would be one part of its own lane count).
   */
  static final int SUM_LANES_FLOAT;
  /** The logical width of the double passes' lane sums, eight lanes ({@link VectorWidth#SUM_LANES_DOUBLE}). */
  static final int SUM_LANES_DOUBLE;

  static {
    VectorShape preferred = VectorShape.preferredShape();
    String value = System.getProperty(PROPERTY);
    VectorShape chosen = preferred;
    String problem = null;
    if (value != null && !value.isBlank()) {
      int bits = -1;
      try {
        bits = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
      if (bits != 128 && bits != 256 && bits != 512) {
        problem = PROPERTY + " must be 128, 256 or 512, was '" + value + "'";
      } else if (bits > preferred.vectorBitSize()) {
        problem = PROPERTY + "=" + bits + " is wider than this CPU's preferred vector width of "
            + preferred.vectorBitSize() + " bits";
      } else {
        chosen = VectorShape.forBitSize(bits);
      }
    }
    SHAPE = chosen;
    PROPERTY_PROBLEM = problem;
    FLOAT_LANES = chosen.vectorBitSize() / Float.SIZE;
    DOUBLE_LANES = chosen.vectorBitSize() / Double.SIZE;
    SUM_LANES_FLOAT = Math.max(16, FLOAT_LANES);
    SUM_LANES_DOUBLE = Math.max(8, DOUBLE_LANES);
  }

  private VectorBits() {}
}
