package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;

/** The origin's response head as the engine received it (hop-by-hop fields may still be there; they are never stored). */
public record ResponseHead(int status, HttpHeaders headers) {}
