package io.github.mskproducer.testkit.internal.server.iam;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;

/**
 * Kafka's standard KRaft authorizer with one MSK rule: an idempotent producer needs {@code
 * IDEMPOTENT_WRITE} on the cluster (MSK's {@code kafka-cluster:WriteDataIdempotently}), full
 * stop. Plain Kafka also lets it in with {@code WRITE} on any topic (KIP-679), which would make a
 * denied idempotent write impossible to reproduce.
 */
public final class MskLikeAuthorizer extends StandardAuthorizer {
  @Override
  public AuthorizationResult authorizeByResourceType(
      AuthorizableRequestContext requestContext, AclOperation op, ResourceType resourceType) {
    if (op == AclOperation.WRITE && resourceType == ResourceType.TOPIC) {
      // Only InitProducerId asks this, as the fallback after IDEMPOTENT_WRITE was refused.
      return AuthorizationResult.DENIED;
    }
    return super.authorizeByResourceType(requestContext, op, resourceType);
  }
}
