package io.edgeray.firewall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.Cidr;
import io.edgeray.config.EdgeNetwork;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The address blocks the edge connects to origins from, published so origin firewalls can
 * allowlist exactly them: {@code /ips-v4} and {@code /ips-v6} (one block a line) and
 * {@code /api/ips} (JSON). The etag changes exactly when the blocks do, so a cron job on the origin
 * can fetch it and rewrite its firewall only then.
 */
public final class EdgeRanges {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ETAG_HEX_DIGITS = 32;

  private final List<Cidr> ipv4;
  private final List<Cidr> ipv6;

  public EdgeRanges(List<Cidr> blocks) {
    List<Cidr> distinct = List.copyOf(new LinkedHashSet<>(blocks));
    this.ipv4 = distinct.stream().filter(Cidr::isIpv4).toList();
    this.ipv6 = distinct.stream().filter(c -> !c.isIpv4()).toList();
  }

  public static EdgeRanges of(EdgeNetwork edge) {
    return new EdgeRanges(edge.egress());
  }

  public List<Cidr> ipv4() {
    return ipv4;
  }

  public List<Cidr> ipv6() {
    return ipv6;
  }

  /** The body of {@code /ips-v4}: one block a line, each line ended, so shell loops see the last. */
  public String ipv4Text() {
    return lines(ipv4);
  }

  /** The body of {@code /ips-v6}. */
  public String ipv6Text() {
    return lines(ipv6);
  }

  /** The first 32 hex digits of the SHA-256 of both lists. */
  public String etag() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((ipv4Text() + ipv6Text()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, ETAG_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java runtime has SHA-256", e);
    }
  }

  /** The body of {@code /api/ips}: {@code {"ipv4_cidrs":[...],"ipv6_cidrs":[...],"etag":"..."}}. */
  public String json() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ipv4_cidrs", ipv4.stream().map(Cidr::toString).toList());
    body.put("ipv6_cidrs", ipv6.stream().map(Cidr::toString).toList());
    body.put("etag", etag());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lines(List<Cidr> blocks) {
    return blocks.stream().map(c -> c + "\n").collect(Collectors.joining());
  }
}
