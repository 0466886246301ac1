package io.edgeray.dns;

import io.edgeray.config.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/** Asks the configured DNS servers (dnsjava, asynchronous, with its TTL-respecting cache). */
final class DnsServerResolver implements OriginResolver {
  private final LookupSession session;

  DnsServerResolver(List<HostPort> servers) {
    List<Resolver> resolvers = new ArrayList<>();
    for (HostPort s : servers) {
      SimpleResolver r = new SimpleResolver(new InetSocketAddress(s.host(), s.port()));
      r.setTimeout(Duration.ofSeconds(2));
      resolvers.add(r);
    }
    ExtendedResolver all = new ExtendedResolver(resolvers);
    all.setRetries(1);
    all.setTimeout(Duration.ofSeconds(2));
    this.session = LookupSession.defaultBuilder().resolver(all).build();
  }

  @Override
  public CompletableFuture<List<InetAddress>> resolve(String host) {
    Name name;
    try {
      name = Name.fromString(host.endsWith(".") ? host : host + ".");
    } catch (TextParseException e) {
      return CompletableFuture.failedFuture(new UnknownHostException(host + ": not a valid name"));
    }
    CompletableFuture<List<InetAddress>> a = lookup(name, Type.A);
    CompletableFuture<List<InetAddress>> aaaa = lookup(name, Type.AAAA);
    return a.thenCombine(aaaa, (v4, v6) -> {
      List<InetAddress> all = new ArrayList<>(v4);
      all.addAll(v6);
      if (all.isEmpty()) throw new CompletionException(new UnknownHostException(host + ": no A or AAAA record"));
      return all;
    }).exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof UnknownHostException u) throw new CompletionException(u);
      throw new CompletionException(new UnknownHostException(host + ": " + cause.getMessage()));
    });
  }

  private CompletableFuture<List<InetAddress>> lookup(Name name, int type) {
    return session.lookupAsync(name, type).toCompletableFuture().handle((result, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof NoSuchDomainException) {
          throw new CompletionException(new UnknownHostException(name + ": NXDOMAIN"));
        }
        if (cause instanceof NoSuchRRSetException) return List.<InetAddress>of();
        throw new CompletionException(new UnknownHostException(name + ": " + cause.getMessage()));
      }
      List<InetAddress> out = new ArrayList<>();
      for (Record r : result.getRecords()) {
        if (r instanceof ARecord ar) out.add(ar.getAddress());
        if (r instanceof AAAARecord ar) out.add(ar.getAddress());
      }
      return out;
    });
  }
}
