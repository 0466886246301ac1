package io.edgeray.edge;

import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Copies of the request body chunks sent to the origin, up to {@link #LIMIT} bytes, so that an
 * idempotent request whose connection turned out stale (or whose pool allows another origin) can
 * be sent again whole. The copies share the chunks' memory; a larger body is not kept at all.
 */
final class ReplayBuffer {
  static final int LIMIT = 64 * 1024;

  /** Made at the first chunk with bytes: a request without a body keeps nothing. */
  private ArrayDeque<HttpContent> copies;
  private long bytes;
  private boolean overflowed;

  /** Keeps a copy of {@code c}, which is about to be written (and released) to the origin. */
  void keep(HttpContent c) {
    if (overflowed) return;
    int n = c.content().readableBytes();
    if (n == 0 && bytes == 0) return; // nothing sent yet: a request with no body bytes is never replayed from here
    if (bytes + n > LIMIT) {
      clear();
      overflowed = true;
      return;
    }
    if (copies == null) copies = new ArrayDeque<>(4);
    copies.add(c.retainedDuplicate());
    bytes += n;
  }

  /** Whether the copies are the whole of {@code sent} body bytes. */
  boolean holds(long sent) {
    return !overflowed && bytes == sent;
  }

  /** Hands the copies over to be sent again. */
  void moveTo(ArrayDeque<HttpContent> pending) {
    if (copies == null) return;
    ArrayDeque<HttpContent> again = new ArrayDeque<>(copies);
    copies.clear();
    bytes = 0;
    // they go before anything not yet sent
    while (!pending.isEmpty()) again.add(pending.poll());
    pending.addAll(again);
  }

  void clear() {
    if (copies == null) return;
    for (HttpContent c : copies) ReferenceCountUtil.release(c);
    copies.clear();
    bytes = 0;
  }
}
