package io.github.logits4j.kernels;

import io.github.logits4j.reference.ScalarLosses;
import io.github.logits4j.reference.ScalarReference;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Chooses the kernels once per JVM: the Vector API kernels when {@code jdk.incubator.vector} is readable,
 * the scalar reference otherwise.
 *
 * <p>The vector classes are only loaded after the module check succeeds, and any linkage failure while
 * loading them is caught, so a JVM without {@code --add-modules jdk.incubator.vector} never sees a
 * {@link NoClassDefFoundError} or {@link IllegalAccessError}: it logs one warning through
 * {@link System.Logger} and computes everything with the scalar code.
 *
 * <p>Setting the system property {@value #SCALAR_PROPERTY} to {@code true} forces the scalar kernels.
 */
public final class KernelProvider {
  /** System property that forces the scalar kernels when set to {@code true}. */
  public static final String SCALAR_PROPERTY = "logits4j.scalar";

  static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String LOGGER = "io.github.logits4j";
  private static final String PANAMA_CLASS = "io.github.logits4j.kernels.PanamaLogitKernels";
  private static final String PANAMA_LOSSES = "io.github.logits4j.kernels.PanamaLossKernels";

  private static final LogitKernels KERNELS = choose();
  private static final LossKernels LOSSES = KERNELS instanceof ScalarReference
      ? ScalarLosses.INSTANCE : panamaLosses();

  private KernelProvider() {}

  /** The kernels every {@link io.github.logits4j.Logits} call uses in this JVM. */
  public static LogitKernels kernels() {
    return KERNELS;
  }

  /** The loss kernels, on the same side of the vector/scalar choice as {@link #kernels()}. */
  public static LossKernels losses() {
    return LOSSES;
  }

  private static LossKernels panamaLosses() {
    try {
      return (LossKernels) Class.forName(PANAMA_LOSSES).getField("INSTANCE").get(null);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      System.getLogger(LOGGER).log(Level.WARNING, "logits4j: could not initialise the Vector API loss kernels ("
          + e + "); using the scalar ones");
      return ScalarLosses.INSTANCE;
    }
  }

  private static LogitKernels choose() {
    System.Logger log = System.getLogger(LOGGER);
    if (Boolean.getBoolean(SCALAR_PROPERTY)) {
      log.log(Level.INFO, "logits4j: " + SCALAR_PROPERTY + "=true, using the scalar kernels");
      return ScalarReference.INSTANCE;
    }
    Optional<Module> vector = ModuleLayer.boot().findModule(VECTOR_MODULE);
    if (vector.isEmpty() || !KernelProvider.class.getModule().canRead(vector.get())) {
      log.log(Level.WARNING, "logits4j: the Java Vector API module " + VECTOR_MODULE + " is not available,"
          + " so logits4j runs its scalar kernels, which are several times slower. To enable the SIMD"
          + " kernels, start the JVM with --add-modules " + VECTOR_MODULE + ".");
      return ScalarReference.INSTANCE;
    }
    try {
      LogitKernels panama = (LogitKernels) Class.forName(PANAMA_CLASS).getField("INSTANCE").get(null);
      String problem = (String) Class.forName(PANAMA_CLASS).getMethod("configurationProblem").invoke(null);
      if (problem != null) {
        log.log(Level.WARNING, "logits4j: ignoring " + problem + "; using " + panama.name());
      }
      log.log(Level.DEBUG, () -> "logits4j: using the " + panama.name() + " kernels");
      return panama;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      log.log(Level.WARNING, "logits4j: could not initialise the Vector API kernels (" + e
          + "), so logits4j runs its scalar kernels. Start the JVM with --add-modules " + VECTOR_MODULE
          + " on JDK 25 to enable them.");
      return ScalarReference.INSTANCE;
    }
  }
}
