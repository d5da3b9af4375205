package io.github.mskproducer.testkit;

import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link LocalMskBroker} and injects it into test
 * constructors, test methods and lifecycle methods that declare a {@code LocalMskBroker}
 * parameter.
 *
 * <p>By default one broker (default settings) serves the whole test run, shared by every class
 * that uses the extension, and is closed when the run ends:
 *
 * <pre>{@code
 * @ExtendWith(LocalMskBrokerExtension.class)
 * class OrdersProducerTest {
 *   @Test
 *   void sends(LocalMskBroker msk) {
 *     msk.createTopic("orders", 3);
 *     try (MskProducer<String, String> producer = MskProducer.builder(String.class, String.class)
 *         .fromEnvironment(msk.environment())        // bootstrap, region, keys, truststore
 *         .build()) {
 *       producer.sendAndWait("orders", "k", "v", Duration.ofSeconds(30));
 *     }
 *     assertThat(msk.read("orders", 1, Duration.ofSeconds(30))).hasSize(1);
 *   }
 * }
 * }</pre>
 *
 * <p>Name such classes {@code *Test} to run them in {@code mvn test}; {@code *IT} classes run
 * only with the Failsafe plugin, in {@code mvn verify}.
 *
 * <p>For a broker of its own, configured for the class, register the extension in a static
 * field; it starts before the class's first test and is closed after its last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalMskBrokerExtension MSK =
 *     LocalMskBrokerExtension.perClass(b -> b.brokers(3).connectionsMaxReauth(Duration.ofSeconds(2)));
 * }</pre>
 *
 * <p>With JUnit 5.13 or newer (JUnit 6 too) the shared broker is closed when the run ends; with
 * older versions it is stopped at JVM exit.
 */
public final class LocalMskBrokerExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalMskBrokerExtension.class);
  private static final String SHARED_KEY = "shared-broker";

  private final Consumer<LocalMskBrokerBuilder> configuration;
  private volatile LocalMskBroker broker;

  /** The default: one broker with default settings, shared by the whole test run. */
  public LocalMskBrokerExtension() {
    this.configuration = null;
  }

  private LocalMskBrokerExtension(Consumer<LocalMskBrokerBuilder> configuration) {
    this.configuration = configuration;
  }

  /**
   * A broker for one test class, configured by {@code configuration}; register it with
   * {@code @RegisterExtension} on a static field.
   *
   * @param configuration sets the builder's options
   * @return the extension
   */
  public static LocalMskBrokerExtension perClass(Consumer<LocalMskBrokerBuilder> configuration) {
    return new LocalMskBrokerExtension(Objects.requireNonNull(configuration, "configuration"));
  }

  /**
   * The broker, once the extension has started it (from {@code @BeforeAll} on).
   *
   * @return the running broker
   * @throws IllegalStateException before the extension has run
   */
  public LocalMskBroker broker() {
    LocalMskBroker b = broker;
    if (b == null) {
      throw new IllegalStateException(
          "the broker is not started yet: use it from @BeforeAll or a test, and register the"
              + " extension on a static field");
    }
    return b;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (configuration == null) {
      broker =
          context
              .getRoot()
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent(
                  SHARED_KEY, k -> new StoredBroker(LocalMskBroker.builder().start()), StoredBroker.class)
              .broker;
    } else if (broker == null) {
      LocalMskBrokerBuilder b = LocalMskBroker.builder();
      configuration.accept(b);
      StoredBroker stored = new StoredBroker(b.start());
      context.getStore(NAMESPACE).put(context.getUniqueId(), stored);
      broker = stored.broker;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return parameterContext.getParameter().getType() == LocalMskBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    LocalMskBroker b = broker;
    if (b == null) {
      throw new ParameterResolutionException(
          "LocalMskBrokerExtension has not started its broker: register it on the class"
              + " (@ExtendWith or a static @RegisterExtension field)");
    }
    return b;
  }

  /** Closed by JUnit when its store closes (end of the run, or of the class). */
  private static final class StoredBroker implements AutoCloseable {
    final LocalMskBroker broker;

    StoredBroker(LocalMskBroker broker) {
      this.broker = broker;
    }

    @Override
    public void close() {
      broker.close();
    }
  }
}
