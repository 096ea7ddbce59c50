package io.github.logits4j;

import io.github.logits4j.kernels.KernelProvider;
import io.github.logits4j.kernels.LossKernels;
import java.util.Objects;

/**
 * Cross-entropy from logits, fused with log-softmax: PyTorch's {@code cross_entropy}, Keras'
 * {@code from_logits=True}.
 *
 * <p>{@link #sparse()} takes one integer label per row, {@link #dense()} a probability row per logits row.
 * Configure with the fluent methods; each returns a new immutable, thread-safe instance:
 * <pre>{@code
 * CrossEntropy ce = CrossEntropy.sparse().ignoreIndex(-100).labelSmoothing(0.1).reduction(Reduction.MEAN);
 * double loss = ce.lossAndGradient(logits, cols, labels, grad);
 * }</pre>
 *
 * <p><b>Definition.</b> With {@code nll(c) = -log softmax(x_r)[c]} and class weights {@code w} (all 1 by
 * default):
 * <ul>
 *   <li>sparse: {@code l_r = (1-eps) * w[y_r] * nll(y_r) + (eps/C) * sum_c w[c] * nll(c)}; a row whose label is
 *       {@code ignoreIndex} adds no loss and gets a zero gradient row, whatever its logits hold;</li>
 *   <li>dense: {@code l_r = sum_c w[c] * t'_rc * nll(c)} with {@code t' = (1-eps) t + eps/C}; a zero target
 *       contributes nothing even where the logit is -inf.</li>
 * </ul>
 * {@link Reduction#MEAN} divides by the sum of {@code w[y_r]} over the rows that are not ignored (sparse;
 * NaN, 0/0, when every row is ignored) or by the row count (dense); {@link Reduction#SUM} and
 * {@link Reduction#NONE} return the sum.
 *
 * <p><b>Numerics.</b> {@code nll(c) = (max - x[c]) + log1p(s)}, {@code s} the compensated sum of the
 * exponentials below the row maximum: never {@code log} of an underflowed probability, so every finite
 * logit (up to +-3e38 in float, +-1.7e308 in double) gives a finite loss where the exact loss is finite,
 * with label smoothing and dense targets too, and a confident row's tiny loss keeps its relative accuracy.
 * Losses are accumulated and returned in double. A NaN logit in a row that is not ignored gives that row a
 * NaN loss. Per-row float losses beyond the float range round to infinity.
 *
 * <p><b>Gradients.</b> {@code lossAndGradient} returns the reduced loss, the same bits {@code loss}
 * returns, and writes {@code d(loss)/d(logits)} for the configured reduction and weights in one fused pass
 * per row: {@code scale * (A p_j - B_j)}, with {@code p} the row's softmax, {@code A} the sum of the row's
 * weights ({@code w[c] t'[c]}, or {@code (1-eps) w[y] + (eps/C) sum w} for a sparse row) and {@code B_j}
 * the weight of class {@code j}. With {@link Reduction#MEAN} over a total weight of zero the loss is 0/0
 * (NaN, or +inf where smoothing gives the rows a loss), and every row that counts gets a NaN gradient.
 *
 * <p><b>Accuracy</b>, against the exact loss of the given inputs: each row loss within 2 ulps of the
 * output type, tiny losses included; a reduced loss within 2 ulps of the logits' type at the exact result
 * (for float logits, 2 float ulps of the double result); each gradient entry within {@code 6 u} of
 * {@code scale (A p_j + B_j)}, the magnitude of its two terms, {@code u} the unit roundoff of the logits'
 * type, plus {@code scale A + 1} subnormal ulps for probabilities below the smallest normal. Without the
 * vector module the scalar reference meets these bounds for float logits; for double logits its errors
 * grow with the spread and length of a row (README).
 *
 * <p><b>Arguments.</b> Weights come in the logits' type ({@code float[]} for float logits). Bad input throws
 * {@link IllegalArgumentException} naming the argument, row or column and value, before any output is
 * written: a label outside {@code [0, cols)} that is not {@code ignoreIndex}, lengths that do not match,
 * negative or non-finite weights, smoothing outside {@code [0, 1)}, a dense target row with a negative
 * entry.
 */
public final class CrossEntropy {
  private enum Kind { SPARSE, DENSE }

  private static final LossKernels KERNELS = KernelProvider.losses();

