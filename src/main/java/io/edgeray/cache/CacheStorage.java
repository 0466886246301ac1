package io.edgeray.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two tiers together: small objects in memory (and on disk, so they survive a restart),
 * large ones only on disk, streamed there chunk by chunk as they arrive. No policy lives here;
 * this is storage I/O only. Thread-safe; one {@link Pending} write is used by one thread at a time.
 */
public final class CacheStorage {
  private static final Logger log = LoggerFactory.getLogger(CacheStorage.class);
  public static final long DEFAULT_MEMORY_OBJECT_LIMIT = 1024 * 1024;
  public static final long DEFAULT_MIN_FREE_DISK = 64L * 1024 * 1024;

  private final MemoryTier memory;
  private final DiskTier disk; // null: memory only
  private final long memoryObjectLimit;
  private final CacheMetrics metrics;

  private CacheStorage(MemoryTier memory, DiskTier disk, long memoryObjectLimit, CacheMetrics metrics) {
    this.memory = memory;
    this.disk = disk;
    this.memoryObjectLimit = memoryObjectLimit;
    this.metrics = metrics;
    metrics.watchTiers(memory::bytes, () -> disk == null ? 0 : disk.bytes(), memory::objects,
        () -> disk == null ? 0 : disk.objects());
  }

  /** A memory-only cache of {@code memoryBytes}; objects above {@code memoryObjectLimit} are not stored. */
  public static CacheStorage inMemory(long memoryBytes, long memoryObjectLimit, CacheMetrics metrics) {
    return new CacheStorage(new MemoryTier(memoryBytes, metrics), null, memoryObjectLimit, metrics);
  }

  /**
   * A memory tier in front of a disk tier in {@code dir}. Existing entries are found again; writes
   * are refused (the cache bypasses) while the file system has less than {@code minFreeBytes} free.
   */
  public static CacheStorage onDisk(long memoryBytes, long memoryObjectLimit, Path dir, long diskBytes, long minFreeBytes,
      CacheMetrics metrics) throws IOException {
    return new CacheStorage(new MemoryTier(memoryBytes, metrics), new DiskTier(dir, diskBytes, minFreeBytes, metrics),
        memoryObjectLimit, metrics);
  }

  /** An object with its body open for reading; close the body when done. */
  public record Found(EntryMeta meta, StoredBody body) {}

  /** The head of an object without opening its body, or null. */
  public EntryMeta peek(String storageKey) {
    MemoryTier.Entry m = memory.get(storageKey);
    if (m != null) return m.meta();
    DiskTier.Entry d = disk == null ? null : disk.get(storageKey);
    return d == null ? null : d.meta();
  }

  /** The object with its body open, or null (absent, or on disk and corrupt: then it is deleted). */
  public Found open(String storageKey) {
    MemoryTier.Entry m = memory.get(storageKey);
    StoredBody.InMemory inMemory = m == null ? null : MemoryTier.open(m);
    if (inMemory != null) return new Found(m.meta(), inMemory);
    if (disk == null) return null;
    DiskTier.Entry d = disk.get(storageKey);
    if (d == null) return null;
    StoredBody body = disk.open(d);
    if (body == null) return null;
    if (d.meta().bodyLength() <= memoryObjectLimit) promote(d.meta(), body);
    return new Found(d.meta(), body);
  }

  private void promote(EntryMeta meta, StoredBody body) {
    try {
      // read into a direct buffer of its own, which becomes the memory tier's copy
      memory.put(new MemoryTier.Entry(meta, body.read(0, (int) meta.bodyLength(), io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)));
    } catch (IOException e) {
      log.debug("cache: not promoting {}: {}", meta.url(), e.getMessage()); // the disk read that follows says it again
    } catch (OutOfMemoryError e) { // the direct memory's limit, not the heap: served from disk alone
      metrics.storeFailed("memory_full");
      log.warn("cache: not keeping {} in memory: {}", meta.url(), e.getMessage());
    }
  }

  /** Starts storing an object; never throws: a write the disk refuses is counted and bypassed. */
  public Pending begin(EntryMeta meta) {
    return new Pending(meta);
  }

  public void remove(String storageKey) {
    memory.remove(storageKey);
    if (disk != null) disk.remove(storageKey);
  }

  /** Removes every object whose head matches, from both tiers; returns how many distinct objects went. */
  public int removeIf(Predicate<EntryMeta> match) {
    Set<String> gone = new HashSet<>();
    memory.removeIf(m -> {
      boolean hit = match.test(m);
      if (hit) gone.add(m.storageKey());
      return hit;
    });
    if (disk != null) {
      disk.removeIf(m -> {
        boolean hit = match.test(m);
        if (hit) gone.add(m.storageKey());
        return hit;
      });
    }
    return gone.size();
  }

