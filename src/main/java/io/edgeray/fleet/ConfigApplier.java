package io.edgeray.fleet;

import io.edgeray.config.ConfigException;

/** Applies a new fleet config through the node's reload path; a config that does not load is refused with its line and key. */
@FunctionalInterface
public interface ConfigApplier {
  void apply(SharedConfig config, String sourceName) throws ConfigException;
}
