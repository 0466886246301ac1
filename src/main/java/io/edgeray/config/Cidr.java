package io.edgeray.config;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An address block such as {@code 127.0.0.2/32} or {@code 2001:db8::/32}. A bare address is the
 * block of that one address. Host bits must be zero, so the block an operator publishes is the
 * block they wrote ({@code 10.0.0.5/24} is rejected rather than quietly widened).
 */
public record Cidr(InetAddress address, int prefixLength) {

  public Cidr {
    int bits = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0.." + bits);
    }
  }

  /** Parses {@code address} or {@code address/prefix}; IP literals only, never a name lookup. */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addressText = slash < 0 ? s : s.substring(0, slash);
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(addressText);
    if (address == null) throw new IllegalArgumentException("\"" + addressText + "\" is not an IP address");
    int bits = address.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + s.substring(slash + 1) + "\" is not a prefix length");
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix length " + prefix + " is out of range 0.." + bits);
      }
    }
    Cidr cidr = new Cidr(address, prefix);
    if (!cidr.network().equals(address)) {
      throw new IllegalArgumentException("\"" + s + "\" has host bits set; the block is "
          + NetUtil.toAddressString(cidr.network()) + "/" + prefix);
    }
    return cidr;
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  public boolean contains(InetAddress candidate) {
    byte[] a = address.getAddress();
    byte[] b = candidate.getAddress();
    if (a.length != b.length) return false;
    for (int bit = 0; bit < prefixLength; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
    }
    return true;
  }

  /** The first address of the block (the address with its host bits cleared). */
  public InetAddress network() {
    byte[] bytes = address.getAddress();
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong length, and the length is the address's own
    }
  }

  /** {@code 127.0.0.2/32}, {@code 2001:db8::/32}: IPv6 in the short form of RFC 5952. */
  @Override
  public String toString() {
    return NetUtil.toAddressString(address) + "/" + prefixLength;
  }
}
