package io.edgeray.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small objects in memory: a Caffeine cache weighed by bytes. Bodies live off the heap, in direct
 * buffers the socket is written from without a copy, and they are counted: the tier holds one
 * count of each, every reader one more. An object evicted or purged while visitors are still
 * receiving it is freed when the last of them is done, and a lookup that meets an object in the
 * instant of its release finds nothing (a miss) rather than freed memory.
 */
final class MemoryTier {
  /** {@code body} belongs to the tier: a reader takes its own count with {@link #open}. */
  record Entry(EntryMeta meta, ByteBuf body) {
    int weight() {
      return meta.weight() + body.readableBytes();
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(MemoryTier.class);

  private final Cache<String, Entry> cache;
  private final CacheMetrics metrics;

  MemoryTier(long maxBytes, CacheMetrics metrics) {
    this.metrics = metrics;
    cache = Caffeine.newBuilder()
        .maximumWeight(within(maxBytes, PlatformDependent.maxDirectMemory()))
        .weigher((String k, Entry e) -> e.weight())
        .executor(Runnable::run) // evictions happen on the writing thread: no hidden threads, exact in tests
        .removalListener((String k, Entry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
          if (e != null) e.body().release(); // replaced, purged or evicted: the tier's count goes
          if (cause.wasEvicted()) metrics.evicted("memory");
        })
        .build();
  }

  /**
   * The tier's size within the JVM's direct memory (by default as large as the heap's maximum, a
   * quarter of the machine's memory): at most half of it, so that the sockets' own buffers always
   * have room. A larger setting is lowered, and the log says so.
   */
  static long within(long configured, long directLimit) {
    if (directLimit <= 0 || configured <= directLimit / 2) return configured;
    long capped = directLimit / 2;
    LOG.warn("cache_storage.memory {} MiB is more than half of the JVM's direct memory ({} MiB): the memory tier holds"
        + " {} MiB (raise it with EDGERAY_JAVA_OPTS='-XX:MaxDirectMemorySize=...')", configured >> 20, directLimit >> 20,
        capped >> 20);
    return capped;
  }

  /** A direct buffer holding a copy of {@code bytes[0, length)}, ready to be an entry's body; null when direct memory is short. */
  ByteBuf copyOf(byte[] bytes, int length) {
    try {
      // unpooled: a pooled allocator would keep a whole chunk alive for as long as one small object stays cached
      return UnpooledByteBufAllocator.DEFAULT.directBuffer(length, length).writeBytes(bytes, 0, length);
    } catch (OutOfMemoryError e) { // the direct memory's limit, not the heap: the object is not kept in memory
      metrics.storeFailed("memory_full");
      LOG.warn("cache: not keeping an object of {} bytes in memory: {}", length, e.getMessage());
      return null;
    }
  }

  Entry get(String key) {
    return cache.getIfPresent(key);
  }

  /** The entry's body with a count of the reader's own (close it when done), or null when it was just released. */
  static StoredBody.InMemory open(Entry e) {
    ByteBuf counted = retained(e.body());
    return counted == null ? null : new StoredBody.InMemory(counted);
  }

  /** Stores {@code e}; the tier takes over its body's count. */
  void put(Entry e) {
    if (e.body() == null) return; // no room for its copy: not kept here
    cache.put(e.meta().storageKey(), e);
  }

  /** Stores the object again under a new head, with the same body; false when it went meanwhile. */
  boolean replaceHead(EntryMeta meta) {
    Entry e = cache.getIfPresent(meta.storageKey());
    ByteBuf counted = e == null ? null : retained(e.body());
    if (counted == null) return false;
    put(new Entry(meta, counted)); // the old entry's count is released as it is replaced
    return true;
  }

  /** One more count of {@code body}, or null when its last count went a moment ago (an eviction raced this lookup). */
  private static ByteBuf retained(ByteBuf body) {
    try {
      return body.retain();
    } catch (IllegalReferenceCountException released) {
      return null;
    }
  }

  void remove(String key) {
    cache.invalidate(key);
  }

  int removeIf(Predicate<EntryMeta> match) {
    int n = 0;
    for (Map.Entry<String, Entry> e : cache.asMap().entrySet()) {
      if (match.test(e.getValue().meta()) && cache.asMap().remove(e.getKey(), e.getValue())) n++;
    }
    return n;
  }

  long bytes() {
    return cache.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
  }

  long objects() {
    return cache.estimatedSize();
  }

  void forEach(java.util.function.Consumer<Entry> each) {
    cache.asMap().values().forEach(each);
  }

  long capacity() {
    return cache.policy().eviction().map(ev -> ev.getMaximum()).orElse(0L);
  }

  /** Drops every object: each body is freed once its readers, if any, are done. */
  void clear() {
    cache.invalidateAll();
  }

  void cleanUp() {
    cache.cleanUp();
  }
}
