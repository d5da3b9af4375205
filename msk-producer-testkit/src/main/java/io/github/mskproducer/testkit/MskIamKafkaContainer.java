package io.github.mskproducer.testkit;

import io.github.mskproducer.testkit.internal.broker.BrokerRuntime;
import io.github.mskproducer.testkit.internal.broker.Files2;
import io.github.mskproducer.testkit.internal.broker.KafkaClientsVersion;
import io.github.mskproducer.testkit.internal.broker.ClientProperties;
import io.github.mskproducer.testkit.internal.broker.TlsMaterial;
import io.github.mskproducer.testkit.internal.control.ControlFile;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.ServerClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The same MSK IAM contract as {@link LocalMskBroker}, on an {@code apache/kafka} container, for
 * those who have Docker: an extra SASL_SSL listener (OAUTHBEARER) on container port {@value
 * #IAM_PORT} that verifies MSK IAM tokens with the testkit's validator, copied into the
 * container with the AWS SDK jars it needs.
 *
 * <p>Needs {@code org.testcontainers:testcontainers-kafka} on the classpath. The TLS
 * certificate names {@code localhost} and {@code 127.0.0.1}, so this works with a local Docker
 * engine. Unlike {@link LocalMskBroker} it has no legacy {@code AWS_MSK_IAM} mechanism, no
 * ACL rules of MSK, and no knobs beyond identities. The container's plain listeners ({@link
 * #getBootstrapServers()}) stay open, unauthenticated.
 */
public final class MskIamKafkaContainer extends KafkaContainer {
  /** The container port of the IAM listener, MSK's own. */
  public static final int IAM_PORT = 9098;

  private static final String HOME = "/opt/local-msk";
  private static final String CONTROL = HOME + "/iam-control.properties";
  private static final String LISTENER_ENV = "KAFKA_LISTENER_NAME_TC___0_";

  private final Path workDir;
  private final TlsMaterial tls;
  private IamSettings settings;

  /** A container of {@code apache/kafka} at the version of the kafka-clients on the classpath. */
  public MskIamKafkaContainer() {
    this(DockerImageName.parse("apache/kafka:" + KafkaClientsVersion.get()));
  }

  /**
   * A container of this {@code apache/kafka} image.
   *
   * @param image an {@code apache/kafka} image, 3.7 or newer
   */
  public MskIamKafkaContainer(DockerImageName image) {
    super(image);
    try {
      workDir = Files.createTempDirectory("local-msk-container-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> Files2.deleteRecursively(workDir)));
    tls = TlsMaterial.in(workDir.resolve("tls"));
    settings =
        IamSettings.create(LocalMskBroker.DEFAULT_REGION, Set.of("localhost", "127.0.0.1"))
            .withIdentity(TestIdentity.random(LocalMskBroker.DEFAULT_IDENTITY).toControl());
    ControlFile.write(workDir.resolve("iam-control.properties"), settings);

    addExposedPort(IAM_PORT);
    withListener("0.0.0.0:" + IAM_PORT, () -> getHost() + ":" + getMappedPort(IAM_PORT));
    withCopyFileToContainer(MountableFile.forHostPath(workDir.resolve("tls")), HOME + "/tls");
    withCopyFileToContainer(
        MountableFile.forHostPath(workDir.resolve("iam-control.properties")), CONTROL);
    StringBuilder classpath = new StringBuilder();
    int i = 0;
    for (Path entry : validatorClasspath()) {
      String target = HOME + "/cp/" + (i++) + (Files.isDirectory(entry) ? "" : ".jar");
      withCopyFileToContainer(MountableFile.forHostPath(entry), target);
      classpath.append(classpath.length() == 0 ? "" : ":").append(target);
    }
    withEnv("CLASSPATH", classpath.toString());
    withEnv(LISTENER_ENV + "SASL_ENABLED_MECHANISMS", "OAUTHBEARER");
    withEnv(
        LISTENER_ENV + "OAUTHBEARER_SASL_JAAS_CONFIG",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
            + " unsecuredLoginStringClaim_sub=\"local-msk-broker\" "
            + ServerClasses.CONTROL_FILE_OPTION
            + "=\""
            + CONTROL
            + "\";");
    withEnv(
        LISTENER_ENV + "OAUTHBEARER_SASL_SERVER_CALLBACK_HANDLER_CLASS",
        ServerClasses.CALLBACK_HANDLER);
    withEnv(LISTENER_ENV + "SSL_KEYSTORE_TYPE", "PKCS12");
    withEnv(LISTENER_ENV + "SSL_KEYSTORE_LOCATION", HOME + "/tls/broker-keystore.p12");
    withEnv(LISTENER_ENV + "SSL_KEYSTORE_PASSWORD", tls.keystorePassword());
    withEnv(LISTENER_ENV + "SSL_KEY_PASSWORD", tls.keystorePassword());
  }

  @Override
  protected void configure() {
    super.configure();
    // Testcontainers maps its extra listener to PLAINTEXT; ours is SASL_SSL.
    getEnvMap()
        .computeIfPresent(
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
            (k, v) -> v.replace("TC-0:PLAINTEXT", "TC-0:SASL_SSL"));
  }

  /**
   * The bootstrap servers of the IAM listener.
   *
   * @return {@code host:port} of the mapped IAM port
   */
  public String getIamBootstrapServers() {
    return getHost() + ":" + getMappedPort(IAM_PORT);
  }

  /**
   * The test identity.
   *
   * @return the identity
   */
  public TestIdentity identity() {
    return TestIdentity.fromControl(settings.identities().iterator().next());
  }

  /**
   * The test identity's credentials for the AWS SDK.
   *
   * @return the provider
   */
  public AwsCredentialsProvider credentialsProvider() {
    TestIdentity id = identity();
    return id::toAwsCredentials;
  }

  /**
   * Adds or replaces an identity, in the running container too.
   *
   * @param identity the identity
   * @return this container
   */
  public synchronized MskIamKafkaContainer withIdentity(TestIdentity identity) {
    settings = settings.withIdentity(Objects.requireNonNull(identity, "identity").toControl());
    publishSettings();
    return this;
  }

  /**
   * The region tokens must be signed for: {@value LocalMskBroker#DEFAULT_REGION}.
   *
   * @return the region
   */
  public String region() {
    return settings.region();
  }

  /**
   * The client settings for the IAM listener with aws-msk-iam-auth, as {@link
   * LocalMskBroker#mskIamClientProperties()} gives them.
   *
   * @return a new set of properties
   */
  public Properties mskIamClientProperties() {
    return ClientProperties.mskIam(getIamBootstrapServers(), tls.truststorePem());
  }

  private void publishSettings() {
    Path local = workDir.resolve("iam-control.properties");
    ControlFile.write(local, settings);
    if (isRunning()) {
      copyFileToContainer(MountableFile.forHostPath(local), CONTROL);
    }
  }

  /**
   * The token validator's jars from the testkit's broker runtime: the broker side and the AWS
   * SDK's signer; the image brings Kafka and Jackson.
   */
  private static Set<Path> validatorClasspath() {
    Set<Path> entries = new LinkedHashSet<>();
    for (Path jar : BrokerRuntime.get().jars()) {
      String name = jar.getFileName().toString();
      if (name.startsWith("io.github.mskproducer__")
          || name.startsWith("software.amazon.awssdk__")
          || name.startsWith("org.reactivestreams__")) {
        entries.add(jar);
      }
    }
    return entries;
  }
}
