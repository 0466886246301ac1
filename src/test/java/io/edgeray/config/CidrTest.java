package io.edgeray.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void aBareAddressIsTheBlockOfThatOneAddress() {
    assertThat(Cidr.parse("127.0.0.2").toString()).isEqualTo("127.0.0.2/32");
    assertThat(Cidr.parse("2001:db8::10").toString()).isEqualTo("2001:db8::10/128");
  }

  @Test
  void ipv6IsWrittenInItsShortForm() {
    assertThat(Cidr.parse("2001:0DB8:0000::/32").toString()).isEqualTo("2001:db8::/32");
    assertThat(Cidr.parse("2001:db8::/32").isIpv4()).isFalse();
  }

  @Test
  void containsTheAddressesOfTheBlockOnly() throws Exception {
    Cidr block = Cidr.parse("127.0.0.0/30");
    assertThat(block.contains(InetAddress.getByName("127.0.0.3"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("127.0.0.4"))).isFalse();
    assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
  }

  @Test
  void refusesHostBitsNamesAndBadPrefixes() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.5/24")).hasMessageContaining("the block is 10.0.0.0/24");
    assertThatThrownBy(() -> Cidr.parse("edge.example")).hasMessageContaining("is not an IP address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range 0..32");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("is not a prefix length");
  }
}
