package io.edgeray.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the edge keeps its cache: a memory tier of {@code memoryBytes} (objects up to
 * {@code memoryObjectLimit} each) and, when {@code diskPath} is set, a disk tier of
 * {@code diskBytes} there, refusing writes while the file system has less than
 * {@code minFreeDisk} free. One per edge node, shared by all zones.
 */
public record CacheStorageSettings(long memoryBytes, long memoryObjectLimit, Path diskPath, long diskBytes, long minFreeDisk) {
  public static final CacheStorageSettings DEFAULTS = new CacheStorageSettings(
      256L * 1024 * 1024, CacheStorage.DEFAULT_MEMORY_OBJECT_LIMIT, null, 0, CacheStorage.DEFAULT_MIN_FREE_DISK);

  public CacheStorage open(CacheMetrics metrics) throws IOException {
    if (diskPath == null) return CacheStorage.inMemory(memoryBytes, memoryObjectLimit, metrics);
    return CacheStorage.onDisk(memoryBytes, memoryObjectLimit, diskPath, diskBytes, minFreeDisk, metrics);
  }
}
