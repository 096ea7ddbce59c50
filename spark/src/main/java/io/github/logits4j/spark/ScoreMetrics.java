package io.github.logits4j.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * The aggregate metrics of one {@link BatchScorer} job. Counts are exact; the loss sum is exact (see
 * {@link ExactSum}) and rounded once, so every figure is the same however the rows are partitioned.
 *
 * @param rows rows scored: logits neither null nor bad
 * @param nullRows rows with null logits (all outputs null)
 * @param skippedRows lenient mode: rows whose logits were ragged or held a null entry (all outputs null)
 * @param badLabelRows lenient mode: rows with a null or out-of-range label (null loss)
 * @param labelledRows scored rows with a valid label that is not the ignore index: the rows the loss and
 *     accuracies average over
 * @param lossSum the exact sum of those rows' losses (the values of the loss column), rounded once to double
 * @param correct labelled rows whose argmax is the label
 * @param topKCorrect labelled rows whose label is among the top k (0 without top-k)
 * @param k the k of the top-k output, 0 if none
 */
public record ScoreMetrics(long rows, long nullRows, long skippedRows, long badLabelRows, long labelledRows,
    double lossSum, long correct, long topKCorrect, int k) implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  /**
   * The mean loss over the labelled rows: {@link #lossSum()} / {@link #labelledRows()}.
   *
   * @return the mean loss; NaN without labelled rows
   */
  public double meanLoss() {
    return labelledRows == 0 ? Double.NaN : lossSum / labelledRows;
  }

  /**
   * The share of labelled rows whose argmax is the label.
   *
   * @return {@code correct / labelledRows}; NaN without labelled rows
   */
  public double accuracy() {
    return labelledRows == 0 ? Double.NaN : (double) correct / labelledRows;
  }

  /**
   * The share of labelled rows whose label is among the top k.
   *
   * @return {@code topKCorrect / labelledRows}; NaN without labelled rows or without a top-k output
   */
  public double topKAccuracy() {
    return labelledRows == 0 || k == 0 ? Double.NaN : (double) topKCorrect / labelledRows;
  }
}
