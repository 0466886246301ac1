package io.edgeray.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code audit.jsonl}: one JSON line per change made through the admin API, appended as it
 * happens. The latest lines are kept in memory too (the file's tail is read at start), so
 * {@code GET /api/audit} reads no file.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int KEPT = 1000;
  private static final int TAIL_BYTES = 1024 * 1024;

  /**
   * One change: who ({@code token}'s name) from which {@code address}, what ({@code method},
   * {@code path} and {@code change}: a description or the request's JSON), and how it ended
   * ({@code result}: ok, refused or failed, and the HTTP {@code status}).
   */
  public record Entry(String time, String token, String address, String method, String path, JsonNode change,
      String result, int status) {}

  private final Path file;
  private final Deque<Entry> latest = new ArrayDeque<>();
  private final Writer out;

  public AuditLog(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    for (String line : tail(file)) {
      try {
        remember(JSON.readValue(line, Entry.class));
      } catch (IOException e) {
        // a line cut short by a crash: the rest of the file still counts
      }
    }
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  public Path file() {
    return file;
  }

  /** Appends the line now (a few hundred bytes to the page cache: short enough for the admin's event loop). */
  public synchronized void append(Entry e) {
    remember(e);
    try {
      out.write(JSON.writeValueAsString(e));
      out.write('\n');
      out.flush();
    } catch (IOException problem) {
      LOG.error("cannot write the audit log {}: {}", file, problem.toString());
    }
  }

  /** The latest {@code limit} entries, newest first. */
  public synchronized List<Entry> latest(int limit) {
    List<Entry> list = new ArrayList<>(Math.min(limit, latest.size()));
    for (Iterator<Entry> it = latest.descendingIterator(); it.hasNext() && list.size() < limit; ) list.add(it.next());
    return list;
  }

  private void remember(Entry e) {
    latest.addLast(e);
    if (latest.size() > KEPT) latest.removeFirst();
  }

  /** The whole lines of the file's last megabyte. */
  private static List<String> tail(Path file) throws IOException {
    if (!Files.exists(file)) return List.of();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, f.length() - TAIL_BYTES);
      byte[] bytes = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(bytes);
      List<String> lines = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
      if (start > 0 && !lines.isEmpty()) lines.remove(0); // begun mid-line
      return lines;
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