  private final Kind kind;
  private final int ignoreIndex;
  private final float[] weightsF;
  private final double[] weightsD;
  private final double smoothing;
  private final Reduction reduction;

  private CrossEntropy(Kind kind, int ignoreIndex, float[] weightsF, double[] weightsD, double smoothing,
      Reduction reduction) {
    this.kind = kind;
    this.ignoreIndex = ignoreIndex;
    this.weightsF = weightsF;
    this.weightsD = weightsD;
    this.smoothing = smoothing;
    this.reduction = reduction;
  }

  /**
   * Sparse cross-entropy: one integer label per row, {@code ignoreIndex} -100, no weights, no smoothing,
   * {@link Reduction#MEAN}.
   *
   * @return the configuration
   */
  public static CrossEntropy sparse() {
    return new CrossEntropy(Kind.SPARSE, -100, null, null, 0, Reduction.MEAN);
  }

  /**
   * Dense cross-entropy: a row of target probabilities per logits row, no weights, no smoothing,
   * {@link Reduction#MEAN}.
   *
   * @return the configuration
   */
  public static CrossEntropy dense() {
    return new CrossEntropy(Kind.DENSE, -100, null, null, 0, Reduction.MEAN);
  }

  /**
   * The label value whose rows are ignored (sparse only).
   *
   * @param index any int; default -100
   * @return a new configuration
   * @throws IllegalStateException on a dense configuration
   */
  public CrossEntropy ignoreIndex(int index) {
    if (kind != Kind.SPARSE) {
      throw new IllegalStateException("ignoreIndex applies to sparse cross-entropy only");
    }
    return new CrossEntropy(kind, index, weightsF, weightsD, smoothing, reduction);
  }

  /**
   * Per-class weights for float logits, one per column; copied.
   *
   * @param w finite, non-negative weights
   * @return a new configuration
   * @throws IllegalArgumentException for a negative or non-finite weight
   * @throws NullPointerException if {@code w} is null
   */
  public CrossEntropy classWeights(float[] w) {
    Checks.notNull(w, "classWeights");
    for (int c = 0; c < w.length; c++) {
      if (!(w[c] >= 0) || !Float.isFinite(w[c])) {
        throw new IllegalArgumentException("classWeights[" + c + "] must be finite and >= 0, was " + w[c]);
      }
    }
    return new CrossEntropy(kind, ignoreIndex, w.clone(), null, smoothing, reduction);
  }

  /**
   * Per-class weights for double logits, one per column; copied.
   *
   * @param w finite, non-negative weights
   * @return a new configuration
   * @throws IllegalArgumentException for a negative or non-finite weight
   * @throws NullPointerException if {@code w} is null
   */
  public CrossEntropy classWeights(double[] w) {
    Checks.notNull(w, "classWeights");
    for (int c = 0; c < w.length; c++) {
      if (!(w[c] >= 0) || !Double.isFinite(w[c])) {
        throw new IllegalArgumentException("classWeights[" + c + "] must be finite and >= 0, was " + w[c]);
      }
    }
    return new CrossEntropy(kind, ignoreIndex, null, w.clone(), smoothing, reduction);
  }

