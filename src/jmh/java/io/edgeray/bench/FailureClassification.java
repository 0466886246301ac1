package io.edgeray.bench;

import io.edgeray.failure.ClassifiedFailure;
import io.edgeray.failure.ErrorClassifier;
import io.edgeray.failure.Stage;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifying an origin failure: a refused connect (the 521 path, with the message Netty's epoll
 * transport gives) and a connect timeout (522). The exceptions exist already, as they do when
 * the classifier is called; their creation is not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FailureClassification {
  private final Throwable refused = new ConnectException("connect(..) failed: Connection refused: /127.0.0.1:8000");
  private final Throwable timedOut = new ConnectTimeoutException("connection timed out after 19000 ms: /127.0.0.1:8000");

  @Benchmark
  public ClassifiedFailure refused() {
    return ErrorClassifier.classify(Stage.CONNECT, refused);
  }

  @Benchmark
  public ClassifiedFailure connectTimeout() {
    return ErrorClassifier.classify(Stage.CONNECT, timedOut);
  }
}