  /** Replaces an object's head (a 304 merged in) in both tiers, keeping the body. */
  public void replaceHead(EntryMeta meta) {
    memory.replaceHead(meta);
    if (disk != null) {
      DiskTier.Entry d = disk.get(meta.storageKey());
      if (d != null) {
        try {
          disk.replaceHead(d, meta);
        } catch (IOException e) {
          log.warn("cache: could not update the stored head of {}: {}; dropping it", meta.url(), e.getMessage());
          metrics.storeFailed(e instanceof DiskTier.DiskFullException ? "disk_full" : "disk_error");
          remove(meta.storageKey());
        }
      }
    }
  }

  /** The heads of every stored object (memory first, then disk; an object in both appears twice). */
  public Stream<EntryMeta> heads() {
    Stream<EntryMeta> onDisk = disk == null ? Stream.empty() : disk.metas();
    return Stream.concat(memoryHeads(), onDisk);
  }

  private Stream<EntryMeta> memoryHeads() {
    java.util.List<EntryMeta> out = new java.util.ArrayList<>();
    memory.removeIf(m -> {
      out.add(m);
      return false;
    });
    return out.stream();
  }

  public long memoryBytes() {
    memory.cleanUp();
    return memory.bytes();
  }

  public long diskBytes() {
    if (disk == null) return 0;
    disk.cleanUp();
    return disk.bytes();
  }

  /** The memory tier's use by one zone and in all. */
  CacheReport.Tier memoryUsage(String zone, long evictions) {
    long[] mine = new long[2];
    memory.forEach(e -> {
      if (e.meta().zone().equals(zone)) {
        mine[0]++;
        mine[1] += e.weight();
      }
    });
    return new CacheReport.Tier(mine[0], mine[1], memory.objects(), memoryBytes(), memory.capacity(), evictions);
  }

  /** The disk tier's use by one zone and in all. */
  CacheReport.Tier diskUsage(String zone, long evictions) {
    long[] mine = new long[2];
    disk.forEach(e -> {
      if (e.meta().zone().equals(zone)) {
        mine[0]++;
        mine[1] += e.size();
      }
    });
    return new CacheReport.Tier(mine[0], mine[1], disk.objects(), diskBytes(), disk.capacity(), evictions);
  }

  /** Frees the memory tier when the edge stops (the disk tier keeps what it holds for the next start). */
  public void close() {
    memory.clear();
  }

  public boolean hasDisk() {
    return disk != null;
  }

  /**
   * One object being stored. The body goes to the disk tier as it arrives (never whole in the heap)
   * and is kept in memory too while it is small. If the disk fails or fills up, the object is kept
   * in memory only if it is small, else not stored; the request is never failed.
   */
  public final class Pending {
    private final EntryMeta meta;
    private DiskTier.Write diskWrite;
    private DiskTier.Entry finished; // prepared, not yet published
    /** The body in the heap while it is small; readers following the write copy from it under the lock. */
    private byte[] mem = new byte[0];
    private int memLength;
    private boolean inMemory = true;
    private volatile long length;
    private volatile boolean complete; // every byte arrived and the files are finished
    private volatile boolean broken;
    private boolean closed;
    private String problem; // why the disk did not take it, or null
    private java.util.List<Runnable> waiting = new java.util.ArrayList<>();

    private Pending(EntryMeta meta) {
      this.meta = meta;
      if (disk != null) {
        try {
          diskWrite = disk.begin(meta);
        } catch (IOException e) {
          diskFailed(e);
        }
      }
    }

    /** Whether anything can still be stored. */
    public boolean alive() {
      return !closed && (diskWrite != null || inMemory);
    }

    public long length() {
      return length;
    }

    public boolean append(ByteBuffer bytes) {
      if (!alive()) return false;
      int n = bytes.remaining();
      if (inMemory) {
        synchronized (this) {
          if (length + n <= memoryObjectLimit) {
            if (memLength + n > mem.length) mem = java.util.Arrays.copyOf(mem, Math.max(memLength + n, mem.length * 2));
            bytes.duplicate().get(mem, memLength, n);
            memLength += n;
          } else {
            inMemory = false;
            mem = null;
          }
        }
      }
      if (diskWrite != null) {
        try {
          diskWrite.append(bytes);
        } catch (IOException e) {
          diskWrite.abandon();
          diskWrite = null;
          diskFailed(e);
        }
      }
      if (alive()) {
        length += n;
        wake();
      } else {
        broken = true;
        wake();
      }
      return alive();
    }

