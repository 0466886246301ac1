package io.edgeray.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the failure taxonomy, from the exception Netty or the JDK throws to the code and the retry it allows. */
class ErrorClassifierTest {

  static Stream<Arguments> taxonomy() {
    return Stream.of(
        row("refused connect (NIO)", () -> ErrorClassifier.classify(Stage.CONNECT,
            new ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:8000")),
            OriginFailure.CONNECTION_REFUSED, Retry.ANOTHER_ORIGIN),
        row("refused connect (epoll errno)", () -> ErrorClassifier.classify(Stage.CONNECT, native_(111)),
            OriginFailure.CONNECTION_REFUSED, Retry.ANOTHER_ORIGIN),
        row("no SYN-ACK within the connect timeout", () -> ErrorClassifier.classify(Stage.CONNECT,
            new ConnectTimeoutException("connection timed out after 19000 ms: /192.0.2.1:80")),
            OriginFailure.CONNECT_TIMEOUT, Retry.ANOTHER_ORIGIN),
        row("connect timed out (errno)", () -> ErrorClassifier.classify(Stage.CONNECT, native_(110)),
            OriginFailure.CONNECT_TIMEOUT, Retry.ANOTHER_ORIGIN),
        row("no route to host", () -> ErrorClassifier.classify(Stage.CONNECT, new NoRouteToHostException("No route to host")),
            OriginFailure.UNREACHABLE, Retry.ANOTHER_ORIGIN),
        row("network unreachable (errno)", () -> ErrorClassifier.classify(Stage.CONNECT, native_(101)),
            OriginFailure.UNREACHABLE, Retry.ANOTHER_ORIGIN),
        row("egress address not on this host", () -> ErrorClassifier.classify(Stage.CONNECT,
            new BindException("Cannot assign requested address")), OriginFailure.UNREACHABLE, Retry.ANOTHER_ORIGIN),
        row("reset as soon as accepted", () -> ErrorClassifier.classify(Stage.CONNECT, native_(104)),
            OriginFailure.RESPONSE_INCOMPLETE, Retry.NEVER),
        row("plain HTTP on the TLS port", () -> ErrorClassifier.classify(Stage.HANDSHAKE,
            new NotSslRecordException("not an SSL/TLS record")), OriginFailure.TLS_HANDSHAKE, Retry.ANOTHER_ORIGIN),
        row("TLS handshake timed out", () -> ErrorClassifier.classify(Stage.HANDSHAKE,
            new SslHandshakeTimeoutException("handshake timed out after 10000ms")), OriginFailure.TLS_HANDSHAKE, Retry.ANOTHER_ORIGIN),
        row("certificate refused (Full strict)", () -> ErrorClassifier.classify(Stage.HANDSHAKE,
            new SSLHandshakeException("bad certificate") {{ initCause(new Rejected()); }}),
            OriginFailure.TLS_CERTIFICATE, Retry.ANOTHER_ORIGIN),
        row("reset before the response head", () -> ErrorClassifier.classify(Stage.READ_HEAD, native_(104)),
            OriginFailure.RESPONSE_INCOMPLETE, Retry.IF_REUSED),
        row("broken pipe writing the request", () -> ErrorClassifier.classify(Stage.WRITE, new IOException("Broken pipe")),
            OriginFailure.RESPONSE_INCOMPLETE, Retry.IF_REUSED),
        row("closed before the response head", () -> ErrorClassifier.closedEarly(Stage.READ_HEAD),
            OriginFailure.RESPONSE_INCOMPLETE, Retry.IF_REUSED),
        row("closed in the middle of the body", () -> ErrorClassifier.closedEarly(Stage.READ_BODY),
            OriginFailure.RESPONSE_INCOMPLETE, Retry.NEVER),
        row("reset in the middle of the body", () -> ErrorClassifier.classify(Stage.READ_BODY, native_(104)),
            OriginFailure.RESPONSE_INCOMPLETE, Retry.NEVER),
        row("not HTTP", () -> ErrorClassifier.malformedResponse(new IllegalArgumentException("invalid version format: GARBAGE")),
            OriginFailure.RESPONSE_MALFORMED, Retry.NEVER),
        row("response head over the limit", () -> ErrorClassifier.malformedResponse(new TooLongFrameException("header is larger than 131072 bytes")),
            OriginFailure.RESPONSE_HEAD_TOO_LARGE, Retry.NEVER),
        row("no response head within the read timeout", () -> ErrorClassifier.timedOut(Stage.READ_HEAD),
            OriginFailure.RESPONSE_TIMEOUT, Retry.NEVER),
        row("request body write stalled", () -> ErrorClassifier.timedOut(Stage.WRITE),
            OriginFailure.WRITE_TIMEOUT, Retry.NEVER),
        row("origin name does not resolve", () -> ErrorClassifier.classify(Stage.RESOLVE,
            new CompletionException(new UnknownHostException("origin.example"))), OriginFailure.DNS_ERROR, Retry.NEVER));
  }

  @ParameterizedTest(name = "{0} -> {2}, retry {3}")
  @MethodSource("taxonomy")
  void eachLowLevelCauseHasOneCodeAndOneRetryRule(String situation, Supplier<ClassifiedFailure> classify,
      OriginFailure failure, Retry retry) {
    ClassifiedFailure f = classify.get();
    assertThat(f.failure()).as(situation).isEqualTo(failure);
    assertThat(f.retry()).as(situation).isEqualTo(retry);
    assertThat(f.detail()).as(situation).isNotBlank();
  }

  @Test
  void resetDuringConnectIs520LikeAResetAfterTheRequestWasSent() {
    ClassifiedFailure f = ErrorClassifier.classify(Stage.CONNECT,
        new ConnectException("finishConnect(..) failed: Connection reset by peer"));
    assertThat(f.failure()).isEqualTo(OriginFailure.RESPONSE_INCOMPLETE);
    assertThat(f.detail()).isEqualTo(
        "origin reset the connection as soon as it was accepted: finishConnect(..) failed: Connection reset by peer");
  }

  @Test
  void anErrnoWithoutWordsIsNamedInTheOperatingSystemsWords() {
    assertThat(ErrorClassifier.classify(Stage.CONNECT, native_(101)).detail()).contains("Network is unreachable");
  }

  @Test
  void aCertificateRefusalShowsOnlyItsPublicMessageOnThePage() {
    ClassifiedFailure f = ErrorClassifier.classify(Stage.HANDSHAKE, new SSLHandshakeException("x") {{ initCause(new Rejected()); }});
    assertThat(f.ownerDetail()).isEqualTo("the certificate has expired");
    assertThat(f.detail()).isEqualTo("certificate of 192.0.2.1 expired");
  }

  @Test
  void theVisitorsBrokenHeadsAreRefusedWithTheirOwnCodes() {
    assertThat(ErrorClassifier.refusedRequest(new TooLongHttpLineException("line too long")).refusal())
        .isEqualTo(EdgeRefusal.URI_TOO_LONG);
    assertThat(ErrorClassifier.refusedRequest(new TooLongHttpHeaderException("head too large")).refusal())
        .isEqualTo(EdgeRefusal.HEAD_TOO_LARGE);
    assertThat(ErrorClassifier.refusedRequest(new RequestHeadTimeoutException("slow")).refusal())
        .isEqualTo(EdgeRefusal.REQUEST_TIMEOUT);
    assertThat(ErrorClassifier.refusedRequest(new IllegalArgumentException("bad")).refusal())
        .isEqualTo(EdgeRefusal.BAD_REQUEST);
  }

  private static Arguments row(String situation, Supplier<ClassifiedFailure> classify, OriginFailure failure, Retry retry) {
    return Arguments.of(situation, classify, failure, retry);
  }

  /** What Netty's native transport throws: no words of the OS, only its error number. */
  private static Errors.NativeIoException native_(int errno) {
    return new Errors.NativeIoException("syscall:read", -errno);
  }

  private static final class Rejected extends CertificateException implements CertificateRejection {
    private static final long serialVersionUID = 1L;

    Rejected() {
      super("certificate of 192.0.2.1 expired");
    }

    @Override
    public String publicMessage() {
      return "the certificate has expired";
    }
  }
}
