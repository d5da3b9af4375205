package io.github.mskproducer.core.internal.auth;

import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.msk.auth.iam.internals.region.ConfigurableRegionProvider;

/**
 * Gives aws-msk-iam-auth's legacy {@code AWS_MSK_IAM} client the region the producer resolved
 * (its JAAS option {@code awsMskRegionProvider="<this class>?region=<region>"}). Loaded only by
 * aws-msk-iam-auth, by name.
 */
public final class LegacyRegionProvider implements ConfigurableRegionProvider {
  private final Region region;

  public LegacyRegionProvider(Map<String, String> params) {
    this.region = Region.of(params.get("region"));
  }

  @Override
  public Region getRegion(String host) {
    return region;
  }

  @Override
  public Region getRegion() {
    return region;
  }
}
