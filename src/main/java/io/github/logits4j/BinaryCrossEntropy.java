package io.github.logits4j;

import io.github.logits4j.kernels.KernelProvider;
import io.github.logits4j.kernels.LossKernels;
import java.util.Objects;

/**
 * Binary cross-entropy with logits: PyTorch's {@code binary_cross_entropy_with_logits}, one independent
 * binary target per logit.
 *
 * <pre>{@code
 * BinaryCrossEntropy bce = BinaryCrossEntropy.withLogits().posWeight(pw).reduction(Reduction.MEAN);
 * double loss = bce.lossAndGradient(logits, cols, targets, grad);
 * }</pre>
 *
 * <p><b>Definition.</b> {@code l = w * [(1-z) x + lw * softplus(-x)]} with {@code lw = 1 + (pw-1) z},
 * {@code softplus(-x) = log1p(exp(-|x|)) + max(-x, 0)}: finite for every finite {@code x}, accurate for
 * tiny losses. {@code posWeight} has one entry per column, {@code weights} one per element (both in the
 * logits' type, both default 1). At {@code x = -inf} the loss is 0 for {@code z = 0} and +inf otherwise; at
 * {@code x = +inf} it is 0 for {@code z = 1} and +inf otherwise. Float logits are computed in double and
 * rounded once. {@link Reduction#MEAN} divides by the element count.
 *
 * <p><b>Gradients.</b> {@code lossAndGradient} returns the reduced loss, the same bits {@code loss}
 * returns, and writes {@code scale * w [(1 - z) - lw sigmoid(-x)]}, {@code scale} 1, or 1 over the element
 * count for {@link Reduction#MEAN}.
 *
 * <p><b>Accuracy</b>, against the exact loss of the given inputs: each element loss within 2 ulps of the
 * output type, tiny losses included; a reduced loss within 2 ulps of the logits' type at the exact result
 * (for float logits, 2 float ulps of the double result); a loss beyond the double range is +inf, and a
 * mean whose sum alone would overflow is still finite. Each gradient entry is within {@code 6 u} of
 * {@code scale w (|1 - z| + lw sigmoid(-x))}, the magnitude of its two terms, plus {@code scale w lw + 1}
 * subnormal ulps where {@code sigmoid(-x)} is below the smallest normal. Without the vector module the
 * scalar reference meets these bounds for float logits, and for double logits its element losses are
 * within 4 ulps and its reductions add half an ulp per element.
 *
 * <p>Instances are immutable and thread-safe. Bad input throws {@link IllegalArgumentException} naming the
 * argument and value before any output is written: lengths that do not match, negative or non-finite
 * weights.
 */
public final class BinaryCrossEntropy {
  private static final LossKernels KERNELS = KernelProvider.losses();

  private final Object posWeight;
  private final Object weights;
  private final Reduction reduction;

  private BinaryCrossEntropy(Object posWeight, Object weights, Reduction reduction) {
    this.posWeight = posWeight;
    this.weights = weights;
    this.reduction = reduction;
  }

  /**
   * Binary cross-entropy with logits: no weights, {@link Reduction#MEAN}.
   *
   * @return the configuration
   */
  public static BinaryCrossEntropy withLogits() {
    return new BinaryCrossEntropy(null, null, Reduction.MEAN);
  }

  /**
   * The weight of positive targets, per column, for float logits; copied.
   *
   * @param pw finite, non-negative, one per column
   * @return a new configuration
   * @throws IllegalArgumentException for a negative or non-finite entry
   */
  public BinaryCrossEntropy posWeight(float[] pw) {
    return new BinaryCrossEntropy(checked(pw, "posWeight"), weights, reduction);
  }

  /**
   * The weight of positive targets, per column, for double logits; copied.
   *
   * @param pw finite, non-negative, one per column
   * @return a new configuration
   * @throws IllegalArgumentException for a negative or non-finite entry
   */
  public BinaryCrossEntropy posWeight(double[] pw) {
    return new BinaryCrossEntropy(checked(pw, "posWeight"), weights, reduction);
  }

  /**
   * A weight per element for float logits, the shape of the logits of each call; copied.
   *
   * @param w finite, non-negative
   * @return a new configuration
   * @throws IllegalArgumentException for a negative or non-finite entry
   */
  public BinaryCrossEntropy weights(float[] w) {
    return new BinaryCrossEntropy(posWeight, checked(w, "weights"), reduction);
  }

  /**
   * A weight per element for double logits; copied.
   *
   * @param w finite, non-negative
   * @return a new configuration
   * @throws IllegalArgumentException for a negative or non-finite entry
   */
  public BinaryCrossEntropy weights(double[] w) {
    return new BinaryCrossEntropy(posWeight, checked(w, "weights"), reduction);
  }

