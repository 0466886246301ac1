package io.edgeray.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Small builders for the cache tests: headers, requests, a clock and a timer the test moves by hand. */
final class CacheFixtures {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private CacheFixtures() {}

  /** Headers from name, value pairs. */
  static HttpHeaders headers(String... pairs) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < pairs.length; i += 2) h.add(pairs[i], pairs[i + 1]);
    return h;
  }

  static String date(Instant t) {
    return DateFormatter.format(Date.from(t));
  }

  static CacheRequest get(String pathAndQuery, String... headerPairs) {
    return new CacheRequest("shop.example", "GET", "https", "shop.example", pathAndQuery, headers(headerPairs));
  }

  static CacheRequest request(String method, String pathAndQuery, String... headerPairs) {
    return new CacheRequest("shop.example", method, "https", "shop.example", pathAndQuery, headers(headerPairs));
  }

  static EntryMeta entry(int status, HttpHeaders h, Instant responseTime) {
    return new EntryMeta("k", "k", "shop.example", "https://shop.example/", status, h, responseTime, responseTime, List.of(),
        List.of(), EntryMeta.tags(h), 0);
  }

  /** A timer whose tasks run when the test says time has passed. */
  static final class TestTimer implements RequestCollapser.Timer {
    private record Task(Duration at, Runnable run) {}

    private final List<Task> tasks = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
      Task t = new Task(elapsed.plus(delay), task);
      tasks.add(t);
      return () -> {
        synchronized (this) {
          tasks.remove(t);
        }
      };
    }

    synchronized int pending() {
      return tasks.size();
    }

    void advance(Duration d) {
      List<Runnable> due = new ArrayList<>();
      synchronized (this) {
        elapsed = elapsed.plus(d);
        tasks.removeIf(t -> {
          if (t.at().compareTo(elapsed) <= 0) {
            due.add(t.run());
            return true;
          }
          return false;
        });
      }
      due.forEach(Runnable::run);
    }
  }
}