    public EntryMeta meta() {
      return meta;
    }

    /**
     * Whether readers can follow this write while it arrives: it goes to disk, or it is known to be
     * small enough to stay in memory whole.
     */
    boolean followable(long expectedLength) {
      return diskWrite != null || inMemory && expectedLength >= 0 && expectedLength <= memoryObjectLimit;
    }

    /** A reader of the body as it arrives, or null when the write is over (look the object up instead). */
    synchronized StoredBody follow() {
      if (closed || broken) return null;
      if (diskWrite != null) {
        try {
          return new Follower(diskWrite.openForReading(), diskWrite.bodyStart());
        } catch (IOException e) {
          return null;
        }
      }
      return inMemory ? new Follower(null, 0) : null;
    }

    /** Completes the object's files; it is not visible yet. Returns false when nothing could be kept. */
    public boolean prepare() {
      if (!alive()) {
        abandon();
        return false;
      }
      closed = true;
      if (diskWrite != null) {
        try {
          finished = diskWrite.finish();
        } catch (IOException e) {
          diskWrite = null;
          diskFailed(e);
        }
      }
      boolean kept = finished != null || inMemory;
      if (kept) complete = true;
      else broken = true;
      wake();
      return kept;
    }

    /** Makes a prepared object visible to new lookups; its head with the body length. */
    public EntryMeta publish() {
      EntryMeta done = meta.withBodyLength(length);
      if (finished != null) disk.publish(finished);
      if (inMemory) {
        synchronized (this) {
          memory.put(new MemoryTier.Entry(done, memory.copyOf(mem, memLength)));
        }
      }
      finished = null;
      return done;
    }

    /** Prepare and publish in one. */
    public EntryMeta commit() {
      return prepare() ? publish() : null;
    }

    public void abandon() {
      closed = true;
      if (!complete) broken = true; // readers that got every byte still finish (a purge dropped the object)
      synchronized (this) {
        inMemory = false;
        if (!complete) mem = null;
      }
      if (finished != null) disk.discard(finished);
      finished = null;
      if (diskWrite != null) diskWrite.abandon();
      diskWrite = null;
      wake();
    }

    /** disk_full or disk_error when the disk tier did not take this object (it may still be in memory), else null. */
    public String problem() {
      return problem;
    }

    private void onMore(long after, Runnable wake) {
      synchronized (this) {
        if (length <= after && !complete && !broken) {
          waiting.add(wake);
          return;
        }
      }
      wake.run();
    }

    private void wake() {
      java.util.List<Runnable> now;
      synchronized (this) {
        if (waiting.isEmpty()) return;
        now = waiting;
        waiting = new java.util.ArrayList<>();
      }
      for (Runnable r : now) r.run();
    }

    private void diskFailed(IOException e) {
      String reason = e instanceof DiskTier.DiskFullException ? "disk_full" : "disk_error";
      problem = reason;
      log.warn("cache: not storing {} on disk ({}): {}", meta.url(), reason, e.getMessage());
      metrics.storeFailed(reason);
    }

    /** The body as it arrives: from the file being written (its own handle), or from the heap copy. */
    final class Follower implements StoredBody, Arriving {
      private final java.nio.channels.FileChannel file; // null: the heap copy
      private final long bodyStart;

      private Follower(java.nio.channels.FileChannel file, long bodyStart) {
        this.file = file;
        this.bodyStart = bodyStart;
      }

      @Override
      public long length() {
        return length;
      }

      @Override
      public long available() {
        return length;
      }

      @Override
      public boolean complete() {
        return complete;
      }

      @Override
      public boolean broken() {
        return broken;
      }

      @Override
      public void onMore(long after, Runnable wake) {
        Pending.this.onMore(after, wake);
      }

      @Override
      public io.netty.buffer.ByteBuf read(long offset, int max, io.netty.buffer.ByteBufAllocator alloc) throws IOException {
        int len = (int) Math.min(max, length - offset);
        if (len <= 0) return alloc.heapBuffer(0);
        if (file != null) return new StoredBody.OnDisk(file, bodyStart, length).read(offset, len, alloc);
        synchronized (Pending.this) {
          if (mem == null) throw new IOException("the object stopped being stored while it was sent");
          io.netty.buffer.ByteBuf b = alloc.ioBuffer(len);
          b.writeBytes(mem, (int) offset, len);
          return b;
        }
      }

      @Override
      public void close() {
        if (file == null) return;
        try {
          file.close();
        } catch (IOException ignored) {
          // nothing left to do
        }
      }
    }
  }
}
