package io.github.mskproducer.testkit.internal.broker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * X.509 certificates for the local broker, made in this JVM with the JDK's own EC keys and
 * signatures (no keytool process, no extra library): a certificate authority, and broker
 * certificates it signs for given host names and addresses. Just enough DER (RFC 5280) for TLS
 * servers: names with a common name and organization, basic constraints, key usage and subject
 * alternative names.
 */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ORGANIZATION = "msk-producer testkit";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private Certificates() {}

  /** A key and its certificate, the chain up to the authority that signed it. */
  public static final class Issued {
    private final PrivateKey key;
    private final List<X509Certificate> chain;

    Issued(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = List.copyOf(chain);
    }

    public PrivateKey key() {
      return key;
    }

    public X509Certificate certificate() {
      return chain.get(0);
    }

    /** The certificate first, then its issuers' (the authority's last). */
    public List<X509Certificate> chain() {
      return chain;
    }
  }

  /**
   * A self-signed certificate authority.
   *
   * @param commonName its name
   * @return the authority's key and certificate
   */
  public static Issued authority(String commonName) {
    try {
      KeyPair pair = ecKeyPair();
      byte[] name = name(commonName);
      List<byte[]> extensions = List.of(
          extension("2.5.29.19", true, seq(bool(true))), // basic constraints: a CA
          extension("2.5.29.15", true, bitString(new byte[] {0x06}, 1))); // keyCertSign, cRLSign
      X509Certificate cert = sign(name, name, pair.getPublic().getEncoded(), extensions, pair.getPrivate());
      return new Issued(pair.getPrivate(), List.of(cert));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a certificate authority", e);
    }
  }

  /**
   * A server certificate signed by {@code authority}.
   *
   * @param authority the issuer
   * @param commonName the subject's common name
   * @param hosts DNS names and IP addresses for the subject alternative names
   * @return the key and the chain (this certificate, then the authority's)
   */
  public static Issued server(Issued authority, String commonName, List<String> hosts) {
    try {
      KeyPair pair = ecKeyPair();
      ByteArrayOutputStream names = new ByteArrayOutputStream();
      for (String h : hosts) {
        if (h.matches("[0-9.]+") || h.contains(":")) {
          names.writeBytes(tlv(0x87, InetAddress.getByName(h).getAddress())); // iPAddress
        } else {
          names.writeBytes(tlv(0x82, h.getBytes(StandardCharsets.US_ASCII))); // dNSName
        }
      }
      List<byte[]> extensions = List.of(
          extension("2.5.29.19", true, seq()), // basic constraints: not a CA
          extension("2.5.29.15", true, bitString(new byte[] {(byte) 0x80}, 7)), // digitalSignature
          extension("2.5.29.17", false, tlv(0x30, names.toByteArray())));
      X509Certificate cert =
          sign(name(commonName), issuerName(authority.certificate()), pair.getPublic().getEncoded(), extensions, authority.key());
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(cert);
      chain.addAll(authority.chain());
      return new Issued(pair.getPrivate(), chain);
    } catch (GeneralSecurityException | java.net.UnknownHostException e) {
      throw new IllegalStateException("cannot make a broker certificate", e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static byte[] issuerName(X509Certificate issuer) {
    return issuer.getSubjectX500Principal().getEncoded();
  }

  private static X509Certificate sign(
      byte[] subject, byte[] issuer, byte[] subjectPublicKeyInfo, List<byte[]> extensions, PrivateKey signer)
      throws GeneralSecurityException {
    byte[] algorithm = seq(oid("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
    Instant now = Instant.now();
    byte[] tbs =
        seq(
            tlv(0xA0, integer(BigInteger.TWO)), // v3
            integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
            algorithm,
            issuer,
            seq(time(now.minus(Duration.ofDays(1))), time(now.plus(VALIDITY))),
            subject,
            subjectPublicKeyInfo,
            tlv(0xA3, seq(extensions.toArray(new byte[0][]))));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer);
    s.update(tbs);
    byte[] der = seq(tbs, algorithm, bitString(s.sign(), 0));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] name(String commonName) {
    return seq(
        set(seq(oid("2.5.4.10"), tlv(0x0C, ORGANIZATION.getBytes(StandardCharsets.UTF_8)))),
        set(seq(oid("2.5.4.3"), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? seq(oid(oid), bool(true), tlv(0x04, value)) : seq(oid(oid), tlv(0x04, value));
  }

  private static byte[] time(Instant t) {
    if (t.atZone(ZoneOffset.UTC).getYear() < 2050) {
      return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bool(boolean b) {
    return tlv(0x01, new byte[] {(byte) (b ? 0xFF : 0x00)});
  }

  private static byte[] integer(BigInteger i) {
    return tlv(0x02, i.toByteArray());
  }

  private static byte[] bitString(byte[] bits, int unusedBits) {
    byte[] v = new byte[bits.length + 1];
    v[0] = (byte) unusedBits;
    System.arraycopy(bits, 0, v, 1, bits.length);
    return tlv(0x03, v);
  }

  static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      long v = Long.parseLong(parts[i]);
      int groups = 1;
      for (long x = v >>> 7; x > 0; x >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int b = (int) ((v >>> (7 * g)) & 0x7F);
        out.write(g > 0 ? b | 0x80 : b);
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >>> (8 * i)) & 0xFF);
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
