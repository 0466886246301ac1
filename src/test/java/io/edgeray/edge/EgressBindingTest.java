package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.ReceivedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Origins see the edge only from its published egress addresses, so they can allowlist exactly those. */
class EgressBindingTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private static final int CONCURRENT = 6;

  @Test
  void originSeesOnlyTheEgressAddressesSpreadOverBoth() throws Exception {
    // a slow answer keeps every request on its own origin connection, so each one picks a source
    try (FaultyOrigin origin = FaultyOrigin.start(InetAddress.getByName("127.0.0.1"), 0)
            .fault(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(400))) {
      edge.start("edge: { egress: [127.0.0.2, 127.0.0.3/32, \"10.0.0.0/8\"] }\n", """
              - name: shop.example
                origin_ports: { http: %d }
                records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
            """.formatted(origin.port()));
      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
      try {
        List<Future<RawClient.Response>> answers = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) answers.add(pool.submit(() -> edge.get("shop.example", "/")));
        for (Future<RawClient.Response> a : answers) assertThat(a.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      } finally {
        pool.shutdownNow();
      }
      List<ReceivedRequest> seen = origin.awaitRequests(CONCURRENT, Duration.ofSeconds(5));
      Set<String> sources = seen.stream().map(r -> r.remote().getAddress().getHostAddress()).collect(Collectors.toSet());
      // the /8 block is published, not bound: the edge cannot know which of its addresses it owns
      assertThat(sources).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
    }
  }

  @Test
  void withoutEgressTheKernelChoosesTheSource() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(InetAddress.getByName("127.0.0.1"), 0)) {
      edge.start("""
              - name: shop.example
                origin_ports: { http: %d }
                records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
            """.formatted(origin.port()));
      assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
      assertThat(origin.awaitRequests(1, Duration.ofSeconds(5)).get(0).remote().getAddress().getHostAddress())
          .isEqualTo("127.0.0.1");
    }
  }
}
