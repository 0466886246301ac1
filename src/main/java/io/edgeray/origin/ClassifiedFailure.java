package io.edgeray.origin;

/** A failure with the low-level reason an owner needs ("connect(..) failed: Connection refused"). */
public record ClassifiedFailure(OriginFailure failure, String detail) {}
