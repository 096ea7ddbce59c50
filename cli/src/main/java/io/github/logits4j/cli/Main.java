package io.github.logits4j.cli;

import io.github.logits4j.Logits;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code logits4j} command: {@code score INPUT} and {@code demo}. */
@Command(name = "logits4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    subcommands = {Score.class, Demo.class, AotTraining.class},
    description = "Softmax, log-softmax, predictions, top-k and cross-entropy of files of logits, on the Vector API.")
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command and exits with its status: 0 on success, 1 for bad input, 2 for bad usage.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /**
   * Runs the command in this JVM, for the tests: output to {@code out}, errors to {@code err}.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit status: 0 on success, 1 for bad input, 2 for bad usage
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof CliException) {
        line.getErr().println("logits4j: " + e.getMessage());
        line.getErr().flush();
        return 1;
      }
      if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
        line.getErr().println("logits4j: " + e);
        line.getErr().flush();
        return 1;
      }
      throw e;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version of the library the command runs on, and its kernels. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"logits4j " + Logits.version() + " (kernels: " + Logits.implementation() + ")"};
    }
  }
}
