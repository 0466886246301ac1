package io.edgeray.doctor;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What the owner asked about: {@code shop.example} or {@code https://shop.example/cart}.
 *
 * @param visitorHttps the scheme a visitor uses; a bare host name counts as HTTPS, as most visitors arrive
 * @param schemeGiven whether the owner wrote the scheme (a URL) rather than a bare host name
 */
public record DoctorTarget(String host, String path, boolean visitorHttps, boolean schemeGiven) {

  /** The same target as a visitor over plain HTTP sends it: the only way in when the edge has no HTTPS listener. */
  DoctorTarget overHttp() {
    return new DoctorTarget(host, path, false, schemeGiven);
  }

  public static DoctorTarget parse(String text) {
    String t = text.trim();
    if (!t.contains("://")) {
      int slash = t.indexOf('/');
      String host = slash < 0 ? t : t.substring(0, slash);
      return new DoctorTarget(normalize(host), slash < 0 ? "/" : t.substring(slash), true, false);
    }
    try {
      URI u = new URI(t);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("\"" + text + "\": only http:// and https:// URLs can be examined");
      }
      if (u.getHost() == null) throw new IllegalArgumentException("\"" + text + "\" has no host name");
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
      if (u.getRawQuery() != null) path += "?" + u.getRawQuery();
      return new DoctorTarget(normalize(u.getHost()), path, scheme.equals("https"), true);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a host name or URL: " + e.getReason());
    }
  }

  private static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    if (h.isEmpty()) throw new IllegalArgumentException("no host name given");
    return h;
  }
}