  /**
   * Label smoothing {@code eps}: the target becomes {@code (1-eps) * target + eps/C}.
   *
   * @param eps in {@code [0, 1)}; default 0
   * @return a new configuration
   * @throws IllegalArgumentException for {@code eps} outside {@code [0, 1)}
   */
  public CrossEntropy labelSmoothing(double eps) {
    if (!(eps >= 0 && eps < 1)) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1), was " + eps);
    }
    return new CrossEntropy(kind, ignoreIndex, weightsF, weightsD, eps, reduction);
  }

  /**
   * The reduction of the row losses.
   *
   * @param r NONE, SUM or MEAN; default MEAN
   * @return a new configuration
   * @throws NullPointerException if {@code r} is null
   */
  public CrossEntropy reduction(Reduction r) {
    return new CrossEntropy(kind, ignoreIndex, weightsF, weightsD, smoothing, Objects.requireNonNull(r,
        "reduction must not be null"));
  }

  // ============================================================================================ sparse, float

  /**
   * The reduced sparse cross-entropy of float logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits, {@code rows = logits.length / cols}
   * @param cols classes per row, {@code > 0}
   * @param labels one label per row, {@code labels.length == rows}
   * @return the reduced loss, in double
   * @throws IllegalArgumentException for bad shapes, labels or weights (see the class comment)
   * @throws IllegalStateException on a dense configuration
   */
  public double loss(float[] logits, int cols, int[] labels) {
    int rows = sparseShape(logits == null ? 0 : logits.length, cols, labels, logits);
    return loss(logits, 0, rows, cols, labels, 0);
  }

  /**
   * The reduced sparse cross-entropy of {@code rows} rows of float logits at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows, {@code >= 0}
   * @param cols classes per row, {@code > 0}
   * @param labels the labels
   * @param labelsOffset index of the first row's label
   * @return the reduced loss, in double
   * @throws IllegalArgumentException for bad ranges, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double loss(float[] logits, int offset, int rows, int cols, int[] labels, int labelsOffset) {
    return sparse(logits, offset, rows, cols, labels, labelsOffset, null, 0, null, 0);
  }

  /**
   * The reduced sparse cross-entropy and its gradient with respect to the logits, fused. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param labels one label per row
   * @param grad receives the gradient, {@code grad.length == logits.length}; may not be {@code logits}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double lossAndGradient(float[] logits, int cols, int[] labels, float[] grad) {
    int rows = sparseShape(logits == null ? 0 : logits.length, cols, labels, logits);
    Checks.notNull(grad, "grad");
    sameLength(grad.length, logits.length, "grad");
    return lossAndGradient(logits, 0, rows, cols, labels, 0, grad, 0);
  }

  /**
   * {@link #lossAndGradient(float[], int, int[], float[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param labels the labels
   * @param labelsOffset index of the first row's label
   * @param grad receives the gradient
   * @param gradOffset index of the first gradient entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double lossAndGradient(float[] logits, int offset, int rows, int cols, int[] labels, int labelsOffset,
      float[] grad, int gradOffset) {
    Checks.notNull(grad, "grad");
    return sparse(logits, offset, rows, cols, labels, labelsOffset, grad, gradOffset, null, 0);
  }

  /**
   * Each row's loss (0 for an ignored row), without reduction. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param labels one label per row
   * @param out one loss per row, {@code out.length == rows}
   * @throws IllegalArgumentException for bad shapes, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public void rowLosses(float[] logits, int cols, int[] labels, float[] out) {
    int rows = sparseShape(logits == null ? 0 : logits.length, cols, labels, logits);
    Checks.notNull(out, "out");
    sameLength(out.length, rows, "out");
    rowLosses(logits, 0, rows, cols, labels, 0, out, 0);
  }

  /**
   * {@link #rowLosses(float[], int, int[], float[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param labels the labels
   * @param labelsOffset index of the first row's label
   * @param out one loss per row
   * @param outOffset index of the first row's loss
   * @throws IllegalArgumentException for bad ranges, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public void rowLosses(float[] logits, int offset, int rows, int cols, int[] labels, int labelsOffset, float[] out,
      int outOffset) {
    Checks.notNull(out, "out");
    sparse(logits, offset, rows, cols, labels, labelsOffset, null, 0, out, outOffset);
  }

  // =========================================================================================== sparse, double

  /**
   * The reduced sparse cross-entropy of double logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param labels one label per row
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double loss(double[] logits, int cols, int[] labels) {
    int rows = sparseShape(logits == null ? 0 : logits.length, cols, labels, logits);
    return loss(logits, 0, rows, cols, labels, 0);
  }

  /**
   * The reduced sparse cross-entropy of double logits at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param labels the labels
   * @param labelsOffset index of the first row's label
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double loss(double[] logits, int offset, int rows, int cols, int[] labels, int labelsOffset) {
    return sparse(logits, offset, rows, cols, labels, labelsOffset, null, 0, null, 0);
  }

  /**
   * The reduced sparse cross-entropy of double logits and its gradient. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param labels one label per row
   * @param grad receives the gradient, {@code grad.length == logits.length}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double lossAndGradient(double[] logits, int cols, int[] labels, double[] grad) {
    int rows = sparseShape(logits == null ? 0 : logits.length, cols, labels, logits);
    Checks.notNull(grad, "grad");
    sameLength(grad.length, logits.length, "grad");
    return lossAndGradient(logits, 0, rows, cols, labels, 0, grad, 0);
  }

  /**
   * {@link #lossAndGradient(double[], int, int[], double[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param labels the labels
   * @param labelsOffset index of the first row's label
   * @param grad receives the gradient
   * @param gradOffset index of the first gradient entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public double lossAndGradient(double[] logits, int offset, int rows, int cols, int[] labels, int labelsOffset,
      double[] grad, int gradOffset) {
    Checks.notNull(grad, "grad");
    return sparse(logits, offset, rows, cols, labels, labelsOffset, grad, gradOffset, null, 0);
  }

  /**
   * Each row's loss for double logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param labels one label per row
   * @param out one loss per row, {@code out.length == rows}
   * @throws IllegalArgumentException for bad shapes, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public void rowLosses(double[] logits, int cols, int[] labels, double[] out) {
    int rows = sparseShape(logits == null ? 0 : logits.length, cols, labels, logits);
    Checks.notNull(out, "out");
    sameLength(out.length, rows, "out");
    rowLosses(logits, 0, rows, cols, labels, 0, out, 0);
  }

  /**
   * {@link #rowLosses(double[], int, int[], double[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param labels the labels
   * @param labelsOffset index of the first row's label
   * @param out one loss per row
   * @param outOffset index of the first row's loss
   * @throws IllegalArgumentException for bad ranges, labels or weights
   * @throws IllegalStateException on a dense configuration
   */
  public void rowLosses(double[] logits, int offset, int rows, int cols, int[] labels, int labelsOffset,
      double[] out, int outOffset) {
    Checks.notNull(out, "out");
    sparse(logits, offset, rows, cols, labels, labelsOffset, null, 0, out, outOffset);
  }

  // ============================================================================================= dense, float

  /**
   * The reduced dense cross-entropy of float logits against probability rows. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param targets a target row per logits row, {@code targets.length == logits.length}, no negative entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double loss(float[] logits, int cols, float[] targets) {
    int rows = denseShape(logits, cols, targets);
    return loss(logits, 0, rows, cols, targets, 0);
  }

  /**
   * The reduced dense cross-entropy at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param targets the target rows
   * @param targetsOffset index of the first target
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double loss(float[] logits, int offset, int rows, int cols, float[] targets, int targetsOffset) {
    return dense(logits, offset, rows, cols, targets, targetsOffset, null, 0, null, 0);
  }

  /**
   * The reduced dense cross-entropy and its gradient. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param targets the target rows, {@code targets.length == logits.length}
   * @param grad receives the gradient, {@code grad.length == logits.length}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double lossAndGradient(float[] logits, int cols, float[] targets, float[] grad) {
    int rows = denseShape(logits, cols, targets);
    Checks.notNull(grad, "grad");
    sameLength(grad.length, logits.length, "grad");
    return lossAndGradient(logits, 0, rows, cols, targets, 0, grad, 0);
  }

  /**
   * {@link #lossAndGradient(float[], int, float[], float[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param targets the target rows
   * @param targetsOffset index of the first target
   * @param grad receives the gradient
   * @param gradOffset index of the first gradient entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double lossAndGradient(float[] logits, int offset, int rows, int cols, float[] targets, int targetsOffset,
      float[] grad, int gradOffset) {
    Checks.notNull(grad, "grad");
    return dense(logits, offset, rows, cols, targets, targetsOffset, grad, gradOffset, null, 0);
  }

  /**
   * Each row's dense cross-entropy. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param targets the target rows
   * @param out one loss per row, {@code out.length == rows}
   * @throws IllegalArgumentException for bad shapes, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public void rowLosses(float[] logits, int cols, float[] targets, float[] out) {
    int rows = denseShape(logits, cols, targets);
    Checks.notNull(out, "out");
    sameLength(out.length, rows, "out");
    rowLosses(logits, 0, rows, cols, targets, 0, out, 0);
  }

  /**
   * {@link #rowLosses(float[], int, float[], float[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param targets the target rows
   * @param targetsOffset index of the first target
   * @param out one loss per row
   * @param outOffset index of the first row's loss
   * @throws IllegalArgumentException for bad ranges, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public void rowLosses(float[] logits, int offset, int rows, int cols, float[] targets, int targetsOffset,
      float[] out, int outOffset) {
    Checks.notNull(out, "out");
    dense(logits, offset, rows, cols, targets, targetsOffset, null, 0, out, outOffset);
  }

  // ============================================================================================ dense, double

  /**
   * The reduced dense cross-entropy of double logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param targets the target rows, {@code targets.length == logits.length}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double loss(double[] logits, int cols, double[] targets) {
    int rows = denseShape(logits, cols, targets);
    return loss(logits, 0, rows, cols, targets, 0);
  }

  /**
   * The reduced dense cross-entropy of double logits at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param targets the target rows
   * @param targetsOffset index of the first target
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double loss(double[] logits, int offset, int rows, int cols, double[] targets, int targetsOffset) {
    return dense(logits, offset, rows, cols, targets, targetsOffset, null, 0, null, 0);
  }

  /**
   * The reduced dense cross-entropy of double logits and its gradient. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param targets the target rows
   * @param grad receives the gradient, {@code grad.length == logits.length}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double lossAndGradient(double[] logits, int cols, double[] targets, double[] grad) {
    int rows = denseShape(logits, cols, targets);
    Checks.notNull(grad, "grad");
    sameLength(grad.length, logits.length, "grad");
    return lossAndGradient(logits, 0, rows, cols, targets, 0, grad, 0);
  }

  /**
   * {@link #lossAndGradient(double[], int, double[], double[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param targets the target rows
   * @param targetsOffset index of the first target
   * @param grad receives the gradient
   * @param gradOffset index of the first gradient entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public double lossAndGradient(double[] logits, int offset, int rows, int cols, double[] targets,
      int targetsOffset, double[] grad, int gradOffset) {
    Checks.notNull(grad, "grad");
    return dense(logits, offset, rows, cols, targets, targetsOffset, grad, gradOffset, null, 0);
  }

  /**
   * Each row's dense cross-entropy for double logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols classes per row
   * @param targets the target rows
   * @param out one loss per row, {@code out.length == rows}
   * @throws IllegalArgumentException for bad shapes, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public void rowLosses(double[] logits, int cols, double[] targets, double[] out) {
    int rows = denseShape(logits, cols, targets);
    Checks.notNull(out, "out");
    sameLength(out.length, rows, "out");
    rowLosses(logits, 0, rows, cols, targets, 0, out, 0);
  }

  /**
   * {@link #rowLosses(double[], int, double[], double[])} at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols classes per row
   * @param targets the target rows
   * @param targetsOffset index of the first target
   * @param out one loss per row
   * @param outOffset index of the first row's loss
   * @throws IllegalArgumentException for bad ranges, targets or weights
   * @throws IllegalStateException on a sparse configuration
   */
  public void rowLosses(double[] logits, int offset, int rows, int cols, double[] targets, int targetsOffset,
      double[] out, int outOffset) {
    Checks.notNull(out, "out");
    dense(logits, offset, rows, cols, targets, targetsOffset, null, 0, out, outOffset);
  }

  // ============================================================================================= the work

  /**
   * Validates everything, then runs the rows. {@code grad} and {@code out} are each null or not; exactly
   * one of the float or double arrays is used. Returns the reduced loss.
   */
  private double sparse(Object logits, int offset, int rows, int cols, int[] labels, int labelsOffset,
      Object grad, int gradOffset, Object out, int outOffset) {
    requireKind(Kind.SPARSE);
    boolean isFloat = logits instanceof float[];
    Checks.notNull(logits, "logits");
    Checks.notNull(labels, "labels");
    Checks.batch(java.lang.reflect.Array.getLength(logits), offset, rows, cols, "logits", "offset");
    Checks.range(labels.length, labelsOffset, rows, "labels", "labelsOffset");
    checkOutputs(logits, offset, rows, cols, grad, gradOffset, out, outOffset);
    Object weights = weightsFor(isFloat, cols);
    // Labels, and the MEAN denominator: the weights of the target classes of the rows that count.
    double denominator = 0, denominatorLo = 0;
    for (int r = 0; r < rows; r++) {
      int label = labels[labelsOffset + r];
      if (label == ignoreIndex) {
        continue;
      }
      if (label < 0 || label >= cols) {
        throw new IllegalArgumentException("labels[" + (labelsOffset + r) + "] = " + label + " (row " + r
            + ") is outside [0, " + cols + ") and is not ignoreIndex (" + ignoreIndex + ")");
      }
      double w = weights == null ? 1 : isFloat ? ((float[]) weights)[label] : ((double[]) weights)[label];
      double next = denominator + w;
      denominatorLo += twoSumError(denominator, w, next);
      denominator = next;
    }
    // MEAN with a total weight of zero is 0/0 (or a loss over 0): every row that counts gets a NaN gradient
    double scale = reduction != Reduction.MEAN ? 1 : denominator == 0 ? Double.NaN : 1 / (denominator + denominatorLo);
    Total total = new Total();
    for (int r = 0; r < rows; r++) {
      int label = labels[labelsOffset + r];
      double l = 0;
      if (label == ignoreIndex) {
        zeroRow(grad, gradOffset + r * cols, cols);
      } else {
        l = sparseRow(logits, offset + r * cols, cols, label, weights, grad, gradOffset + r * cols, scale, 0);
      }
      total.add(l);
      storeRowLoss(out, outOffset + r, l);
    }
    if (reduction != Reduction.MEAN) {
      return total.value();
    }
    if (total.overflowed()) {
      // The sum of the row losses, or one of them, is beyond the range, while the mean may not be: the
      // losses again at the scale 2^-SHIFT, their mean, scaled back.
      Total scaled = new Total();
      for (int r = 0; r < rows; r++) {
        int label = labels[labelsOffset + r];
        if (label != ignoreIndex) {
          scaled.add(sparseRow(logits, offset + r * cols, cols, label, weights, null, 0, 0, Total.SHIFT));
        }
      }
      return Math.scalb(scaled.dividedBy(denominator, denominatorLo), Total.SHIFT);
    }
    return total.dividedBy(denominator, denominatorLo);
  }

  private double sparseRow(Object logits, int xo, int cols, int label, Object weights, Object grad, int go,
      double scale, int shift) {
    return logits instanceof float[] f
        ? KERNELS.sparseRow(f, xo, cols, label, (float[]) weights, smoothing, (float[]) grad, go, scale, shift)
        : KERNELS.sparseRow((double[]) logits, xo, cols, label, (double[]) weights, smoothing, (double[]) grad, go,
            scale, shift);
  }

  private double denseRow(Object logits, int xo, int cols, Object targets, int to, Object weights, Object grad,
      int go, double scale, int shift) {
    return logits instanceof float[] f
        ? KERNELS.denseRow(f, xo, cols, (float[]) targets, to, (float[]) weights, smoothing, (float[]) grad, go, scale,
            shift)
        : KERNELS.denseRow((double[]) logits, xo, cols, (double[]) targets, to, (double[]) weights, smoothing,
            (double[]) grad, go, scale, shift);
  }

  private double dense(Object logits, int offset, int rows, int cols, Object targets, int targetsOffset,
      Object grad, int gradOffset, Object out, int outOffset) {
    requireKind(Kind.DENSE);
    boolean isFloat = logits instanceof float[];
    Checks.notNull(logits, "logits");
    Checks.notNull(targets, "targets");
    Checks.batch(java.lang.reflect.Array.getLength(logits), offset, rows, cols, "logits", "offset");
    Checks.range(java.lang.reflect.Array.getLength(targets), targetsOffset, (long) rows * cols, "targets",
        "targetsOffset");
    checkOutputs(logits, offset, rows, cols, grad, gradOffset, out, outOffset);
    Object weights = weightsFor(isFloat, cols);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int i = targetsOffset + r * cols + c;
        double t = isFloat ? ((float[]) targets)[i] : ((double[]) targets)[i];
        if (t < 0) {
          throw new IllegalArgumentException("targets row " + r + " has a negative entry: targets[" + i + "] = " + t
              + " (column " + c + ")");
        }
      }
    }
    double scale = reduction == Reduction.MEAN ? 1.0 / rows : 1;
    Total total = new Total();
    for (int r = 0; r < rows; r++) {
      int xo = offset + r * cols, to = targetsOffset + r * cols, go = gradOffset + r * cols;
      double l = denseRow(logits, xo, cols, targets, to, weights, grad, go, scale, 0);
      total.add(l);
      storeRowLoss(out, outOffset + r, l);
    }
    if (reduction != Reduction.MEAN) {
      return total.value();
    }
    if (total.overflowed()) {
      Total scaled = new Total();
      for (int r = 0; r < rows; r++) {
        scaled.add(denseRow(logits, offset + r * cols, cols, targets, targetsOffset + r * cols, weights, null, 0, 0,
            Total.SHIFT));
      }
      return Math.scalb(scaled.dividedBy(rows, 0), Total.SHIFT);
    }
    return total.dividedBy(rows, 0);
  }

  /**
   * The sum of the row losses, each rounded once from an accurate value, kept as a double-double (TwoSum)
   * so that a reduced loss over any number of rows is rounded once more at the end.
   */
  private static final class Total {
    /** The scale exponent of a mean's second pass, when its sum overflowed. */
    static final int SHIFT = 64;
    double hi, lo;

    void add(double l) {
      double next = hi + l;
      lo += twoSumError(hi, l, next);
      hi = next;
    }

    /** Whether the sum reached +inf: a row loss, or the sum, beyond the double range. */
    boolean overflowed() {
      return hi == Double.POSITIVE_INFINITY;
    }

    /** The sum, or the infinity or NaN it reached. */
    double value() {
      return Double.isFinite(hi) ? hi + lo : hi;
    }

    /** {@code (hi + lo) / (dHi + dLo)}, rounded once. */
    double dividedBy(double dHi, double dLo) {
      return divide(hi, lo, dHi, dLo);
    }
  }

  /** The rounding error of {@code s = a + b} (Knuth's TwoSum). */
  private static double twoSumError(double a, double b, double s) {
    double bb = s - a;
    return (a - (s - bb)) + (b - bb);
  }

  /** {@code (aHi + aLo) / (bHi + bLo)}, rounded once. */
  private static double divide(double aHi, double aLo, double bHi, double bLo) {
    double q = aHi / bHi;
    return Double.isFinite(q) ? q + (Math.fma(-q, bHi, aHi) + aLo - q * bLo) / bHi : q;
  }

  private void requireKind(Kind wanted) {
    if (kind != wanted) {
      throw new IllegalStateException("this is a " + kind.name().toLowerCase() + " cross-entropy; "
          + (wanted == Kind.SPARSE ? "integer labels need CrossEntropy.sparse()"
              : "probability targets need CrossEntropy.dense()"));
    }
  }

  /** The class weights in the logits' type, checked against the column count; null for none. */
  private Object weightsFor(boolean isFloat, int cols) {
    Object w = isFloat ? weightsF : weightsD;
    Object other = isFloat ? weightsD : weightsF;
    if (w == null && other != null) {
      throw new IllegalArgumentException("classWeights were given as " + (isFloat ? "double[]" : "float[]")
          + "; " + (isFloat ? "float" : "double") + " logits need " + (isFloat ? "float[]" : "double[]")
          + " weights");
    }
    if (w != null && java.lang.reflect.Array.getLength(w) != cols) {
      throw new IllegalArgumentException("classWeights.length must equal cols=" + cols + ", was "
          + java.lang.reflect.Array.getLength(w));
    }
    return w;
  }

  private static void checkOutputs(Object logits, int offset, int rows, int cols, Object grad, int gradOffset,
      Object out, int outOffset) {
    if (grad != null) {
      if (grad.getClass() != logits.getClass()) {
        throw new IllegalArgumentException("grad must have the logits' type");
      }
      Checks.range(java.lang.reflect.Array.getLength(grad), gradOffset, (long) rows * cols, "grad", "gradOffset");
      if (grad == logits) {
        throw new IllegalArgumentException("grad must not be the logits array");
      }
    }
    if (out != null) {
      Checks.range(java.lang.reflect.Array.getLength(out), outOffset, rows, "out", "outOffset");
    }
  }

  private static void zeroRow(Object grad, int from, int cols) {
    if (grad instanceof float[] g) {
      java.util.Arrays.fill(g, from, from + cols, 0f);
    } else if (grad instanceof double[] g) {
      java.util.Arrays.fill(g, from, from + cols, 0.0);
    }
  }

  private static void storeRowLoss(Object out, int at, double l) {
    if (out instanceof float[] o) {
      o[at] = (float) l;
    } else if (out instanceof double[] o) {
      o[at] = l;
    }
  }

  private static int sparseShape(int length, int cols, int[] labels, Object logits) {
    Checks.notNull(logits, "logits");
    Checks.notNull(labels, "labels");
    int rows = Checks.rowsOf(length, cols, "logits");
    sameLength(labels.length, rows, "labels");
    return rows;
  }

  private static int denseShape(Object logits, int cols, Object targets) {
    Checks.notNull(logits, "logits");
    Checks.notNull(targets, "targets");
    int length = java.lang.reflect.Array.getLength(logits);
    int rows = Checks.rowsOf(length, cols, "logits");
    sameLength(java.lang.reflect.Array.getLength(targets), length, "targets");
    return rows;
  }

  private static void sameLength(int length, int expected, String name) {
    if (length != expected) {
      throw new IllegalArgumentException(name + ".length must be " + expected + ", was " + length);
    }
  }
}
