package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The broker's TLS identity: a self-signed EC certificate for {@code localhost} and {@code
 * 127.0.0.1} (subject alternative names, so clients keep hostname verification on), its key in a
 * PKCS12 keystore, and the certificate exported as a PEM file and as a PKCS12 truststore.
 *
 * <p>{@code keytool} takes about a second, so one certificate is made per JVM and copied into
 * each cluster's directory; a directory that already has one (a restart) keeps it.
 */
public final class TlsMaterial {
  static final String KEYSTORE = "broker-keystore.p12";
  static final String TRUSTSTORE_P12 = "truststore.p12";
  static final String TRUSTSTORE_PEM = "truststore.pem";
  static final String PASSWORDS = "passwords.properties";
  private static final String ALIAS = "local-msk-broker";

  private static Path jvmShared;

  private final Path keystore;
  private final String keystorePassword;
  private final Path truststoreP12;
  private final Path truststorePem;
  private final String truststorePassword;

  private TlsMaterial(Path dir, Properties passwords) {
    this.keystore = dir.resolve(KEYSTORE);
    this.truststoreP12 = dir.resolve(TRUSTSTORE_P12);
    this.truststorePem = dir.resolve(TRUSTSTORE_PEM);
    this.keystorePassword = passwords.getProperty("keystore");
    this.truststorePassword = passwords.getProperty("truststore");
  }

  /** The TLS material in {@code dir}, made (or copied from this JVM's cache) if absent. */
  public static TlsMaterial in(Path dir) {
    try {
      if (!Files.exists(dir.resolve(PASSWORDS))) {
        Path source = sharedMaterial();
        Files.createDirectories(dir);
        for (String f : new String[] {KEYSTORE, TRUSTSTORE_P12, TRUSTSTORE_PEM, PASSWORDS}) {
          Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return new TlsMaterial(dir, Files2.load(dir.resolve(PASSWORDS)));
    } catch (IOException e) {
      throw new LocalMskException("cannot prepare the broker's TLS files in " + dir, e);
    }
  }

  public Path keystore() {
    return keystore;
  }

  public String keystorePassword() {
    return keystorePassword;
  }

  public Path truststoreP12() {
    return truststoreP12;
  }

  public Path truststorePem() {
    return truststorePem;
  }

  public String truststorePassword() {
    return truststorePassword;
  }

  private static synchronized Path sharedMaterial() throws IOException {
    if (jvmShared != null && Files.exists(jvmShared.resolve(PASSWORDS))) {
      return jvmShared;
    }
    Path dir = Files.createTempDirectory("local-msk-tls-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Files2.deleteRecursively(dir)));
    generate(dir);
    jvmShared = dir;
    return dir;
  }

  private static void generate(Path dir) throws IOException {
    String keystorePassword = randomPassword();
    String truststorePassword = randomPassword();
    Path keystore = dir.resolve(KEYSTORE);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new ArrayList<>();
    cmd.add(Files.isExecutable(keytool) ? keytool.toString() : "keytool");
    cmd.addAll(
        List.of(
            "-genkeypair",
            "-alias", ALIAS,
            "-keyalg", "EC",
            "-groupname", "secp256r1",
            "-sigalg", "SHA256withECDSA",
            "-dname", "CN=localhost, O=msk-producer testkit",
            "-ext", "SAN=dns:localhost,ip:127.0.0.1",
            "-validity", "3650",
            "-storetype", "PKCS12",
            "-keystore", keystore.toString(),
            "-storepass", keystorePassword,
            "-keypass", keystorePassword));
    Path log = dir.resolve("keytool.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new LocalMskException(
            "keytool could not make the broker certificate (run with a JDK, not a JRE): "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalMskException("interrupted while making the broker certificate", e);
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        ks.load(in, keystorePassword.toCharArray());
      }
      Certificate cert = ks.getCertificate(ALIAS);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry(ALIAS, cert);
      try (OutputStream out = Files.newOutputStream(dir.resolve(TRUSTSTORE_P12))) {
        ts.store(out, truststorePassword.toCharArray());
      }
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(cert.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.writeString(dir.resolve(TRUSTSTORE_PEM), pem, StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new LocalMskException("cannot export the broker certificate", e);
    }
    Properties passwords = new Properties();
    passwords.setProperty("keystore", keystorePassword);
    passwords.setProperty("truststore", truststorePassword);
    try (OutputStream out = Files.newOutputStream(dir.resolve(PASSWORDS))) {
      passwords.store(out, "passwords of the local broker's key and trust stores");
    }
  }

  private static String randomPassword() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
