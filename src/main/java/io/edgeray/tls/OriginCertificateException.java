package io.edgeray.tls;

import io.edgeray.failure.CertificateRejection;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The origin's certificate failed validation (Full (strict) and Strict): which check failed, and
 * the certificate as the owner needs to see it. The message is for the log; {@link #publicMessage()}
 * is safe for the error page (no IP address).
 */
public final class OriginCertificateException extends CertificateException implements CertificateRejection {
  private static final long serialVersionUID = 1L;

  /** Why the certificate was refused, most important first when several apply. */
  public enum Problem {
    EXPIRED("expired"),
    NOT_YET_VALID("not yet valid"),
    SELF_SIGNED("self-signed"),
    UNTRUSTED("untrusted issuer"),
    NAME_MISMATCH("name mismatch");

    private final String words;

    Problem(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  private final Problem problem;
  private final String publicMessage;

  private OriginCertificateException(Problem problem, String message, String publicMessage, Throwable cause) {
    super(message, cause);
    this.problem = problem;
    this.publicMessage = publicMessage;
  }

  public Problem problem() {
    return problem;
  }

  public String publicMessage() {
    return publicMessage;
  }

  /**
   * Works out what is wrong with a chain the trust manager refused (or accepted, when only the name
   * is wrong).
   *
   * @param pkixFailure the trust manager's own complaint, or null when the path was trusted
   * @param host the name the edge asked for, or null when unknown
   */
  static OriginCertificateException diagnose(X509Certificate[] chain, String host, CertificateException pkixFailure, Instant now) {
    X509Certificate leaf = chain[0];
    List<String> reasons = new ArrayList<>();
    Problem first = null;
    for (int i = 0; i < chain.length; i++) {
      X509Certificate c = chain[i];
      String which = i == 0 ? "the certificate" : "the chain certificate " + CertificateDescription.subject(c);
      if (now.isAfter(c.getNotAfter().toInstant())) {
        reasons.add(which + " expired on " + CertificateDescription.instant(c.getNotAfter().toInstant()));
        if (first == null) first = Problem.EXPIRED;
      } else if (now.isBefore(c.getNotBefore().toInstant())) {
        reasons.add(which + " is not valid before " + CertificateDescription.instant(c.getNotBefore().toInstant()));
        if (first == null) first = Problem.NOT_YET_VALID;
      }
    }
    if (pkixFailure != null && first == null) {
      if (chain.length == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
        reasons.add("the certificate is self-signed, and not in the trust store or the zone's origin_ca");
        first = Problem.SELF_SIGNED;
      } else {
        reasons.add("the chain does not lead to a trusted authority (issuer " + CertificateDescription.issuer(leaf)
            + " is not in the trust store or the zone's origin_ca, or an intermediate certificate is missing)");
        first = Problem.UNTRUSTED;
      }
    }
    if (host != null && !CertificateDescription.covers(CertificateDescription.dnsNames(leaf), host)) {
      reasons.add("the certificate is not valid for " + host);
      if (first == null) first = Problem.NAME_MISMATCH;
    }
    if (first == null) { // the trust manager refused it for a reason of its own (key usage, signature, ...)
      first = Problem.UNTRUSTED;
      reasons.add("the certificate was refused: " + pkixFailure.getMessage());
    }
    String why = "origin certificate " + first.words() + ": " + String.join("; ", reasons);
    return new OriginCertificateException(first,
        why + " [" + CertificateDescription.describe(leaf) + "]",
        why + " [" + CertificateDescription.describePublic(leaf) + "]",
        pkixFailure);
  }
}
