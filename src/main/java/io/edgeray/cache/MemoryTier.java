package io.edgeray.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.function.Predicate;

/** Small objects in the heap: a Caffeine cache weighed by bytes. */
final class MemoryTier {
  record Entry(EntryMeta meta, byte[] body) {
    int weight() {
      return meta.weight() + body.length;
    }
  }

  private final Cache<String, Entry> cache;

  MemoryTier(long maxBytes, CacheMetrics metrics) {
    cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String k, Entry e) -> e.weight())
        .executor(Runnable::run) // evictions happen on the writing thread: no hidden threads, exact in tests
        .removalListener((String k, Entry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
          if (cause.wasEvicted()) metrics.evicted("memory");
        })
        .build();
  }

  Entry get(String key) {
    return cache.getIfPresent(key);
  }

  void put(Entry e) {
    cache.put(e.meta().storageKey(), e);
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

  void cleanUp() {
    cache.cleanUp();
  }
}
