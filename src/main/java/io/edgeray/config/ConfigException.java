package io.edgeray.config;

/**
 * A config file that cannot be used. The message is the one line an operator needs:
 * {@code file:line: key.path: what is wrong}.
 */
public final class ConfigException extends Exception {
  private final String file;
  private final int line;
  private final String key;
  private final String problem;

  public ConfigException(String file, int line, String key, String problem) {
    super(file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
    this.file = file;
    this.line = line;
    this.key = key;
    this.problem = problem;
  }

  public String file() { return file; }
  public int line() { return line; }
  public String key() { return key; }
  public String problem() { return problem; }
}
