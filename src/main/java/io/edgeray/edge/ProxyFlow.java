package io.edgeray.edge;

import io.edgeray.config.Zone;
import io.edgeray.origin.ClassifiedFailure;
import io.edgeray.origin.ErrorClassifier;
import io.edgeray.origin.OriginFailure;
import io.edgeray.origin.Routing;
import io.edgeray.origin.Stage;
import io.edgeray.pool.AffinityCookie;
import io.edgeray.pool.ConnectionLimit;
import io.edgeray.pool.OriginPicker;
import io.edgeray.pool.OriginState;
import io.edgeray.tls.OriginLeg;
import io.edgeray.tls.VisitorTlsInitializer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one ray, in the order it happens:
 *
 * <ol>
 *   <li>{@link #start()}: hardening (framing, host rules, loop) then routing to a zone and origin;
 *       the zone's scheme rules may answer with a redirect ({@link #redirected});
 *   <li>{@link #resolve}: a proxied CNAME's target is looked up (530 / 1016 when it does not resolve);
 *   <li>{@link #connectNext()}: the next origin (the host's next address, or a load-balanced host's
 *       pool's choice: {@link OriginPicker}); a pooled connection, or a new one with the connect
 *       timeout (and, when the zone's SSL mode says HTTPS, the TLS handshake), after waiting for a
 *       slot when the origin is at its max_connections; refused, timed out, unreachable and
 *       TLS-failed origins fail over to the next one;
 *   <li>{@link #sendRequest()}: the rewritten head, then the body streamed with backpressure;
 *   <li>{@link #onResponseHead}: the origin's answer, headers rewritten for the visitor;
 *   <li>{@link #onResponseContent}: the body streamed back with backpressure; the origin
 *       connection returns to the pool;
 *   <li>{@link #finish}: exactly one summary to the observers (access log, metrics).
 * </ol>
 *
 * A failure at any step before the response head is classified once ({@link ErrorClassifier}) and
 * answered with the error page ({@link #answerError}); after the head it can only cut the
 * connection ({@link #abort}). Everything runs on the visitor's event loop; the origin channel is
 * registered on the same loop, so no state here is shared between threads.
 */
final class ProxyFlow {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyFlow.class);
  private enum State { ROUTING, CONNECTING, AWAITING_HEAD, STREAMING, TUNNEL, DONE }

  private final EdgeContext edge;
  private final EdgeContext.Settings settings;
  private final VisitorHandler visitor;
  private final Channel vch;
  private final HttpRequest request;
  private final Exchange ex;
  private final boolean https;
  private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>();

  private State state = State.ROUTING;
  private Zone zone;
  private RequestChecks.Target target;
  private List<InetAddress> addresses = List.of();
  private int nextAddress;
  private InetSocketAddress originAddress;
  private OriginLeg leg = OriginLeg.PLAIN;
  private SocketAddress poolKey;
  private String ownerDetail;
  private Channel origin;
  private boolean originReused;
  private boolean staleRetried;
  private ClassifiedFailure lastFailure;
  private boolean requestComplete;
  private boolean requestSent;
  private long bodyBytesForwarded;
  private boolean keepOrigin;
  private boolean keepVisitor;
  private boolean upgradeRequested;
  private boolean expectContinue;
  private boolean tunnelOpen;
  private ScheduledFuture<?> timer;
  private OriginPicker picker;
  private OriginState chosen;
  private OriginState busy;
  private ConnectionLimit.Waiter queued;

  ProxyFlow(EdgeContext edge, VisitorHandler visitor, Channel vch, HttpRequest request, String clientIp) {
    this.edge = edge;
    this.settings = edge.settings;
    this.visitor = visitor;
    this.vch = vch;
    this.request = request;
    this.ex = new Exchange(RayId.next(settings.config().node()), settings.config().node(), clientIp,
        request.method().name(), request.uri(), request.headers().get(HttpHeaderNames.USER_AGENT));
    this.keepVisitor = HttpUtil.isKeepAlive(request);
    this.https = VisitorTlsInitializer.isHttps(vch);
    // a request without a body is complete with its head; the codec's empty last chunk that
    // follows is dropped by the visitor handler
    this.requestComplete = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    edge.activeRays.incrementAndGet();
  }

  // ---- 1. hardening and routing -------------------------------------------------------------

  void start() {
    RequestChecks.Refusal refusal = RequestChecks.framing(request);
    if (refusal != null) {
      keepVisitor = false; // a broken head means the rest of the stream cannot be trusted
      refuse(refusal.refusal(), refusal.detail());
      return;
    }
    target = RequestChecks.target(request);
    ex.host = target.host();
    refusal = RequestChecks.hostRules(target, request);
    if (refusal != null) {
      refuse(refusal.refusal(), refusal.detail());
      return;
    }
    if (ForwardHeaders.isLoop(request.headers(), settings.pseudonym())) {
      refuse(EdgeRefusal.LOOP, "CDN-Loop already names " + settings.pseudonym() + ": the origin sent the request back to the edge");
      return;
    }
    Routing routing = settings.router().route(target.host());
    if (routing instanceof Routing.Refused r) {
      refuse(r.refusal(), r.detail());
    } else if (routing instanceof Routing.Unresolvable u) {
      zone = u.zone();
      ex.zone = zone.name();
      if (redirected()) return;
      failed(new ClassifiedFailure(OriginFailure.DNS_ERROR, u.detail()));
    } else if (routing instanceof Routing.ToOrigin to) {
      zone = to.zone();
      ex.zone = zone.name();
      if (redirected()) return;
      toOrigin();
      if (to.name() != null) {
        resolve(to.name());
      } else {
        addresses = to.addresses();
        connectNext();
      }
    } else if (routing instanceof Routing.ToPool to) {
      zone = to.zone();
      ex.zone = zone.name();
      if (redirected()) return;
      toOrigin();
      picker = edge.pools.picker(to.balancer(), ex.clientIp, AffinityCookie.read(request.headers().get(HttpHeaderNames.COOKIE)));
      connectNext();
    }
  }

  private void toOrigin() {
    leg = edge.tls.originLeg(zone, https);
    upgradeRequested = request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && request.headers().contains(HttpHeaderNames.UPGRADE);
    expectContinue = HttpUtil.is100ContinueExpected(request);
    state = State.CONNECTING;
  }

  /** always_use_https sends HTTP visitors to HTTPS; ssl: off sends HTTPS visitors to HTTP. */
  private boolean redirected() {
    String location = edge.tls.redirect(zone, https, target.host(), target.path());
    if (location == null) return false;
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
    res.headers().set(HttpHeaderNames.LOCATION, location);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    res.headers().set(ForwardHeaders.EDGE_RAY, ex.ray);
    ex.status = 301;
    ex.detail = "redirected to " + location;
    answer(res);
    return true;
  }

  // ---- 2. resolving a CNAME target ----------------------------------------------------------

  private void resolve(String name) {
    settings.resolver().resolve(name).whenComplete((found, error) -> vch.eventLoop().execute(() -> {
      if (state == State.DONE) return;
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        failed(ErrorClassifier.classify(Stage.RESOLVE, cause));
      } else {
        addresses = found;
        connectNext();
      }
    }));
  }

  // ---- 3. connecting ------------------------------------------------------------------------

  private void connectNext() {
    originAddress = nextOrigin();
    if (originAddress == null) {
      if (picker != null && lastFailure == null) {
        refuse(EdgeRefusal.NO_ORIGIN_ENABLED, "every origin of the pools serving " + ex.host + " is disabled");
      } else {
        failed(lastFailure);
      }
      return;
    }
    poolKey = leg.poolKey(originAddress, ex.host);
    if (edge.isSelf(originAddress)) {
      refuse(EdgeRefusal.LOOP, "the record for " + ex.host + " points at this edge's own listener " + originAddress);
      return;
    }
    Channel pooled = edge.pool.acquire(vch.eventLoop(), poolKey);
    if (pooled != null) {
      attach(pooled, true, -1);
      return;
    }
    connectFresh();
  }

  /** The pool's choice for a load-balanced host, else the host's next record address; null when none is left. */
  private InetSocketAddress nextOrigin() {
    if (picker != null) {
      chosen = picker.next();
      if (chosen == null) return null;
      // port 0: an implicit pool of records, whose port follows the zone's SSL mode like a record's
      int port = chosen.origin().port() == 0 ? leg.port(zone.originPorts()) : chosen.origin().port();
      return new InetSocketAddress(chosen.origin().address(), port);
    }
    if (nextAddress >= addresses.size()) return null;
    return new InetSocketAddress(addresses.get(nextAddress++), leg.port(zone.originPorts()));
  }

  private boolean mayTryAnother() {
    return picker != null ? picker.attemptsLeft() : nextAddress < addresses.size();
  }

  /**
   * A pool origin at its max_connections gets no new connection: the request waits in the origin's
   * queue for one to close, or is refused with 503 when the queue is full or the wait is over.
   */
  private void connectFresh() {
    if (chosen == null) {
      openConnection();
      return;
    }
    queued = chosen.connections().acquire(vch.eventLoop(), chosen.origin().name() + " of pool " + chosen.pool(),
        new ConnectionLimit.SlotRequest() {
          @Override
          public boolean granted() {
            queued = null;
            if (state == State.DONE) return false;
            openConnection();
            return true;
          }

          @Override
          public void refused(String why) {
            queued = null;
            refuse(EdgeRefusal.CONNECTION_LIMIT, why);
          }
        });
    // idle keep-alive connections on other event loops hold slots this request could use
    if (queued != null) edge.pool.closeIdle(poolKey);
  }

  private void openConnection() {
    long begin = System.nanoTime();
    InetSocketAddress target = originAddress;
    OriginState attempted = chosen;
    Bootstrap b = new Bootstrap()
        .group(vch.eventLoop())
        .channel(edge.transport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, zone.timeouts().connect().toMillis()))
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new OriginChannelInitializer(settings.config().limits(),
            ch -> leg.newHandler(ch, ex.host, target, zone.timeouts().connect())));
    // from a published egress address, so origin firewalls can allowlist the edge
    InetSocketAddress source = settings.egress().sourceFor(target);
    // connected means TCP and, for an HTTPS origin, the TLS handshake too: both may fail over
    ChannelFuture connecting = source == null ? b.connect(target) : b.connect(target, source);
    if (attempted != null) {
      Runnable releaseSlot = attempted.connections().releaseOnce();
      connecting.channel().closeFuture().addListener(closed -> releaseSlot.run());
      // a channel that never registered (no file descriptor left) never completes its close future
      connecting.addListener(f -> {
        if (!f.isSuccess() && !connecting.channel().isRegistered()) releaseSlot.run();
      });
    }
    connecting.addListener((ChannelFuture f) -> OriginLeg.ready(f).addListener(ready -> {
      long took = System.nanoTime() - begin;
      if (state == State.DONE) {
        if (f.isSuccess()) f.channel().close();
        return;
      }
      if (ready.isSuccess()) {
        if (attempted != null) picker.connectSucceeded(attempted);
        attach(f.channel(), false, took);
      } else {
        if (f.isSuccess()) f.channel().close();
        ClassifiedFailure cf = ErrorClassifier.classify(f.isSuccess() ? Stage.HANDSHAKE : Stage.CONNECT, ready.cause());
        ex.attempt(hostPort(target), attempted == null ? null : attempted.id(), cf.failure(), cf.detail(), took, false);
        lastFailure = cf;
        if (attempted != null && cf.failure().failoverAllowed()) picker.connectFailed(attempted);
        if (cf.failure().failoverAllowed() && mayTryAnother()) {
          connectNext();
        } else {
          failed(cf);
        }
      }
    }));
  }

  private void attach(Channel ch, boolean reused, long connectNanos) {
    origin = ch;
    originReused = reused;
    busy = chosen;
    if (busy != null) busy.requestStarted();
    ch.pipeline().get(OriginHandler.class).flow(this);
    ex.attempt(hostPort(originAddress), chosen == null ? null : chosen.id(), null, null, connectNanos, reused);
    sendRequest();
  }

  // ---- 4. sending the request ---------------------------------------------------------------

  private void sendRequest() {
    state = State.AWAITING_HEAD;
    HttpHeaders headers = request.headers().copy();
    headers.remove(HttpHeaderNames.EXPECT);
    ForwardHeaders.toOrigin(headers, ex.clientIp, ex.ray, settings.pseudonym(), https ? "https" : "http", zone.headers(), upgradeRequested);
    boolean hasBody = HttpUtil.isContentLengthSet(request) || HttpUtil.isTransferEncodingChunked(request);
    if (HttpUtil.isTransferEncodingChunked(request)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    }
    origin.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), target.path(), headers));
    if (expectContinue && hasBody && !requestComplete) {
      expectContinue = false;
      vch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    if (pendingBody.isEmpty() && requestComplete) forwardBody(LastHttpContent.EMPTY_LAST_CONTENT);
    while (!pendingBody.isEmpty()) forwardBody(pendingBody.poll());
    origin.flush();
    origin.read();
    if (!requestComplete && origin.isWritable()) vch.read();
  }

  void onVisitorContent(HttpContent c) {
    if (requestComplete) { // the codec's empty last chunk of a bodiless request
      ReferenceCountUtil.release(c);
      return;
    }
    int n = c.content().readableBytes();
    ex.bytesIn += n;
    if (c instanceof LastHttpContent) requestComplete = true;
    switch (state) {
      case ROUTING, CONNECTING -> pendingBody.add(c);
      case AWAITING_HEAD, STREAMING -> {
        if (origin != null && origin.isActive()) {
          forwardBody(c);
          origin.flush();
          if (!requestComplete) {
            if (origin.isWritable()) vch.read(); else armWriteStall();
          }
        } else {
          ReferenceCountUtil.release(c);
        }
      }
      default -> ReferenceCountUtil.release(c);
    }
  }

  private void forwardBody(HttpContent c) {
    bodyBytesForwarded += c.content().readableBytes();
    boolean last = c instanceof LastHttpContent;
    ChannelFuture f = origin.write(c);
    if (last) {
      Channel ch = origin;
      f.addListener(w -> {
        if (w.isSuccess() && ch == origin && state == State.AWAITING_HEAD) {
          requestSent = true;
          armTimer(zone.timeouts().read(), Stage.READ_HEAD, ReadTimeoutException.INSTANCE);
        }
      });
    }
  }

  /** Whether the visitor's body should be read now: only while the origin can take it. */
  boolean wantsBody() {
    return (state == State.AWAITING_HEAD || state == State.STREAMING) && !requestComplete
        && origin != null && origin.isWritable();
  }

  boolean requestComplete() {
    return requestComplete;
  }

  void onOriginWritable() {
    if (origin != null && origin.isWritable()) {
      if (state == State.AWAITING_HEAD && !requestSent) cancelTimer();
      if (!requestComplete) vch.read();
    }
  }

  private void armWriteStall() {
    if (state == State.AWAITING_HEAD) armTimer(zone.timeouts().write(), Stage.WRITE, WriteTimeoutException.INSTANCE);
  }

  // ---- 5. the response head -----------------------------------------------------------------

  void onResponseHead(HttpResponse res) {
    if (state != State.AWAITING_HEAD) return;
    int code = res.status().code();
    if (code >= 100 && code < 200 && code != 101) return; // interim answers; the edge did its own 100-continue
    cancelTimer();
    ex.ttfbNanos = System.nanoTime() - ex.startNanos;
    ex.originStatus = code;
    ex.status = code;
    keepOrigin = HttpUtil.isKeepAlive(res) && code != 101;
    boolean tunnel = code == 101 && upgradeRequested;
    HttpHeaders h = res.headers();
    boolean delimited = HttpUtil.isContentLengthSet(res) || HttpUtil.isTransferEncodingChunked(res);
    ForwardHeaders.toVisitor(h, ex.ray, settings.pseudonym(), tunnel);
    String affinity = picker == null ? null : picker.affinityToSet();
    if (affinity != null) h.add(HttpHeaderNames.SET_COOKIE, AffinityCookie.setCookie(affinity));
    boolean bodyless = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304 || tunnel;
    if (!bodyless && !HttpUtil.isContentLengthSet(res)) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        keepVisitor = false; // an HTTP/1.0 visitor learns the end of the body from the close
      }
    }
    if (!delimited && !bodyless) keepOrigin = false; // close-delimited: the connection ends with the body
    if (edge.draining) keepVisitor = false;
    if (!tunnel) connectionHeader(h);
    state = tunnel ? State.TUNNEL : State.STREAMING;
    if (tunnel) vch.writeAndFlush(new DefaultHttpResponse(HttpVersion.HTTP_1_1, res.status(), h));
    else vch.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, res.status(), h)); // flushed with the body
  }

  // ---- 6. the response body -----------------------------------------------------------------

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
    ex.bytesOut += c.content().readableBytes();
    if (!(c instanceof LastHttpContent)) {
      vch.write(c); // flushed once per origin read, in onOriginReadComplete
      armTimer(zone.timeouts().read(), Stage.READ_BODY, ReadTimeoutException.INSTANCE);
      return;
    }
    cancelTimer();
    ChannelFuture last = vch.writeAndFlush(c);
    OriginState served = busy;
    Channel o = detachOrigin();
    // a request waiting for a connection slot gets this one's by its closing
    boolean slotWanted = served != null && served.connections().hasWaiters();
    if (keepOrigin && requestComplete && o.isActive() && !slotWanted) {
      edge.pool.release(o, poolKey);
    } else {
      o.close();
    }
    finish(last);
  }

  void onOriginReadComplete() {
    if (state == State.STREAMING) vch.flush();
    if ((state == State.AWAITING_HEAD || state == State.STREAMING) && vch.isWritable() && origin != null) {
      origin.read();
    }
  }

  void onVisitorWritable() {
    if (state == State.STREAMING && vch.isWritable() && origin != null) origin.read();
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
    if (state == State.AWAITING_HEAD && retryStale()) return;
    switch (state) {
      case CONNECTING, AWAITING_HEAD -> failed(ErrorClassifier.closedEarly(Stage.READ_HEAD), true);
      case STREAMING, TUNNEL -> abort(ErrorClassifier.closedEarly(Stage.READ_BODY));
      default -> { }
    }
  }

  /** The origin's bytes are not HTTP, or its head is over the limit: 520, never a retry. */
  void onMalformedResponse(Throwable cause) {
    ClassifiedFailure cf = ErrorClassifier.malformedResponse(cause);
    if (state == State.STREAMING) abort(cf); else if (state == State.AWAITING_HEAD) failed(cf, true);
  }

  void onOriginError(Throwable error) {
    switch (state) {
      case AWAITING_HEAD -> {
        if (retryStale()) return;
        failed(ErrorClassifier.classify(requestSent ? Stage.READ_HEAD : Stage.WRITE, error), true);
      }
      case STREAMING, TUNNEL -> abort(ErrorClassifier.classify(Stage.READ_BODY, error));
      default -> { }
    }
  }

  /**
   * A pooled connection can be closed by the origin at the moment we reuse it. Nothing reached the
   * origin then, so the request is replayed once on a fresh connection, but only when it is
   * idempotent (the origin may have read it before closing: replaying a POST could act twice),
   * has no body (we keep no copy of bodies) and no response byte arrived.
   */
  private boolean retryStale() {
    if (!originReused || staleRetried || bodyBytesForwarded > 0 || !requestComplete || !isIdempotent(request.method())) {
      return false;
    }
    staleRetried = true;
    ex.attempts.set(ex.attempts.size() - 1, ex.attempts.get(ex.attempts.size() - 1).failed(OriginFailure.RESPONSE_INCOMPLETE,
        "pooled connection was closed by the origin; retried on a new connection"));
    dropOriginForRetry();
    connectFresh();
    return true;
  }

  /** Lets go of the origin connection of a try that failed, so the request can start over. */
  private void dropOriginForRetry() {
    cancelTimer();
    Channel o = detachOrigin();
    if (o != null) o.close();
    requestSent = false;
    state = State.CONNECTING;
  }

  private void failed(ClassifiedFailure cf) {
    failed(cf, false);
  }

  private void failed(ClassifiedFailure cf, boolean recordOnAttempt) {
    if (state == State.DONE) return;
    if (cf == null) cf = new ClassifiedFailure(OriginFailure.DNS_ERROR, ex.host + " has no origin address");
    if (recordOnAttempt && !ex.attempts.isEmpty()) {
      ex.attempts.set(ex.attempts.size() - 1, ex.attempts.get(ex.attempts.size() - 1).failed(cf.failure(), cf.detail()));
    }
    if (recordOnAttempt && retrySentElsewhere(cf)) return;
    cancelTimer();
    Channel o = detachOrigin();
    if (o != null) o.close();
    ex.detail = cf.detail();
    ownerDetail = cf.ownerDetail();
    answerError(cf.failure());
  }

  /**
   * The request reached an origin that failed it (520, 524). A pool may allow trying an idempotent
   * request without a body on another origin; nothing else that reached an origin is ever replayed.
   */
  private boolean retrySentElsewhere(ClassifiedFailure cf) {
    if (picker == null || (state != State.AWAITING_HEAD && state != State.CONNECTING) || bodyBytesForwarded > 0
        || !requestComplete || !picker.mayRetrySent(isIdempotent(request.method()))) {
      return false;
    }
    lastFailure = cf;
    dropOriginForRetry();
    connectNext();
    return true;
  }

  private void refuse(EdgeRefusal refusal, String detail) {
    ex.detail = detail;
    answerError(refusal);
  }

  /** Sends the error page for an error that happened before any response head went out. */
  private void answerError(EdgeError error) {
    ex.error = error;
    ex.status = error.status();
    boolean json = wantsJson(request.headers().get(HttpHeaderNames.ACCEPT));
    FullHttpResponse page;
    try {
      page = ErrorPage.render(new ErrorPage.Facts(error, ex.ray, ex.node, ex.host, ex.clientIp,
          ex.time, ownerDetail), json, settings.pseudonym());
    } catch (RuntimeException | LinkageError bug) {
      // a page that cannot be rendered is our bug; the visitor still gets the status and the ray
      LOG.error("error page for {} could not be rendered", error.name(), bug);
      page = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(error.status()),
          Unpooled.copiedBuffer("error " + error.code() + ", ray " + ex.ray + "\n", StandardCharsets.UTF_8));
      page.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      page.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, page.content().readableBytes());
      page.headers().set(ForwardHeaders.EDGE_RAY, ex.ray);
    }
    if (error instanceof EdgeRefusal r && r.culprit() == EdgeError.Culprit.BROWSER && r != EdgeRefusal.DIRECT_IP) {
      keepVisitor = false;
    }
    answer(page);
  }

  /** Sends a response the edge made itself (error page, redirect) and ends the ray. */
  private void answer(FullHttpResponse res) {
    if (edge.draining) keepVisitor = false;
    connectionHeader(res.headers());
    ex.bytesOut = res.content().readableBytes();
    dropPendingBody();
    finish(vch.writeAndFlush(res));
  }

  private void dropPendingBody() {
    for (HttpContent c : pendingBody) ReferenceCountUtil.release(c);
    pendingBody.clear();
  }

  /** After the head went out, the status cannot change: the visitor's connection is cut and the log says why. */
  private void abort(ClassifiedFailure cf) {
    if (state == State.DONE) return;
    cancelTimer();
    Channel o = detachOrigin();
    if (o != null) o.close();
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
    cancelTimer();
    Channel o = detachOrigin();
    if (o != null) o.close();
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
    dropPendingBody();
    finish(vch.newSucceededFuture());
  }

  // ---- 7. the end ---------------------------------------------------------------------------

  private void finish(ChannelFuture lastWrite) {
    if (state == State.DONE) return;
    state = State.DONE;
    cancelTimer();
    if (queued != null && chosen != null) chosen.connections().cancel(queued);
    queued = null;
    edge.activeRays.decrementAndGet();
    edge.observer.rayFinished(ex.summary());
    if (!tunnelOpen) visitor.flowDone(this, keepVisitor && requestComplete, lastWrite);
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

  private void connectionHeader(HttpHeaders h) {
    if (!keepVisitor || !requestComplete) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private void armTimer(Duration after, Stage stage, Throwable cause) {
    cancelTimer();
    timer = vch.eventLoop().schedule(() -> {
      timer = null;
      if (stage == Stage.READ_BODY) {
        abort(ErrorClassifier.classify(stage, cause));
      } else {
        failed(ErrorClassifier.classify(stage, cause), true);
      }
    }, after.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String ip = a.getAddress().getHostAddress();
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
  }

  /** RFC 9110 §9.2.2: the methods whose effect is the same when a request is repeated. */
  static boolean isIdempotent(HttpMethod m) {
    return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.TRACE) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
  }

  static boolean wantsJson(String accept) {
    if (accept == null) return false;
    int json = accept.indexOf("application/json");
    if (json < 0) return false;
    int html = accept.indexOf("text/html");
    return html < 0 || json < html;
  }
}
