package io.edgeray.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * Origins for the TLS tests, on 127.0.0.1 with ports the system picks: plain HTTP, HTTPS with a
 * given certificate, plain HTTP answering on a TLS port, and ports where nothing listens. Every
 * answer says who answered and what the edge sent: {@code origin=NAME scheme=http|https xfp=...
 * sni=... host=... bytes=N}.
 */
final class TestOrigins implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<Channel> servers = new ArrayList<>();
  private final List<Socket> held = new ArrayList<>();

  int http(String name) throws InterruptedException {
    return bind(name, null);
  }

  int https(String name, SslContext tls) throws InterruptedException {
    return bind(name, tls);
  }

  /** What a web server speaking plain HTTP on the TLS port does with a ClientHello: a 400, then close. */
  int plainOnTlsPort() throws InterruptedException {
    Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new PlainAnswer())
        .bind("127.0.0.1", 0).sync().channel();
    servers.add(ch);
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  /**
   * A port on 127.0.0.1 where nothing listens: a socket bound to it, never listening, holds it
   * until {@link #close()}, so no other listener (the edge's own, say) can take it meanwhile.
   */
  int closedPort() throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress("127.0.0.1", 0));
    held.add(s);
    return s.getLocalPort();
  }

  private int bind(String name, SslContext tls) throws InterruptedException {
    Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            if (tls != null) c.pipeline().addLast(tls.newHandler(c.alloc()));
            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer(name));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    servers.add(ch);
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  @ChannelHandler.Sharable
  private static final class PlainAnswer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      ByteBuf res = Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
          + "Content-Length: 12\r\nConnection: close\r\n\r\nbad request\n", StandardCharsets.US_ASCII);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String name;

    Answer(String name) {
      this.name = name;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      SslHandler tls = ctx.pipeline().get(SslHandler.class);
      String sni = "-";
      if (tls != null) {
        SSLSession s = tls.engine().getSession();
        if (s instanceof ExtendedSSLSession e) {
          for (SNIServerName n : e.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) sni = h.getAsciiName();
          }
        }
      }
      String text = "origin=" + name + " scheme=" + (tls == null ? "http" : "https")
          + " xfp=" + req.headers().get("x-forwarded-proto") + " sni=" + sni
          + " host=" + req.headers().get(HttpHeaderNames.HOST) + " bytes=" + req.content().readableBytes()
          + " ext=" + req.headers().names().stream().filter(n -> n.toLowerCase().startsWith("x-http2")).toList();
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
      HttpUtil.setContentLength(res, res.content().readableBytes());
      HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
      var f = ctx.writeAndFlush(res);
      if (!HttpUtil.isKeepAlive(req)) f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void close() {
    servers.forEach(Channel::close);
    for (Socket s : held) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
  }
}
