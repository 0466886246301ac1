package io.edgeray.edge;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.EdgeError;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.RetryPolicy;
import io.edgeray.failure.Stage;
import io.edgeray.phase.Chunks;
import io.edgeray.phase.Decision;
import io.edgeray.phase.Peers;
import io.edgeray.phase.Upstream;
import io.edgeray.upstream.Peer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one ray: a state machine that carries out the phases' decisions and moves the
 * bytes. {@link #start()} is the ray's whole life in order; every step that waits for the network
 * continues in the method it names. The features themselves are phases ({@link Phases}); this
 * class holds no feature's rules, only framing, timers, the tunnel and the end. The bodies on
 * their way are {@link RequestBody} and {@link ResponseBody}; a new origin connection is an
 * {@link OriginDial}.
 *
 * <p>A failure before the response head is classified once ({@link ErrorClassifier}), judged by
 * {@link RetryPolicy}, and otherwise answered by the fail-to-proxy phase or the error page; after
 * the head it can only cut the connection ({@link #abort}). Everything runs on the visitor's event
 * loop; the origin channel is registered on the same loop, so no state here is shared between threads.
 */
final class ProxyFlow {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyFlow.class);
  private enum State { ROUTING, CONNECTING, AWAITING_HEAD, STREAMING, TUNNEL, DONE }

  private final EdgeContext edge;
  private final EdgeContext.Settings settings;
  private final Phases phases;
  private final VisitorHandler visitor;
  private final Channel vch;
  private final HttpRequest request;
  private final Exchange ex;
  /** The visitor's body on its way to the origin, across tries. */
  private final RequestBody body;
  /** The origin's body on its way to the visitor; made at the first origin connection. */
  private ResponseBody response;

  private State state = State.ROUTING;
  /** The key of the origin connection pool: address, and for TLS also the name and trust. */
  private SocketAddress connectionKey;
  private Channel origin;
  private boolean originReused;
  private boolean staleReplayDone;
  private ClassifiedFailure lastFailure;
  private String ownerDetail;
  private boolean requestSent;
  private boolean keepVisitor;
  private boolean tunnelOpen;
  /** The origin's read or write timeout, when one runs; made at the first. */
  private OriginTimeout timer;
  /** A phase's answer being streamed to the visitor, or null. */
  private AnswerPump answering;
  private Peer busy;
  /** The new connection being made for the current try, if one is. */
  private OriginDial dialing;

  ProxyFlow(EdgeContext edge, VisitorHandler visitor, Channel vch, HttpRequest request, String clientIp,
      InetAddress clientAddress, boolean https) {
    this.edge = edge;
    this.settings = edge.settings;
    this.phases = settings.phases();
    this.visitor = visitor;
    this.vch = vch;
    this.request = request;
    this.ex = Exchange.begin(edge, vch, request, clientIp, clientAddress, https);
    this.keepVisitor = HttpUtil.isKeepAlive(request);
    this.body = new RequestBody(this, vch, request);
    edge.activeRays.incrementAndGet();
  }

  void start() {
    runEarly(Phases.EarlyHook.REQUEST_FILTER, 0);
  }

  /**
   * A ray's life, in order (docs/phases.md): the hooks that may answer before any origin is
   * involved, then the origins. A phase that decides later resumes the hook after itself.
   */
  private void runEarly(Phases.EarlyHook hook, int from) {
    for (; hook != null; hook = hook.next(), from = 0) {  // request filter, zone filter, cache lookup
      Phases.Verdict v = phases.early(hook, ex, from);
      if (v.decision() instanceof Decision.Later later) {
        resumeAfter(later, hook, v.phase() + 1);
        return;
      }
      if (answered(v.decision())) return;
    }
    state = State.CONNECTING;
    body.readExpect();
    Upstream upstream = phases.upstreamPeer(ex);  // the origins to try, in order
    if (upstream instanceof Upstream.Answer a) {
      answered(a.decision());
    } else if (upstream instanceof Upstream.Lookup lookup) {
      resolve(lookup);                            // a CNAME's target first, then as below
    } else {
      tryOrigins(((Upstream.Origins) upstream).peers());
    }
    // then: connectNext → attach → sendRequest (upstream request) → onResponseHead (response head)
    // → onResponseContent (response body) → finish (response end, logging). A failed try →
    // onTryFailed: the retry verdict, then fail to proxy or the error page.
  }

  /** Waits for a phase that decides later, off the event loop's back, and goes on where it left off. */
  private void resumeAfter(Decision.Later later, Phases.EarlyHook hook, int nextPhase) {
    later.decision().whenComplete(new LaterDecision(this, vch.eventLoop(), hook, nextPhase));
  }

  /** A later decision came, on the loop: carried out, or the hooks go on from the next phase. */
  void resume(Phases.EarlyHook hook, int nextPhase, Decision decided, Throwable error) {
    if (state == State.DONE) return;
    if (error != null) LOG.error("a phase's decision for ray {} failed; going on without it", ex.ray, error);
    Decision d = error != null || decided == null ? Decision.PROCEED : decided;
    if (d instanceof Decision.Later again) {
      resumeAfter(again, hook, nextPhase);
    } else if (!answered(d)) {
      runEarly(hook, nextPhase);
    }
  }

  /** Carries out a phase's decision; false when it says to go on. */
  private boolean answered(Decision d) {
    if (d instanceof Decision.Proceed) return false;
    if (d instanceof Decision.Refuse r) {
      ownerDetail = r.ownerDetail();
      ex.detail = r.detail();
      answerError(r.refusal(), r.headers());
    } else if (d instanceof Decision.Fail f) {
      giveUp(f.failure());
    } else if (d instanceof Decision.Respond r) {
      ex.status = r.response().status().code();
      ex.addDetail(r.detail());
      answer(r.response());
    } else if (d instanceof Decision.Stream st) {
      ex.addDetail(st.detail());
      stream(st);
    } else {
      throw new IllegalStateException("a phase decided later where it must decide now: " + d);
    }
    return true;
  }

  // ---- origins ------------------------------------------------------------------------------

  private void resolve(Upstream.Lookup lookup) {
    settings.resolver().resolve(lookup.name()).whenComplete((found, error) -> vch.eventLoop().execute(() -> {
      if (state == State.DONE) return;
      if (error != null) {
        giveUp(ErrorClassifier.classify(Stage.RESOLVE, error));
      } else {
        tryOrigins(Peers.addresses(found, lookup.port()));
      }
    }));
  }

  private void tryOrigins(Peers peers) {
    ex.peers = peers;
    connectNext();
  }

  /** The next origin: a pooled connection to it, or a new one (after a connection slot, if it has a limit). */
  private void connectNext() {
    Peer peer = ex.peers.next();
    if (peer == null) {
      if (lastFailure == null) answered(ex.peers.nothingToTry(ex.host)); else giveUp(lastFailure);
      return;
    }
    ex.peer = peer;
    connectionKey = ex.leg.poolKey(peer.address(), ex.host);
    if (edge.isSelf(peer.address())) {
      refuse(EdgeRefusal.ORIGIN_IS_EDGE, "the origin of " + ex.host + " is this edge's own listener " + peer.address());
      return;
    }
    Channel pooled = edge.pool.acquire(vch.eventLoop(), connectionKey);
    if (pooled != null) {
      attach(pooled, true, -1);
    } else {
      connectFresh();
    }
  }

  /** A new connection for this try; the dial says how it went (through {@link #attach} or {@link #onTryFailed}). */
  private void connectFresh() {
    dialing = new OriginDial(this, edge, ex, vch.eventLoop());
    dialing.start(connectionKey);
  }

  boolean done() {
    return state == State.DONE;
  }

  void attach(Channel ch, boolean reused, long connectNanos) {
    origin = ch;
    originReused = reused;
    if (response == null) response = new ResponseBody(ex, phases, vch, edge.pool);
    busy = ex.peer;
    busy.requestStarted();
    ch.pipeline().get(OriginHandler.class).flow(this);
    ex.attempt(hostPort(ex.peer.address()), ex.peer.id(), null, null, connectNanos, reused);
    sendRequest();
  }

  // ---- the request --------------------------------------------------------------------------

  private void sendRequest() {
    state = State.AWAITING_HEAD;
    HttpHeaders headers = request.headers().copy();
    headers.remove(HttpHeaderNames.EXPECT);
    phases.upstreamRequest(ex, headers);
    if (HttpUtil.isTransferEncodingChunked(request)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    }
    origin.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), ex.path, headers));
    body.followHead(origin);
    origin.flush();
    origin.read();
    if (!body.complete() && origin.isWritable()) vch.read();
  }

  void onVisitorContent(HttpContent c) {
    if (!body.arrived(c)) return;
    ex.bytesIn += c.content().readableBytes();
    switch (state) {
      case ROUTING, CONNECTING -> body.hold(c);
      case AWAITING_HEAD, STREAMING -> body.send(c, origin);
      default -> ReferenceCountUtil.release(c);
    }
  }

  /** The request's last chunk was written to {@code ch}: if that is still this try's connection, its answer is awaited. */
  void requestSent(Channel ch) {
    if (ch == origin && state == State.AWAITING_HEAD) {
      requestSent = true;
      armTimer(ex.zone.timeouts().read(), Stage.READ_HEAD);
    }
  }

  /** Whether the visitor's body should be read now: only while the origin can take it. */
  boolean wantsBody() {
    return (state == State.AWAITING_HEAD || state == State.STREAMING) && body.wanted(origin);
  }

  boolean requestComplete() {
    return body.complete();
  }

  /** The visitor's request ended its connection (Connection: close, or HTTP/1.0 without keep-alive) and was well formed. */
  boolean visitorSaidClose() {
    return !HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
  }

  void onOriginWritable() {
    if (origin != null && origin.isWritable()) {
      if (state == State.AWAITING_HEAD && !requestSent) cancelTimer();
      if (!body.complete()) vch.read();
    }
  }

  /** The origin cannot take more of the body: it must before the write timeout. */
  void originStalled() {
    if (state == State.AWAITING_HEAD) armTimer(ex.zone.timeouts().write(), Stage.WRITE);
  }

  // ---- the response -------------------------------------------------------------------------

  void onResponseHead(HttpResponse res) {
    if (state != State.AWAITING_HEAD) return;
    int code = res.status().code();
    if (code >= 100 && code < 200 && code != 101) {
      forwardInterim(res);
      return;
    }
    cancelTimer();
    body.forgetCopies(); // an answer came: the request is never sent again
    ex.ttfbNanos = System.nanoTime() - ex.startNanos;
    ex.originStatus = code;
    ex.status = code;
    boolean tunnel = code == 101 && ex.upgradeRequested;
    boolean bodyless = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304 || tunnel;
    response.head(res, bodyless);
    Decision instead = phases.responseHead(ex, res);
    if (instead != Decision.PROCEED) { // a phase answers in the origin's place (a stored copy the origin's 304 confirmed)
      closeOrigin();
      answered(instead);
      return;
    }
    HttpHeaders h = res.headers();
    if (!bodyless && !HttpUtil.isContentLengthSet(res)) frameWithoutLength(h);
    if (edge.draining) keepVisitor = false;
    if (!tunnel) connectionHeader(h);
    state = tunnel ? State.TUNNEL : State.STREAMING;
    if (tunnel) vch.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, res.status(), h));
    else vch.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, res.status(), h)); // flushed with the body
  }

  /**
   * An interim answer (103 Early Hints, a 100 the edge did not already send) goes on to the
   * visitor before the final one; HTTP/1.0 visitors get none (RFC 9110 §15.2).
   */
  private void forwardInterim(HttpResponse res) {
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0) || res.status().code() == 100 && body.sentContinue()) return;
    FullHttpResponse interim = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, res.status());
    interim.headers().set(res.headers());
    phases.interimResponse(ex, interim.headers());
    vch.writeAndFlush(interim);
  }

  void onResponseContent(HttpContent c) {
    if (state == State.TUNNEL) {
      ReferenceCountUtil.release(c);
      if (c instanceof LastHttpContent) openTunnel();
      return;
    }
    if (state != State.STREAMING) {
      ReferenceCountUtil.release(c);
      return;
    }
    response.arrived(c);
    if (!(c instanceof LastHttpContent)) {
      if (response.more(c)) armTimer(ex.zone.timeouts().read(), Stage.READ_BODY); else stopReadingAlone();
      return;
    }
    cancelTimer();
    ChannelFuture last = response.last(c);
    Peer served = busy;
    response.exchangeEnded(detachOrigin(), served, connectionKey, body.complete());
    finish(last);
  }

  /** A phase's answer with a body in pieces: written as fast as the visitor reads it. */
  private void stream(Decision.Stream st) {
    if (edge.draining) keepVisitor = false;
    HttpHeaders h = st.head().headers();
    if (!h.contains(HttpHeaderNames.DATE)) h.set(HttpHeaderNames.DATE, HttpDates.now());
    if (!HttpUtil.isContentLengthSet(st.head()) && !request.method().equals(HttpMethod.HEAD)) frameWithoutLength(h);
    connectionHeader(h);
    ex.status = st.head().status().code();
    body.drop();
    state = State.STREAMING;
    answering = new AnswerPump(vch, new DefaultHttpResponse(HttpVersion.HTTP_1_1, st.head().status(), h), st.body(),
        new AnswerPump.Sink() {
          @Override public void sent(int bytes) { onAnswerSent(bytes); }
          @Override public void ended(ChannelFuture last) { answering = null; finish(last); }
          @Override public void failed(Exception cause) { onAnswerFailed(cause); }
        });
    answering.pump();
  }

  private void onAnswerSent(int bytes) {
    ex.bytesOut += bytes;
  }

  private void onAnswerFailed(Exception e) {
    if (e instanceof Chunks.BrokeOff) { // the origin broke off: this visitor ends as the one whose fetch it followed
      LOG.warn("ray {}: {}; the visitor's connection is cut, so it sees the answer incomplete", ex.ray, e.getMessage());
      ex.abort = e.getMessage();
    } else {
      LOG.error("ray {}: the stored answer could not be read", ex.ray, e);
      ex.abort = "the stored answer could not be read: " + e.getMessage();
    }
    keepVisitor = false;
    answering = null;
    finish(vch.close());
  }

  void onOriginReadComplete() {
    if (state == State.AWAITING_HEAD || state == State.STREAMING) response.readComplete(origin, state == State.STREAMING);
  }

  void onVisitorWritable() {
    if (state != State.STREAMING || !vch.isWritable()) return;
    if (answering != null) answering.pump(); else if (origin != null) response.visitorWritable(origin);
  }

  private void openTunnel() {
    tunnelOpen = true;
    Channel o = detachOrigin();
    ex.detail = "upgraded to " + request.headers().get(HttpHeaderNames.UPGRADE);
    Tunnel.open(vch, o, () -> vch.eventLoop().execute(() -> finish(vch.newSucceededFuture())), ex);
    visitor.handOverToTunnel();
  }

  // ---- failures -----------------------------------------------------------------------------

  void onOriginClosed() {
    switch (state) {
      case AWAITING_HEAD -> onTryFailed(ErrorClassifier.closedEarly(Stage.READ_HEAD));
      case STREAMING, TUNNEL -> abort(ErrorClassifier.closedEarly(Stage.READ_BODY));
      default -> { }
    }
  }

  /** The origin's bytes are not HTTP, or its head is over the limit: 520. */
  void onMalformedResponse(Throwable cause) {
    ClassifiedFailure cf = ErrorClassifier.malformedResponse(cause);
    if (state == State.STREAMING) abort(cf); else if (state == State.AWAITING_HEAD) onTryFailed(cf);
  }

  void onOriginError(Throwable error) {
    switch (state) {
      case AWAITING_HEAD -> onTryFailed(ErrorClassifier.classify(requestSent ? Stage.READ_HEAD : Stage.WRITE, error));
      case STREAMING, TUNNEL -> abort(ErrorClassifier.classify(Stage.READ_BODY, error));
      default -> { }
    }
  }

  /** A try failed before any response byte went to the visitor: the retry verdict decides what is next. */
  void onTryFailed(ClassifiedFailure cf) {
    if (state == State.DONE) return;
    boolean attached = origin != null;
    RetryPolicy.Verdict verdict = RetryPolicy.decide(new RetryPolicy.Facts(cf.retry(), attached && originReused,
        body.replayable(), staleReplayDone, ex.peers.anyLeft(), ex.peers.retriesSentRequests()));
    if (attached) {
      ex.lastAttemptFailed(cf.failure(), verdict == RetryPolicy.Verdict.NEW_CONNECTION
          ? "pooled connection was closed by the origin; retried on a new connection" : cf.detail());
      dropOrigin();
    }
    lastFailure = cf;
    if (verdict != RetryPolicy.Verdict.GIVE_UP) body.rewind();
    switch (verdict) {
      case NEXT_ORIGIN -> connectNext();
      case NEW_CONNECTION -> {
        staleReplayDone = true;
        connectFresh();
      }
      case GIVE_UP -> giveUp(cf);
    }
  }

  /** Lets go of the origin connection of a try that failed, so the request can start over. */
  private void dropOrigin() {
    closeOrigin();
    requestSent = false;
    state = State.CONNECTING;
  }

  /** No try is left: the fail-to-proxy phase may answer (a stale copy); else the failure's error page. */
  private void giveUp(ClassifiedFailure cf) {
    if (state == State.DONE) return;
    closeOrigin();
    ex.detail = cf.detail();
    ownerDetail = cf.ownerDetail();
    Decision d;
    try {
      d = phases.failToProxy(ex, cf);
    } catch (RuntimeException e) {
      // called from connection listeners, where a throw reaches no handler: the visitor would wait forever
      LOG.error("ray {}: a phase failed while answering {}; the error page goes out instead", ex.ray, cf.failure().name(), e);
      ex.addDetail("a phase failed while answering the failure: " + e);
      d = Decision.PROCEED;
    }
    if (d == Decision.PROCEED) {
      answerError(cf.failure());
    } else {
      ex.error = cf.failure(); // the visitor was spared (a stale copy); the owner still sees the failure
      answered(d);
    }
  }

  void refuse(EdgeRefusal refusal, String detail) {
    ex.detail = detail;
    answerError(refusal);
  }

  private void answerError(EdgeError error) {
    answerError(error, EmptyHttpHeaders.INSTANCE);
  }

  /** Sends the error page for an error that happened before any response head went out. */
  private void answerError(EdgeError error, HttpHeaders extra) {
    ex.error = error;
    ex.status = error.status();
    boolean json = ErrorPage.wantsJson(request.headers().get(HttpHeaderNames.ACCEPT));
    FullHttpResponse page = ErrorPage.renderOrPlain(new ErrorPage.Facts(error, ex.ray, ex.node, ex.host, ex.clientIp,
        ex.time, ownerDetail), json, settings.pseudonym(), vch.alloc());
    page.headers().setAll(extra); // setAll: set() would replace every header with these
    // a broken request means the rest of the stream cannot be trusted
    if (error instanceof EdgeRefusal r && r.closesConnection()) keepVisitor = false;
    answer(page);
  }

  /** Sends a response the edge made itself (error page, redirect, stored copy) and ends the ray. */
  private void answer(FullHttpResponse res) {
    if (edge.draining) keepVisitor = false;
    if (!res.headers().contains(HttpHeaderNames.DATE)) res.headers().set(HttpHeaderNames.DATE, HttpDates.now());
    connectionHeader(res.headers());
    ex.bytesOut = res.content().readableBytes();
    body.drop();
    finish(vch.writeAndFlush(res));
  }

  /** After the head went out, the status cannot change: the visitor's connection is cut and the log says why. */
  private void abort(ClassifiedFailure cf) {
    if (state == State.DONE) return;
    closeOrigin();
    ex.error = cf.failure();
    ex.abort = cf.failure().name();
    ex.detail = cf.detail();
    keepVisitor = false;
    finish(vch.close());
  }

  /**
   * The visitor's connection ended: stop work for it and log what it saw. Either the visitor went
   * away (499, as nginx logs it) or the edge's shutdown cut it when the grace period ran out.
   */
  void onVisitorGone() {
    if (state == State.DONE || tunnelOpen) return;
    if (state == State.STREAMING && origin != null && body.complete() && !edge.cutting && phases.wantsRestOfBody(ex)) {
      keepVisitor = false;
      response.readOnAlone(origin);
      return;
    }
    closeOrigin();
    if (edge.cutting) {
      boolean headSent = ex.status != 0;
      if (!headSent) {
        ex.error = EdgeRefusal.SHUTTING_DOWN;
        ex.status = EdgeRefusal.SHUTTING_DOWN.status();
      }
      ex.abort = "edge shut down " + (headSent ? "during" : "before") + " the response: grace period over";
    } else {
      if (ex.status == 0) ex.status = 499;
      ex.abort = "visitor closed the connection";
    }
    keepVisitor = false;
    body.drop();
    finish(vch.newSucceededFuture());
  }

  /** Reading on alone, until no phase wants more: the origin connection is closed and the ray ends. */
  private void stopReadingAlone() {
    closeOrigin();
    finish(vch.newSucceededFuture());
  }

  // ---- the end ------------------------------------------------------------------------------

  /** Logging: exactly one summary to the observers (access log, metrics). */
  private void finish(ChannelFuture lastWrite) {
    if (state == State.DONE) return;
    state = State.DONE;
    cancelTimer();
    body.forgetCopies();
    if (answering != null) answering.close();
    answering = null;
    phases.responseEnd(ex, response != null && response.complete());
    if (dialing != null) dialing.cancel();
    edge.activeRays.decrementAndGet();
    edge.observer.rayFinished(ex.summary());
    if (!tunnelOpen) visitor.flowDone(this, keepVisitor && body.complete(), lastWrite);
  }

  /** Lets go of the origin connection for good: its timer stops, and it is closed rather than pooled. */
  private void closeOrigin() {
    cancelTimer();
    Channel o = detachOrigin();
    if (o != null) o.close();
  }

  private Channel detachOrigin() {
    if (busy != null) {
      busy.requestEnded();
      busy = null;
    }
    Channel o = origin;
    if (o != null) {
      OriginHandler h = o.pipeline().get(OriginHandler.class);
      if (h != null) h.flow(null);
    }
    origin = null;
    return o;
  }

  /** A body of no known length: chunked to an HTTP/1.1 visitor; an HTTP/1.0 one learns its end from the close. */
  private void frameWithoutLength(HttpHeaders h) {
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    else keepVisitor = false;
  }

  private void connectionHeader(HttpHeaders h) {
    if (!keepVisitor || !body.complete()) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private void armTimer(Duration after, Stage stage) {
    if (timer == null) timer = new OriginTimeout(this, LoopTimers.of(vch.eventLoop()));
    timer.arm(after, stage);
  }

  private void cancelTimer() {
    if (timer != null) timer.cancel();
  }

  /** The origin did not do in time what it must: before the head that fails the try, after it the cut. */
  void timedOut(Stage stage) {
    if (stage == Stage.READ_BODY) abort(ErrorClassifier.timedOut(stage)); else onTryFailed(ErrorClassifier.timedOut(stage));
  }

  static String hostPort(InetSocketAddress a) {
    String ip = a.getAddress().getHostAddress();
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
  }
}
