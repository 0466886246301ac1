package io.edgeray.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A visitor speaking HTTP/2 (negotiated by ALPN) to the edge over one connection, with Netty's
 * HTTP/2 client: each request is a stream; the answer comes back as a {@link RawClient.Response}
 * (its head written as {@code HTTP/2 <status>} and the header lines), so HTTP/1.1 and HTTP/2
 * answers compare directly. The tests' one HTTP/2 client, beside {@link RawClient}.
 */
public final class H2Client implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel ch;
  /** The protocol ALPN chose: "h2" when the edge speaks HTTP/2. */
  public final String protocol;

  public H2Client(int port, String sni, X509Certificate trusted) throws Exception {
    SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trusted)
        .protocols("TLSv1.3", "TLSv1.2")
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
    ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel c) {
        c.pipeline().addLast(tls.newHandler(c.alloc(), sni, port));
        c.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
        c.pipeline().addLast(new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            // no server push
          }
        }));
      }
    }).connect("127.0.0.1", port).sync().channel();
    SslHandler h = ch.pipeline().get(SslHandler.class);
    h.handshakeFuture().sync();
    protocol = h.applicationProtocol();
  }

  /** Sends one request as a stream; {@code headers} are name, value pairs; a null body ends the stream with the headers. */
  public RawClient.Response send(String method, String authority, String path, byte[] body, String... headers) throws Exception {
    CompletableFuture<RawClient.Response> done = new CompletableFuture<>();
    Http2StreamChannel stream = new Http2StreamChannelBootstrap(ch).handler(new Collector(done)).open().sync().getNow();
    Http2Headers h = new DefaultHttp2Headers().method(method).scheme("https").authority(authority).path(path);
    for (int i = 0; i + 1 < headers.length; i += 2) h.add(headers[i].toLowerCase(), headers[i + 1]);
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(h, body == null));
    if (body != null) {
      // two DATA frames and no content-length: the edge must stream it as chunked toward the origin
      int half = body.length / 2;
      stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body, 0, half), false));
      stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body, half, body.length - half), true));
    }
    return done.get(20, TimeUnit.SECONDS);
  }

  private static final class Collector extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private final CompletableFuture<RawClient.Response> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private int status;

    Collector(CompletableFuture<RawClient.Response> done) {
      this.done = done;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      if (frame instanceof Http2HeadersFrame hf) {
        if (hf.headers().status() != null) status = Integer.parseInt(hf.headers().status().toString());
        hf.headers().forEach(e -> {
          if (e.getKey().charAt(0) != ':') headers.add(Map.entry(e.getKey().toString(), e.getValue().toString()));
        });
        if (hf.isEndStream()) complete();
      } else if (frame instanceof Http2DataFrame df) {
        ByteBuf c = df.content();
        byte[] b = new byte[c.readableBytes()];
        c.readBytes(b);
        body.writeBytes(b);
        if (df.isEndStream()) complete();
      }
    }

    private void complete() {
      StringBuilder head = new StringBuilder("HTTP/2 " + status);
      for (Map.Entry<String, String> h : headers) head.append("\r\n").append(h.getKey()).append(": ").append(h.getValue());
      done.complete(new RawClient.Response(status, head.toString(), headers, body.toByteArray()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("stream closed before the response ended; so far status "
          + status + ", body " + body.toString(StandardCharsets.UTF_8)));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }
  }

  @Override
  public void close() {
    ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
