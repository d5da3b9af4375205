package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.LinkOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The broker's own runtime: Kafka, the IAM validator and what they need, at the versions this
 * testkit was built with. The testkit carries it in its jar ({@value #RESOURCE}, made from the
 * {@code msk-producer-testkit-broker} module), unpacks it once per machine and version into a
 * directory under {@code java.io.tmpdir}, and runs brokers from there: in this JVM through a
 * class loader of their own whose parent is the platform class loader (so nothing of the test's
 * class path, whatever Kafka version it holds, is seen), or as child JVMs with that class path.
 */
public final class BrokerRuntime {
  /** The runtime in the testkit's jar, beside this class. */
  static final String RESOURCE = "broker-runtime.zip";

  private static final String MARKER = "complete";
  private static final Duration KEEP_UNUSED = Duration.ofDays(7);
  private static BrokerRuntime instance;

  private final Path home;
  private final List<Path> classPath;
  private URLClassLoader loader;

  private BrokerRuntime(Path home) {
    this.home = home;
    List<Path> entries = new ArrayList<>();
    entries.add(home.resolve("conf"));
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      entries.addAll(
          jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the broker runtime in " + home, e);
    }
    this.classPath = List.copyOf(entries);
  }

  /**
   * The runtime of this testkit, unpacked on first use.
   *
   * @return the runtime
   * @throws LocalMskException if the testkit's jar holds no runtime or it cannot be unpacked
   */
  public static synchronized BrokerRuntime get() {
    if (instance == null) {
      instance = new BrokerRuntime(unpack());
    }
    return instance;
  }

  /** The directory it was unpacked to. */
  public Path home() {
    return home;
  }

  /** Its jars, for {@code MskIamKafkaContainer}, which copies some into a container. */
  public List<Path> jars() {
    return classPath.subList(1, classPath.size());
  }

  /** The class path of a child-process node. */
  public String classPath() {
    return classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** The class loader of the brokers in this JVM: one per JVM, made on first use. */
  public synchronized ClassLoader classLoader() {
    if (loader == null) {
      List<URL> urls = new ArrayList<>();
      for (Path p : classPath) {
        try {
          urls.add(p.toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException("not a URL: " + p, e);
        }
      }
      loader =
          new URLClassLoader(
              "msk-producer-testkit-broker",
              urls.toArray(new URL[0]),
              ClassLoader.getPlatformClassLoader());
    }
    return loader;
  }

  /**
   * Calls a static method of a broker-side class, in the broker's class loader and with it as
   * the thread's context class loader (Kafka loads configured classes and JAAS login modules
   * through it, also on the threads it starts now).
   */
  public Object call(String className, String method, Class<?>[] types, Object... args) {
    return inBrokerLoader(
        () -> {
          Class<?> c = Class.forName(className, true, classLoader());
          try {
            return c.getMethod(method, types).invoke(null, args);
          } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
          }
        });
  }

  /**
   * Starts loading the broker's classes on a daemon thread (unpacking the runtime first if
   * needed), to overlap with other start-up work; a start waits for nothing of it.
   */
  public static void warmUpInBackground(String nodeEntryPoint) {
    Thread t =
        new Thread(
            () -> {
              try {
                get().call(nodeEntryPoint, "warmUp", new Class<?>[0]);
              } catch (RuntimeException | LinkageError e) {
                // only a head start: the start itself will say what is wrong
              }
            },
            "local-msk-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Runs {@code work} with the broker's class loader as the context class loader. */
  public <T> T inBrokerLoader(Callable<T> work) {
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    t.setContextClassLoader(classLoader());
    try {
      return work.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new LocalMskException("the local broker failed: " + e, e);
    } finally {
      t.setContextClassLoader(saved);
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    return new LocalMskException("the local broker failed: " + cause, cause);
  }

  // ---------------------------------------------------------------- unpacking

  private static Path unpack() {
    URL url = BrokerRuntime.class.getResource(RESOURCE);
    if (url == null) {
      throw new LocalMskException(
          "the testkit's jar holds no broker runtime ("
              + BrokerRuntime.class.getPackageName().replace('.', '/')
              + "/"
              + RESOURCE
              + "): it was built without its package phase, or repackaged without its resources."
              + " Use the msk-producer-testkit jar as published (or built with mvn package).");
    }
    String key = key(url);
    try {
      Path root = privateRoot();
      if (root == null) {
        // No directory of this user's own to share between runs: unpack for this JVM only.
        Path once = Files.createTempDirectory("msk-producer-testkit-");
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> Files2.deleteRecursively(once), "local-msk-cleanup"));
        try (InputStream in = url.openStream()) {
          unzip(in, once);
        }
        return once;
      }
      Path home = root.resolve("broker-runtime-" + key);
      if (!complete(home)) {
        if (Files.exists(home)) {
          // Damaged (a temp cleaner took files): moved aside, not deleted under a JVM using it.
          moveAside(home, root);
        }
        Path tmp = Files.createTempDirectory(root, "unpacking-");
        try (InputStream in = url.openStream()) {
          unzip(in, tmp);
          Files.writeString(tmp.resolve(MARKER), inventory(tmp), StandardCharsets.UTF_8);
          try {
            Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
          } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another JVM unpacked the same runtime at the same moment: use theirs
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, home);
          }
        } finally {
          Files2.deleteRecursively(tmp);
        }
        removeUnused(root, home);
      }
      Files.setLastModifiedTime(home.resolve(MARKER), FileTime.from(Instant.now()));
      return home;
    } catch (IOException e) {
      throw new LocalMskException(
          "cannot unpack the local broker's runtime (about 45 MB) under "
              + System.getProperty("java.io.tmpdir")
              + ": "
              + e
              + ". Check that java.io.tmpdir is writable and has space, or point it elsewhere"
              + " with -Djava.io.tmpdir=...",
          e);
    }
  }

  /**
   * {@code java.io.tmpdir/msk-producer-testkit-<user>}, made readable and writable by this user
   * only; null if it exists but is another user's or others may write to it (then nothing
   * unpacked there could be trusted).
   */
  private static Path privateRoot() throws IOException {
    Path root =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "msk-producer-testkit-" + safe(System.getProperty("user.name", "user")));
    boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      try {
        if (posix) {
          Files.createDirectory(
              root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectory(root);
        }
      } catch (FileAlreadyExistsException e) {
        // made at the same moment by another JVM: checked below like any existing one
      }
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (posix) {
      PosixFileAttributes attributes =
          Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> permissions = attributes.permissions();
      if (!attributes.owner().equals(me())
          || permissions.contains(PosixFilePermission.GROUP_WRITE)
          || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        return null;
      }
    }
    return root;
  }

  /** This process's user, as the file system knows it: the owner of a file it just made. */
  private static UserPrincipal me() throws IOException {
    Path probe = Files.createTempFile("msk-producer-testkit-", ".owner");
    try {
      return Files.getOwner(probe);
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Whether a runtime directory holds every file its inventory lists, at its size. */
  private static boolean complete(Path home) {
    Path marker = home.resolve(MARKER);
    try {
      List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return false;
      }
      for (String line : lines) {
        int space = line.indexOf(' ');
        Path f = home.resolve(line.substring(space + 1));
        if (!Files.isRegularFile(f) || Files.size(f) != Long.parseLong(line.substring(0, space))) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Every file under {@code dir} as "size relative-path" lines. */
  private static String inventory(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        sb.append(Files.size(f)).append(' ').append(dir.relativize(f).toString().replace('\\', '/')).append('\n');
      }
    }
    return sb.toString();
  }

  private static void moveAside(Path dir, Path root) {
    try {
      Path aside = root.resolve("broken-" + System.nanoTime());
      Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
      Files2.deleteRecursively(aside);
    } catch (IOException e) {
      // another JVM moved it first
    }
  }

  /** Same runtime, same key: the CRC and size of the zip (from the jar's directory, cheap). */
  private static String key(URL url) {
    try {
      URLConnection c = url.openConnection();
      if (c instanceof JarURLConnection) {
        ZipEntry e = ((JarURLConnection) c).getJarEntry();
        if (e.getCrc() >= 0 && e.getSize() >= 0) {
          return Long.toHexString(e.getCrc()) + "-" + Long.toHexString(e.getSize());
        }
      }
      CRC32 crc = new CRC32();
      long size = 0;
      byte[] buf = new byte[1 << 16];
      try (InputStream in = c.getInputStream()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          crc.update(buf, 0, n);
          size += n;
        }
      }
      return Long.toHexString(crc.getValue()) + "-" + Long.toHexString(size);
    } catch (IOException e) {
      throw new LocalMskException("cannot read the local broker's runtime at " + url, e);
    }
  }

  private static void unzip(InputStream in, Path target) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("unexpected entry " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * Runtimes of other testkit builds not used for a week, and what crashed JVMs left: half
   * unpacked or moved-aside directories older than an hour.
   */
  private static void removeUnused(Path root, Path keep) {
    Instant unused = Instant.now().minus(KEEP_UNUSED);
    Instant abandoned = Instant.now().minus(Duration.ofHours(1));
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (d.equals(keep)) {
          continue;
        }
        if (name.startsWith("broker-runtime-")) {
          Path marker = d.resolve(MARKER);
          if (Files.exists(marker) && Files.getLastModifiedTime(marker).toInstant().isBefore(unused)) {
            Files2.deleteRecursively(d);
          }
        } else if ((name.startsWith("unpacking-") || name.startsWith("broken-"))
            && Files.getLastModifiedTime(d).toInstant().isBefore(abandoned)) {
          Files2.deleteRecursively(d);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }

  private static String safe(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
  }
}
