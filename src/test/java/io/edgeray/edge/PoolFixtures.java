package io.edgeray.edge;

/** The config the pool tests share: one zone whose apex is load-balanced over the pool "web". */
final class PoolFixtures {
  /** Without the cache: these tests count concurrent requests for one URL at the origins, which the cache would collapse. */
  static final String ZONE = """
        - name: shop.example
          load_balancers:
            - { name: "@", pool: web }
          cache: { enabled: false }
      """;

  private PoolFixtures() {}

  /** The pool "web" with origins a and b on 127.0.0.1, plus {@code extra} pool keys (round robin when empty). */
  static String pools(int portA, int portB, String extra) {
    return """
        pools:
          - name: web
            %s
            origins:
              - { name: a, address: 127.0.0.1, port: %d }
              - { name: b, address: 127.0.0.1, port: %d }
        """.formatted(extra.isEmpty() ? "steering: round_robin" : extra, portA, portB);
  }
}
