package io.edgeray.fleet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgeray.security.LocalRateCounterStore;
import io.edgeray.security.RateCount;
import io.edgeray.security.RateCounterStore;
import io.edgeray.security.RateQuota;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate-limit counters shared by the fleet on Redis (as Envoy's global rate limit service keeps
 * them): each window of each counter is one Redis key, incremented by every node with one
 * script call that also reads the previous window, through Lettuce's async API. A visitor never
 * waits for Redis: the decision is made on what this node knows ({@link SharedWindow}) and the
 * increment goes out after it.
 *
 * <p>Redis down, or slower than {@code fleet.redis_timeout}: the node fails open onto its own
 * counters ({@link LocalRateCounterStore}), says so once in the log, counts every such hit in
 * {@code edgeray_fleet_rate_limit_local_total}, and probes Redis twice a second until it answers.
 */
public final class RedisRateCounterStore implements RateCounterStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateCounterStore.class);
  private static final String HIT = """
      local c = redis.call('INCR', KEYS[1])
      if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      local p = tonumber(redis.call('GET', KEYS[2]) or '0')
      return {c, p}
      """;
  static final long PROBE_MILLIS = 500;

  private final URI uri;
  private final String keyPrefix;
  private final LocalRateCounterStore local;
  private final Cache<String, SharedWindow> counters;
  private final FleetMetrics metrics;
  private final ScheduledExecutorService thread;
  private final ClientResources resources;
  private final RedisClient client;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean up;
  private volatile boolean closed;

  RedisRateCounterStore(URI uri, String keyPrefix, Duration timeout, Clock clock, FleetMetrics metrics) {
    this.uri = uri;
    this.keyPrefix = keyPrefix;
    this.local = new LocalRateCounterStore(clock);
    this.counters = Caffeine.newBuilder()
        .maximumSize(LocalRateCounterStore.DEFAULT_MAX_COUNTERS) // bounded whatever the keys, as the local store
        .expireAfterAccess(Duration.ofHours(1))
        .executor(Runnable::run)
        .build();
    this.metrics = metrics;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "edgeray-fleet-redis"); // its own: a slow connect never holds up the etcd watch
      t.setDaemon(true);
      return t;
    });
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    this.client = RedisClient.create(resources, RedisURI.create(uri.toString()));
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) // never queue while Redis is away
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
        .build());
    metrics.redisUp(false);
    thread.execute(this::probe);
  }

  @Override
  public RateCount hit(String key, RateQuota quota, long nowMillis) {
    RedisAsyncCommands<String, String> redis = up ? connection.async() : null;
    if (redis == null) {
      metrics.fallback();
      return local.hit(key, quota, nowMillis);
    }
    SharedWindow counter = counters.get(key, k -> new SharedWindow());
    SharedWindow.Hit hit = counter.hit(quota, nowMillis);
    if (!hit.count().limited()) {
      String base = keyPrefix + key + ":";
      redis.<List<Object>>eval(HIT, ScriptOutputType.MULTI, new String[] {base + hit.window(), base + (hit.window() - 1)},
              Long.toString(2 * hit.periodMillis() + 1000))
          .whenComplete((totals, failure) -> {
            if (failure != null) {
              down(failure);
            } else {
              counter.confirmed(hit.window(), (Long) totals.get(0), (Long) totals.get(1));
            }
          });
    }
    return hit.count();
  }

  /** While Redis answers, rate limits count fleet-wide. */
  public boolean up() {
    return up;
  }

  private void down(Throwable why) {
    if (!up) return;
    up = false;
    metrics.redisUp(false);
    LOG.warn("fleet: Redis {} did not answer ({}); rate limits count on this node only until it is back", uri, why.toString());
    if (!closed) thread.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Connects, or pings the connection Lettuce keeps reconnecting; on the fleet's thread. */
  private void probe() {
    if (closed) return;
    try {
      if (connection == null) {
        connection = client.connect(StringCodec.UTF8);
      }
      connection.sync().ping();
      up = true;
      metrics.redisUp(true);
      LOG.info("fleet: rate limits count on Redis {}", uri);
    } catch (RuntimeException e) {
      LOG.debug("fleet: Redis {} not answering: {}", uri, e.toString());
      thread.schedule(this::probe, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public long size() {
    counters.cleanUp();
    return counters.estimatedSize() + local.size();
  }

  @Override
  public void close() {
    closed = true;
    up = false;
    if (connection != null) connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    thread.shutdownNow();
  }
}
