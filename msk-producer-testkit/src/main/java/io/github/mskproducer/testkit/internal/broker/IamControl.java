package io.github.mskproducer.testkit.internal.broker;

import io.github.mskproducer.testkit.TestIdentity;
import io.github.mskproducer.testkit.internal.control.ControlFile;
import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.Identity;
import io.github.mskproducer.testkit.LocalMskException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The cluster's IAM state as the test changes it: the identities and knobs every node reads
 * from the control file (so a change reaches brokers in child processes too), the credentials
 * each identity's client last knew (a removed identity's client keeps its stale keys, as a real
 * one would), and the JVM's AWS system properties while a test points them at an identity.
 */
public final class IamControl {
  private final Path controlFile;
  private final Map<String, Identity> lastKnown = new ConcurrentHashMap<>();
  private volatile IamSettings current;
  private String systemPropertyIdentity;
  private Map<String, String> savedSystemProperties;

  /**
   * The IAM state of a new cluster, or of the one already in the data directory (its
   * identities are kept, so that earlier credentials still work), written to the control file.
   *
   * @param controlFile the file every node reads
   * @param region the region the builder asked for
   * @param identities the identities the builder was given, added or replacing by name
   * @param defaultIdentity made when there is no identity at all
   * @param knobs the builder's clock, lifetime and rate settings
   * @return the control
   * @throws LocalMskException if the data directory holds a cluster of another region
   */
  public static IamControl open(
      Path controlFile,
      String region,
      List<Identity> identities,
      Supplier<Identity> defaultIdentity,
      UnaryOperator<IamSettings> knobs) {
    IamSettings settings;
    if (Files.exists(controlFile)) {
      settings = new ControlFile(controlFile).read();
      if (!settings.region().equals(region)) {
        throw new LocalMskException(
            "data directory "
                + controlFile.getParent()
                + " holds a cluster in region "
                + settings.region()
                + ", not "
                + region
                + ": use region(\""
                + settings.region()
                + "\") or another data directory");
      }
    } else {
      settings = IamSettings.create(region, ClusterLayout.CERTIFICATE_HOSTS);
    }
    if (identities.isEmpty() && settings.identities().isEmpty()) {
      settings = settings.withIdentity(defaultIdentity.get());
    }
    for (Identity id : identities) {
      settings = settings.withIdentity(id);
    }
    return new IamControl(controlFile, knobs.apply(settings));
  }

  private IamControl(Path controlFile, IamSettings initial) {
    this.controlFile = controlFile;
    initial.identities().forEach(i -> lastKnown.put(i.name(), i));
    write(initial);
  }

  /**
   * The settings in force.
   *
   * @return the settings
   */
  public IamSettings current() {
    return current;
  }

  /**
   * Changes the settings; the nodes apply them from their next authentication on.
   *
   * @param change what to change
   */
  public synchronized void update(UnaryOperator<IamSettings> change) {
    write(change.apply(current));
  }

  /**
   * Records the credentials an identity's client now uses.
   *
   * @param identity the identity, as the control file holds it
   */
  public void remember(Identity identity) {
    lastKnown.put(identity.name(), identity);
  }

  /**
   * The credentials an identity's client last knew, even if the identity was removed since.
   *
   * @param name the identity's name
   * @return the identity, or empty if never known
   */
  public Optional<Identity> lastKnown(String name) {
    return Optional.ofNullable(lastKnown.get(name));
  }

  /**
   * The names of the identities in force.
   *
   * @return the names, in the order added
   */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    current.identities().forEach(i -> names.add(i.name()));
    return names;
  }

  /**
   * Points the AWS SDK's system properties at an identity, saving the previous values once.
   *
   * @param identity the identity
   */
  public synchronized void installSystemProperties(TestIdentity identity) {
    if (savedSystemProperties == null) {
      savedSystemProperties = SystemPropertyCredentials.snapshot();
    }
    systemPropertyIdentity = identity.name();
    SystemPropertyCredentials.apply(identity, current.region());
  }

  /**
   * Follows a change of an identity's credentials in the system properties, if installed.
   *
   * @param identity the identity with its new credentials
   */
  public synchronized void followInSystemProperties(TestIdentity identity) {
    if (identity.name().equals(systemPropertyIdentity)) {
      SystemPropertyCredentials.apply(identity, current.region());
    }
  }

  /** Restores the system properties saved by the first install; harmless if none. */
  public synchronized void restoreSystemProperties() {
    if (savedSystemProperties == null) {
      return;
    }
    SystemPropertyCredentials.restore(savedSystemProperties);
    savedSystemProperties = null;
    systemPropertyIdentity = null;
  }

  private void write(IamSettings next) {
    ControlFile.write(controlFile, next);
    current = next;
  }
}
