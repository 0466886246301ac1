package io.edgeray.config.load;

import io.edgeray.config.ConfigException;

import io.edgeray.cache.CacheKeySettings;
import io.edgeray.cache.CacheRule;
import io.edgeray.cache.CacheSettings;
import io.edgeray.cache.CacheStorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a zone's {@code cache:} block, every problem with its line. Absent: {@link CacheSettings#DEFAULTS}. */
final class CacheConfigReader {
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern TTL = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_.-]{0,251}[a-z0-9_])?");

  private CacheConfigReader() {}

  static CacheSettings zoneCache(ConfigSection zone) throws ConfigException {
    var v = zone.optional("cache");
    if (v.isEmpty()) return CacheSettings.DEFAULTS;
    ConfigSection s = v.get().section();
    CacheSettings d = CacheSettings.DEFAULTS;
    boolean enabled = boolOr(s.optional("enabled"), d.enabled());
    boolean respect = boolOr(s.optional("respect_origin"), d.respectOrigin());
    Duration defaultTtl = durationOr(s.optional("default_ttl"), d.defaultTtl());
    Duration edgeTtl = durationOr(s.optional("edge_ttl"), null);
    Duration browserTtl = durationOr(s.optional("browser_ttl"), null);
    var sizeValue = s.optional("max_object_size");
    long maxObject = sizeValue.isPresent() ? sizeValue.get().size() : d.maxObjectSize();
    var keyValue = s.optional("cache_key");
    CacheKeySettings key = keyValue.isPresent() ? cacheKey(keyValue.get().section()) : CacheKeySettings.DEFAULTS;
    Duration swr = windowOr(s.optional("stale_while_revalidate"), d.staleWhileRevalidate());
    Duration alwaysOnline = d.alwaysOnline();
    boolean banner = false;
    var onlineValue = s.optional("always_online");
    if (onlineValue.isPresent() && onlineValue.get().isMapping()) { // always_online: { window: 1d, banner: true }
      ConfigSection online = onlineValue.get().section();
      alwaysOnline = windowOr(online.optional("window"), d.alwaysOnline());
      banner = boolOr(online.optional("banner"), false);
      online.finish();
    } else {
      alwaysOnline = windowOr(onlineValue, d.alwaysOnline());
    }
    List<CacheRule> rules = new ArrayList<>();
    var rulesValue = s.optional("rules");
    if (rulesValue.isPresent()) for (ConfigValue r : rulesValue.get().list()) rules.add(rule(r));
    s.finish();
    return new CacheSettings(enabled, respect, defaultTtl, edgeTtl, browserTtl, maxObject, key, swr, alwaysOnline, rules,
        banner);
  }

  /**
   * The edge-wide {@code cache_storage: { memory: 256MiB, memory_object: 1MiB, disk: { path: ../cache,
   * size: 10GiB, min_free: 64MiB } }}; absent: memory only, {@link CacheStorageSettings#DEFAULTS}.
   * The disk path is relative to the config file.
   */
  static CacheStorageSettings storage(ConfigSection root) throws ConfigException {
    var v = root.optional("cache_storage");
    CacheStorageSettings d = CacheStorageSettings.DEFAULTS;
    if (v.isEmpty()) return d;
    ConfigSection s = v.get().section();
    long memory = s.optional("memory").isPresent() ? s.optional("memory").get().bytes() : d.memoryBytes();
    var objectValue = s.optional("memory_object");
    long object = objectValue.isPresent() ? objectValue.get().bytes() : Math.min(d.memoryObjectLimit(), memory);
    if (object > memory) throw objectValue.get().error("a memory object cannot be larger than the memory tier (" + memory + " bytes)");
    Path dir = null;
    long diskBytes = 0;
    long minFree = d.minFreeDisk();
    var diskValue = s.optional("disk");
    if (diskValue.isPresent()) {
      ConfigSection disk = diskValue.get().section();
      ConfigValue pathValue = disk.required("path");
      dir = ConfigLoader.path(pathValue);
      if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
        throw pathValue.error(dir + " exists and is not a directory");
      }
      diskBytes = disk.required("size").bytes();
      if (disk.optional("min_free").isPresent()) minFree = disk.optional("min_free").get().bytes();
      disk.finish();
    }
    s.finish();
    return new CacheStorageSettings(memory, object, dir, diskBytes, minFree);
  }

  private static CacheKeySettings cacheKey(ConfigSection s) throws ConfigException {
    CacheKeySettings.QueryMode query = CacheKeySettings.QueryMode.INCLUDE;
    var queryValue = s.optional("query");
    if (queryValue.isPresent()) {
      String q = queryValue.get().nonEmptyString().toLowerCase(Locale.ROOT);
      query = switch (q) {
        case "include" -> CacheKeySettings.QueryMode.INCLUDE;
        case "ignore" -> CacheKeySettings.QueryMode.IGNORE;
        case "sort" -> CacheKeySettings.QueryMode.SORT;
        default -> throw queryValue.get().error("\"" + q + "\" is not a query mode (include, ignore or sort)");
      };
    }
    List<String> headers = names(s.optional("headers"), "a header name");
    for (String h : headers) {
      if (h.equalsIgnoreCase("cookie")) {
        throw s.optional("headers").get().error("key on single cookies with cookies: [...], not on the whole Cookie header");
      }
    }
    List<String> cookies = names(s.optional("cookies"), "a cookie name");
    s.finish();
    return new CacheKeySettings(query, headers, cookies);
  }

  private static CacheRule rule(ConfigValue v) throws ConfigException {
    ConfigSection s = v.section();
    var hostValue = s.optional("host");
    String host = null;
    if (hostValue.isPresent()) {
      host = hostValue.get().nonEmptyString().toLowerCase(Locale.ROOT);
      if (!HOST.matcher(host).matches()) throw hostValue.get().error("\"" + host + "\" is not a host name (or *.name)");
    }
    var pathValue = s.optional("path");
    String path = null;
    if (pathValue.isPresent()) {
      path = pathValue.get().nonEmptyString();
      if (!path.startsWith("/") && !path.startsWith("*")) throw pathValue.get().error("a path pattern starts with / or *");
    }
    boolean bypass = boolOr(s.optional("bypass"), false);
    var everythingValue = s.optional("cache_everything");
    boolean everything = boolOr(everythingValue, false);
    Duration edgeTtl = durationOr(s.optional("edge_ttl"), null);
    Duration browserTtl = durationOr(s.optional("browser_ttl"), null);
    boolean setCookie = boolOr(s.optional("cache_set_cookie"), false);
    s.finish();
    if (host == null && path == null) throw v.error("a cache rule needs host:, path: or both");
    if (bypass && (everything || edgeTtl != null || setCookie)) {
      throw v.error("bypass: true cannot be combined with cache_everything, edge_ttl or cache_set_cookie");
    }
    return new CacheRule(host, path, bypass, everything, edgeTtl, browserTtl, setCookie);
  }

  private static List<String> names(Optional<ConfigValue> v, String what) throws ConfigException {
    if (v.isEmpty()) return List.of();
    List<String> out = new ArrayList<>();
    for (ConfigValue item : v.get().list()) {
      String n = item.nonEmptyString();
      if (!HEADER_NAME.matcher(n).matches()) throw item.error("\"" + n + "\" is not " + what);
      out.add(n);
    }
    return List.copyOf(out);
  }

  /** A duration, or {@code off} / {@code 0} for none. */
  private static Duration windowOr(Optional<ConfigValue> v, Duration dflt) throws ConfigException {
    if (v.isEmpty()) return dflt;
    String s = v.get().string().toLowerCase(Locale.ROOT);
    if (s.equals("off") || s.equals("0") || s.equals("false")) return Duration.ZERO;
    return durationOr(v, dflt);
  }

  private static boolean boolOr(Optional<ConfigValue> v, boolean dflt) throws ConfigException {
    return v.isPresent() ? v.get().bool() : dflt;
  }

  /** A cache lifetime: like every duration, and also in days ({@code 7d}). */
  private static Duration durationOr(Optional<ConfigValue> v, Duration dflt) throws ConfigException {
    if (v.isEmpty()) return dflt;
    String s = v.get().string();
    var m = TTL.matcher(s);
    if (!m.matches()) throw v.get().error("\"" + s + "\" is not a duration (write it as 30s, 10m, 2h or 7d)");
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero()) throw v.get().error("must be longer than zero");
    return d;
  }
}
