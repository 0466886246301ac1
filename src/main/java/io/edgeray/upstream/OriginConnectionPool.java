package io.edgeray.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to origins, kept per event loop. An origin connection lives on the
 * event loop of the visitor that opened it, so each loop's share is touched by one thread only and
 * needs no locks. Connections the origin closes while idle leave the pool on their own.
 *
 * <p>Idle connections carry a deadline, and each loop has one sweep that closes the expired ones:
 * a timer scheduled at every release and cancelled at the next acquire cost two priority-queue
 * operations per request on the event loop.
 */
public final class OriginConnectionPool {
  private static final AttributeKey<Boolean> WATCHED = AttributeKey.valueOf("edgeray.watched");
  private static final int MAX_IDLE_PER_ORIGIN = 256;

  private final Map<EventLoop, LoopShare> idle = new ConcurrentHashMap<>();
  private volatile Duration idleTimeout;

  public OriginConnectionPool(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public void idleTimeout(Duration timeout) {
    this.idleTimeout = timeout;
  }

  /** A parked connection and when it must go. */
  private record Parked(Channel channel, long deadlineNanos) {}

  /** One event loop's idle connections by origin, and its sweep. Touched on that loop only. */
  private static final class LoopShare {
    final EventLoop loop;
    final Map<SocketAddress, ArrayDeque<Parked>> byOrigin = new HashMap<>();
    /** When the sweep scheduled next runs, or 0 when none is scheduled. */
    long sweepAt;

    LoopShare(EventLoop loop) {
      this.loop = loop;
    }

    void sweepBy(long deadline) {
      if (sweepAt != 0 && sweepAt <= deadline) return;
      sweepAt = deadline;
      loop.schedule(() -> sweep(deadline), Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void sweep(long scheduledFor) {
      if (sweepAt != scheduledFor) return; // an earlier sweep was asked for since; it covers this one
      sweepAt = 0;
      long now = System.nanoTime();
      long next = Long.MAX_VALUE;
      for (ArrayDeque<Parked> q : byOrigin.values()) {
        for (Parked p : q.toArray(new Parked[0])) {
          if (p.deadlineNanos() - now <= 0) {
            q.remove(p);
            p.channel().close();
          } else if (p.deadlineNanos() < next) {
            next = p.deadlineNanos();
          }
        }
      }
      if (next != Long.MAX_VALUE) sweepBy(next);
    }

    void remove(SocketAddress origin, Channel ch) {
      ArrayDeque<Parked> q = byOrigin.get(origin);
      if (q != null) q.removeIf(p -> p.channel() == ch);
    }
  }

  /** An idle, still open connection to {@code origin} on this loop, or null. Call on {@code loop}. */
  public Channel acquire(EventLoop loop, SocketAddress origin) {
    LoopShare share = idle.get(loop);
    ArrayDeque<Parked> q = share == null ? null : share.byOrigin.get(origin);
    while (q != null && !q.isEmpty()) {
      Channel ch = q.pollLast().channel(); // most recently used: least likely to have been closed by the origin
      if (ch.isActive()) return ch;
    }
    return null;
  }

  /**
   * The end of an exchange on {@code ch}, whose response the visitor got whole: the connection is
   * kept for the next request when the ray says it may be and the origin sent nothing beyond its
   * response (bytes past its Content-Length mean its framing cannot be trusted), else closed.
   *
   * @param reusable both ends keep the connection alive, the response was delimited, the request
   *     was sent whole and no request waits for the slot that closing it frees
   * @param originTimeout the origin's {@code Keep-Alive: timeout}, as for {@link #release(Channel, SocketAddress, Duration)}
   * @return the bytes the origin sent after its response (the connection is then closed), or 0
   */
  public int exchangeEnded(Channel ch, SocketAddress origin, boolean reusable, Duration originTimeout) {
    OriginHttpCodec codec = ch.pipeline().get(OriginHttpCodec.class);
    int leftover = codec == null ? 0 : codec.bytesAfterResponse();
    if (reusable && leftover == 0 && ch.isActive()) release(ch, origin, originTimeout); else ch.close();
    return leftover;
  }

  /**
   * Keeps a connection whose exchange completed cleanly. A read is left pending so that the
   * origin closing it, or sending anything unasked, is noticed at once.
   */
  public void release(Channel ch, SocketAddress origin) {
    release(ch, origin, null);
  }

  /**
   * @param originTimeout how long the origin said it keeps the connection ({@code Keep-Alive:
   *     timeout=N}), or null: the connection is retired a second before, so it is never reused just
   *     as the origin closes it
   */
  public void release(Channel ch, SocketAddress origin, Duration originTimeout) {
    if (!ch.isActive()) return;
    Duration keep = idleTimeout;
    if (originTimeout != null) {
      Duration early = originTimeout.minusSeconds(1);
      if (early.isNegative() || early.isZero()) {
        ch.close();
        return;
      }
      if (early.compareTo(keep) < 0) keep = early;
    }
    LoopShare share = shareOf(ch.eventLoop());
    ArrayDeque<Parked> q = share.byOrigin.get(origin);
    if (q == null) {
      q = new ArrayDeque<>();
      share.byOrigin.put(origin, q);
    }
    if (q.size() >= MAX_IDLE_PER_ORIGIN) {
      ch.close();
      return;
    }
    long deadline = System.nanoTime() + keep.toNanos();
    q.addLast(new Parked(ch, deadline));
    share.sweepBy(deadline);
    if (ch.attr(WATCHED).setIfAbsent(Boolean.TRUE) == null) {
      ch.closeFuture().addListener(f -> share.remove(origin, ch));
    }
    ch.read();
  }

  /** The timeout of an origin's {@code Keep-Alive: timeout=N, max=M} header (RFC 2068 §19.7.1.1), or null. */
  public static Duration keepAliveTimeout(HttpHeaders headers) {
    String v = headers.get(HttpHeaderNames.KEEP_ALIVE);
    if (v == null) return null;
    for (String param : v.split(",")) {
      String[] kv = param.trim().split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("timeout")) {
        try {
          return Duration.ofSeconds(Math.max(0, Long.parseLong(kv[1].trim())));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** Closes the idle connections to {@code origin} on every loop, to free their slots under a connection limit. */
  public void closeIdle(SocketAddress origin) {
    idle.forEach((loop, share) -> loop.execute(() -> {
      ArrayDeque<Parked> q = share.byOrigin.get(origin);
      if (q != null) new ArrayDeque<>(q).forEach(p -> p.channel().close());
    }));
  }

  public int idleCount() {
    return idle.values().stream().flatMap(s -> s.byOrigin.values().stream()).mapToInt(ArrayDeque::size).sum();
  }

  public void closeAll() {
    idle.forEach((loop, share) -> loop.execute(() -> {
      share.byOrigin.values().forEach(q -> new ArrayDeque<>(q).forEach(p -> p.channel().close()));
      share.byOrigin.clear();
    }));
  }

  private LoopShare shareOf(EventLoop loop) {
    LoopShare s = idle.get(loop);
    return s != null ? s : idle.computeIfAbsent(loop, LoopShare::new);
  }
}
