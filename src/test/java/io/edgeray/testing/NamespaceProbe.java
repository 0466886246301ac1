package io.edgeray.testing;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;

/**
 * Run inside a {@link NetNamespace} by its self-test: prints the addresses this JVM sees, then
 * tries to connect to the address given as the first argument and prints how that failed.
 */
public final class NamespaceProbe {
  private NamespaceProbe() {}

  public static void main(String[] args) throws Exception {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      nif.inetAddresses().forEach(a -> System.out.println("address " + nif.getName() + " " + a.getHostAddress()));
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(args[0], 80), 2000);
      System.out.println("connect: connected");
    } catch (Exception e) {
      System.out.println("connect: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
