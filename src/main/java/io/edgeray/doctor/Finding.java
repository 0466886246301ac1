package io.edgeray.doctor;

/**
 * One possible cause with the observation that points at it.
 *
 * @param evidence what was seen, in this case's own addresses and ports
 */
public record Finding(Cause cause, Confidence confidence, String evidence) {}
