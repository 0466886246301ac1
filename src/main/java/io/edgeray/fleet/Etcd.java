package io.edgeray.fleet;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The few etcd v3 calls a fleet needs (get, put, a prefix range, a watch, leases), over etcd's own
 * gRPC API with the grpc-java stubs generated from etcd's protos. Blocking calls carry a deadline
 * and are made from the fleet's own thread or a command, never from an event loop. Endpoints are
 * tried in turn: {@link #nextEndpoint()} moves on after a failure.
 */
final class Etcd implements AutoCloseable {
  /** What an etcd call failed with, as one line for the log, the health answer and the CLI. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A value and the revision it was last written at. */
  record Entry(String key, String value, long modRevision) {}

  private final List<URI> endpoints;
  private final Duration deadline;
  private int current;
  private volatile ManagedChannel channel;

  Etcd(List<URI> endpoints, Duration deadline) {
    this.endpoints = List.copyOf(endpoints);
    this.deadline = deadline;
    this.channel = open(endpoints.get(0));
  }

  private static ManagedChannel open(URI endpoint) {
    return NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
        .usePlaintext()
        .keepAliveTime(10, TimeUnit.SECONDS) // a silent network path is noticed, not only a closed socket
        .keepAliveTimeout(3, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
  }

  String endpoint() {
    return endpoints.get(current).toString();
  }

  /** After a failure: the next endpoint, and no waiting for grpc's own reconnect backoff. */
  synchronized void nextEndpoint() {
    if (endpoints.size() > 1) {
      ManagedChannel old = channel;
      current = (current + 1) % endpoints.size();
      channel = open(endpoints.get(current));
      old.shutdownNow();
    } else {
      channel.resetConnectBackoff();
    }
  }

  Entry get(String key) throws Unreachable {
    return read(key).entry();
  }

  /** A key as it was at the store's revision {@code revision}: what a watch from {@code revision + 1} continues. */
  record Read(Entry entry, long revision) {}

  Read read(String key) throws Unreachable {
    RangeResponse r = range(RangeRequest.newBuilder().setKey(bytes(key)).build());
    Entry e = r.getKvsCount() == 0 ? new Entry(key, null, 0) : entry(r.getKvs(0));
    return new Read(e, r.getHeader().getRevision());
  }

  /** Every key under {@code prefix}, sorted by key. */
  List<Entry> list(String prefix) throws Unreachable {
    RangeResponse r = range(RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(rangeEnd(prefix)).build());
    return r.getKvsList().stream().map(Etcd::entry).toList();
  }

  private RangeResponse range(RangeRequest request) throws Unreachable {
    try {
      return KVGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).range(request);
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  /** Writes {@code value}; {@code lease} 0 for none. Returns the revision of the write. */
  long put(String key, String value, long lease) throws Unreachable {
    try {
      return KVGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setLease(lease).build())
          .getHeader().getRevision();
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  /** What a compare-and-swap did: written at {@code revision}, or not, because the key is now at {@code current}. */
  record Swap(boolean written, long revision, long current) {}

  /**
   * Writes {@code value} only if the key was last written at {@code expectedModRevision} (0: the
   * key does not exist), in one transaction; when it was not, says at which revision it now is.
   */
  Swap putIfUnchanged(String key, String value, long expectedModRevision, long lease) throws Unreachable {
    TxnResponse r = putIf(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.MOD)
        .setResult(Compare.CompareResult.EQUAL).setModRevision(expectedModRevision).build(),
        PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setLease(lease).build());
    if (r.getSucceeded()) return new Swap(true, r.getHeader().getRevision(), r.getHeader().getRevision());
    RangeResponse now = r.getResponses(0).getResponseRange();
    return new Swap(false, 0, now.getKvsCount() == 0 ? 0 : now.getKvs(0).getModRevision());
  }

  /** One transaction: the put if the comparison holds, else a read of the key as it is (the answer's first response). */
  private TxnResponse putIf(Compare compare, PutRequest put) throws Unreachable {
    TxnRequest txn = TxnRequest.newBuilder()
        .addCompare(compare)
        .addSuccess(RequestOp.newBuilder().setRequestPut(put))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(put.getKey())))
        .build();
    try {
      return KVGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).txn(txn);
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  long grantLease(Duration ttl) throws Unreachable {
    try {
      return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl.toSeconds()).build()).getID();
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  /** Refreshes a lease once; false when etcd no longer knows it (it expired while we were away). */
  boolean keepAlive(long lease) throws Unreachable {
    CompletableFuture<LeaseKeepAliveResponse> answer = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .leaseKeepAlive(new StreamObserver<>() {
          @Override public void onNext(LeaseKeepAliveResponse r) { answer.complete(r); }
          @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
          @Override public void onCompleted() { answer.completeExceptionally(new IllegalStateException("stream ended")); }
        });
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
    try {
      return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS).getTTL() > 0;
    } catch (ExecutionException e) {
      throw new Unreachable("etcd " + endpoint() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new Unreachable("etcd " + endpoint() + ": no answer within " + deadline.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted", e);
    } finally {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream already failed
      }
    }
  }

  void revoke(long lease) throws Unreachable {
    try {
      LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  /** Every key under {@code prefix} and the store revision they were read at (a watch goes on from the next). */
  record Snapshot(List<Entry> entries, long revision) {}

  Snapshot snapshot(String prefix) throws Unreachable {
    RangeResponse r = range(RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(rangeEnd(prefix)).build());
    return new Snapshot(r.getKvsList().stream().map(Etcd::entry).toList(), r.getHeader().getRevision());
  }

  /**
   * Writes {@code value} unless the key exists, in one transaction, so two writers racing for it
   * agree on one value. Returns the value the key holds afterwards: ours, or the one already there.
   */
  String putIfAbsent(String key, String value) throws Unreachable {
    TxnResponse r = putIf(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build(),
        PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
    if (r.getSucceeded()) return value;
    RangeResponse existing = r.getResponses(0).getResponseRange();
    return existing.getKvsCount() == 0 ? value : existing.getKvs(0).getValue().toStringUtf8();
  }

  /** Opens a watch stream; send the create request on what it returns. */
  StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> events) {
    return WatchGrpc.newStub(channel).watch(events);
  }

  /**
   * Opens a watch stream whose callbacks run on {@code thread} and only while {@code current}
   * still says {@code generation}: a watch replaced by a newer one (after a reconnect) or closed
   * tells nobody. {@code lost} hears why the stream ended. Send the create requests on what it returns.
   */
  StreamObserver<WatchRequest> watch(java.util.concurrent.Executor thread, long generation,
      java.util.function.LongSupplier current, java.util.function.Consumer<WatchResponse> received,
      java.util.function.Consumer<String> lost) {
    return watch(new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse r) {
        post(() -> received.accept(r));
      }

      @Override
      public void onError(Throwable t) {
        post(() -> lost.accept("etcd " + endpoint() + ": " + t.getMessage()));
      }

      @Override
      public void onCompleted() {
        post(() -> lost.accept("etcd " + endpoint() + " ended the watch"));
      }

      private void post(Runnable r) {
        try {
          thread.execute(() -> {
            if (current.getAsLong() == generation) r.run();
          });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          // the node is leaving the fleet: there is nobody to tell
        }
      }
    });
  }

  static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /** The end of a prefix range: the prefix with its last byte incremented, as etcdctl --prefix does. */
  static ByteString rangeEnd(String prefix) {
    byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] != (byte) 0xff) {
        b[i]++;
        return ByteString.copyFrom(b, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }

  private static Entry entry(KeyValue kv) {
    return new Entry(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8(), kv.getModRevision());
  }

  private Unreachable unreachable(StatusRuntimeException e) {
    return new Unreachable("etcd " + endpoint() + ": " + e.getStatus().getCode()
        + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")"), e);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