  /**
   * The reduction of the element losses.
   *
   * @param r NONE, SUM or MEAN; default MEAN
   * @return a new configuration
   */
  public BinaryCrossEntropy reduction(Reduction r) {
    return new BinaryCrossEntropy(posWeight, weights, Objects.requireNonNull(r, "reduction must not be null"));
  }

  /**
   * The reduced loss of float logits against targets of the same shape. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols columns per row
   * @param targets one target per logit, {@code targets.length == logits.length}
   * @return the reduced loss, in double
   * @throws IllegalArgumentException for bad shapes or weights
   */
  public double loss(float[] logits, int cols, float[] targets) {
    return loss(logits, 0, rows(logits, cols, targets), cols, targets, 0);
  }

  /**
   * The reduced loss at the given offsets; {@code weights} are indexed from the first logit of the batch.
   * Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols columns per row
   * @param targets the targets
   * @param targetsOffset index of the first target
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges or weights
   */
  public double loss(float[] logits, int offset, int rows, int cols, float[] targets, int targetsOffset) {
    return run(logits, offset, rows, cols, targets, targetsOffset, null, 0, null, 0);
  }

  /**
   * The reduced loss and its gradient. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols columns per row
   * @param targets one target per logit
   * @param grad receives the gradient, {@code grad.length == logits.length}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes or weights
   */
  public double lossAndGradient(float[] logits, int cols, float[] targets, float[] grad) {
    int rows = rows(logits, cols, targets);
    Checks.notNull(grad, "grad");
    same(grad.length, logits.length, "grad");
    return run(logits, 0, rows, cols, targets, 0, grad, 0, null, 0);
  }

  /**
   * The reduced loss and its gradient at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols columns per row
   * @param targets the targets
   * @param targetsOffset index of the first target
   * @param grad receives the gradient
   * @param gradOffset index of the first gradient entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges or weights
   */
  public double lossAndGradient(float[] logits, int offset, int rows, int cols, float[] targets, int targetsOffset,
      float[] grad, int gradOffset) {
    Checks.notNull(grad, "grad");
    return run(logits, offset, rows, cols, targets, targetsOffset, grad, gradOffset, null, 0);
  }

  /**
   * Each element's loss, unreduced. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols columns per row
   * @param targets one target per logit
   * @param out one loss per logit, {@code out.length == logits.length}
   * @throws IllegalArgumentException for bad shapes or weights
   */
  public void elementLosses(float[] logits, int cols, float[] targets, float[] out) {
    int rows = rows(logits, cols, targets);
    Checks.notNull(out, "out");
    same(out.length, logits.length, "out");
    run(logits, 0, rows, cols, targets, 0, null, 0, out, 0);
  }

  /**
   * Each element's loss at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols columns per row
   * @param targets the targets
   * @param targetsOffset index of the first target
   * @param out one loss per logit
   * @param outOffset index of the first loss
   * @throws IllegalArgumentException for bad ranges or weights
   */
  public void elementLosses(float[] logits, int offset, int rows, int cols, float[] targets, int targetsOffset,
      float[] out, int outOffset) {
    Checks.notNull(out, "out");
    run(logits, offset, rows, cols, targets, targetsOffset, null, 0, out, outOffset);
  }

  /**
   * The reduced loss of double logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols columns per row
   * @param targets one target per logit
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes or weights
   */
  public double loss(double[] logits, int cols, double[] targets) {
    return loss(logits, 0, rows(logits, cols, targets), cols, targets, 0);
  }

  /**
   * The reduced loss of double logits at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols columns per row
   * @param targets the targets
   * @param targetsOffset index of the first target
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges or weights
   */
  public double loss(double[] logits, int offset, int rows, int cols, double[] targets, int targetsOffset) {
    return run(logits, offset, rows, cols, targets, targetsOffset, null, 0, null, 0);
  }

  /**
   * The reduced loss of double logits and its gradient. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols columns per row
   * @param targets one target per logit
   * @param grad receives the gradient, {@code grad.length == logits.length}
   * @return the reduced loss
   * @throws IllegalArgumentException for bad shapes or weights
   */
  public double lossAndGradient(double[] logits, int cols, double[] targets, double[] grad) {
    int rows = rows(logits, cols, targets);
    Checks.notNull(grad, "grad");
    same(grad.length, logits.length, "grad");
    return run(logits, 0, rows, cols, targets, 0, grad, 0, null, 0);
  }

  /**
   * The reduced loss of double logits and its gradient at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols columns per row
   * @param targets the targets
   * @param targetsOffset index of the first target
   * @param grad receives the gradient
   * @param gradOffset index of the first gradient entry
   * @return the reduced loss
   * @throws IllegalArgumentException for bad ranges or weights
   */
  public double lossAndGradient(double[] logits, int offset, int rows, int cols, double[] targets,
      int targetsOffset, double[] grad, int gradOffset) {
    Checks.notNull(grad, "grad");
    return run(logits, offset, rows, cols, targets, targetsOffset, grad, gradOffset, null, 0);
  }

