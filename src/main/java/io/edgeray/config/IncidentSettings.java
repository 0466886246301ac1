package io.edgeray.config;

import java.net.URI;
import java.time.Duration;

/**
 * When the edge opens and closes an incident for a host (the {@code incidents:} section).
 *
 * @param minFailures origin failures in the last minute needed to open, together with {@code minShare}
 * @param minShare the share of the host's rays in the last minute that failed, 0..1
 * @param allFailingFor every ray failing for this long opens too, however few they are
 * @param closeAfter how long the host must stay below the threshold before the incident closes
 * @param notifyUrl ({@code notify:}) an edge-wide URL told of every incident, or null
 */
public record IncidentSettings(int minFailures, double minShare, Duration allFailingFor, Duration closeAfter, URI notifyUrl) {
  public static final IncidentSettings DEFAULTS =
      new IncidentSettings(10, 0.05, Duration.ofSeconds(30), Duration.ofMinutes(5), null);
}
