package io.edgeray.edge;

import io.edgeray.phase.Chunks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;

/**
 * Writes a phase's answer body (a stored copy, or one still arriving for another ray) to the
 * visitor as fast as the visitor reads it, and waits without blocking when the body has no more
 * bytes yet. The ray's engine only hears how many bytes went, when the answer ended, and why it
 * broke off.
 */
final class AnswerPump {
  interface Sink {
    void sent(int bytes);

    void ended(ChannelFuture last);

    void failed(Exception cause);
  }

  private final Channel visitor;
  private final Chunks body;
  private final Sink sink;
  private HttpResponse head; // until written: with the body's first piece, as one message when that is all of it
  private boolean done;

  AnswerPump(Channel visitor, HttpResponse head, Chunks body, Sink sink) {
    this.visitor = visitor;
    this.head = head;
    this.body = body;
    this.sink = sink;
  }

  /** Writes while the visitor can take more; the rest when it has read this (call again then). */
  void pump() {
    if (done) return;
    try {
      while (visitor.isWritable()) {
        ByteBuf piece = body.next(visitor.alloc());
        if (head != null && piece != Chunks.NOT_YET && (piece == null || body.ended())) {
          // the whole answer in one message: one pass through the pipeline and the encoder, not three
          if (piece != null) sink.sent(piece.readableBytes());
          FullHttpResponse whole = new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
              piece == null ? Unpooled.EMPTY_BUFFER : piece, head.headers(), EmptyHttpHeaders.INSTANCE);
          head = null;
          close();
          sink.ended(visitor.writeAndFlush(whole));
          return;
        }
        if (head != null) {
          visitor.write(head);
          head = null;
        }
        if (piece == Chunks.NOT_YET) {
          visitor.flush();
          body.onMore(() -> visitor.eventLoop().execute(() -> {
            if (visitor.isWritable()) pump();
          }));
          return;
        }
        if (piece == null) {
          close();
          sink.ended(visitor.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
          return;
        }
        sink.sent(piece.readableBytes());
        visitor.write(new DefaultHttpContent(piece));
      }
      visitor.flush();
    } catch (IOException | RuntimeException e) {
      close();
      sink.failed(e);
    }
  }

  void close() {
    if (done) return;
    done = true;
    body.close();
  }
}
