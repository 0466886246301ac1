package io.edgeray.edge;

import io.edgeray.config.Limits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.function.Function;

/**
 * The pipeline of a connection to an origin: TLS when the zone's SSL mode asks for it, HTTP/1.1
 * client codec with our head size limit, then {@link OriginHandler}.
 */
final class OriginChannelInitializer extends ChannelInitializer<Channel> {
  static final String CODEC = "http";
  static final String TLS = "tls";

  private final Limits limits;
  private final Function<Channel, ChannelHandler> tls;

  OriginChannelInitializer(Limits limits) {
    this(limits, ch -> null);
  }

  /** @param tls makes the TLS handler of a new connection, or returns null for plain HTTP */
  OriginChannelInitializer(Limits limits, Function<Channel, ChannelHandler> tls) {
    this.limits = limits;
    this.tls = tls;
  }

  @Override
  protected void initChannel(Channel ch) {
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(limits.responseHead())
        .setMaxChunkSize(64 * 1024)
        .setValidateHeaders(true);
    ChannelHandler handshake = tls.apply(ch);
    if (handshake != null) ch.pipeline().addLast(TLS, handshake);
    ch.pipeline().addLast(CODEC, new HttpClientCodec(decoder, false, false));
    ch.pipeline().addLast(new OriginHandler());
  }
}
