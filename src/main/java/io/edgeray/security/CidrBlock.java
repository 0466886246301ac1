package io.edgeray.security;

import io.edgeray.config.Cidr;
import io.netty.util.NetUtil;

/**
 * The value of {@code cidr("192.0.2.0/24")} in a rule expression: the block's network bits,
 * ready to test an address against without allocating.
 */
final class CidrBlock {
  private final byte[] network;
  private final int prefixLength;
  private final String text;

  CidrBlock(Cidr cidr) {
    this.network = cidr.address().getAddress();
    this.prefixLength = cidr.prefixLength();
    this.text = cidr.toString();
  }

  /** Whether the address, written as text ({@code ip.src}), is in the block; false for text that is no address. */
  boolean contains(String address) {
    byte[] b = NetUtil.createByteArrayFromIpAddressString(address);
    return b != null && contains(b);
  }

  /** Whether the address, as 4 or 16 bytes, is in the block. */
  boolean contains(byte[] b) {
    if (b.length == 16 && network.length == 4 && IpPrefixTrie.isIpv4Mapped(b)) {
      b = new byte[] {b[12], b[13], b[14], b[15]};
    }
    if (b.length != network.length) return false;
    int full = prefixLength >>> 3;
    for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
    int rest = prefixLength & 7;
    if (rest == 0) return true;
    int mask = (0xff << (8 - rest)) & 0xff;
    return (b[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
