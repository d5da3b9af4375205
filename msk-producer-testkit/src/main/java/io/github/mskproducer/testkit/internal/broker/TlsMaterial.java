package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.LocalMskException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The broker's TLS identity: a certificate authority of its own, and an EC broker certificate
 * it signs for {@code localhost}, {@code 127.0.0.1} and the advertised host names (subject
 * alternative names, so clients keep hostname verification on). The broker's key is in a
 * PKCS12 keystore; the authority's certificate, which clients trust, is exported as a PEM file
 * and as a PKCS12 truststore. {@link #rotate(boolean)} issues the broker a new certificate, as
 * MSK does when it rotates broker certificates. Made in this JVM in milliseconds ({@link
 * Certificates}); a directory that already has material (a restart) keeps it.
 */
public final class TlsMaterial {
  static final String KEYSTORE = "broker-keystore.p12";
  static final String TRUSTSTORE_P12 = "truststore.p12";
  static final String TRUSTSTORE_PEM = "truststore.pem";
  static final String AUTHORITY = "authority.p12";
  static final String PASSWORDS = "passwords.properties";
  private static final String ALIAS = "local-msk-broker";
  private static final String AUTHORITY_ALIAS = "local-msk-authority";

  private final Path dir;
  private final Properties passwords;
  private final Path keystore;
  private final String keystorePassword;
  private final Path truststoreP12;
  private final Path truststorePem;
  private final String truststorePassword;

  private TlsMaterial(Path dir, Properties passwords) {
    this.dir = dir;
    this.passwords = passwords;
    this.keystore = dir.resolve(KEYSTORE);
    this.truststoreP12 = dir.resolve(TRUSTSTORE_P12);
    this.truststorePem = dir.resolve(TRUSTSTORE_PEM);
    this.keystorePassword = passwords.getProperty("keystore");
    this.truststorePassword = passwords.getProperty("truststore");
  }

  /** The TLS material in {@code dir} for {@code localhost} and {@code 127.0.0.1}. */
  public static TlsMaterial in(Path dir) {
    return in(dir, List.of());
  }

  /**
   * The TLS material in {@code dir}, made if absent, with {@code extraHosts} (DNS names) among
   * the certificate's names besides {@code localhost} and {@code 127.0.0.1}.
   */
  public static TlsMaterial in(Path dir, List<String> extraHosts) {
    try {
      List<String> hosts = hosts(extraHosts);
      if (!Files.exists(dir.resolve(PASSWORDS))) {
        Files.createDirectories(dir);
        generate(dir, hosts);
      }
      Properties passwords = Files2.load(dir.resolve(PASSWORDS));
      List<String> named = List.of(passwords.getProperty("hosts", "localhost,127.0.0.1").split(","));
      if (!named.containsAll(hosts) && Files.exists(dir.resolve(AUTHORITY))) {
        // Material made for other advertised names (a data directory reused with another
        // advertisedHost): a new broker certificate for all of them, from the same authority,
        // so that clients keep trusting it and hostname verification passes.
        List<String> all = new ArrayList<>(named);
        hosts.stream().filter(h -> !all.contains(h)).forEach(all::add);
        reissue(dir, passwords, all);
      }
      return new TlsMaterial(dir, passwords);
    } catch (IOException | GeneralSecurityException e) {
      throw new LocalMskException("cannot prepare the broker's TLS files in " + dir, e);
    }
  }

  private static List<String> hosts(List<String> extra) {
    List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1"));
    for (String h : extra) {
      if (!hosts.contains(h)) {
        hosts.add(h);
      }
    }
    return hosts;
  }

  /**
   * A new broker keystore in this directory (the current one is left as it is), with a new key
   * and certificate for the same names: signed by this material's authority, which clients
   * trust, or by a new authority nobody trusts. Same password as {@link #keystore()}.
   *
   * @param trusted whether this material's authority signs it
   * @return the new keystore's path
   */
  public Path rotate(boolean trusted) {
    try {
      Path authorityFile = dir.resolve(AUTHORITY);
      if (!Files.exists(authorityFile)) {
        throw new LocalMskException(
            "the TLS material in " + dir + " has no certificate authority (made by an older testkit):"
                + " delete the directory to make new material");
      }
      char[] pw = keystorePassword.toCharArray();
      Certificates.Issued authority;
      if (trusted) {
        authority = authority(dir, pw);
      } else {
        authority = Certificates.authority("untrusted testkit CA");
      }
      Certificates.Issued broker =
          Certificates.server(authority, "localhost", List.of(passwords.getProperty("hosts").split(",")));
      int n = 1;
      while (Files.exists(dir.resolve("broker-keystore-" + n + ".p12"))) {
        n++;
      }
      Path next = dir.resolve("broker-keystore-" + n + ".p12");
      writeKeyStore(next, ALIAS, broker, pw);
      return next;
    } catch (IOException | GeneralSecurityException e) {
      throw new LocalMskException("cannot make a new broker certificate in " + dir, e);
    }
  }

  /**
   * The broker certificate in a keystore this material made ({@link #keystore()}, or one
   * {@link #rotate(boolean)} made).
   *
   * @param keystore the keystore
   * @return its certificate
   */
  public java.security.cert.X509Certificate certificate(Path keystore) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, keystorePassword.toCharArray());
      return (java.security.cert.X509Certificate) ks.getCertificate(ALIAS);
    } catch (IOException | GeneralSecurityException e) {
      throw new LocalMskException("cannot read the broker certificate in " + keystore, e);
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

  private static void generate(Path dir, List<String> hosts) throws IOException, GeneralSecurityException {
    String keystorePassword = randomPassword();
    String truststorePassword = randomPassword();
    char[] pw = keystorePassword.toCharArray();
    Certificates.Issued authority = Certificates.authority("msk-producer testkit CA");
    Certificates.Issued broker = Certificates.server(authority, "localhost", hosts);
    writeKeyStore(dir.resolve(KEYSTORE), ALIAS, broker, pw);
    writeKeyStore(dir.resolve(AUTHORITY), AUTHORITY_ALIAS, authority, pw);

    Certificate ca = authority.certificate();
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry(AUTHORITY_ALIAS, ca);
    try (OutputStream out = Files.newOutputStream(dir.resolve(TRUSTSTORE_P12))) {
      ts.store(out, truststorePassword.toCharArray());
    }
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ca.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Files.writeString(dir.resolve(TRUSTSTORE_PEM), pem, StandardCharsets.US_ASCII);

    Properties passwords = new Properties();
    passwords.setProperty("keystore", keystorePassword);
    passwords.setProperty("truststore", truststorePassword);
    passwords.setProperty("hosts", String.join(",", hosts));
    try (OutputStream out = Files.newOutputStream(dir.resolve(PASSWORDS))) {
      passwords.store(out, "passwords of the local broker's key and trust stores");
    }
  }

  /** The authority that signs the broker certificates clients trust. */
  private static Certificates.Issued authority(Path dir, char[] pw) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(AUTHORITY))) {
      ks.load(in, pw);
    }
    return new Certificates.Issued(
        (java.security.PrivateKey) ks.getKey(AUTHORITY_ALIAS, pw),
        List.of((java.security.cert.X509Certificate) ks.getCertificate(AUTHORITY_ALIAS)));
  }

  private static void reissue(Path dir, Properties passwords, List<String> hosts)
      throws IOException, GeneralSecurityException {
    char[] pw = passwords.getProperty("keystore").toCharArray();
    writeKeyStore(dir.resolve(KEYSTORE), ALIAS, Certificates.server(authority(dir, pw), "localhost", hosts), pw);
    passwords.setProperty("hosts", String.join(",", hosts));
    try (OutputStream out = Files.newOutputStream(dir.resolve(PASSWORDS))) {
      passwords.store(out, "passwords of the local broker's key and trust stores");
    }
  }

  private static void writeKeyStore(Path file, String alias, Certificates.Issued issued, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(alias, issued.key(), password, issued.chain().toArray(new Certificate[0]));
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
  }

  private static String randomPassword() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
