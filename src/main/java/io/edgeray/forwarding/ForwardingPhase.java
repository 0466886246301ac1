package io.edgeray.forwarding;

import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/** The forwarding headers both ways: who the visitor is and which ray this is, hop-by-hop headers removed. */
public final class ForwardingPhase implements Phase {
  private final String pseudonym;

  public ForwardingPhase(String pseudonym) {
    this.pseudonym = pseudonym;
  }

  @Override
  public void upstreamRequest(Ray ray, HttpHeaders toOrigin) {
    ForwardHeaders.toOrigin(toOrigin, ray.clientIp(), ray.id(), pseudonym, ray.https() ? "https" : "http",
        ray.zone().headers(), ray.upgradeRequested(), ray.protocol());
  }

  @Override
  public void interimResponse(Ray ray, HttpHeaders headers) {
    ForwardHeaders.removeHopByHop(headers); // they were for the hop between the origin and the edge
  }

  @Override
  public Decision responseHead(Ray ray, HttpResponse response) {
    boolean tunnel = response.status().code() == 101 && ray.upgradeRequested();
    ForwardHeaders.toVisitor(response.headers(), ray.id(), pseudonym, tunnel);
    return Decision.PROCEED;
  }
}
