package io.edgeray.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects in a directory, bounded in bytes, surviving a restart. Caffeine keeps the index and picks
 * the victims (W-TinyLFU: by recency and frequency, so a new object seen once may be the one that
 * goes); the removal deletes the file.
 *
 * <p>Every version of an object is its own file ({@code ab/<key hash>-<random>.entry}), written as
 * a temporary file and renamed into place only when complete, so a crash leaves either the old
 * version, the new one, or a {@code .tmp} file that the next start deletes. A file that does not
 * read back (magic, lengths, checksums) is a miss and is deleted, never served.
 */
final class DiskTier {
  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  /** An object in the index; {@code verified} once its body checksum has been read back. */
  record Entry(EntryMeta meta, Path file, long size, long bodyStart, int bodyCrc, AtomicBoolean verified) {}

  /** The disk could not take a write; the cache bypasses instead of failing the request. */
  static final class DiskFullException extends IOException {
    DiskFullException(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final long minFreeBytes;
  private final CacheMetrics metrics;
  private final Cache<String, Entry> index;

  DiskTier(Path dir, long maxBytes, long minFreeBytes, CacheMetrics metrics) throws IOException {
    this.dir = dir;
    this.minFreeBytes = minFreeBytes;
    this.metrics = metrics;
    this.index = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.size()))
        .executor(Runnable::run)
        .removalListener((String k, Entry e, RemovalCause cause) -> {
          if (e != null) delete(e.file());
          if (cause.wasEvicted()) metrics.evicted("disk");
        })
        .build();
    Files.createDirectories(dir);
    load();
  }

