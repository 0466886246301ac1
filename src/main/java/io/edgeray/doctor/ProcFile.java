package io.edgeray.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a /proc or /sys file to its end. Such files report a size of 0 and are produced as they
 * are read; {@code Files.readString} trusts that size, and for the sysctl files under
 * /proc/sys it returns only the first byte ({@code net.core.somaxconn} 4096 came back as "4").
 * Reading the stream until it ends gets the whole value.
 */
final class ProcFile {
  private ProcFile() {}

  static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
