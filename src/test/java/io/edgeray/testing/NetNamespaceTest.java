package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetNamespaceTest {
  @BeforeAll
  static void needsRootAndIp() {
    assumeThat(NetNamespace.available()).as("network namespaces need root and iproute2").isTrue();
  }

  @Test
  void aNonLoopbackAddressIsUnreachableInsideAFreshNamespace() throws Exception {
    try (NetNamespace ns = NetNamespace.create()) {
      NetNamespace.Result curl = ns.run(Duration.ofSeconds(5), "curl", "-sS", "--max-time", "2", "http://10.9.9.9/");
      assertThat(curl.exitCode()).as(curl.stderr()).isEqualTo(7); // 7: could not connect, as opposed to 28: timed out
      assertThat(curl.stderr()).contains("Failed to connect to 10.9.9.9");
    }
  }

  @Test
  void theNamespaceIsGoneAfterClose() throws Exception {
    String name;
    try (NetNamespace ns = NetNamespace.create()) {
      name = ns.name();
      assertThat(ns.run(Duration.ofSeconds(5), "ip", "-o", "link").stdout()).contains("lo:").doesNotContain("eth");
    }
    try (NetNamespace other = NetNamespace.create()) {
      List<String> names = other.run(Duration.ofSeconds(5), "ip", "netns", "list").stdout().lines()
          .map(line -> line.split(" ")[0]).toList();
      assertThat(names).contains(other.name()).doesNotContain(name);
    }
  }

  @Test
  void aJavaProcessInsideSeesTheDummyAddressAndNetworkUnreachable() throws Exception {
    try (NetNamespace ns = NetNamespace.create().addDummy("d0", "10.200.0.1/24")) {
      NetNamespace.JavaProcess probe = ns.javaProcess(NamespaceProbe.class.getName(), List.of("10.9.9.9"));
      probe.awaitStdout("connect: ", Duration.ofSeconds(8));
      assertThat(probe.stdoutText())
          .contains("address d0 10.200.0.1", "address lo 127.0.0.1")
          .contains("connect: SocketException: Network is unreachable"); // JDK 17 reports ENETUNREACH as a plain SocketException
    }
  }

  @Test
  void anOriginInsideIsReachableOnlyAtItsDummyAddress() throws Exception {
    try (NetNamespace ns = NetNamespace.create().addDummy("d0", "10.200.0.1/24")) {
      NetNamespace.JavaProcess origin = ns.javaProcess(FaultyOrigin.class.getName(), List.of("10.200.0.1", "8080", "OK"));
      origin.awaitStdout("listening 8080", Duration.ofSeconds(8));
      // a cold JVM answers its first request slowly on a loaded machine: a roomy bound, not a sleep
      NetNamespace.Result curl = ns.run(Duration.ofSeconds(15), "curl", "-sS", "--max-time", "10", "http://10.200.0.1:8080/inside");
      assertThat(curl.exitCode()).as(curl.stderr()).isZero();
      assertThat(curl.stdout()).contains("\"path\":\"/inside\"");
    }
  }
}
