package io.edgeray.config;

import java.nio.file.Path;

/** A zone's visitor-facing certificate: PEM files with the chain (leaf first) and the private key. */
public record CertificateFiles(Path cert, Path key) {}
