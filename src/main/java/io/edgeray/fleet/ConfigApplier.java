package io.edgeray.fleet;

/** Applies a new fleet config through the node's reload path: null when it is live, else why it was refused. */
@FunctionalInterface
public interface ConfigApplier {
  String apply(SharedConfig config, String sourceName);
}
