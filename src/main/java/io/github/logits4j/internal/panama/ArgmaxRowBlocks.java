package io.github.logits4j.internal.panama;

import static jdk.incubator.vector.VectorOperators.NE;
import static jdk.incubator.vector.VectorOperators.D2I;
import static jdk.incubator.vector.VectorOperators.GT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Argmax of narrow rows, a block of rows at a time: the dispatch among the block kernels, and the
 * transposing one, one row per lane. A row narrower than two vectors is too short for the vector
 * passes of {@link Argmax}, and a scalar scan of it spends its time in mispredicted branches; here column
 * {@code j} of a block of rows is one vector, loaded from the block transposed into {@link ThreadScratch}
 * (by lane permutations, {@link BlockTranspose}, for rows shorter than a vector), and a lane takes column
 * {@code j} when it is strictly greater than the lane's best so far (so ties, +0.0 against -0.0 included, keep the lower index)
 * or when it is the row's first NaN (which then stays, as nothing compares greater than NaN). That is
 * {@code numpy.argmax}'s rule, the one the scalar scan follows.
 *
 * <p>The transposition's permutations grow as {@code n^2} per block, and from one vector on it is scalar
 * copies; rows from 0.4 of a vector to under two ({@link ArgmaxMaxTree#serves}, at four lanes or more) go
 * instead to {@link ArgmaxMaxTree}, whose cost per block barely depends on {@code n}. Rows of 2, 4 or 8
 * entries up to half a vector go to {@link ArgmaxLaneGroups} before either: no transposition, and a block
 * of row maxima and keys by merges of whole vectors. (Over memory segments the float rows the max tree
 * serves go to it in place, those it does not through arrays: {@code PanamaKernels}.)
 */
final class ArgmaxRowBlocks {
  private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
  private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
  private static final VectorSpecies<Integer> I = VectorWidth.INT;
  /** Ints with as many lanes as {@link #D}: the row indexes of a double block. */
  private static final VectorSpecies<Integer> I_HALF =
      VectorSpecies.of(int.class, VectorShape.forBitSize(D.vectorBitSize() / 2));


  private ArgmaxRowBlocks() {}

  /**
   * {@code out[r] = argmax(row r)} for the leading whole blocks of {@code rows} rows of
   * {@code n < VectorWidth.NARROW_FLOAT} entries; returns how many rows it did (a multiple of the lane count).
   */
  static int argmax(float[] x, int xo, int[] out, int oo, int rows, int n) {
    final int lanes = F.length();
    if (ArgmaxLaneGroups.serves(n, lanes)) {
      return ArgmaxLaneGroups.argmax(x, xo, out, oo, rows, n);
    }
    if (ArgmaxMaxTree.serves(n, lanes)) {
      return ArgmaxMaxTree.argmax(x, xo, out, oo, rows, n);
    }
    float[] t = ThreadScratch.get().floats;
    int r = 0;
    for (; r + lanes <= rows; r += lanes) {
      if (n < lanes) {
        BlockTranspose.toColumns(x, xo + r * n, n, t, 0);
      } else {
        ThreadScratch.transpose(x, xo + r * n, n, lanes, t, 0);
      }
      FloatVector best = FloatVector.fromArray(F, t, 0);
      IntVector index = IntVector.zero(I);
      for (int j = 1; j < n; j++) {
        FloatVector v = FloatVector.fromArray(F, t, j * lanes);
        VectorMask<Float> take = v.compare(GT, best).or(v.compare(NE, v).andNot(best.compare(NE, best)));
        best = best.blend(v, take);
        index = index.blend(j, take.cast(I));
      }
      index.intoArray(out, oo + r);
    }
    return r;
  }

  /** The double twin of {@link #argmax(float[], int, int[], int, int, int)}, for {@code n < VectorWidth.NARROW_DOUBLE}. */
  static int argmax(double[] x, int xo, int[] out, int oo, int rows, int n) {
    final int lanes = D.length();
    if (ArgmaxLaneGroups.serves(n, lanes)) {
      return ArgmaxLaneGroups.argmax(x, xo, out, oo, rows, n);
    }
    if (ArgmaxMaxTree.serves(n, lanes)) {
      return ArgmaxMaxTree.argmax(x, xo, out, oo, rows, n);
    }
    double[] t = ThreadScratch.get().doubles;
    int r = 0;
    for (; r + lanes <= rows; r += lanes) {
      if (n < lanes) {
        BlockTranspose.toColumns(x, xo + r * n, n, t, 0);
      } else {
        ThreadScratch.transpose(x, xo + r * n, n, lanes, t, 0);
      }
      DoubleVector best = DoubleVector.fromArray(D, t, 0);
      DoubleVector index = DoubleVector.zero(D);  // small integers, exact in double
      for (int j = 1; j < n; j++) {
        DoubleVector v = DoubleVector.fromArray(D, t, j * lanes);
        VectorMask<Double> take = v.compare(GT, best).or(v.compare(NE, v).andNot(best.compare(NE, best)));
        best = best.blend(v, take);
        index = index.blend(j, take);
      }
      ((IntVector) index.convertShape(D2I, I_HALF, 0)).intoArray(out, oo + r);
    }
    return r;
  }
}
