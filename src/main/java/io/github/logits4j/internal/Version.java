package io.github.logits4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The artifact's version, which the build writes into {@code version.properties} beside this class. */
public final class Version {
  /** The version, or {@code "unknown"} when the properties are missing. */
  public static final String VERSION = read();

  private Version() {}

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
