package io.edgeray.edge;

import io.edgeray.config.Limits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;

/** The pipeline of a connection to an origin: HTTP/1.1 client codec with our head size limit, then {@link OriginHandler}. */
final class OriginChannelInitializer extends ChannelInitializer<Channel> {
  static final String CODEC = "http";

  private final Limits limits;

  OriginChannelInitializer(Limits limits) {
    this.limits = limits;
  }

  @Override
  protected void initChannel(Channel ch) {
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(16 * 1024)
        .setMaxHeaderSize(limits.responseHead())
        .setMaxChunkSize(64 * 1024)
        .setValidateHeaders(true);
    ch.pipeline().addLast(CODEC, new HttpClientCodec(decoder, false, false));
    ch.pipeline().addLast(new OriginHandler());
  }
}
