package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.EQ;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A block of {@code F.length()} float rows of {@code n < F.length()} entries moved between rows and
 * columns with one-vector lane permutations: column {@code j} ({@code x[row * n + j]} in lane {@code row})
 * gathers its lanes from the block's {@code n} row-major vectors, one permutation and one blend each, and
 * back. A permutation within one vector is one instruction that C2 always intrinsifies, unlike the Vector
 * API's gathers; and {@code n^2} of them cost less than the scalar copies of {@link ThreadScratch#transpose}
 * for the widths served (at 16384x4 a probe measured 0.25 ns per entry into columns, where the scalar
 * copies took 0.7).
 *
 * <p>No vector crosses these methods' boundaries: they read and write arrays, so a caller left out of line
 * boxes nothing.
 */
final class BlockTranspose {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Integer> I = VectorWidth.INT;
  private static final int LANES = F.length();

  /**
   * For each {@code n}, at {@link #IN}{@code [n]}, column {@code j}'s pair of index vectors (the lane to pick
   * in a row-major vector, and which of the {@code n} row-major vectors holds it), and at
   * {@link #OUT}{@code [n]} row-major vector {@code k}'s pair (the lane to pick in a column, and which
   * column holds it).
   */
  private static final int[] TABLES;
  private static final int[] IN = new int[LANES], OUT = new int[LANES];

  static {
    int size = 0;
    for (int n = 1; n < LANES; n++) {
      size += 4 * n * LANES;
    }
    TABLES = new int[size];
    int at = 0;
    for (int n = 1; n < LANES; n++) {
      IN[n] = at;
      for (int j = 0; j < n; j++, at += 2 * LANES) {
        for (int lane = 0; lane < LANES; lane++) {
          int q = lane * n + j;  // row lane, column j, in the row-major block
          TABLES[at + lane] = q % LANES;
          TABLES[at + LANES + lane] = q / LANES;
        }
      }
      OUT[n] = at;
      for (int k = 0; k < n; k++, at += 2 * LANES) {
        for (int lane = 0; lane < LANES; lane++) {
          int q = k * LANES + lane;
          TABLES[at + lane] = q / n;  // the row, which is the lane in a column
          TABLES[at + LANES + lane] = q % n;  // the column
        }
      }
    }
  }

  private BlockTranspose() {}

  /** {@code t[j * LANES + lane] = x[base + lane * n + j]} for the block of rows at {@code base}. */
  static void toColumns(float[] x, int base, int n, float[] t) {
    for (int j = 0, in = IN[n]; j < n; j++, in += 2 * LANES) {
      IntVector pick = IntVector.fromArray(I, TABLES, in), from = IntVector.fromArray(I, TABLES, in + LANES);
      IntVector column = IntVector.zero(I);
      for (int part = 0; part < n; part++) {
        IntVector v = FloatVector.fromArray(F, x, base + part * LANES).reinterpretAsInts();
        column = column.blend(pick.selectFrom(v), from.compare(EQ, part));
      }
      column.reinterpretAsFloats().intoArray(t, j * LANES);
    }
  }

  /** {@code y[yBase + lane * n + j] = t[j * LANES + lane]}: the inverse of {@link #toColumns}. */
  static void toRows(float[] t, int n, float[] y, int yBase) {
    for (int part = 0, out = OUT[n]; part < n; part++, out += 2 * LANES) {
      IntVector pick = IntVector.fromArray(I, TABLES, out), from = IntVector.fromArray(I, TABLES, out + LANES);
      IntVector row = IntVector.zero(I);
      for (int j = 0; j < n; j++) {
        IntVector c = FloatVector.fromArray(F, t, j * LANES).reinterpretAsInts();
        row = row.blend(pick.selectFrom(c), from.compare(EQ, j));
      }
      row.reinterpretAsFloats().intoArray(y, yBase + part * LANES);
    }
  }
}
