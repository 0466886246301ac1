package io.edgeray.config.load;

import io.edgeray.config.Durations;
import io.edgeray.config.HostPort;
import io.edgeray.config.load.ConfigSection;
import io.edgeray.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One value of the YAML tree with the place it came from, so that every complaint about it
 * can name the file, the line and the key. SnakeYAML parses; this class only reads typed values.
 */
final class ConfigValue {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|k|K|KB|M|MB)?");

  final String file;
  final String key;
  final Node node;

  ConfigValue(String file, String key, Node node) {
    this.file = file;
    this.key = key;
    this.node = node;
  }

  int line() {
    return node.getStartMark().getLine() + 1;
  }

  ConfigException error(String problem) {
    return new ConfigException(file, line(), key, problem);
  }

  String string() throws ConfigException {
    if (!(node instanceof ScalarNode scalar)) {
      throw error("expected a single value, found " + describe());
    }
    return scalar.getValue().trim();
  }

  String nonEmptyString() throws ConfigException {
    String s = string();
    if (s.isEmpty()) throw error("must not be empty");
    return s;
  }

  boolean bool() throws ConfigException {
    String s = string().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("expected true or false, found \"" + s + "\"");
    };
  }

  int integer(int min, int max) throws ConfigException {
    String s = string();
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) throw error(v + " is out of range " + min + ".." + max);
      return v;
    } catch (NumberFormatException e) {
      throw error("expected a whole number, found \"" + s + "\"");
    }
  }

  int port() throws ConfigException {
    return integer(1, 65535);
  }

  Duration duration() throws ConfigException {
    String s = string();
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage().startsWith("\"" + s + "\" must be longer") ? "must be longer than zero" : e.getMessage());
    }
  }

  int size() throws ConfigException {
    long bytes = bytes();
    if (bytes > Integer.MAX_VALUE) throw error("size " + string() + " is out of range");
    return (int) bytes;
  }

  /** A size that may be larger than 2 GiB (a disk cache's bound). */
  long bytes() throws ConfigException {
    String s = string();
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) throw error("\"" + s + "\" is not a size (write it as 131072, 128KiB or 1MiB)");
    String unit = m.group(2) == null ? "B" : m.group(2);
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), switch (unit) {
        case "B" -> 1L;
        case "KiB", "k", "K", "KB" -> 1024L;
        case "MiB", "M", "MB" -> 1024L * 1024;
        default -> 1024L * 1024 * 1024;
      });
    } catch (ArithmeticException | NumberFormatException e) {
      throw error("size " + s + " is out of range");
    }
    if (bytes < 1 || bytes > (1L << 50)) throw error("size " + s + " is out of range");
    return bytes;
  }

  HostPort hostPort() throws ConfigException {
    String s = nonEmptyString();
    try {
      return HostPort.parse(s);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /**
   * An address to listen on: an IP address, or a name this machine resolves now, so that a typo
   * is a config error and not a start-up failure.
   */
  HostPort listenAddress() throws ConfigException {
    HostPort hp = hostPort();
    String host = hp.host();
    if (host.matches("[0-9.]+") && !RecordConfigReader.isIpv4(host)) {
      throw error("\"" + host + "\" is not an IPv4 address (four numbers from 0 to 255, such as 127.0.0.1)");
    }
    if (!RecordConfigReader.isIpLiteral(host)) {
      if (host.contains(":")) throw error("\"" + host + "\" is not an IPv6 address");
      try {
        java.net.InetAddress.getByName(host);
      } catch (java.net.UnknownHostException e) {
        throw error("\"" + host + "\" does not resolve on this machine (write an address such as 127.0.0.1, or 0.0.0.0 for all)");
      }
    }
    return hp;
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  boolean isSequence() {
    return node instanceof SequenceNode;
  }

  boolean isScalar() {
    return node instanceof ScalarNode;
  }

  ConfigSection section() throws ConfigException {
    if (!(node instanceof MappingNode mapping)) {
      throw error("expected a mapping of keys, found " + describe());
    }
    return new ConfigSection(file, key, mapping);
  }

  List<ConfigValue> list() throws ConfigException {
    if (!(node instanceof SequenceNode seq)) {
      throw error("expected a list, found " + describe());
    }
    List<ConfigValue> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      out.add(new ConfigValue(file, key + "[" + i + "]", seq.getValue().get(i)));
    }
    return out;
  }

  private String describe() {
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    return "\"" + ((ScalarNode) node).getValue() + "\"";
  }
}
