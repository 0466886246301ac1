package io.edgeray.config.edit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Replaces a file's content so that a crash at any moment leaves either the old file or the new
 * one, never a half-written one: a temporary file in the same directory (a rename across file
 * systems is not atomic), fsync, rename over the old name, fsync the directory so the rename
 * itself survives a power cut. The temporary file has the old file's permissions before it
 * gets the name, and is removed when anything fails before the rename.
 */
final class AtomicFile {
  /** Runs between the fsync of the temporary file and the rename; tests make it fail to stand for a crash. */
  interface BeforeRename {
    void run(Path temporary) throws IOException;
  }

  private final BeforeRename beforeRename;

  AtomicFile() {
    this(t -> {});
  }

  AtomicFile(BeforeRename beforeRename) {
    this.beforeRename = beforeRename;
  }

  /** The temporary files start with this, so an owner who sees one knows what left it. */
  static String temporaryPrefix(Path target) {
    return "." + target.getFileName() + ".edgeray-";
  }

  void write(Path file, String text) throws IOException {
    Path target = file.toRealPath(); // through a symlink: the link stays, its target changes
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, temporaryPrefix(target), ".tmp");
    try {
      PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
      if (posix != null) Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) ch.write(bytes);
        ch.force(true);
      }
      beforeRename.run(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp); // gone after the rename; left only by a failure, and removed here
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot fsync a directory; the rename is still atomic there
    }
  }
}
