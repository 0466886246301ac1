package io.edgeray.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * io_uring where the kernel allows it, else native epoll, else NIO; the rest of the code does not
 * care which. {@code -Dedgeray.transport=epoll} or {@code nio} chooses one by hand.
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel) {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  /**
   * The buffers of visitor and origin connections: Netty's pooled allocator, not its default
   * (adaptive) one, unless the operator names one with {@code -Dio.netty.allocator.type}. Writing
   * a head into an adaptive buffer goes through its parent chunk byte by byte; in
   * {@code bench/measure} (three interleaved pairs each, 300,000 requests) the pooled one took
   * 48.4/52.3 against 54.2/64.9 µs of CPU per proxied 200, and 25.3/28.7 against 30.7/29.8 µs per
   * cache hit, for about 8 MiB more RSS holding 10,000 idle connections (170–179 against 162–171 MiB).
   */
  public static final ByteBufAllocator BUFFERS =
      System.getProperty("io.netty.allocator.type") != null ? ByteBufAllocator.DEFAULT : PooledByteBufAllocator.DEFAULT;

  /**
   * io_uring first: two interleaved pairs of {@code bench/run --proxies "edgeray nginx" --scenarios
   * "keepalive close cache_1k"} gave edgeray ÷ nginx 0.90 and 0.89× on keep-alive with it against
   * 0.66 and 0.74× with epoll, 0.88 and 0.85× against 0.80 and 0.67× with a new connection per request.
   */
  public static Transport best() {
    String chosen = System.getProperty("edgeray.transport", Boolean.getBoolean("edgeray.nio") ? "nio" : "any");
    switch (chosen) {
      case "any", "io_uring", "epoll", "nio" -> { }
      default -> throw new IllegalArgumentException(
          "-Dedgeray.transport=" + chosen + " is not a transport: io_uring, epoll or nio (unset: the best this kernel has)");
    }
    if ((chosen.equals("any") || chosen.equals("io_uring")) && IoUring.isAvailable()) {
      return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class);
    }
    if (chosen.equals("io_uring")) LOG.warn("io_uring was asked for but cannot be used here ({}): falling back", IoUring.unavailabilityCause().toString());
    if (!chosen.equals("nio") && Epoll.isAvailable()) {
      return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
    }
    if (chosen.equals("epoll")) LOG.warn("epoll was asked for but cannot be used here ({}): NIO instead", Epoll.unavailabilityCause().toString());
    return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
  }

  public EventLoopGroup newGroup(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(threads, new io.netty.util.concurrent.DefaultThreadFactory(name, true), ioHandlerFactory);
  }
}
