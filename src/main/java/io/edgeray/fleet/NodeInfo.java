package io.edgeray.fleet;

/**
 * What a node publishes about itself under {@code PREFIX/nodes/NAME}, held by its lease.
 *
 * @param revision the fleet config revision it serves
 * @param seen when it last refreshed this record (ISO-8601, UTC)
 * @param configProblem why it does not serve the newest config (etcd away, a config refused), or null
 */
public record NodeInfo(String name, String location, String adminUrl, String version, long revision, String started,
    String seen, String configProblem) {}
