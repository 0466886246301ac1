package io.edgeray.cache;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What purges and invalidations need beside the storage: the URL index (a URL's storage keys,
 * for RFC 9111 §4.4 invalidations) and a short log of recent purges (tags, prefixes, files), so
 * a response that was still arriving when a purge covering it came is never stored. A purge and
 * the start or publication of a stored object never interleave; everything else runs unlocked.
 */
final class PurgeIndex {
  private static final int LOG_SIZE = 256;

  private record PurgeRecord(long seq, Predicate<EntryMeta> match) {}

  /** An object being stored, and the last purge before it began: only later purges can cover it. */
  record Begun(CacheStorage.Pending pending, long mark) {}

  private final CacheStorage storage;
  /** URL → storage keys stored under it (stale keys are harmless) */
  private final ConcurrentHashMap<String, Set<String>> urlIndex = new ConcurrentHashMap<>();
  private final Deque<PurgeRecord> log = new ArrayDeque<>(); // guarded by itself
  private long seq; // guarded by log

  PurgeIndex(CacheStorage storage) {
    this.storage = storage;
  }

  /** Starts storing {@code meta}, marked with the purges so far. */
  Begun begin(EntryMeta meta) {
    synchronized (log) {
      return new Begun(storage.begin(meta), seq);
    }
  }

  /**
   * Makes a prepared object visible unless a purge since {@code mark} covers it (then it is
   * abandoned). Returns what was published, or null.
   */
  EntryMeta publish(CacheStorage.Pending pending, long mark) {
    synchronized (log) {
      boolean purged = !log.isEmpty() && log.peekFirst().seq() > mark + 1; // the log lost some: be safe
      for (PurgeRecord p : log) if (p.seq() > mark && p.match().test(pending.meta())) purged = true;
      if (purged) {
        pending.abandon();
        return null;
      }
      return pending.publish();
    }
  }

  /** Removes every stored object the predicate matches, and remembers it for the objects still arriving. */
  int purge(Predicate<EntryMeta> match) {
    synchronized (log) {
      log.addLast(new PurgeRecord(++seq, match));
      while (log.size() > LOG_SIZE) log.removeFirst();
      return storage.removeIf(match);
    }
  }

  void index(EntryMeta m) {
    urlIndex.computeIfAbsent(m.url(), u -> ConcurrentHashMap.newKeySet()).add(m.storageKey());
  }

  /** Drops every object of the zone stored under these URLs; returns how many. */
  long invalidate(String zone, Set<String> urls) {
    long n = 0;
    for (String url : urls) {
      Set<String> keys = urlIndex.remove(url);
      if (keys == null) continue;
      for (String k : keys) {
        EntryMeta m = storage.peek(k);
        if (m != null && m.zone().equals(zone)) {
          storage.remove(k);
          n++;
        }
      }
    }
    return n;
  }
}
