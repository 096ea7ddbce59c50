package io.github.logits4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fragments other harnesses leave in the sections folder ({@code bench/report/sections/*.md}: a Spark
 * comparison, a command-line cold start), made ready to append to the report: in file name order, their
 * headings moved down so that the highest becomes a level-3 heading under the report's own, and their
 * relative links and images pointed from the report's folder to the fragment's.
 */
final class Sections {
  private Sections() {}

  /** A fragment: its file name and its text as it goes into the report. */
  record Fragment(String name, String text) {}

  private static final Pattern HEADING = Pattern.compile("^(#{1,6})(\\s.*|)$");
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~).*");
  private static final Pattern LINK = Pattern.compile("(!?\\[[^\\]]*\\]\\()([^)\\s]+)((?:\\s+\"[^\"]*\")?\\))");
  private static final Pattern REFERENCE = Pattern.compile("^(\\s{0,3}\\[[^\\]]+\\]:\\s*)(\\S+)(.*)$");
  private static final Pattern ABSOLUTE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|/|#).*");

  /** The {@code *.md} files of {@code sections}, in name order, for a report written to {@code reportDir}. */
  static List<Fragment> read(Path sections, Path reportDir) throws IOException {
    if (!Files.isDirectory(sections)) {
      return List.of();
    }
    String prefix = reportDir.toAbsolutePath().normalize().relativize(sections.toAbsolutePath().normalize())
        .toString().replace('\\', '/');
    List<Path> files;
    try (Stream<Path> s = Files.list(sections)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    }
    List<Fragment> out = new ArrayList<>();
    for (Path f : files) {
      out.add(new Fragment(f.getFileName().toString(), include(Files.readString(f), prefix.isEmpty() ? "" : prefix + "/", 3)));
    }
    return out;
  }

  /**
   * {@code fragment} with its highest heading at {@code topLevel} (lower ones moved by as much, to 6 at most;
   * a fragment whose headings are already that low keeps them) and its relative link targets prefixed with
   * {@code linkPrefix}; fenced code is left as it is.
   */
  static String include(String fragment, String linkPrefix, int topLevel) {
    String[] lines = fragment.replace("\r\n", "\n").split("\n", -1);
    int highest = 7;
    boolean fenced = false;
    for (String line : lines) {
      if (FENCE.matcher(line).matches()) {
        fenced = !fenced;
      } else if (!fenced) {
        Matcher h = HEADING.matcher(line);
        if (h.matches()) {
          highest = Math.min(highest, h.group(1).length());
        }
      }
    }
    int shift = highest > 6 ? 0 : Math.max(0, topLevel - highest);
    StringBuilder b = new StringBuilder();
    fenced = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (FENCE.matcher(line).matches()) {
        fenced = !fenced;
      } else if (!fenced) {
        Matcher h = HEADING.matcher(line);
        if (h.matches()) {
          line = "#".repeat(Math.min(6, h.group(1).length() + shift)) + h.group(2);
        }
        line = relink(line, linkPrefix);
      }
      b.append(line);
      if (i < lines.length - 1) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  private static String relink(String line, String prefix) {
    if (prefix.isEmpty()) {
      return line;
    }
    Matcher r = REFERENCE.matcher(line);
    if (r.matches()) {
      return r.group(1) + target(r.group(2), prefix) + r.group(3);
    }
    Matcher m = LINK.matcher(line);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + target(m.group(2), prefix) + m.group(3)));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static String target(String target, String prefix) {
    return ABSOLUTE.matcher(target).matches() ? target : prefix + target;
  }
}
