package io.edgeray.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** The edge with BoringSSL (netty-tcnative), the default wherever its native library loads. */
class OpenSslTlsProviderTest extends TlsProviderScenarios {
  @Override
  void assumeUsable() {
    assumeTrue(OpenSsl.isAvailable(), () -> "netty-tcnative does not load here: " + OpenSsl.unavailabilityCause());
  }

  @Override
  String providerProperty() {
    return "";
  }

  @Override
  SslProvider expectedProvider() {
    return SslProvider.OPENSSL;
  }
}
