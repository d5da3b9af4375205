package io.github.mskproducer.testkit.internal.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Properties;

/**
 * The file through which a cluster tells its nodes the current {@link IamSettings}. Writers
 * replace it atomically; readers re-read it only when it changed (a new file, so a new file
 * key), which costs one {@code stat} per authentication.
 */
public final class ControlFile {
  private final Path path;
  private Object cachedKey;
  private IamSettings cached;

  public ControlFile(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  public static void write(Path path, IamSettings settings) {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      Files.createDirectories(path.getParent());
      try (OutputStream out = Files.newOutputStream(tmp)) {
        settings.toProperties().store(out, "msk-producer testkit: IAM state of a local cluster");
      }
      try {
        Files.move(
            tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the IAM control file " + path, e);
    }
  }

  /** The current settings; re-reads the file only if it was replaced since the last call. */
  public synchronized IamSettings read() {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      Object key =
          java.util.List.of(
              String.valueOf(attrs.fileKey()), attrs.lastModifiedTime(), attrs.size());
      if (cached == null || !key.equals(cachedKey)) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
          p.load(in);
        }
        cached = IamSettings.fromProperties(p);
        cachedKey = key;
      }
      return cached;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the IAM control file " + path, e);
    }
  }
}
