package io.edgeray.testing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A parsed HTTP/1.x request head, as far as the fixture origin needs to understand it. */
record RequestHead(String method, String uri, String version, List<ReceivedRequest.Header> headers) {

  Optional<String> first(String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(ReceivedRequest.Header::value).findFirst();
  }

  boolean hasToken(String name, String token) {
    return headers.stream()
        .filter(h -> h.name().equalsIgnoreCase(name))
        .flatMap(h -> List.of(h.value().split(",")).stream())
        .anyMatch(t -> t.trim().equalsIgnoreCase(token));
  }

  boolean keepAlive() {
    if (hasToken("Connection", "close")) return false;
    return !version.equals("HTTP/1.0") || hasToken("Connection", "keep-alive");
  }

  boolean chunked() {
    return hasToken("Transfer-Encoding", "chunked");
  }

  long contentLength() {
    return first("Content-Length").map(v -> Long.parseLong(v.trim())).orElse(0L);
  }

  boolean expectsContinue() {
    return first("Expect").map(v -> v.trim().toLowerCase(Locale.ROOT).equals("100-continue")).orElse(false);
  }

  /** The request-target without its query string. */
  String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
