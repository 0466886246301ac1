package io.edgeray.cache;

/**
 * An origin failure as the edge classified it: its status (520-526, 530) and its RFC 9209
 * Proxy-Status error name ({@code connection_refused}). The engine builds it from its failure enum.
 */
public record OriginError(int status, String proxyStatus) {}
