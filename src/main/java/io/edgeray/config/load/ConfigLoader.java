package io.edgeray.config.load;

import io.edgeray.config.Zone;
import io.edgeray.config.AdminSettings;
import io.edgeray.config.AdminToken;
import io.edgeray.config.Features;
import io.edgeray.config.IncidentSettings;
import io.edgeray.config.WarmUpSetting;
import io.edgeray.cache.CacheStorageSettings;
import io.edgeray.config.Timeouts;
import io.edgeray.config.load.PoolConfigReader;
import io.edgeray.config.OriginPorts;
import io.edgeray.config.Limits;
import io.edgeray.config.HostPort;
import io.edgeray.config.HeaderStyle;
import io.edgeray.config.EdgeNetwork;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.FleetSettings;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.load.ConfigValue;
import io.edgeray.config.load.ConfigSection;
import io.edgeray.config.ConfigException;
import io.edgeray.config.Cidr;
import io.edgeray.config.LoadBalancer;
import io.edgeray.config.PoolSpec;
import io.edgeray.config.CertificateFiles;
import io.edgeray.cache.CacheSettings;
import io.edgeray.security.IpAccessList;
import io.edgeray.security.ZoneSecurity;
import io.edgeray.tls.CertificateLoadException;
import io.edgeray.tls.Pem;
import io.edgeray.config.SslMode;
import io.edgeray.tls.TlsContexts;
import io.edgeray.config.ZoneTls;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates a config file. Every problem becomes a {@link ConfigException} naming the
 * line and key; nothing half-read ever reaches the running edge.
 */
