package io.edgeray.dns;

import io.edgeray.config.EdgeConfig;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;

/**
 * The edge's authoritative DNS server: UDP and TCP on one address and port. It reads the config
 * from the supplier on every query, so a reload is answered from the next packet on. Bad packets
 * get FORMERR or nothing; nothing a client sends closes the UDP socket.
 */
public final class AuthoritativeDnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuthoritativeDnsServer.class);
  /** RFC 7766 asks servers to close idle TCP connections after seconds, not minutes. */
  private static final int TCP_IDLE_SECONDS = 10;
  private static final int BIND_ATTEMPTS = 5;

  private final EventLoopGroup group;
  private final Channel udp;
  private final Channel tcp;

  private AuthoritativeDnsServer(EventLoopGroup group, Channel udp, Channel tcp) {
    this.group = group;
    this.udp = udp;
    this.tcp = tcp;
  }

  /**
   * Listens on {@code address}. Port 0 picks a free port that is free for both UDP and TCP, as
   * DNS clients expect to retry a truncated answer over TCP on the same port.
   */
  public static AuthoritativeDnsServer start(InetSocketAddress address, Supplier<EdgeConfig> configs)
      throws IOException {
    return start(address, configs, (transport, rcode) -> {});
  }

  /**
   * As {@link #start(InetSocketAddress, Supplier)}, telling {@code answered} the transport
   * ({@code udp}, {@code tcp}) and the rcode name ({@code NOERROR}, {@code REFUSED}…, or
   * {@code none} when nothing was sent) of every packet.
   */
  public static AuthoritativeDnsServer start(InetSocketAddress address, Supplier<EdgeConfig> configs,
      BiConsumer<String, String> answered) throws IOException {
    PacketAnswerer answerer = new PacketAnswerer(configs, answered);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      for (int attempt = 1; ; attempt++) {
        Channel udp = bind(udpBootstrap(group, answerer), address, "UDP");
        int port = ((InetSocketAddress) udp.localAddress()).getPort();
        try {
          Channel tcp = bind(tcpBootstrap(group, answerer), new InetSocketAddress(address.getAddress(), port), "TCP");
          log.info("authoritative DNS listening on {} (UDP and TCP)", tcp.localAddress());
          return new AuthoritativeDnsServer(group, udp, tcp);
        } catch (IOException e) {
          udp.close().awaitUninterruptibly();
          if (address.getPort() != 0 || attempt == BIND_ATTEMPTS) throw e;
        }
      }
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) tcp.localAddress();
  }

  @Override
  public void close() {
    udp.close().awaitUninterruptibly();
    tcp.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static Channel bind(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, String transport)
      throws IOException {
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("cannot listen for DNS over " + transport + " on " + address + ": "
          + bound.cause().getMessage(), bound.cause());
    }
    return bound.channel();
  }

  private static Bootstrap udpBootstrap(EventLoopGroup group, PacketAnswerer answerer) {
    return new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new UdpQueries(answerer));
  }

  private static ServerBootstrap tcpBootstrap(EventLoopGroup group, PacketAnswerer answerer) {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new ReadTimeoutHandler(TCP_IDLE_SECONDS),
                new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2), // RFC 1035 §4.2.2: two-byte length
                new LengthFieldPrepender(2),
                new TcpQueries(answerer));
          }
        });
  }

  private static final class UdpQueries extends SimpleChannelInboundHandler<DatagramPacket> {
    private final PacketAnswerer answerer;

    UdpQueries(PacketAnswerer answerer) {
      this.answerer = answerer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      byte[] reply = answerer.reply(ByteBufUtil.getBytes(packet.content()), PacketAnswerer.Transport.UDP);
      if (reply != null) ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), packet.sender()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("DNS over UDP: {}", cause.toString()); // one client's trouble; the socket serves everyone
    }
  }

  private static final class TcpQueries extends SimpleChannelInboundHandler<ByteBuf> {
    private final PacketAnswerer answerer;

    TcpQueries(PacketAnswerer answerer) {
      this.answerer = answerer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      byte[] reply = answerer.reply(ByteBufUtil.getBytes(frame), PacketAnswerer.Transport.TCP);
      if (reply == null) {
        ctx.close();
      } else {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("DNS over TCP from {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
