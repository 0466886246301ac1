package io.edgeray.config;

/**
 * A record of a zone. For a proxied A, AAAA or CNAME the content is where the origin is:
 * the edge answers visitors itself and connects there.
 *
 * @param name fully qualified, lower case, no trailing dot ({@code www.shop.example})
 * @param line where the record is written in the config, for messages that point the owner at it
 */
public record DnsRecord(Type type, String name, String content, boolean proxied, int ttl, int priority, int line) {

  public enum Type {
    A, AAAA, CNAME, TXT, MX, NS, CAA, SRV;

    public boolean proxiable() {
      return this == A || this == AAAA || this == CNAME;
    }
  }
}
