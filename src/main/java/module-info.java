/**
 * logits4j: SIMD kernels for logit matrices on the JDK Vector API. The API is the package
 * {@code io.github.logits4j}; everything under {@code io.github.logits4j.internal} is the implementation and
 * is not exported.
 *
 * <p>The Vector API module is optional ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} the library runs its scalar kernels after one logged warning.
 * The management modules, also optional, only serve the check that C2 is on.
 */
module io.github.logits4j {
  requires static jdk.incubator.vector;
  requires static java.management;
  requires static jdk.management;

  exports io.github.logits4j;
}
