package io.edgeray.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
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
 */
public final class OriginConnectionPool {
  private static final AttributeKey<ScheduledFuture<?>> IDLE_TIMER = AttributeKey.valueOf("edgeray.idleTimer");
  private static final AttributeKey<Boolean> WATCHED = AttributeKey.valueOf("edgeray.watched");
  private static final int MAX_IDLE_PER_ORIGIN = 256;

  private final Map<EventLoop, Map<SocketAddress, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();
  private volatile Duration idleTimeout;

  public OriginConnectionPool(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public void idleTimeout(Duration timeout) {
    this.idleTimeout = timeout;
  }

  /** An idle, still open connection to {@code origin} on this loop, or null. Call on {@code loop}. */
  public Channel acquire(EventLoop loop, SocketAddress origin) {
    ArrayDeque<Channel> q = idleOn(loop).get(origin);
    while (q != null && !q.isEmpty()) {
      Channel ch = q.pollLast(); // most recently used: least likely to have been closed by the origin
      ScheduledFuture<?> timer = ch.attr(IDLE_TIMER).getAndSet(null);
      if (timer != null) timer.cancel(false);
      if (ch.isActive()) return ch;
    }
    return null;
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
    ArrayDeque<Channel> q = idleOn(ch.eventLoop()).computeIfAbsent(origin, k -> new ArrayDeque<>());
    if (q.size() >= MAX_IDLE_PER_ORIGIN) {
      ch.close();
      return;
    }
    q.addLast(ch);
    ch.attr(IDLE_TIMER).set(ch.eventLoop().schedule(() -> {
      q.remove(ch);
      ch.close();
    }, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
    if (ch.attr(WATCHED).setIfAbsent(Boolean.TRUE) == null) {
      ch.closeFuture().addListener(f -> q.remove(ch));
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
    idle.forEach((loop, byOrigin) -> loop.execute(() -> {
      ArrayDeque<Channel> q = byOrigin.get(origin);
      if (q != null) new ArrayDeque<>(q).forEach(Channel::close);
    }));
  }

  public int idleCount() {
    return idle.values().stream().flatMap(m -> m.values().stream()).mapToInt(ArrayDeque::size).sum();
  }

  public void closeAll() {
    idle.forEach((loop, byOrigin) -> loop.execute(() -> {
      byOrigin.values().forEach(q -> new ArrayDeque<>(q).forEach(Channel::close));
      byOrigin.clear();
    }));
  }

  private Map<SocketAddress, ArrayDeque<Channel>> idleOn(EventLoop loop) {
    return idle.computeIfAbsent(loop, l -> new HashMap<>());
  }
}
