package io.edgeray.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strong ETags for the files under one classpath directory, from their content (the first 16
 * bytes of SHA-256), read once per file that exists: the files are in the jar and do not change while it runs.
 */
final class ContentTags {
  private final String root;
  private final Map<String, String> tags = new ConcurrentHashMap<>();

  ContentTags(String root) {
    this.root = root;
  }

  /** The file's ETag (quoted), or null when there is no such file; it reads the file, so not on an event loop. */
  String of(String file) {
    if (file.isEmpty() || file.contains("..") || file.startsWith("/")) return null;
    String tag = tags.get(file);
    if (tag != null) return tag;
    tag = read(file);
    if (tag != null) tags.put(file, tag); // misses are not kept: anyone may ask for any path
    return tag;
  }

  private String read(String file) {
    try (InputStream in = ContentTags.class.getClassLoader().getResourceAsStream(root + "/" + file)) {
      if (in == null) return null;
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(in.readAllBytes());
      return "\"" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }
}