public final class ConfigLoader {
  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,31}");
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

  private ConfigLoader() {}

  public static EdgeConfig load(Path path) throws ConfigException {
    return load(path, null);
  }

  /**
   * As {@link #load(Path)}, checking origins against the listeners as they are bound now rather
   * than as the file names them: a reload keeps the running listeners, whatever the file says.
   */
  public static EdgeConfig load(Path path, Map<String, java.net.InetSocketAddress> bound) throws ConfigException {
    return parse(path.toString(), read(path), bound, true);
  }

  /**
   * As {@link #load(Path)}, but an origin that is one of the edge's own listeners is not refused:
   * the doctor reads configs to diagnose them, and names that loop itself, with its evidence.
   */
  public static EdgeConfig loadForDiagnosis(Path path) throws ConfigException {
    return parse(path.toString(), read(path), null, false);
  }

  private static String read(Path path) throws ConfigException {
    String text;
    Path absolute = path.toAbsolutePath().normalize();
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw ConfigException.unreadable(absolute.toString(), "no such file");
    } catch (AccessDeniedException e) {
      throw ConfigException.unreadable(absolute.toString(), "permission denied");
    } catch (IOException e) {
      throw ConfigException.unreadable(absolute.toString(),
          Files.isDirectory(path) ? "it is a directory, not a file" : String.valueOf(e.getMessage()));
    }
    return text;
  }

  public static EdgeConfig parse(String file, String text) throws ConfigException {
    return parse(file, text, null, true);
  }

  /**
   * As {@link #load(Path, Map)} for text already read: a change made through the admin API is
   * checked as the file it would become, with the same checks as {@code check-config}.
   */
  public static EdgeConfig parse(String file, String text, Map<String, java.net.InetSocketAddress> bound)
      throws ConfigException {
    return parse(file, text, bound, true);
  }

  /** The config file's text, or the same error {@link #load(Path)} gives for a file it cannot read. */
  public static String text(Path path) throws ConfigException {
    return read(path);
  }

  private static EdgeConfig parse(String file, String text, Map<String, java.net.InetSocketAddress> bound,
      boolean checkListeners) throws ConfigException {
    Node root;
    try (Reader reader = new StringReader(text)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true); // ConfigSection reports duplicates with their line
      root = new Yaml(options).compose(reader);
    } catch (MarkedYAMLException e) {
      throw YamlSyntax.describe(file, text, e);
    } catch (YAMLException | IOException e) {
      throw new ConfigException(file, 1, "", "not valid YAML: " + e.getMessage());
    }
    if (root == null) throw new ConfigException(file, 1, "", "the file is empty");
    List<List<Integer>> poolOriginLines = new ArrayList<>();
    EdgeConfig config = readEdge(new ConfigValue(file, "", root).section(), file, poolOriginLines);
    if (checkListeners) (bound == null ? OwnListeners.of(config) : OwnListeners.bound(bound)).check(config, poolOriginLines);
    return config;
  }

  /** {@code poolOriginLines} gets the line of each pool's each origin, for the own-listener check. */
  private static EdgeConfig readEdge(ConfigSection s, String file, List<List<Integer>> poolOriginLines)
      throws ConfigException {
    ConfigValue nodeValue = s.required("node");
    String node = nodeValue.nonEmptyString();
    if (!NODE_NAME.matcher(node).matches()) {
      throw nodeValue.error("\"" + node + "\" must be 1 to 32 letters, digits or dashes (it ends every ray id)");
    }
    ConfigSection listen = s.required("listen").section();
    HostPort http = listen.required("http").listenAddress();
    HostPort https = listen.optional("https").isPresent() ? listen.optional("https").get().listenAddress() : null;
    listen.finish();
    List<AdminToken> fleetTokens = s.optional("admin_tokens").isPresent()
        ? AdminConfigReader.tokens(s.optional("admin_tokens").get()) : List.of();
    AdminSettings admin = s.optional("admin").isPresent() ? AdminConfigReader.admin(s.optional("admin").get(), fleetTokens) : null;
    String accessLog = "-";
    if (s.optional("access_log").isPresent()) {
      ConfigValue log = s.optional("access_log").get();
      accessLog = log.nonEmptyString().equals("-") ? "-" : path(log).toString(); // relative to the config file
    }
    Limits limits = readLimits(s);
    Timeouts defaultTimeouts = s.optional("timeouts").isPresent()
        ? readTimeouts(s.optional("timeouts").get().section(), Timeouts.DEFAULTS) : Timeouts.DEFAULTS;
    HeaderStyle headers = s.optional("headers").isPresent()
        ? readHeaderStyle(s.optional("headers").get()) : HeaderStyle.EDGERAY;
    List<HostPort> resolvers = readResolvers(s);
    EdgeNetwork edge = s.optional("edge").isPresent() ? readEdgeNetwork(s.optional("edge").get().section()) : EdgeNetwork.NONE;
    var dnsValue = s.optional("dns");
    HostPort dns = dnsValue.isPresent() ? dnsValue.get().listenAddress() : null;

    FleetSettings fleet = FleetConfigReader.fleet(s, node);
    List<PoolSpec> pools = PoolConfigReader.pools(s);
    IpAccessList ipAccess = SecurityConfigReader.ipAccess(s);
    IncidentSettings incidents = IncidentConfigReader.incidents(s);
    CacheStorageSettings cacheStorage = CacheConfigReader.storage(s);
    WarmUpSetting warmUp = s.optional("warm_up").isPresent() ? new WarmUpSetting(s.optional("warm_up").get().bool())
        : WarmUpSetting.DEFAULT;
    if (!pools.isEmpty()) {
      for (ConfigValue p : s.optional("pools").get().list()) {
        List<Integer> lines = new ArrayList<>();
        for (ConfigValue o : p.section().required("origins").list()) lines.add(o.line());
        poolOriginLines.add(lines);
      }
    }
    Map<String, PoolSpec> poolsByName = new HashMap<>();
    for (PoolSpec p : pools) poolsByName.put(p.name(), p);
    List<Zone> zones = new ArrayList<>();
    Map<String, Integer> zoneLines = new HashMap<>();
    // a fleet node's file may leave the zones to etcd
    List<ConfigValue> zoneValues = fleet == null ? s.required("zones").list()
        : s.optional("zones").isPresent() ? s.optional("zones").get().list() : List.of();
    for (ConfigValue z : zoneValues) {
      Zone zone = readZone(z, defaultTimeouts, headers, poolsByName);
      Integer earlier = zoneLines.putIfAbsent(zone.name(), z.line());
      if (earlier != null) throw z.error("zone " + zone.name() + " is already defined on line " + earlier);
      zones.add(zone);
    }
    s.finish();
    if (dns != null && edge.addresses().isEmpty()) {
      // Proxied records and the synthesized ns1/ns2 names are answered with these addresses.
      throw dnsValue.get().error("the DNS server answers with the edge's own addresses, and edge.addresses is empty");
    }
    return new EdgeConfig(file, node, http, admin, accessLog, limits, List.copyOf(zones), resolvers, edge, dns, https, pools,
        Features.NONE.with(IpAccessList.class, ipAccess).with(CacheStorageSettings.class, cacheStorage)
            .with(IncidentSettings.class, incidents).with(WarmUpSetting.class, warmUp), fleet);
  }

  private static EdgeNetwork readEdgeNetwork(ConfigSection s) throws ConfigException {
    List<InetAddress> addresses = new ArrayList<>();
    var addressesValue = s.optional("addresses");
    if (addressesValue.isPresent()) {
      for (ConfigValue a : addressesValue.get().list()) {
        String text = a.nonEmptyString();
        if (!RecordConfigReader.isIpLiteral(text)) throw a.error("\"" + text + "\" is not an IP address");
        try {
          addresses.add(InetAddress.getByName(text)); // a literal: no lookup is made
        } catch (IOException e) {
          throw a.error("\"" + text + "\" is not an IP address");
        }
      }
    }
    List<Cidr> egress = new ArrayList<>();
    var egressValue = s.optional("egress");
    if (egressValue.isPresent()) {
      for (ConfigValue e : egressValue.get().list()) {
        try {
          egress.add(Cidr.parse(e.nonEmptyString()));
        } catch (IllegalArgumentException problem) {
          throw e.error(problem.getMessage());
        }
      }
    }
    s.finish();
    return new EdgeNetwork(addresses, egress);
  }

  private static Limits readLimits(ConfigSection root) throws ConfigException {
    var v = root.optional("limits");
    if (v.isEmpty()) return Limits.DEFAULTS;
    ConfigSection s = v.get().section();
    Limits d = Limits.DEFAULTS;
    Limits l = new Limits(
        s.optional("request_head").isPresent() ? s.optional("request_head").get().size() : d.requestHead(),
        s.optional("url_length").isPresent() ? s.optional("url_length").get().size() : d.urlLength(),
        s.optional("response_head").isPresent() ? s.optional("response_head").get().size() : d.responseHead(),
        s.optional("visitor_idle").isPresent() ? s.optional("visitor_idle").get().duration() : d.visitorIdle(),
        s.optional("origin_idle").isPresent() ? s.optional("origin_idle").get().duration() : d.originIdle(),
        s.optional("shutdown_grace").isPresent() ? s.optional("shutdown_grace").get().duration() : d.shutdownGrace(),
        s.optional("request_head_timeout").isPresent() ? s.optional("request_head_timeout").get().duration() : d.requestHeadTimeout());
    s.finish();
    return l;
  }

  private static Timeouts readTimeouts(ConfigSection s, Timeouts base) throws ConfigException {
    Timeouts t = new Timeouts(
        s.optional("connect").isPresent() ? s.optional("connect").get().duration() : base.connect(),
        s.optional("read").isPresent() ? s.optional("read").get().duration() : base.read(),
        s.optional("write").isPresent() ? s.optional("write").get().duration() : base.write());
    s.finish();
    return t;
  }

  private static HeaderStyle readHeaderStyle(ConfigValue v) throws ConfigException {
    String s = v.string().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "edgeray", "standard" -> HeaderStyle.EDGERAY;
      case "cloudflare" -> HeaderStyle.CLOUDFLARE;
      default -> throw v.error("\"" + s + "\" is not a header style (edgeray or cloudflare)");
    };
  }

  private static List<HostPort> readResolvers(ConfigSection s) throws ConfigException {
    var v = s.optional("resolver");
    if (v.isEmpty()) return List.of();
    if (v.get().isScalar()) {
      if (v.get().string().equals("system")) return List.of();
      throw v.get().error("expected \"system\" or a list of DNS servers such as [127.0.0.1:53]");
    }
    List<HostPort> servers = new ArrayList<>();
    for (ConfigValue server : v.get().list()) {
      String text = server.nonEmptyString();
      boolean hasPort = text.startsWith("[") || text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':');
      HostPort hp;
      try {
        hp = hasPort ? HostPort.parse(text) : new HostPort(text, 53);
      } catch (IllegalArgumentException e) {
        throw server.error(e.getMessage());
      }
      if (!RecordConfigReader.isIpLiteral(hp.host())) throw server.error("a DNS server must be an IP address, not \"" + hp.host() + "\"");
      servers.add(hp);
    }
    if (servers.isEmpty()) throw v.get().error("the list of DNS servers is empty; write resolver: system");
    return List.copyOf(servers);
  }

  private static Zone readZone(ConfigValue v, Timeouts defaults, HeaderStyle defaultHeaders, Map<String, PoolSpec> pools)
      throws ConfigException {
    ConfigSection s = v.section();
    ConfigValue nameValue = s.required("name");
    String name = RecordConfigReader.normalizeName(nameValue);
    OriginPorts ports = OriginPorts.DEFAULTS;
    var portsValue = s.optional("origin_ports");
    if (portsValue.isPresent()) {
      ConfigSection p = portsValue.get().section();
      ports = new OriginPorts(
          p.optional("http").isPresent() ? p.optional("http").get().port() : 80,
          p.optional("https").isPresent() ? p.optional("https").get().port() : 443);
      p.finish();
    }
    Timeouts timeouts = s.optional("timeouts").isPresent()
        ? readTimeouts(s.optional("timeouts").get().section(), defaults) : defaults;
    HeaderStyle headers = s.optional("headers").isPresent()
        ? readHeaderStyle(s.optional("headers").get()) : defaultHeaders;
    List<DnsRecord> records = new ArrayList<>();
    var recordsValue = s.optional("records");
    if (recordsValue.isPresent()) {
      for (ConfigValue r : recordsValue.get().list()) {
        records.add(RecordConfigReader.readRecord(r, name));
      }
    }
    RecordConfigReader.checkCnameExclusive(records, name, recordsValue.orElse(null));
    boolean paused = s.optional("paused").isPresent() && s.optional("paused").get().bool();
    ZoneTls tls = readZoneTls(s);
    List<LoadBalancer> balancers = PoolConfigReader.loadBalancers(s, name, pools);
    CacheSettings cache = CacheConfigReader.zoneCache(s);
    ZoneSecurity security = SecurityConfigReader.zone(s);
    s.finish();
    return new Zone(name, ports, timeouts, headers, List.copyOf(records), paused, tls, balancers,
        Features.NONE.with(CacheSettings.class, cache).with(ZoneSecurity.class, security));
  }

  /** ssl, always_use_https, certificate and origin_ca; files are read now, so a bad one names its line. */
  private static ZoneTls readZoneTls(ConfigSection s) throws ConfigException {
    SslMode mode = SslMode.DEFAULT;
    var modeValue = s.optional("ssl");
    if (modeValue.isPresent()) {
      mode = SslMode.parse(modeValue.get().nonEmptyString());
      if (mode == null) {
        throw modeValue.get().error("\"" + modeValue.get().string() + "\" is not an SSL mode (off, flexible, full, full_strict or strict)");
      }
    }
    boolean alwaysHttps = false;
    var alwaysValue = s.optional("always_use_https");
    if (alwaysValue.isPresent()) {
      alwaysHttps = alwaysValue.get().bool();
      if (alwaysHttps && mode == SslMode.OFF) {
        throw alwaysValue.get().error("cannot be true with ssl: off (off sends HTTPS visitors to HTTP)");
      }
    }
    CertificateFiles certificate = null;
    var certValue = s.optional("certificate");
    if (certValue.isPresent()) certificate = certificateFiles(certValue.get());
    Path originCa = null;
    var caValue = s.optional("origin_ca");
    if (caValue.isPresent()) {
      originCa = path(caValue.get());
      try {
        Pem.certificates(originCa);
      } catch (CertificateLoadException e) {
        throw caValue.get().error(e.getMessage());
      }
    }
    return new ZoneTls(mode, alwaysHttps, certificate, originCa);
  }

  /** A {cert, key} pair of PEM files, read now so a file that does not load names its line. */
  static CertificateFiles certificateFiles(ConfigValue v) throws ConfigException {
    ConfigSection c = v.section();
    ConfigValue certFile = c.required("cert");
    ConfigValue keyFile = c.required("key");
    c.finish();
    CertificateFiles certificate = new CertificateFiles(path(certFile), path(keyFile));
    try {
      Pem.certificates(certificate.cert());
    } catch (CertificateLoadException e) {
      throw certFile.error(e.getMessage());
    }
    try {
      Pem.load(certificate);
    } catch (CertificateLoadException e) {
      throw keyFile.error(e.getMessage());
    }
    try {
      TlsContexts.check(certificate);
    } catch (CertificateLoadException e) {
      throw certFile.error(e.getMessage());
    }
    return certificate;
  }

  /** A file named in the config: relative paths are relative to the config file's directory. */
  static Path path(ConfigValue v) throws ConfigException {
    Path p = Path.of(v.nonEmptyString());
    if (p.isAbsolute()) return p.normalize();
    Path dir = Path.of(v.file).toAbsolutePath().getParent();
    return (dir == null ? p : dir.resolve(p)).normalize();
  }
}
