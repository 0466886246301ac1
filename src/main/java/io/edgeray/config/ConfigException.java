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
  private final boolean unreadable;

  public ConfigException(String file, int line, String key, String problem) {
    super(file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
    this.file = file;
    this.line = line;
    this.key = key;
    this.problem = problem;
    this.unreadable = false;
  }

  private ConfigException(String file, String problem) {
    super("cannot read the config " + file + ": " + problem);
    this.file = file;
    this.line = 0;
    this.key = "";
    this.problem = problem;
    this.unreadable = true;
  }

  /** The file itself could not be read (missing, a directory, no permission): there is no line to name. */
  public static ConfigException unreadable(String absolutePath, String problem) {
    return new ConfigException(absolutePath, problem);
  }

  /** True when the file could not be read at all, as opposed to read and found wrong. */
  public boolean unreadable() { return unreadable; }

  public String file() { return file; }
  public int line() { return line; }
  public String key() { return key; }
  public String problem() { return problem; }
}
