package io.edgeray.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * What an owner needs to know about a certificate: subject, names, validity and issuer, in one
 * line. The public form (shown on error pages to everybody) leaves out IP addresses.
 */
public final class CertificateDescription {
  private static final Pattern IP_LIKE = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9a-fA-F]*:[0-9a-fA-F:.]*\\]?");
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private CertificateDescription() {}

  public static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  public static String issuer(X509Certificate c) {
    return c.getIssuerX500Principal().getName(X500Principal.RFC2253);
  }

  /** DNS names from the subject alternative names, lower case, in certificate order. */
  public static List<String> dnsNames(X509Certificate c) {
    return altNames(c, SAN_DNS).stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether {@code host} is one of the DNS names, or covered by a wildcard name ({@code *.example.com}: one label). */
  public static boolean covers(List<String> dnsNames, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    int dot = h.indexOf('.');
    String wildcard = dot > 0 ? "*" + h.substring(dot) : null;
    for (String n : dnsNames) {
      if (n.equals(h) || n.equals(wildcard)) return true;
    }
    return false;
  }

  /** Everything, for the log: subject, every SAN (IP addresses too), validity and issuer. */
  public static String describe(X509Certificate c) {
    List<String> names = new ArrayList<>(dnsNames(c));
    for (String ip : altNames(c, SAN_IP)) names.add("IP " + ip);
    return "subject " + subject(c) + "; SANs " + (names.isEmpty() ? "(none)" : String.join(", ", names))
        + "; valid " + instant(c.getNotBefore().toInstant()) + " to " + instant(c.getNotAfter().toInstant())
        + "; issuer " + issuer(c);
  }

  /** The same for an error page, which everybody can see: no IP address, from the SANs or the subject. */
  public static String describePublic(X509Certificate c) {
    List<String> names = dnsNames(c);
    return "subject " + redact(subject(c)) + "; SANs " + (names.isEmpty() ? "(no DNS names)" : String.join(", ", names))
        + "; valid " + instant(c.getNotBefore().toInstant()) + " to " + instant(c.getNotAfter().toInstant())
        + "; issuer " + redact(issuer(c));
  }

  static String instant(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String redact(String dn) {
    StringBuilder b = new StringBuilder();
    for (String part : dn.split("(?<!\\\\),")) {
      int eq = part.indexOf('=');
      String value = eq < 0 ? part : part.substring(eq + 1);
      if (b.length() > 0) b.append(',');
      b.append(IP_LIKE.matcher(value.trim()).matches() ? part.substring(0, eq + 1) + "(address hidden)" : part);
    }
    return b.toString();
  }

  private static List<String> altNames(X509Certificate c, int type) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans == null) return out;
      for (List<?> san : sans) {
        if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type && san.get(1) instanceof String s) out.add(s);
      }
    } catch (CertificateParsingException e) {
      // an unreadable SAN extension names nothing
    }
    return out;
  }
}
