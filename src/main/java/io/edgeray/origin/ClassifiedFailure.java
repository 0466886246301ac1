package io.edgeray.origin;

/**
 * A failure with the low-level reason an owner needs ("connect(..) failed: Connection refused").
 *
 * @param detail for the log: may name addresses
 * @param ownerDetail for the owner's part of the error page, which everybody sees: never an
 *     origin address; null when the page's own text says enough
 */
public record ClassifiedFailure(OriginFailure failure, String detail, String ownerDetail) {
  public ClassifiedFailure(OriginFailure failure, String detail) {
    this(failure, detail, null);
  }
}
