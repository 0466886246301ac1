package io.edgeray.admin;

import io.edgeray.config.CannotListenException;
import io.edgeray.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's port: metrics, health and whatever other capabilities register. It has its own
 * thread so a slow scrape never delays a visitor.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final Map<String, AdminRoute> routes = new ConcurrentHashMap<>();
  private final Map<String, AsyncRoute> asyncRoutes = new ConcurrentHashMap<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("edgeray-admin", true), NioIoHandler.newFactory());
  private final java.util.List<java.util.Map.Entry<String, PathRoute>> prefixRoutes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Channel listener;

  public AdminServer route(String path, AdminRoute route) {
    routes.put(path, route);
    return this;
  }

  /** A path whose answer comes later, from another thread. */
  public AdminServer routeAsync(String path, AsyncRoute route) {
    asyncRoutes.put(path, route);
    return this;
  }

  /** Every path under {@code prefix} (ending in a slash) that no exact route takes. */
  public AdminServer routeUnder(String prefix, PathRoute route) {
    prefixRoutes.add(Map.entry(prefix, route));
    return this;
  }

  /** The first route under a matching prefix that takes the path (a route answers null for a path not its own). */
  private AdminResponse handleUnder(String path, FullHttpRequest req) {
    for (Map.Entry<String, PathRoute> e : prefixRoutes) {
      if (!path.startsWith(e.getKey())) continue;
      byte[] body = new byte[req.content().readableBytes()];
      req.content().getBytes(req.content().readerIndex(), body);
      AdminResponse r = e.getValue().handle(req.method().name(), req.uri().substring(e.getKey().length()), body);
      if (r != null) return r;
    }
    return null;
  }


  public AdminServer start(HostPort address) throws InterruptedException {
    java.net.InetSocketAddress to = address.toSocketAddress();
    if (to.isUnresolved()) {
      throw CannotListenException.of("admin", address, new java.nio.channels.UnresolvedAddressException());
    }
    var bound = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
          }
        })
        .bind(to).await();
    if (!bound.isSuccess()) throw CannotListenException.of("admin", address, bound.cause());
    listener = bound.channel();
    LOG.info("admin listening on http://{}:{} ({})", address().getHostString(), address().getPort(), String.join(", ", routes.keySet().stream().sorted().toList()));
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void close() {
    if (listener != null) listener.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String uri = req.uri();
      int q = uri.indexOf('?');
      String path = q < 0 ? uri : uri.substring(0, q);
      AsyncRoute later = asyncRoutes.get(path);
      if (later != null) {
        boolean keep = HttpUtil.isKeepAlive(req);
        byte[] body = new byte[req.content().readableBytes()];
        req.content().getBytes(req.content().readerIndex(), body);
        CompletionStage<AdminResponse> answer;
        try {
          answer = later.handle(req.method().name(), q < 0 ? "" : uri.substring(q + 1), body);
        } catch (RuntimeException e) {
          answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((r, e) -> {
          if (e != null) LOG.error("admin endpoint {} failed", path, e);
          send(ctx, e == null ? r : AdminResponse.text(500, "internal error: " + e.getMessage() + "\n"), keep);
        });
        return;
      }
      AdminRoute route = routes.get(path);
      AdminResponse r;
      try {
        r = route != null ? route.handle(req.method().name(), q < 0 ? "" : uri.substring(q + 1)) : handleUnder(path, req);
        if (r == null) r = AdminResponse.text(404, "no such endpoint; try " + String.join(", ", routes.keySet()) + "\n");
      } catch (RuntimeException e) {
        LOG.error("admin endpoint {} failed", path, e);
        r = AdminResponse.text(500, "internal error: " + e.getMessage() + "\n");
      }
      send(ctx, r, HttpUtil.isKeepAlive(req));
    }

    private void send(ChannelHandlerContext ctx, AdminResponse r, boolean keep) {
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
          Unpooled.wrappedBuffer(r.body()));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
      res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      r.headers().forEach(res.headers()::set);
      var f = ctx.writeAndFlush(res);
      if (!keep) f.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