  /** Rebuilds the index from the directory: temporary files and unreadable entries are deleted. */
  private void load() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path p : files) {
      String name = p.getFileName().toString();
      if (name.endsWith(".tmp")) {
        delete(p);
        continue;
      }
      if (!name.endsWith(".entry")) continue;
      try (FileChannel ch = EntryFile.openRead(p)) {
        EntryFile.Header h = EntryFile.readHeader(ch);
        Entry e = new Entry(h.meta(), p, ch.size(), h.bodyStart(), h.bodyCrc(), new AtomicBoolean(false));
        Entry earlier = index.asMap().putIfAbsent(h.meta().storageKey(), e);
        if (earlier != null) {
          // two versions of one object (a crash between rename and delete): the newer one stays
          if (earlier.meta().responseTime().isBefore(e.meta().responseTime())) index.put(h.meta().storageKey(), e);
          else delete(p);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("cache: deleting unreadable entry {}: {}", p, e.getMessage());
        metrics.storeFailed("corrupt");
        delete(p);
      }
    }
  }

  Entry get(String key) {
    return index.getIfPresent(key);
  }

  /**
   * Opens the body of an entry; the first time, its checksum is read back. Null when the file is
   * gone or corrupt (then it is also dropped from the index).
   */
  StoredBody open(Entry e) {
    FileChannel ch = null;
    try {
      ch = EntryFile.openRead(e.file());
      if (!e.verified().get()) {
        EntryFile.Header h = EntryFile.readHeader(ch);
        if (!EntryFile.bodyIntact(ch, h)) throw new IOException("body checksum mismatch");
        e.verified().set(true);
      }
      return new StoredBody.OnDisk(ch, e.bodyStart(), e.meta().bodyLength());
    } catch (IOException | RuntimeException problem) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      log.warn("cache: entry {} does not read back ({}); dropped", e.file(), problem.getMessage());
      metrics.storeFailed("corrupt");
      index.asMap().remove(e.meta().storageKey(), e);
      delete(e.file());
      return null;
    }
  }

  /** Starts writing a new version of an object; throws {@link DiskFullException} when the disk is too full. */
  Write begin(EntryMeta meta) throws IOException {
    long usable = Files.getFileStore(dir).getUsableSpace();
    if (usable < minFreeBytes) throw new DiskFullException("only " + usable + " bytes free in " + dir);
    return new Write(meta);
  }

  /** Rewrites an entry with a new head (a 304 merged in), copying the body. */
  void replaceHead(Entry old, EntryMeta meta) throws IOException {
    Write w = begin(meta.withBodyLength(-1));
    try (FileChannel in = EntryFile.openRead(old.file())) {
      long pos = old.bodyStart();
      long end = old.bodyStart() + old.meta().bodyLength();
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      while (pos < end) {
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), end - pos));
        int n = in.read(buf, pos);
        if (n < 0) throw new IOException("entry file ended early");
        buf.flip();
        w.append(buf);
        pos += n;
      }
      w.commit();
    } catch (IOException | RuntimeException e) {
      w.abandon();
      throw e;
    }
  }

  void remove(String key) {
    index.invalidate(key);
  }

  int removeIf(Predicate<EntryMeta> match) {
    int n = 0;
    for (Map.Entry<String, Entry> e : index.asMap().entrySet()) {
      if (match.test(e.getValue().meta()) && index.asMap().remove(e.getKey(), e.getValue())) n++;
    }
    return n;
  }

  /** Makes a finished file visible to lookups. */
  void publish(Entry e) {
    index.put(e.meta().storageKey(), e);
  }

  /** Deletes a finished file that will not be published (a purge came in while it was written). */
  void discard(Entry e) {
    delete(e.file());
  }

  Stream<EntryMeta> metas() {
    return index.asMap().values().stream().map(Entry::meta);
  }

  long bytes() {
    return index.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
  }

  long objects() {
    return index.estimatedSize();
  }

  void forEach(java.util.function.Consumer<Entry> each) {
    index.asMap().values().forEach(each);
  }

  long capacity() {
    return index.policy().eviction().map(ev -> ev.getMaximum()).orElse(0L);
  }

  void cleanUp() {
    index.cleanUp();
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("cache: cannot delete {}: {}", p, e.getMessage());
    }
  }

  private Path finalPath(String key) {
    String hash = sha256(key);
    String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return dir.resolve(hash.substring(0, 2)).resolve(hash.substring(0, 40) + "-" + random + ".entry");
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One object being written: head first, then the body as it arrives; invisible until commit. */
  final class Write {
    private final EntryMeta meta;
    private final byte[] head;
    private final Path temp;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private long bodyLength;
    private boolean done;

    private Write(EntryMeta meta) throws IOException {
      this.meta = meta;
      this.head = meta.withBodyLength(-1).encode();
      this.temp = dir.resolve("w-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        ByteBuffer b = ByteBuffer.allocate(EntryFile.MAGIC.length + 4 + head.length);
        b.put(EntryFile.MAGIC).putInt(head.length).put(head).flip();
        writeFully(b);
      } catch (IOException e) {
        abandon();
        throw e;
      }
    }

    void append(ByteBuffer bytes) throws IOException {
      ByteBuffer forCrc = bytes.duplicate();
      int n = bytes.remaining();
      writeFully(bytes);
      crc.update(forCrc);
      bodyLength += n;
    }

    long bodyLength() {
      return bodyLength;
    }

    /** A second handle on the file being written, for readers that follow it as it grows. */
    FileChannel openForReading() throws IOException {
      return FileChannel.open(temp, StandardOpenOption.READ);
    }

    /** Where the body starts in the file. */
    long bodyStart() {
      return EntryFile.MAGIC.length + 4L + head.length;
    }

    /**
     * Completes the file: trailer, rename into place. Not visible yet (see {@link #publish}). No
     * fsync: a file cut short by a power loss fails its checksum and is deleted on the next read.
     */
    Entry finish() throws IOException {
      try {
        writeFully(EntryFile.trailer(bodyLength, head, (int) crc.getValue()));
        long size = channel.size();
        channel.close();
        Path target = finalPath(meta.storageKey());
        Files.createDirectories(target.getParent());
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target);
        }
        done = true;
        return new Entry(meta.withBodyLength(bodyLength), target, size,
            EntryFile.MAGIC.length + 4L + head.length, (int) crc.getValue(), new AtomicBoolean(true));
      } catch (IOException | RuntimeException e) {
        abandon();
        throw e;
      }
    }

    Entry commit() throws IOException {
      Entry e = finish();
      publish(e);
      return e;
    }

    void abandon() {
      if (done) return;
      done = true;
      try {
        channel.close();
      } catch (IOException ignored) {
        // deleting it anyway
      }
      delete(temp);
    }

    private void writeFully(ByteBuffer b) throws IOException {
      while (b.hasRemaining()) channel.write(b);
    }
  }
}
