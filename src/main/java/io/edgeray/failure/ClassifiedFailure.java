package io.edgeray.failure;

/**
 * A failure with the low-level reason an owner needs ("connect(..) failed: Connection refused").
 *
 * @param detail for the log: may name addresses
 * @param ownerDetail for the owner's part of the error page, which everybody sees: never an
 *     origin address; null when the page's own text says enough
 * @param retry what the failure allows: see {@link RetryPolicy}
 */
public record ClassifiedFailure(OriginFailure failure, String detail, String ownerDetail, Retry retry) {
  public ClassifiedFailure(OriginFailure failure, String detail, String ownerDetail) {
    this(failure, detail, ownerDetail, failure.failoverAllowed() ? Retry.ANOTHER_ORIGIN : Retry.NEVER);
  }

  public ClassifiedFailure(OriginFailure failure, String detail) {
    this(failure, detail, null);
  }

  /** The same failure, told about the ray's side (e.g. "retried on a new connection"). */
  public ClassifiedFailure withDetail(String newDetail) {
    return new ClassifiedFailure(failure, newDetail, ownerDetail, retry);
  }
}
