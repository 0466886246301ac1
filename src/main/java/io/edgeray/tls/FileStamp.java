package io.edgeray.tls;

import io.edgeray.config.CertificateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * What tells a certificate pair changed on disk: each file's modification time, size and
 * identity (a file moved into place is a new inode). Compared by value; a file that cannot be
 * read has the stamp "unreadable".
 */
public record FileStamp(Object cert, Object key) {
  public static FileStamp of(CertificateFiles f) {
    return new FileStamp(fileStamp(f.cert()), fileStamp(f.key()));
  }

  private static Object fileStamp(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
