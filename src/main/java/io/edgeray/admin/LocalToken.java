package io.edgeray.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The edit token of an edge with no {@code admin.tokens}: made on the first start and kept in
 * {@code state/admin-token} beside the config, readable by its owner only, so the quick start's
 * curl and a local script need no setup and nobody else on the host can change anything. Once
 * the config has tokens, this one is no longer accepted.
 */
public final class LocalToken {
  public static final String NAME = "local";

  private LocalToken() {}

  /** The file for a config file: {@code state/admin-token} in its directory. */
  public static Path fileFor(Path configFile) {
    Path dir = configFile.toAbsolutePath().getParent();
    return dir.resolve("state").resolve("admin-token");
  }

  /** The token in {@code file}, made and written (mode 0600) when there is none yet. */
  public static String loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!token.isEmpty()) return token;
    }
    Files.createDirectories(file.getParent());
    String token = Tokens.create();
    Path temp = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temp); // not a POSIX file system
    }
    Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return token;
  }
}
