package io.edgeray.doctor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file, reading at most a fixed number of bytes from its end however large it is. */
final class LogTail {
  private LogTail() {}

  /** The lines of the last {@code maxBytes} of {@code log}; the first one may be cut. */
  static List<String> lines(Path log, long maxBytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, f.length() - maxBytes);
      byte[] bytes = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
  }
}
