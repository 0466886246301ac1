package io.edgeray.analytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.edgeray.observe.AccessLog;
import io.edgeray.observe.RaySummary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ray id to access-log line: {@code GET /api/rays/{ray}} reads one line at a known offset instead
 * of scanning the log, and {@code GET /api/errors} reads the latest error lines the same way.
 *
 * <p>The access log tells the index where each line went once it is flushed ({@link
 * AccessLog.Lines}); at start the index reads the last {@code capacity} lines already in the log
 * (backwards from its end, then from the end of {@code access.jsonl.1}, logrotate's name for the
 * file before), so a log of gigabytes costs no more than one of {@code capacity} lines. It reads on
 * a thread of its own, from a second after the edge's listeners are bound, and the edge serves
 * meanwhile (until the reading is done, a ray from before
 * the start is not found yet; {@link #awaitRead} waits for it). Each file is a <em>segment</em> the
 * index keeps open for reading, so after logrotate renames the log and the edge reopens it, the
 * lines of the renamed file are still found: the index keeps the current file and the one before,
 * and forgets the older one's lines at the next reopen. At most {@code capacity} rays are kept,
 * oldest forgotten first, as the log itself forgets them.
 *
 * <p>Every line read back is checked to carry the ray asked for, so a file truncated or replaced
 * behind the edge's back yields "not found", never another ray's line (nor, for two ray ids with
 * the same 64-bit key, the other one's).
 *
 * <p>Why primitive arrays: every ray is remembered for minutes, long enough to be promoted to the
 * old generation, and then forgotten. As objects (a map entry and a record a ray, some 150 bytes)
 * that churn kept the old generation full and gave the edge a full collection every few seconds
 * under load, the 100 to 200 ms p99 of the benchmarks. In a ring of arrays and a table of ray
 * numbers ({@link RayNumbers}) a ray costs about 65 bytes and allocates nothing.
 */
public final class RayIndex implements AccessLog.Lines, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RayIndex.class);
  private static final JsonFactory JSON = new JsonFactory();
  /** About 65 bytes a ray (four array slots, and five slots of the table of numbers): 200,000 rays in some 13 MB. */
  public static final int DEFAULT_CAPACITY = 200_000;
  /** The latest error rays kept per zone (and for all zones together) for {@code /api/errors}. */
  public static final int ERRORS_KEPT = 1000;
  private static final int SEGMENTS_KEPT = 2;

  private record Segment(Path path, Object fileKey, FileChannel channel) {}

  private record Where(String ray, Segment segment, long offset, int length) {}

  private final int capacity;
  // all guarded by this; touched by the access log's writer thread and by the admin API.
  // Rays are numbered as written; the rays known are numbers [first, written), ray n in slot
  // n % keys.length of the ring. The arrays grow up to capacity, then the oldest ray gives way.
  private long[] keys = new long[0];
  private long[] offsets = new long[0];
  private int[] lengths = new int[0];
  private Segment[] segmentOf = new Segment[0];
  private long first;
  private long written;
  private RayNumbers numberOf = new RayNumbers(0); // sized with the ring
  private final ArrayDeque<Where> errors = new ArrayDeque<>();
  private final Map<String, ArrayDeque<Where>> zoneErrors = new HashMap<>();
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private boolean started;
  private final int chunkSize;
  private final Executor reader;
  private long linesParsed; // by the start-up reads, for tests: they cost what they keep
  private long bytesRead;
  /** The reading of the lines written before the log was (re)opened; done when there were none. */
  private CompletableFuture<Void> read = CompletableFuture.completedFuture(null);

  public RayIndex(int capacity) {
    this(capacity, CompletableFuture.completedFuture(null));
  }

  /**
   * With the start-up read held until {@code readAfter} completes: an edge starting on one core
   * serves its first visitors before it shares the core with the read (10,000 old lines cost
   * 0.2 s of the first answer there, and 200,000 would cost seconds, the JIT compiling the parser
   * included).
   */
  public RayIndex(int capacity, CompletionStage<?> readAfter) {
    this(capacity, LinesFromTheEnd.CHUNK, r -> readAfter.whenComplete((done, error) -> {
      Thread t = new Thread(r, "edgeray-ray-index");
      t.setDaemon(true);
      t.start();
    }));
  }

  /** With the start-up read in chunks of {@code chunkSize} bytes, run by {@code reader} (tests hold it back). */
  RayIndex(int capacity, int chunkSize, Executor reader) {
    if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
    this.capacity = capacity;
    this.chunkSize = chunkSize;
    this.reader = reader;
  }

  @Override
  public synchronized void opened(Path file, long size) {
    Object key = fileKey(file);
    Segment current = segments.peekLast();
    if (current != null && key != null && key.equals(current.fileKey())) return; // reopened the same file
    List<Segment> toRead = new ArrayList<>(2);
    List<Long> sizes = new ArrayList<>(2);
    if (!started) {
      started = true;
      Path before = file.resolveSibling(file.getFileName() + ".1");
      if (Files.isRegularFile(before)) {
        try {
          long beforeSize = Files.size(before);
          toRead.add(addSegment(before));
          sizes.add(beforeSize);
        } catch (IOException e) {
          LOG.warn("ray index: cannot read {} ({}): its rays are not found", before, e.getMessage());
        }
      }
    }
    try {
      toRead.add(addSegment(file));
      sizes.add(size);
    } catch (IOException e) {
      LOG.warn("ray index: cannot read {} ({}): its rays are not found", file, e.getMessage());
    }
    if (sizes.stream().mapToLong(Long::longValue).sum() == 0) return; // nothing written before: nothing to read
    CompletableFuture<Void> previous = read;
    read = CompletableFuture.runAsync(() -> {
      previous.join(); // one reading at a time, in the order the files were opened
      learnAll(toRead, sizes);
    }, reader);
  }

  /**
   * Waits until the lines that were in the log when it was opened are indexed (at most {@code
   * timeout}): for tests, and for callers that must see the rays of before the start.
   */
  public void awaitRead(Duration timeout) throws InterruptedException, TimeoutException {
    CompletableFuture<Void> r;
    synchronized (this) {
      r = read;
    }
    try {
      r.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // logged where it happened; what was read is kept
    }
  }

  /**
   * What a start-up read learnt, newest first: the lines in arrays (a record and two Strings a
   * line were some 38 MB for 200,000 lines, all promoted by the young collections of the first
   * minutes) and a {@link Where} for the error lines only, which are bounded by {@link #ERRORS_KEPT}.
   */
  private static final class Learnt {
    private final int capacity;
    long[] keys = new long[0];
    long[] offsets = new long[0];
    int[] lengths = new int[0];
    byte[] segments = new byte[0]; // the index of the line's segment in the list read
    int size;
    final List<Where> errors = new ArrayList<>();
    final Map<String, List<Where>> zoneErrors = new HashMap<>();

    Learnt(int capacity) {
      this.capacity = capacity;
    }

    boolean full() {
      return size == capacity;
    }

    void add(long key, int segment, long offset, int length) {
      if (size == keys.length) {
        int n = (int) Math.min(capacity, Math.max(1024L, keys.length * 2L));
        keys = Arrays.copyOf(keys, n);
        offsets = Arrays.copyOf(offsets, n);
        lengths = Arrays.copyOf(lengths, n);
        segments = Arrays.copyOf(segments, n);
      }
      keys[size] = key;
      offsets[size] = offset;
      lengths[size] = length;
      segments[size] = (byte) segment;
      size++;
    }
  }

  /**
   * Reads the segments' last lines without the lock, the current one first, then puts them before
   * the rays the log wrote meanwhile: they are older, and the oldest are forgotten first. Only the
   * lines in the sizes the segments had when opened are read, and every ray written since is at or
   * after those sizes, so no ray is learnt twice and the order is the file's whatever the timing.
   */
  private void learnAll(List<Segment> toRead, List<Long> sizes) {
    Learnt learnt = new Learnt(capacity);
    LineFields fields = new LineFields();
    for (int i = toRead.size() - 1; i >= 0 && !learnt.full(); i--) {
      Segment s = toRead.get(i);
      try {
        scan(s, i, sizes.get(i), learnt, fields);
      } catch (IOException e) {
        LOG.warn("ray index: cannot read {} ({}): its rays are not found", s.path(), e.getMessage());
      }
    }
    synchronized (this) {
      linesParsed += fields.parsed;
      int since = (int) (written - first);
      long[] k = new long[since];
      long[] o = new long[since];
      int[] l = new int[since];
      Segment[] g = new Segment[since];
      for (int i = 0; i < since; i++) {
        int slot = (int) ((first + i) % keys.length);
        k[i] = keys[slot];
        o[i] = offsets[slot];
        l[i] = lengths[slot];
        g[i] = segmentOf[slot];
      }
      List<Where> errorsSince = new ArrayList<>(errors);
      Map<String, List<Where>> zoneErrorsSince = new HashMap<>();
      zoneErrors.forEach((zone, q) -> zoneErrorsSince.put(zone, new ArrayList<>(q)));
      Arrays.fill(segmentOf, null);
      numberOf.clear();
      first = written = 0;
      errors.clear();
      zoneErrors.clear();
      Segment[] kept = new Segment[toRead.size()]; // null for a segment forgotten meanwhile (a reopen)
      for (int i = 0; i < kept.length; i++) kept[i] = segments.contains(toRead.get(i)) ? toRead.get(i) : null;
      for (int i = learnt.size - 1; i >= 0; i--) { // oldest first
        Segment s = kept[learnt.segments[i]];
        if (s != null) addKey(learnt.keys[i], s, learnt.offsets[i], learnt.lengths[i]);
      }
      for (int i = 0; i < since; i++) addKey(k[i], g[i], o[i], l[i]);
      keepOldestFirst(learnt.errors, errors);
      learnt.zoneErrors.forEach((zone, list) -> keepOldestFirst(list, zoneErrors.computeIfAbsent(zone, z -> new ArrayDeque<>())));
      errorsSince.forEach(w -> keep(errors, w));
      zoneErrorsSince.forEach((zone, list) -> list.forEach(w -> keep(zoneErrors.computeIfAbsent(zone, z -> new ArrayDeque<>()), w)));
    }
  }

  /** Keeps {@code newestFirst}'s errors of the segments still kept, oldest first as {@link #keep} wants them. */
  private void keepOldestFirst(List<Where> newestFirst, ArrayDeque<Where> q) {
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      if (segments.contains(newestFirst.get(i).segment())) keep(q, newestFirst.get(i));
    }
  }

  @Override
  public synchronized void written(RaySummary ray, long offset, int length) {
    Segment s = segments.peekLast();
    // the doctor's probes are found by their ray, but are not errors a visitor saw (analytics skips them too)
    if (s != null) add(ray.ray(), s, offset, length, ray.zone(), !ray.doctor() && (ray.status() >= 500 || ray.error() != null));
  }

  private void add(String ray, Segment s, long offset, int length, String zone, boolean error) {
    addKey(key(ray), s, offset, length);
    if (!error) return;
    Where w = new Where(ray, s, offset, length);
    keep(errors, w);
    if (zone != null) keep(zoneErrors.computeIfAbsent(zone, z -> new ArrayDeque<>()), w);
  }

  private void addKey(long key, Segment s, long offset, int length) {
    if (written - first == keys.length) {
      if (keys.length == capacity) forgetOldest();
      else grow();
    }
    long n = written++;
    int slot = (int) (n % keys.length);
    keys[slot] = key;
    offsets[slot] = offset;
    lengths[slot] = length;
    segmentOf[slot] = s;
    numberOf.put(key, n, first);
  }

  /** Doubles the ring (up to capacity); each known ray moves to its slot in the longer one. */
  private void grow() {
    int n = (int) Math.min(capacity, Math.max(1024L, keys.length * 2L));
    long[] k = new long[n];
    long[] o = new long[n];
    int[] l = new int[n];
    Segment[] g = new Segment[n];
    for (long r = first; r < written; r++) {
      int from = (int) (r % keys.length);
      int to = (int) (r % n);
      k[to] = keys[from];
      o[to] = offsets[from];
      l[to] = lengths[from];
      g[to] = segmentOf[from];
    }
    keys = k;
    offsets = o;
    lengths = l;
    segmentOf = g;
    numberOf = new RayNumbers(n);
    for (long r = first; r < written; r++) numberOf.put(keys[(int) (r % n)], r, first);
  }

  private void forgetOldest() {
    int slot = (int) (first % keys.length);
    segmentOf[slot] = null;
    first++;
  }

  /**
   * A ray id's 64-bit key: edgeray's ids are 64 random bits in hex and the node's name, so the
   * hex is the key (mixed with the name); any other id is hashed (FNV-1a).
   */
  static long key(CharSequence ray) {
    long hex = 0;
    int i = 0;
    for (; i < 16 && i < ray.length(); i++) {
      int d = Character.digit(ray.charAt(i), 16);
      if (d < 0) break;
      hex = hex << 4 | d;
    }
    long h = 0xcbf29ce484222325L;
    for (int j = i == 16 ? 16 : 0; j < ray.length(); j++) h = (h ^ ray.charAt(j)) * 0x100000001b3L;
    return i == 16 ? hex ^ h * 0x9e3779b97f4a7c15L : h;
  }

  private static void keep(ArrayDeque<Where> q, Where w) {
    q.addLast(w);
    if (q.size() > ERRORS_KEPT) q.removeFirst();
  }

  private Segment addSegment(Path file) throws IOException {
    Segment s = new Segment(file, fileKey(file), FileChannel.open(file, StandardOpenOption.READ));
    segments.addLast(s);
    while (segments.size() > SEGMENTS_KEPT) forget(segments.removeFirst());
    return s;
  }

  /** The oldest segment's rays are the oldest rays, so they are at the start of the ring. */
  private void forget(Segment s) {
    while (first < written && segmentOf[(int) (first % keys.length)] == s) forgetOldest();
    errors.removeIf(w -> w.segment() == s);
    zoneErrors.values().forEach(q -> q.removeIf(w -> w.segment() == s));
    closeQuietly(s);
  }

  /** Learns the last whole lines of the first {@code size} bytes of a segment until {@code learnt} is full. */
  private void scan(Segment s, int index, long size, Learnt learnt, LineFields fields) throws IOException {
    long t0 = System.nanoTime();
    int before = learnt.size;
    LinesFromTheEnd lines = new LinesFromTheEnd(s.channel(), chunkSize);
    try {
      lines.read(size, (offset, length, bytes, from) -> {
        if (fields.parse(bytes, from, length - 1)) learn(s, index, offset, length, fields, learnt);
        return !learnt.full();
      });
    } finally {
      synchronized (this) {
        bytesRead += lines.bytesRead();
      }
      LOG.info("ray index: {} rays from {} in {} ms ({} KiB read)", learnt.size - before, s.path(),
          (System.nanoTime() - t0) / 1_000_000, lines.bytesRead() / 1024);
    }
  }

  /**
   * Keeps a line's key, and a {@link Where} if it is one of the newest {@link #ERRORS_KEPT}
   * errors of all zones or of its zone: lines come newest first, so a full list is final.
   */
  private static void learn(Segment s, int index, long offset, int length, LineFields f, Learnt learnt) {
    learnt.add(f.key(), index, offset, length);
    if (!f.error() || f.doctor()) return;
    boolean ofAll = learnt.errors.size() < ERRORS_KEPT;
    String zone = f.zone();
    List<Where> ofZone = zone == null ? null : learnt.zoneErrors.computeIfAbsent(zone, z -> new ArrayList<>());
    boolean inZone = ofZone != null && ofZone.size() < ERRORS_KEPT;
    if (!ofAll && !inZone) return;
    Where w = new Where(f.ray(), s, offset, length);
    if (ofAll) learnt.errors.add(w);
    if (inZone) ofZone.add(w);
  }

  /** The access-log line of {@code ray}, exactly as written (without its newline), while the log retains it. */
  public Optional<String> line(String ray) {
    Where w;
    synchronized (this) {
      long key = key(ray);
      long n = numberOf.find(key, first, written, r -> keys[(int) (r % keys.length)] == key);
      if (n < 0) return Optional.empty();
      int slot = (int) (n % keys.length);
      w = new Where(ray, segmentOf[slot], offsets[slot], lengths[slot]);
    }
    return read(w);
  }

  /**
   * The latest error lines (status 500 or more, or an edge error), newest first: of one zone, or
   * of every ray when {@code zone} is null.
   */
  public List<String> errors(String zone, int limit) {
    List<Where> latest = new ArrayList<>();
    synchronized (this) {
      ArrayDeque<Where> q = zone == null ? errors : zoneErrors.getOrDefault(zone, new ArrayDeque<>());
      for (Iterator<Where> it = q.descendingIterator(); it.hasNext() && latest.size() < limit; ) latest.add(it.next());
    }
    List<String> out = new ArrayList<>(latest.size());
    for (Where w : latest) read(w).ifPresent(out::add);
    return out;
  }

  private static Optional<String> read(Where w) {
    ByteBuffer buf = ByteBuffer.allocate(w.length());
    try {
      while (buf.hasRemaining()) {
        if (w.segment().channel().read(buf, w.offset() + buf.position()) < 0) return Optional.empty();
      }
    } catch (IOException e) { // closed by a later reopen, or the disk failed
      return Optional.empty();
    }
    byte[] bytes = buf.array();
    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
    return carries(bytes, len, w.ray()) ? Optional.of(new String(bytes, 0, len, StandardCharsets.UTF_8)) : Optional.empty();
  }

  private static boolean carries(byte[] line, int len, String ray) {
    try (JsonParser p = JSON.createParser(line, 0, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("ray")) return ray.equals(p.getValueAsString());
        p.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(Segment s) {
    try {
      s.channel().close();
    } catch (IOException e) {
      // nothing is lost: the segment was only read
    }
  }

  /** Lines the start-up reads parsed so far. */
  synchronized long linesParsed() {
    return linesParsed;
  }

  /** Bytes the start-up reads read so far. */
  synchronized long bytesRead() {
    return bytesRead;
  }

  /** How many rays the index knows now (for tests and the log). */
  public synchronized int size() {
    return (int) (written - first);
  }

  @Override
  public synchronized void close() {
    segments.forEach(RayIndex::closeQuietly);
    segments.clear();
    while (first < written) forgetOldest();
  }
}
