package io.github.mskproducer.testkit.internal.control;

/**
 * The names by which the testkit's client side reaches the broker side: class names for Kafka's
 * configuration and for reflection across the class loader boundary, and the files and
 * properties both sides agree on. Names only: the client side must never load these classes
 * itself (they need the broker's Kafka), and a test checks each name against its class.
 */
public final class ServerClasses {
  private static final String SERVER = "io.github.mskproducer.testkit.internal.server.";

  /** The SASL server callback handler of the IAM listener (OAUTHBEARER and AWS_MSK_IAM). */
  public static final String CALLBACK_HANDLER = SERVER + "iam.MskIamServerCallbackHandler";

  /** The JAAS login module that registers the AWS_MSK_IAM SASL server. */
  public static final String LEGACY_LOGIN_MODULE = SERVER + "iam.LegacyIamServerLoginModule";

  /** The authorizer with MSK's rules. */
  public static final String AUTHORIZER = SERVER + "iam.MskLikeAuthorizer";

  /** The JAAS option naming the control file. */
  public static final String CONTROL_FILE_OPTION = "controlFile";

  /** A node in the test's JVM: {@code static KafkaNode start(Path, String, boolean)}. */
  public static final String KAFKA_NODE = SERVER + "KafkaNode";

  /** The main class of a child-process node. */
  public static final String NODE_MAIN = SERVER + "NodeMain";

  /** The file a child-process node writes once it serves clients. */
  public static final String READY_FILE = "ready";

  /** The broker's logging: {@code static void configure(String, BiPredicate, Consumer)}. */
  public static final String LOGGING = SERVER + "logging.BrokerLogging";

  /** The system property with the Kafka log threshold of a child-process node. */
  public static final String LOG_LEVEL_PROPERTY = "msk.testkit.kafka.log.level";

  private ServerClasses() {}
}
