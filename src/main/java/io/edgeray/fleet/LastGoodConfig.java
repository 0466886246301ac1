package io.edgeray.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet's part of the config as this node last applied it, kept beside the node's file
 * ({@code state/fleet-NODE.yaml}), so a node restarted while etcd is away serves what it served
 * before. Written whole (temporary file, fsync, rename): a crash leaves the old copy or the new.
 */
final class LastGoodConfig {
  private static final Pattern HEADER = Pattern.compile("\\A# edgeray fleet config, etcd revision (\\d+)[^\n]*\n");

  private final Path file;

  LastGoodConfig(Path nodeFile, String node) {
    Path dir = nodeFile.toAbsolutePath().normalize().getParent();
    this.file = dir.resolve("state").resolve("fleet-" + node + ".yaml");
  }

  Path file() {
    return file;
  }

  /** The saved copy, or null when there is none (or it cannot be read: then etcd's is awaited). */
  SharedConfig read() {
    try {
      if (!Files.isRegularFile(file)) return null;
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher m = HEADER.matcher(text);
      if (!m.find()) return null;
      return new SharedConfig(text.substring(m.end()), Long.parseLong(m.group(1)));
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  void write(SharedConfig config, String source) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    String text = "# edgeray fleet config, etcd revision " + config.revision() + " from " + source
        + " (written by the node; edit the fleet's config with edgeray fleet import)\n" + config.yaml();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
