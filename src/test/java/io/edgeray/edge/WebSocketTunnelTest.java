package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WebSocket upgrade through the edge: the 101 is relayed, then frames flow both ways through the
 * tunnel, and when either side closes, the ray ends in one access-log line. Both ends are Netty's
 * own WebSocket handlers, so the frames are real ones.
 */
class WebSocketTunnelTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Test
  void webSocketFramesAreRelayedBothWaysAndTheRayIsLoggedWhenItCloses() throws Exception {
    CompletableFuture<HttpHeaders> upgradeSeenByOrigin = new CompletableFuture<>();
    Channel origin = echoOrigin(upgradeSeenByOrigin);
    int originPort = ((InetSocketAddress) origin.localAddress()).getPort();
    try {
      edge.start(zone(originPort));
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      CompletableFuture<Void> handshake = new CompletableFuture<>();
      Channel visitor = visitor(edge.httpAddress(), received, handshake);

      handshake.get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).as("origin to visitor").isEqualTo("welcome from origin");
      visitor.writeAndFlush(new TextWebSocketFrame("hello"));
      assertThat(received.poll(5, TimeUnit.SECONDS)).as("visitor to origin and back").isEqualTo("echo: hello");
      String big = "x".repeat(60_000);
      visitor.writeAndFlush(new TextWebSocketFrame(big));
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: " + big);

      HttpHeaders seen = upgradeSeenByOrigin.get(5, TimeUnit.SECONDS);
      assertThat(seen.get("Upgrade")).isEqualToIgnoringCase("websocket");
      assertThat(seen.get("Host")).startsWith("shop.example");
      String ray = seen.get("Edge-Ray");
      assertThat(ray).matches("[0-9a-f]{16}-T1");

      visitor.writeAndFlush(new CloseWebSocketFrame());
      assertThat(visitor.closeFuture().await(5, TimeUnit.SECONDS)).as("tunnel closed").isTrue();
      JsonNode line = edge.logLine(ray);
      assertThat(line.get("status").asInt()).isEqualTo(101);
      assertThat(line.get("origin_status").asInt()).isEqualTo(101);
      assertThat(line.get("detail").asText()).isEqualTo("upgraded to websocket");
      assertThat(line.get("bytes_in").asLong()).isGreaterThan(60_000);
      assertThat(line.get("bytes_out").asLong()).isGreaterThan(60_000);
      Await.until(Duration.ofSeconds(5), () -> edge.node().server().activeRays() == 0, "the tunnel's ray to end");
    } finally {
      origin.close().sync();
    }
  }

  @Test
  void aTunnelQuietForLongerThanVisitorIdleStaysOpen() throws Exception {
    Channel origin = echoOrigin(new CompletableFuture<>());
    int originPort = ((InetSocketAddress) origin.localAddress()).getPort();
    try {
      edge.start("limits: { visitor_idle: 200ms }\n", zone(originPort));
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      CompletableFuture<Void> handshake = new CompletableFuture<>();
      Channel visitor = visitor(edge.httpAddress(), received, handshake);
      handshake.get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("welcome from origin");

      // a tunnel has no idle timeout of the edge's: only an absence shows it, so a bounded wait
      Thread.sleep(800);
      assertThat(visitor.isActive()).as("still open after four times visitor_idle").isTrue();
      visitor.writeAndFlush(new TextWebSocketFrame("still there?"));
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: still there?");
      visitor.close().sync();
    } finally {
      origin.close().sync();
    }
  }

  /** A Netty WebSocket server at /ws: greets on connect, echoes every text frame with a prefix. */
  private Channel echoOrigin(CompletableFuture<HttpHeaders> upgrade) throws InterruptedException {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                new WebSocketServerProtocolHandler("/ws", null, false, 1 << 17),
                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                      upgrade.complete(done.requestHeaders());
                      ctx.writeAndFlush(new TextWebSocketFrame("welcome from origin"));
                    }
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                    ctx.writeAndFlush(new TextWebSocketFrame("echo: " + frame.text()));
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  /** A Netty WebSocket client for ws://shop.example/ws, connected to the edge's address. */
  private Channel visitor(InetSocketAddress edge, BlockingQueue<String> received, CompletableFuture<Void> handshake)
      throws Exception {
    URI uri = new URI("ws://shop.example:" + edge.getPort() + "/ws");
    var handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
        EmptyHttpHeaders.INSTANCE, 1 << 17);
    return new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                new WebSocketClientProtocolHandler(handshaker),
                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                      handshake.complete(null);
                    }
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                    received.add(frame.text());
                  }
                });
          }
        })
        .connect(edge).sync().channel();
  }
}
