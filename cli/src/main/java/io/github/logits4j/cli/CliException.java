package io.github.logits4j.cli;

/**
 * A one-line error for the user: it names the file or option and the position, and the command exits
 * with status 1 after removing every output it had started.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error with the message printed after {@code logits4j: }.
   *
   * @param message one line, naming the file and the position
   */
  public CliException(String message) {
    super(message, null, false, false);
  }

  /**
   * An error with a cause, whose stack trace is not printed.
   *
   * @param message one line, naming the file and the position
   * @param cause the underlying exception
   */
  public CliException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
