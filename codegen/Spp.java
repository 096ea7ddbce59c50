import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The source preprocessor of the build: turns every {@code *.java.template} under a template root into a
 * Java source file under an output root, in the spirit of the JDK's own {@code Spp} and its
 * {@code X-Vector.java.template}. The build runs it in {@code generate-sources}, so a generated file
 * cannot go stale: it is never stored, only derived.
 *
 * <p>Usage: {@code java codegen/Spp.java TEMPLATE_ROOT OUTPUT_ROOT}.
 *
 * <p>A template is Java source with directives on lines of their own, each starting with {@code //#}:
 * <ul>
 *   <li>{@code //#outputs T float=FloatThing double=DoubleThing}, as the first line: one output file per
 *       value, named as given, with {@code T} bound as by {@code foreach}. Otherwise the output is named
 *       after the template.</li>
 *   <li>{@code //#foreach T float double} ... {@code //#end}: the block once for each value, with
 *       {@code $T$} bound to it. For the values {@code float} and {@code double} the derived names of
 *       {@link #TYPES} are bound too, as {@code $T.Box$}, {@code $T.Vector$} and so on.</li>
 *   <li>{@code //#if T == float}, {@code //#elif T != double}, {@code //#else}, {@code //#end}: a block
 *       kept or dropped by the current bindings.</li>
 *   <li>{@code //#include name key=value ...}: the snippet {@code name.jsnip} from the template root's
 *       {@code snippets} folder, processed with the current bindings and the given ones. Snippets give one
 *       place to blocks that must be written out inline in several kernels, where a helper method taking
 *       or returning vectors could be left uninlined by C2 and box them.</li>
 *   <li>{@code //#set key value}: binds {@code $key$} for the rest of the enclosing block.</li>
 * </ul>
 * {@code $name$} anywhere else is replaced by its binding; an unbound name is an error, so a typo
 * cannot pass silently. Every output starts with a line saying it is generated, and from what.
 */
public final class Spp {
  private static final Pattern VAR = Pattern.compile("\\$([A-Za-z][A-Za-z0-9_.]*)\\$");
  private static final Pattern DIRECTIVE = Pattern.compile("^\\s*//#(\\w+)\\s*(.*)$");

  /** Names derived from a bound type value: {@code $T.Box$} is {@code Float} when {@code T} is float. */
  static final Map<String, Map<String, String>> TYPES = Map.of(
      "float", Map.ofEntries(
          Map.entry("Box", "Float"), Map.entry("Vector", "FloatVector"), Map.entry("bits", "int"),
          Map.entry("Bits", "Integer"), Map.entry("BitsVector", "IntVector"), Map.entry("suffix", "F32"),
          Map.entry("dtype", "float32"), Map.entry("one", "1f"), Map.entry("cast", "(float) "),
          Map.entry("species", "FLOAT"), Map.entry("bitsSpecies", "INT"), Map.entry("Name", "Float"),
          Map.entry("size", "4"), Map.entry("layout", "JAVA_FLOAT"), Map.entry("toBits", "Float.floatToRawIntBits"),
          Map.entry("fromBits", "Float.intBitsToFloat"), Map.entry("other", "double")),
      "double", Map.ofEntries(
          Map.entry("Box", "Double"), Map.entry("Vector", "DoubleVector"), Map.entry("bits", "long"),
          Map.entry("Bits", "Long"), Map.entry("BitsVector", "LongVector"), Map.entry("suffix", "F64"),
          Map.entry("dtype", "float64"), Map.entry("one", "1.0"), Map.entry("cast", ""),
          Map.entry("species", "DOUBLE"), Map.entry("bitsSpecies", "LONG"), Map.entry("Name", "Double"),
          Map.entry("size", "8"), Map.entry("layout", "JAVA_DOUBLE"),
          Map.entry("toBits", "Double.doubleToRawLongBits"), Map.entry("fromBits", "Double.longBitsToDouble"),
          Map.entry("other", "float")));

  private final Path root;
  private final String source;

  private Spp(Path root, String source) {
    this.root = root;
    this.source = source;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java codegen/Spp.java TEMPLATE_ROOT OUTPUT_ROOT");
      System.exit(2);
    }
    Path in = Path.of(args[0]), out = Path.of(args[1]);
    if (!Files.isDirectory(in)) {
      return;  // nothing to generate
    }
    List<Path> templates;
    try (Stream<Path> files = Files.walk(in)) {
      templates = files.filter(p -> p.toString().endsWith(".java.template")).sorted().toList();
    }
    int files = 0;
    java.util.Set<Path> written = new java.util.HashSet<>();
    for (Path t : templates) {
      String rel = in.relativize(t).toString();
      List<String> lines = Files.readAllLines(t);
      // //#outputs T float=FloatThing double=DoubleThing: one file per value, named as given
      Map<String, Map<String, String>> outputs = new java.util.LinkedHashMap<>();
      Matcher first = lines.isEmpty() ? null : DIRECTIVE.matcher(lines.get(0));
      if (first != null && first.matches() && first.group(1).equals("outputs")) {
        String[] words = first.group(2).trim().split("\\s+");
        for (int w = 1; w < words.length; w++) {
          String[] kv = words[w].split("=");
          Map<String, String> bindings = new HashMap<>();
          bind(bindings, words[0], kv[0]);
          outputs.put(kv[1] + ".java", bindings);
        }
        lines = lines.subList(1, lines.size());
      } else {
        String name = t.getFileName().toString();
        outputs.put(name.substring(0, name.length() - ".template".length()), new HashMap<>());
      }
      for (Map.Entry<String, Map<String, String>> o : outputs.entrySet()) {
        Path target = out.resolve(rel).resolveSibling(o.getKey());
        String text;
        try {
          text = new Spp(in, rel).expand(lines, o.getValue());
        } catch (IllegalStateException e) {
          System.err.println(rel + ": " + e.getMessage());
          System.exit(1);
          return;
        }
        String generated = "// GENERATED FILE, do not edit: made by codegen/Spp.java from " + rel + "\n" + text;
        Files.createDirectories(target.getParent());
        if (!Files.exists(target) || !Files.readString(target).equals(generated)) {
          Files.writeString(target, generated);
        }
        written.add(target);
        files++;
      }
    }
    // a generated file whose template is gone (renamed, or moved back to src/main/java) would otherwise
    // stay and compile as a duplicate class
    if (Files.isDirectory(out)) {
      try (Stream<Path> old = Files.walk(out)) {
        for (Path p : old.filter(p -> p.toString().endsWith(".java") && !written.contains(p)).toList()) {
          Files.delete(p);
        }
      }
    }
    System.out.println("Spp: " + files + " files from " + templates.size() + " templates in " + in);
  }

  /** Expands a block of lines under the given bindings. */
  String expand(List<String> lines, Map<String, String> bindings) {
    StringBuilder out = new StringBuilder();
    Map<String, String> scope = new HashMap<>(bindings);
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      Matcher d = DIRECTIVE.matcher(line);
      if (!d.matches()) {
        out.append(substitute(line, scope, i)).append('\n');
        i++;
        continue;
      }
      String verb = d.group(1), rest = d.group(2).trim();
      switch (verb) {
        case "foreach" -> {
          int end = matchingEnd(lines, i);
          String[] words = rest.split("\\s+");
          for (int v = 1; v < words.length; v++) {
            Map<String, String> inner = new HashMap<>(scope);
            bind(inner, words[0], words[v]);
            out.append(expand(lines.subList(i + 1, end), inner));
          }
          i = end + 1;
        }
        case "if" -> {
          int end = matchingEnd(lines, i);
          out.append(expand(chosenBranch(lines.subList(i, end), scope), scope));
          i = end + 1;
        }
        case "include" -> {
          String[] words = rest.split("\\s+");
          Map<String, String> inner = new HashMap<>(scope);
          for (int w = 1; w < words.length; w++) {
            int eq = words[w].indexOf('=');
            if (eq < 0) {
              throw new IllegalStateException("line " + (i + 1) + ": include binding without '=': " + words[w]);
            }
            // a value may name the includer's bindings: a=$x$ passes x's value on
            inner.put(words[w].substring(0, eq), substitute(words[w].substring(eq + 1), scope, i));
          }
          Path snippet = root.resolve("snippets").resolve(words[0] + ".jsnip");
          try {
            out.append(new Spp(root, "snippets/" + words[0] + ".jsnip").expand(Files.readAllLines(snippet), inner));
          } catch (IOException e) {
            throw new IllegalStateException("line " + (i + 1) + ": no snippet " + snippet);
          }
          i++;
        }
        case "set" -> {
          String[] kv = rest.split("\\s+", 2);
          scope.put(kv[0], kv.length > 1 ? substitute(kv[1], scope, i) : "");
          i++;
        }
        default -> throw new IllegalStateException("line " + (i + 1) + ": unexpected directive //#" + verb);
      }
    }
    return out.toString();
  }

  private static void bind(Map<String, String> scope, String name, String value) {
    scope.put(name, value);
    Map<String, String> derived = TYPES.get(value);
    if (derived != null) {
      derived.forEach((k, v) -> scope.put(name + "." + k, v));
    }
  }

  /** The index of the {@code //#end} that closes the block opened at {@code start}. */
  private int matchingEnd(List<String> lines, int start) {
    int depth = 0;
    for (int i = start; i < lines.size(); i++) {
      Matcher d = DIRECTIVE.matcher(lines.get(i));
      if (!d.matches()) {
        continue;
      }
      String verb = d.group(1);
      if (verb.equals("foreach") || verb.equals("if")) {
        depth++;
      } else if (verb.equals("end") && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("line " + (start + 1) + ": no //#end in " + source);
  }

  /** The lines of the branch an {@code if}/{@code elif}/{@code else} chain selects. */
  private List<String> chosenBranch(List<String> block, Map<String, String> scope) {
    List<int[]> branches = new ArrayList<>();  // {line of the branch's directive, first line after the branch}
    int depth = 0;
    for (int i = 0; i < block.size(); i++) {
      Matcher d = DIRECTIVE.matcher(block.get(i));
      String verb = d.matches() ? d.group(1) : "";
      if (i > 0 && (verb.equals("foreach") || verb.equals("if"))) {
        depth++;
      } else if (verb.equals("end")) {
        depth--;
      } else if (depth == 0 && (i == 0 || verb.equals("elif") || verb.equals("else"))) {
        if (!branches.isEmpty()) {
          branches.get(branches.size() - 1)[1] = i;
        }
        branches.add(new int[] {i, block.size()});
      }
    }
    for (int[] b : branches) {
      Matcher d = DIRECTIVE.matcher(block.get(b[0]));
      d.matches();
      if (d.group(1).equals("else") || test(d.group(2).trim(), scope, b[0])) {
        return block.subList(b[0] + 1, b[1]);
      }
    }
    return List.of();
  }

  /** {@code A == b}, {@code A != b}, several joined by {@code &&} or by {@code ||}. */
  private boolean test(String expr, Map<String, String> scope, int line) {
    if (expr.contains("||")) {
      for (String part : expr.split("\\|\\|")) {
        if (test(part.trim(), scope, line)) {
          return true;
        }
      }
      return false;
    }
    if (expr.contains("&&")) {
      for (String part : expr.split("&&")) {
        if (!test(part.trim(), scope, line)) {
          return false;
        }
      }
      return true;
    }
    String[] p = expr.split("\\s+");
    if (p.length != 3 || !(p[1].equals("==") || p[1].equals("!="))) {
      throw new IllegalStateException("line " + (line + 1) + ": bad condition '" + expr + "' in " + source);
    }
    String value = scope.get(p[0]);
    if (value == null) {
      throw new IllegalStateException("line " + (line + 1) + ": unbound " + p[0] + " in " + source);
    }
    return value.equals(p[2]) == p[1].equals("==");
  }

  private String substitute(String line, Map<String, String> scope, int lineIndex) {
    Matcher m = VAR.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = scope.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("line " + (lineIndex + 1) + ": unbound $" + m.group(1) + "$ in " + source);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
