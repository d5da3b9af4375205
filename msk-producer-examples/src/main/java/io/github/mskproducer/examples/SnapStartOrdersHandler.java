package io.github.mskproducer.examples;

import io.github.mskproducer.core.MskProducerBuilder;
import java.util.Map;
import java.util.function.Consumer;
import org.crac.Core;
import org.crac.Resource;

/**
 * Example Lambda function for SnapStart: {@link OrdersSqsHandler}, plus priming of its own
 * code before the snapshot. Copy it when you enable SnapStart ({@code SnapStart: ApplyOn:
 * PublishedVersions}, and invoke a published version or alias).
 *
 * <p>What SnapStart needs, and who does it:
 *
 * <ul>
 *   <li>No connection, IAM token or idempotent producer id in the snapshot (F10, F11): the
 *       {@code LambdaProducer} registers itself as a CRaC resource, flushes and closes before
 *       the checkpoint, and builds a fresh producer on the first invocation after a restore,
 *       with a new client id suffix.
 *   <li>Fast first invocations after a restore: this class primes what the snapshot can keep,
 *       the JSON mapping of an order (Jackson's class loading and introspection), without any
 *       network call, in {@link #beforeCheckpoint}.
 *   <li>Nothing unique per environment computed during init (random seeds, UUIDs, timestamps):
 *       every restored environment would share it. This handler has none; if yours has, make
 *       it again in {@link #afterRestore}.
 * </ul>
 *
 * <p>Keep the handler strongly reachable (Lambda does: it holds the handler instance) since
 * CRaC holds resources weakly.
 */
public final class SnapStartOrdersHandler extends OrdersSqsHandler implements Resource {
  private volatile int primed;

  /** The constructor Lambda calls: configured by the function's environment variables. */
  public SnapStartOrdersHandler() {
    this(System.getenv(), b -> {});
  }

  /** A handler configured by these variables, then by {@code customize} (for tests). */
  SnapStartOrdersHandler(
      Map<String, String> environment, Consumer<MskProducerBuilder<String, Order>> customize) {
    super(environment, customize);
    Core.getGlobalContext().register(this);
  }

  /**
   * Before the snapshot: exercises the JSON round trip of an order so that its classes are
   * loaded and initialized in the snapshot. No network: the producer closes its own
   * connections.
   *
   * @param context the CRaC context
   */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    for (int i = 0; i < 100; i++) {
      Order sample = new Order("prime-" + i, "customer", i, "EUR");
      if (Order.fromJson(sample.toJson()).equals(sample)) {
        primed++;
      }
    }
  }

  /**
   * After a restore: nothing to refresh here; the producer refreshes itself on the next
   * invocation.
   *
   * @param context the CRaC context
   */
  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // Recreate here whatever must differ between environments (none in this example).
  }

  /**
   * How many sample orders the last priming round-tripped (for tests and logs).
   *
   * @return the count
   */
  public int primedOrders() {
    return primed;
  }
}
