package io.edgeray.config;

/** The ports the edge connects to on the origin, per scheme (an origin rule's port override). */
public record OriginPorts(int http, int https) {
  public static final OriginPorts DEFAULTS = new OriginPorts(80, 443);
}
