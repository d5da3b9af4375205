package io.github.mskproducer.core.internal.diagnostics;

import io.github.mskproducer.core.Finding;
import io.github.mskproducer.core.Finding.Status;
import io.github.mskproducer.core.MskAuth;
import io.github.mskproducer.core.MskConfigurationException;
import io.github.mskproducer.core.internal.auth.CredentialsProviders;
import io.github.mskproducer.core.internal.auth.TokenSource;
import io.github.mskproducer.core.internal.auth.TokenSources;
import io.github.mskproducer.core.internal.config.MskHosts;
import io.github.mskproducer.core.internal.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the connectivity checks of {@code MskDiagnostics} in order, each within its time
 * budget, and stops where a failure makes the next checks meaningless. The order and the
 * findings are the report:
 *
 * <ol>
 *   <li>{@code configuration}, {@code region}: here;
 *   <li>{@code dns}, {@code tcp}, {@code tls} per bootstrap broker: {@link NetworkChecks};
 *   <li>{@code credentials}, {@code token}, {@code clock}: {@link CredentialChecks};
 *   <li>{@code authentication}, {@code metadata}, {@code advertised-broker}: {@link
 *       ClusterChecks};
 *   <li>{@code topic}, {@code write}, {@code idempotent-write}: {@link TopicAccessChecks}.
 * </ol>
 *
 * <p>Causes and fixes that several checks share are in {@link Remedies}. One doctor runs once.
 */
public final class Doctor {
  private final Probe probe;

  /**
   * @param budget how long each step may take
   * @param topics the topics to check, maybe none
   * @param testWrites whether to write test records to it
   */
  public Doctor(Duration budget, List<String> topics, boolean testWrites) {
    this.probe = new Probe(budget, topics, testWrites);
  }

  /**
   * @param settings the resolved configuration, or null if it did not resolve
   * @param configError why it did not resolve, or null
   * @param rawBootstrap the bootstrap servers as given
   * @param auth the authentication as given
   * @return the findings, in the order the checks ran
   */
  public List<Finding> run(
      Settings settings, MskConfigurationException configError, String rawBootstrap, MskAuth auth) {
    try (probe) {
      check(settings, configError, rawBootstrap, auth);
      return probe.findings();
    }
  }

  private void check(
      Settings settings, MskConfigurationException configError, String rawBootstrap, MskAuth auth) {
    List<MskHosts.Address> addresses = configuration(settings, configError, rawBootstrap, auth);
    if (addresses.isEmpty()) {
      probe.skipRest("the bootstrap servers could not be read");
      return;
    }
    NetworkChecks network = new NetworkChecks(probe);
    List<MskHosts.Address> reachable = new ArrayList<>();
    for (MskHosts.Address a : addresses) {
      if (network.network(a, auth.mechanism(), settings)) {
        reachable.add(a);
      }
    }
    if (settings == null) {
      probe.skipRest("fix the configuration first");
      return;
    }
    TokenSource source = null;
    CredentialsProviders.Made made = null;
    try {
      if (auth.mechanism() == MskAuth.Mechanism.IAM) {
        made = CredentialsProviders.create(auth.iamCredentials().orElseThrow(), settings.region());
        source = new CredentialChecks(probe).run(settings, made);
        if (source == null) {
          probe.skipRest("no credentials");
          return;
        }
      } else {
        probe.skipped("credentials", null, "not IAM: auth is " + auth);
      }
      if (reachable.isEmpty()) {
        probe.skipRest("no broker is reachable");
        return;
      }
      String tokenSourceId = source == null ? null : TokenSources.register(source);
      try {
        new ClusterChecks(probe, network, new TopicAccessChecks(probe))
            .run(settings, tokenSourceId);
      } finally {
        if (tokenSourceId != null) {
          TokenSources.unregister(tokenSourceId);
        }
      }
    } finally {
      if (made != null) {
        made.close();
      }
    }
  }

  private List<MskHosts.Address> configuration(
      Settings s, MskConfigurationException error, String rawBootstrap, MskAuth auth) {
    if (error != null) {
      probe.add(
          "configuration",
          error.option(),
          Status.FAIL,
          error.getMessage(),
          "the configuration is not one the producer can work with",
          "change " + error.option() + " as the message says");
    } else {
      probe.add(
          "configuration",
          null,
          Status.OK,
          "auth "
              + s.auth()
              + " to "
              + s.brokers().size()
              + " bootstrap broker(s)"
              + (s.brokers().stream().anyMatch(a -> MskHosts.isMskHost(a.host()))
                  ? ", ports match the authentication"
                  : ", not MSK host names: ports not judged"),
          null,
          null);
      if (s.region() != null) {
        probe.add("region", null, Status.OK, s.region() + " (" + s.regionSource() + ")", null, null);
      }
    }
    if (s != null) {
      return s.brokers();
    }
    try {
      return MskHosts.parse(rawBootstrap);
    } catch (MskConfigurationException e) {
      return List.of();
    }
  }
}
