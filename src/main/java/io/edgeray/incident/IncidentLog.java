package io.edgeray.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code incidents.jsonl} beside the access log: the whole record appended as one line each time
 * an incident opens, gets its verdict and closes, so the last line of an id is its latest state
 * and past incidents survive a restart. Written only from the incidents' own thread.
 */
final class IncidentLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentLog.class);
  static final String FILE = "incidents.jsonl";

  private final Path path; // null: kept in memory only
  private Writer out;

  IncidentLog(Path path) {
    this.path = path;
  }

  /** Beside the access log; beside the config when the access log goes to stdout; nowhere without either. */
  static IncidentLog beside(String accessLog, Path config) {
    if (!accessLog.equals("-")) return new IncidentLog(Path.of(accessLog).toAbsolutePath().resolveSibling(FILE));
    return new IncidentLog(config == null ? null : config.toAbsolutePath().resolveSibling(FILE));
  }

  Path path() {
    return path;
  }

  /** The latest state of each incident in the file, oldest first; the last {@code limit} of them. */
  List<IncidentRecord> load(int limit) {
    if (path == null) return List.of();
    Map<String, IncidentRecord> byId = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        try {
          IncidentRecord r = IncidentRecord.JSON.readValue(line, IncidentRecord.class);
          byId.remove(r.id()); // re-inserted: the order is of the latest line
          byId.put(r.id(), r);
        } catch (JsonProcessingException e) {
          LOG.warn("{}: skipping a line that is not an incident ({})", path, e.getOriginalMessage());
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.warn("cannot read past incidents from {}: {}", path, e.getMessage());
      return List.of();
    }
    List<IncidentRecord> all = new ArrayList<>(byId.values());
    all.sort(java.util.Comparator.comparing(IncidentRecord::started));
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  void append(IncidentRecord r) {
    if (path == null) return;
    try {
      if (out == null) {
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.write(IncidentRecord.JSON.writeValueAsString(r));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      LOG.warn("cannot write incident {} to {}: {}", r.id(), path, e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      if (out != null) out.close();
    } catch (IOException e) {
      LOG.warn("closing {}: {}", path, e.getMessage());
    }
  }
}
