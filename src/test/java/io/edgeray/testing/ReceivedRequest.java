package io.edgeray.testing;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One request as a {@link FaultyOrigin} received it.
 *
 * @param connection 1-based number of the accepted connection it came on, to tell reuse from a new connection
 * @param headers every header line in arrival order, duplicates kept, names as sent
 * @param bodyBytes body bytes read, or -1 when the fault closed before reading the body
 * @param remote the peer's address, e.g. the edge's egress address
 */
public record ReceivedRequest(
    int connection, String method, String uri, List<Header> headers, long bodyBytes, InetSocketAddress remote) {

  public record Header(String name, String value) {}

  public ReceivedRequest {
    headers = List.copyOf(headers);
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
  }

  /** Every value of a header, by case-insensitive name, in arrival order. */
  public List<String> headerValues(String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
  }
}
