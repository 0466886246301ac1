package io.edgeray.config.load;

import io.edgeray.config.ConfigException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns SnakeYAML's parser messages ("expected &lt;block end&gt;, but found '&lt;block mapping
 * start&gt;'") into what went wrong in plain words, on the line to look at, with the key path
 * around it and a hint. The parser only knows tokens; an operator knows keys and indentation.
 */
final class YamlSyntax {
  private static final Pattern KEY = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)\\s*:(\\s.*|$)");

  private YamlSyntax() {}

  static ConfigException describe(String file, String text, MarkedYAMLException e) {
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    Mark at = e.getProblemMark();
    Mark context = e.getContextMark();
    int problemLine = at == null ? 1 : at.getLine() + 1;
    int contextLine = context == null ? problemLine : context.getLine() + 1;
    String ctx = e.getContext() == null ? "" : e.getContext();
    int line = problemLine;
    String words;
    if (problem.startsWith("expected <block end>")) {
      words = "this line is indented differently from the lines above it";
      words += hint("keys of one mapping start in the same column, a nested key further right than its parent; use spaces");
    } else if (problem.startsWith("mapping values are not allowed here")) {
      words = "a second \"key:\" on one line, or a line indented further than the key before it";
      words += hint("one key per line, a space after each colon; quote a value that contains \": \"");
    } else if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
      words = "a tab character in the indentation";
      words += hint("YAML indentation must be spaces");
    } else if (problem.startsWith("could not find expected ':'")) {
      line = contextLine;
      words = "a line that is neither \"key: value\" nor a list item \"- ...\"";
      words += hint("add the colon after the key, or quote a value that goes on to the next line");
    } else if (problem.startsWith("expected ',' or '}'")) {
      line = contextLine;
      words = "the { on this line is not closed (or two of its entries lack a comma between them)";
      words += hint("close it with } before line " + problemLine + ", with a comma between entries");
    } else if (problem.startsWith("expected ',' or ']'")) {
      line = contextLine;
      words = "the [ on this line is not closed (or two of its items lack a comma between them)";
      words += hint("close it with ] before line " + problemLine + ", with a comma between items");
    } else if (problem.startsWith("found unexpected end of stream") && ctx.contains("quoted scalar")) {
      line = contextLine;
      words = "a quoted value starts on this line and is never closed";
      words += hint("end it with the same quote character");
    } else if (problem.startsWith("found unexpected end of stream")) {
      words = "the file ends in the middle of a value";
      words += hint("look for an unclosed quote, { or [");
    } else if (problem.startsWith("found undefined alias")) {
      words = "a value starting with * (YAML reads it as a reference to an anchor)";
      words += hint("quote the value: \"*...\"");
    } else {
      words = problem + (ctx.isEmpty() ? "" : " (" + ctx + ")");
    }
    return new ConfigException(file, line, keyPath(text, line), "not valid YAML: " + words);
  }

  private static String hint(String h) {
    return " (" + h + ")";
  }

  /**
   * The keys leading to {@code line} (1-based), as the rest of the config errors write them
   * ({@code zones[0].timeouts}), read from the indentation of the lines above it. Empty when
   * nothing can be told.
   */
  static String keyPath(String text, int line) {
    List<String> lines = text.lines().toList();
    Deque<Entry> stack = new ArrayDeque<>();
    for (int i = 0; i < Math.min(line, lines.size()); i++) {
      String raw = lines.get(i);
      if (raw.indexOf('\t') >= 0 && raw.strip().isEmpty()) continue;
      String trimmed = raw.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
      int indent = raw.length() - raw.stripLeading().length();
      String rest = trimmed;
      while (rest.equals("-") || rest.startsWith("- ")) {
        while (!stack.isEmpty() && (stack.peek().indent > indent || stack.peek().indent == indent && stack.peek().item)) {
          stack.pop();
        }
        int index = stack.isEmpty() ? 0 : stack.peek().items++;
        stack.push(new Entry(indent, "[" + index + "]", true));
        String after = rest.substring(1);
        indent += 1 + (after.length() - after.stripLeading().length());
        rest = after.strip();
      }
      Matcher m = KEY.matcher(rest);
      if (!m.matches()) continue;
      while (!stack.isEmpty() && stack.peek().indent >= indent && !(stack.peek().item && stack.peek().indent < indent)) {
        stack.pop();
      }
      stack.push(new Entry(indent, m.group(1), false));
    }
    StringBuilder path = new StringBuilder();
    var it = stack.descendingIterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (!e.item && path.length() > 0) path.append('.');
      path.append(e.label);
    }
    return path.toString();
  }

  private static final class Entry {
    final int indent;
    final String label;
    final boolean item;
    int items;

    Entry(int indent, String label, boolean item) {
      this.indent = indent;
      this.label = label;
      this.item = item;
    }
  }
}
