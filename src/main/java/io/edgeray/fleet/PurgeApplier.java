package io.edgeray.fleet;

/** Purges this node's cache as another node was asked to: the zone and the purge's JSON body, as the admin API took it. */
@FunctionalInterface
public interface PurgeApplier {
  /** Returns normally once no new request on this node finds a purged object; throws when the purge cannot be applied. */
  void apply(String zone, String purgeJson) throws Exception;
}
