package io.edgeray.config;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A config's zones in their order, with an index by name: every ray looks up its host's zone,
 * and an edge may carry thousands of zones, so the lookup is one map probe per label of the host
 * rather than a pass over every zone.
 */
final class Zones extends AbstractList<Zone> implements RandomAccess {
  private final List<Zone> zones;
  private final Map<String, Zone> byName;

  private Zones(List<Zone> zones) {
    this.zones = List.copyOf(zones);
    this.byName = new HashMap<>(zones.size() * 2);
    for (Zone z : this.zones) byName.putIfAbsent(z.name(), z); // a name twice: the first, as a pass in order found it
  }

  static List<Zone> of(List<Zone> zones) {
    return zones == null || zones instanceof Zones ? zones : new Zones(zones);
  }

  /** The longest zone name that is the host or a suffix of it after a dot, or null. */
  Zone forHost(String host) {
    Zone z = byName.get(host);
    for (int dot = host.indexOf('.'); z == null && dot >= 0; dot = host.indexOf('.', dot + 1)) {
      z = byName.get(host.substring(dot + 1));
    }
    return z;
  }

  @Override
  public Zone get(int index) {
    return zones.get(index);
  }

  @Override
  public int size() {
    return zones.size();
  }
}
