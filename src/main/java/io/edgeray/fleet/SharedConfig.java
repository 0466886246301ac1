package io.edgeray.fleet;

/**
 * The fleet's part of the config, as etcd holds it: the YAML text of the shared top-level keys
 * ({@link io.edgeray.config.FleetSettings#SHARED_KEYS}) and the etcd revision it was written at
 * (0 for a copy that never came from etcd).
 */
public record SharedConfig(String yaml, long revision) {}
