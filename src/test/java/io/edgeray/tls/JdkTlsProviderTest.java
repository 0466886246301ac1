package io.edgeray.tls;

import io.netty.handler.ssl.SslProvider;

/** The edge with the JDK's TLS on both legs (what runs where netty-tcnative has no native library). */
class JdkTlsProviderTest extends TlsProviderScenarios {
  @Override
  String providerProperty() {
    return "jdk";
  }

  @Override
  SslProvider expectedProvider() {
    return SslProvider.JDK;
  }
}
