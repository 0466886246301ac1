package io.edgeray.phase;

/** The upstream-peer phase's answer: where the ray's origins are. */
public sealed interface Upstream {

  /** These origins, tried in their order. */
  record Origins(Peers peers) implements Upstream {}

  /** A name outside our zones (a proxied CNAME's target): the engine resolves it, then tries its addresses on {@code port}. */
  record Lookup(String name, int port) implements Upstream {}

  /** No origin at all: the ray ends with this answer. */
  record Answer(Decision decision) implements Upstream {}
}
