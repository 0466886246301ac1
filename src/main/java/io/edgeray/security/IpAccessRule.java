package io.edgeray.security;

import io.edgeray.config.Cidr;

/**
 * One IP access rule: an address or block and what to do with it.
 *
 * @param note the owner's reason, shown in events and never to visitors; may be empty
 * @param enabled a disabled rule is kept in the config but matches no one
 */
public record IpAccessRule(Cidr cidr, IpAccessAction action, String note, boolean enabled) {
  public IpAccessRule(Cidr cidr, IpAccessAction action, String note) {
    this(cidr, action, note, true);
  }

  /** The rule's name in events and metrics: the block as written, {@code 203.0.113.0/24}. */
  public String id() {
    return cidr.toString();
  }
}
