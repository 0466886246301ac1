package io.edgeray.security;

import io.edgeray.config.Cidr;
import java.net.InetAddress;

/**
 * A binary trie over address bits, one for IPv4 and one for IPv6: a lookup walks at most 32 or 128
 * nodes whatever the number of entries, and answers the value of the longest (most specific)
 * prefix that contains the address. Built once, then only read: safe to share across threads once
 * published (it is built before the policy that holds it is published).
 */
final class IpPrefixTrie<T> {
  private static final class Node<T> {
    Node<T> zero;
    Node<T> one;
    T value;
  }

  private final Node<T> v4 = new Node<>();
  private final Node<T> v6 = new Node<>();
  private int size;

  /** Adds a prefix; returns the value it already had, or null. The new value replaces it. */
  T put(Cidr cidr, T value) {
    byte[] bits = cidr.address().getAddress();
    Node<T> n = bits.length == 4 ? v4 : v6;
    for (int i = 0; i < cidr.prefixLength(); i++) {
      boolean one = (bits[i >>> 3] & (0x80 >>> (i & 7))) != 0;
      Node<T> next = one ? n.one : n.zero;
      if (next == null) {
        next = new Node<>();
        if (one) n.one = next; else n.zero = next;
      }
      n = next;
    }
    T old = n.value;
    n.value = value;
    if (old == null) size++;
    return old;
  }

  /** The value of the longest prefix that contains the address, or null. */
  T longestMatch(InetAddress address) {
    return longestMatch(address.getAddress());
  }

  T longestMatch(byte[] bits) {
    Node<T> n;
    int offset = 0;
    int length;
    if (bits.length == 4) {
      n = v4;
      length = 32;
    } else if (isIpv4Mapped(bits)) {
      n = v4; // ::ffff:192.0.2.1 is 192.0.2.1 arriving on a dual-stack socket
      offset = 96;
      length = 128;
    } else {
      n = v6;
      length = 128;
    }
    T best = n.value;
    for (int i = offset; i < length; i++) {
      n = (bits[i >>> 3] & (0x80 >>> (i & 7))) != 0 ? n.one : n.zero;
      if (n == null) break;
      if (n.value != null) best = n.value;
    }
    return best;
  }

  int size() {
    return size;
  }

  static boolean isIpv4Mapped(byte[] b) {
    if (b.length != 16) return false;
    for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }
}