  /**
   * Each element's loss for double logits. Bounds in the class description.
   *
   * @param logits {@code rows*cols} logits
   * @param cols columns per row
   * @param targets one target per logit
   * @param out one loss per logit, {@code out.length == logits.length}
   * @throws IllegalArgumentException for bad shapes or weights
   */
  public void elementLosses(double[] logits, int cols, double[] targets, double[] out) {
    int rows = rows(logits, cols, targets);
    Checks.notNull(out, "out");
    same(out.length, logits.length, "out");
    run(logits, 0, rows, cols, targets, 0, null, 0, out, 0);
  }

  /**
   * Each element's loss for double logits at the given offsets. Bounds in the class description.
   *
   * @param logits the logits
   * @param offset index of the first logit
   * @param rows number of rows
   * @param cols columns per row
   * @param targets the targets
   * @param targetsOffset index of the first target
   * @param out one loss per logit
   * @param outOffset index of the first loss
   * @throws IllegalArgumentException for bad ranges or weights
   */
  public void elementLosses(double[] logits, int offset, int rows, int cols, double[] targets, int targetsOffset,
      double[] out, int outOffset) {
    Checks.notNull(out, "out");
    run(logits, offset, rows, cols, targets, targetsOffset, null, 0, out, outOffset);
  }

  // ============================================================================================= the work

  private double run(Object logits, int offset, int rows, int cols, Object targets, int targetsOffset, Object grad,
      int gradOffset, Object out, int outOffset) {
    boolean isFloat = logits instanceof float[];
    Checks.notNull(logits, "logits");
    Checks.notNull(targets, "targets");
    Checks.batch(java.lang.reflect.Array.getLength(logits), offset, rows, cols, "logits", "offset");
    long count = (long) rows * cols;
    if (targets.getClass() != logits.getClass()) {
      throw new IllegalArgumentException("targets must have the logits' type");
    }
    Checks.range(java.lang.reflect.Array.getLength(targets), targetsOffset, count, "targets", "targetsOffset");
    if (grad != null) {
      if (grad.getClass() != logits.getClass()) {
        throw new IllegalArgumentException("grad must have the logits' type");
      }
      Checks.range(java.lang.reflect.Array.getLength(grad), gradOffset, count, "grad", "gradOffset");
    }
    if (out != null) {
      if (out.getClass() != logits.getClass()) {
        throw new IllegalArgumentException("out must have the logits' type");
      }
      Checks.range(java.lang.reflect.Array.getLength(out), outOffset, count, "out", "outOffset");
    }
    typed(posWeight, isFloat, "posWeight", cols);
    typed(weights, isFloat, "weights", count);
    double scale = reduction == Reduction.MEAN ? 1.0 / count : 1;
    double divisor = reduction == Reduction.MEAN ? count : 1;
    return isFloat
        ? KERNELS.bceRows((float[]) logits, offset, rows, cols, (float[]) targets, targetsOffset,
            (float[]) posWeight, (float[]) weights, (float[]) out, outOffset, (float[]) grad, gradOffset, scale,
            divisor)
        : KERNELS.bceRows((double[]) logits, offset, rows, cols, (double[]) targets, targetsOffset,
            (double[]) posWeight, (double[]) weights, (double[]) out, outOffset, (double[]) grad, gradOffset,
            scale, divisor);
  }

  private static void typed(Object w, boolean isFloat, String name, long length) {
    if (w == null) {
      return;
    }
    if ((w instanceof float[]) != isFloat) {
      throw new IllegalArgumentException(name + " was given as " + (isFloat ? "double[]" : "float[]") + "; "
          + (isFloat ? "float" : "double") + " logits need " + (isFloat ? "float[]" : "double[]"));
    }
    if (java.lang.reflect.Array.getLength(w) != length) {
      throw new IllegalArgumentException(name + ".length must be " + length + ", was "
          + java.lang.reflect.Array.getLength(w));
    }
  }

  private static Object checked(float[] w, String name) {
    Checks.notNull(w, name);
    for (int i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || !Float.isFinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, was " + w[i]);
      }
    }
    return w.clone();
  }

  private static Object checked(double[] w, String name) {
    Checks.notNull(w, name);
    for (int i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, was " + w[i]);
      }
    }
    return w.clone();
  }

  private static int rows(Object logits, int cols, Object targets) {
    Checks.notNull(logits, "logits");
    Checks.notNull(targets, "targets");
    int length = java.lang.reflect.Array.getLength(logits);
    int rows = Checks.rowsOf(length, cols, "logits");
    same(java.lang.reflect.Array.getLength(targets), length, "targets");
    return rows;
  }

  private static void same(int length, int expected, String name) {
    if (length != expected) {
      throw new IllegalArgumentException(name + ".length must be " + expected + ", was " + length);
    }
  }
}
