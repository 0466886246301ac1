package io.edgeray.analytics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics directory: one JSON-lines file per zone ({@code analytics/shop.example.jsonl}),
 * one line per minute, appended once a minute and at shutdown, rewritten from memory when it
 * holds twice the day it needs. A later line for a minute replaces an earlier one (a restart
 * within a minute writes that minute again, in full).
 */
final class AnalyticsFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsFiles.class);

  private final Path dir;

  AnalyticsFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The minutes in a zone's file, in file order, and how many lines it has; lines that cannot be read are skipped and said. */
  record Read(List<MinuteCounts> minutes, int lines) {}

  Read read(String zone) {
    Path f = file(zone);
    if (!Files.isRegularFile(f)) return new Read(List.of(), 0);
    List<MinuteCounts> out = new ArrayList<>();
    int lineNo = 0;
    try {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) continue;
        try {
          out.add(PointJson.read(line));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
          LOG.warn("analytics: {}:{}: skipped a line that is not a minute ({})", f, lineNo, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("analytics: cannot read {} ({}): the zone starts with no history", f, e.getMessage());
    }
    return new Read(out, lineNo);
  }

  void append(String zone, List<MinuteCounts> minutes) throws IOException {
    if (minutes.isEmpty()) return;
    Files.createDirectories(dir);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file(zone),
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE))) {
      for (MinuteCounts c : minutes) PointJson.writeLine(c, out);
    }
  }

  /** Replaces the zone's file by these minutes: a temporary file, fsync, rename, so a crash leaves one whole file or the other. */
  void rewrite(String zone, List<MinuteCounts> minutes) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file(zone).getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE); OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch))) {
      for (MinuteCounts c : minutes) PointJson.writeLine(c, out);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, file(zone), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Zone names are host names; encoding keeps any other character out of the path all the same. */
  Path file(String zone) {
    return dir.resolve(URLEncoder.encode(zone, StandardCharsets.UTF_8) + ".jsonl");
  }
}
