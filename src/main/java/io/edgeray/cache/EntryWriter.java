package io.edgeray.cache;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Stores one origin response as its body arrives: {@link #append} every chunk in order, then
 * {@link #commit} once the body is complete, or {@link #abandon} if it broke. The chunks are read,
 * never kept or released: the caller still owns them and forwards them to the visitor as usual.
 * A writer that gives up (too large, disk full, I/O error) just stops storing; append returns false
 * and the caller may stop calling. Used by one thread at a time.
 */
public final class EntryWriter {
  private final HttpCache cache;
  private final OriginFetch fetch;
  private final CacheStorage.Pending pending;
  private final long expectedLength;
  private final long maxObjectSize;
  private final long purgeMark;
  private boolean finished;
  private String problem;

  EntryWriter(HttpCache cache, OriginFetch fetch, CacheStorage.Pending pending, long expectedLength, long maxObjectSize,
      long purgeMark) {
    this.cache = cache;
    this.fetch = fetch;
    this.pending = pending;
    this.expectedLength = expectedLength;
    this.maxObjectSize = maxObjectSize;
    this.purgeMark = purgeMark;
  }

  /** Stores the chunk's readable bytes (its reader index is left alone). */
  public boolean append(ByteBuf chunk) {
    if (!live(chunk.readableBytes())) return false;
    for (ByteBuffer b : chunk.nioBuffers(chunk.readerIndex(), chunk.readableBytes())) pending.append(b);
    return pending.alive();
  }

  public boolean append(byte[] bytes) {
    return append(bytes, 0, bytes.length);
  }

  public boolean append(byte[] bytes, int offset, int length) {
    if (!live(length)) return false;
    return pending.append(ByteBuffer.wrap(bytes, offset, length));
  }

  private boolean live(int more) {
    if (finished || !pending.alive()) return false;
    if (pending.length() + more > maxObjectSize) {
      cache.metrics().storeFailed("too_large");
      problem = "too_large";
      abandon();
      return false;
    }
    return true;
  }

  /**
   * The body is complete: the object becomes visible to every new lookup and waiting requests are
   * served from it. Returns whether it was stored (a short body, a purge that came in meanwhile or
   * a storage failure mean it was not).
   */
  public boolean commit() {
    if (finished) return false;
    finished = true;
    boolean stored = false;
    if (!pending.alive()) { // the storage gave up on it (a full disk): its problem is already told
      pending.abandon();
      fetch.finish(HttpCache.FlightOutcome.NOT_STORED);
    } else if (expectedLength >= 0 && pending.length() != expectedLength) {
      cache.metrics().storeFailed("truncated");
      problem = "truncated";
      pending.abandon();
      fetch.finish(HttpCache.FlightOutcome.NOT_STORED);
    } else {
      stored = cache.commit(fetch, pending, purgeMark);
    }
    cache.arrivalEnded(this);
    return stored;
  }

  /** The body broke or the visitor left: nothing is stored, waiting requests go to the origin. */
  public void abandon() {
    if (finished) return;
    finished = true;
    pending.abandon();
    fetch.finish(HttpCache.FlightOutcome.NOT_STORED);
    cache.arrivalEnded(this);
  }

  /** The ray whose fetch this writer stores, or null. */
  String fetchingRay() {
    return fetch.ray();
  }

  /** Whether the body is still being stored: neither finished nor given up (too large, disk full). */
  public boolean storing() {
    return !finished && pending.alive();
  }

  /** Why storage fell short (disk_full, disk_error, too_large, truncated), or null. */
  public String problem() {
    return problem != null ? problem : pending.problem();
  }

  public long bytesWritten() {
    return pending.length();
  }
}
