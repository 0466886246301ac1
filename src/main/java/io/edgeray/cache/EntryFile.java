package io.edgeray.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The layout of one entry file on disk:
 *
 * <pre>
 *   "EDGERAY1"  head length (int)  head  body ...  body length (long)  head CRC32C (int)  body CRC32C (int)  "EDGERAY1"
 * </pre>
 *
 * The head goes first so the body can stream in after it; the trailer, written last, says how
 * long the body is and what both parts must checksum to. A file whose magic, lengths or head
 * checksum do not read back is corrupt; the body checksum is checked the first time it is served.
 */
final class EntryFile {
  static final byte[] MAGIC = "EDGERAY1".getBytes(StandardCharsets.US_ASCII);
  static final int TRAILER = 8 + 4 + 4 + 8;

  /** The head of a file, with where its body starts. */
  record Header(EntryMeta meta, long bodyStart, long bodyLength, int bodyCrc) {}

  private EntryFile() {}

  static ByteBuffer headBlock(EntryMeta meta) {
    byte[] head = meta.encode();
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + head.length);
    b.put(MAGIC).putInt(head.length).put(head).flip();
    return b;
  }

  static ByteBuffer trailer(long bodyLength, byte[] head, int bodyCrc) {
    CRC32C crc = new CRC32C();
    crc.update(head);
    ByteBuffer b = ByteBuffer.allocate(TRAILER);
    b.putLong(bodyLength).putInt((int) crc.getValue()).putInt(bodyCrc).put(MAGIC).flip();
    return b;
  }

  /** Reads and checks everything but the body's checksum; throws when anything is off. */
  static Header readHeader(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < MAGIC.length + 4 + TRAILER) throw new IOException("too short");
    ByteBuffer start = readFully(ch, 0, MAGIC.length + 4);
    byte[] magic = new byte[MAGIC.length];
    start.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("not an entry file");
    int headLength = start.getInt();
    if (headLength < 0 || headLength > size - MAGIC.length - 4 - TRAILER) throw new IOException("bad head length");
    byte[] head = new byte[headLength];
    readFully(ch, MAGIC.length + 4, headLength).get(head);
    ByteBuffer trailer = readFully(ch, size - TRAILER, TRAILER);
    long bodyLength = trailer.getLong();
    int headCrc = trailer.getInt();
    int bodyCrc = trailer.getInt();
    trailer.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("no trailer: the write never finished");
    long bodyStart = MAGIC.length + 4L + headLength;
    if (bodyStart + bodyLength + TRAILER != size) throw new IOException("body length does not match the file");
    CRC32C crc = new CRC32C();
    crc.update(head);
    if ((int) crc.getValue() != headCrc) throw new IOException("head checksum mismatch");
    EntryMeta meta = EntryMeta.decode(new ByteArrayInputStream(head)).withBodyLength(bodyLength);
    return new Header(meta, bodyStart, bodyLength, bodyCrc);
  }

  /** Whether the body reads back to its checksum. */
  static boolean bodyIntact(FileChannel ch, Header h) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    long pos = h.bodyStart();
    long end = h.bodyStart() + h.bodyLength();
    while (pos < end) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n < 0) return false;
      buf.flip();
      crc.update(buf);
      pos += n;
    }
    return (int) crc.getValue() == h.bodyCrc();
  }

  static FileChannel openRead(Path p) throws IOException {
    return FileChannel.open(p, StandardOpenOption.READ);
  }

  private static ByteBuffer readFully(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) throw new IOException("truncated");
    }
    return b.flip();
  }
}
