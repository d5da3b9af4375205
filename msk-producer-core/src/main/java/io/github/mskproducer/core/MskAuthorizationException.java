package io.github.mskproducer.core;

import java.util.Objects;

/**
 * The identity authenticated, but its IAM policy does not allow what the producer tried.
 * {@link #missingAction()} names the IAM action most likely missing from the policy.
 */
public class MskAuthorizationException extends MskProducerException {
  private static final long serialVersionUID = 1L;

  /** The MSK IAM actions a producer needs. */
  public enum IamAction {
    /** {@code kafka-cluster:Connect}: connect to the cluster at all. */
    CONNECT("kafka-cluster:Connect"),
    /** {@code kafka-cluster:DescribeTopic}: read a topic's metadata. */
    DESCRIBE_TOPIC("kafka-cluster:DescribeTopic"),
    /** {@code kafka-cluster:WriteData}: write to a topic. */
    WRITE_DATA("kafka-cluster:WriteData"),
    /** {@code kafka-cluster:WriteDataIdempotently}: idempotent writes (the default). */
    WRITE_DATA_IDEMPOTENTLY("kafka-cluster:WriteDataIdempotently");

    private final String action;

    IamAction(String action) {
      this.action = action;
    }

    /**
     * The action as an IAM policy spells it.
     *
     * @return e.g. {@code kafka-cluster:WriteData}
     */
    public String action() {
      return action;
    }
  }

  /** The IAM action most likely missing. */
  private final IamAction missingAction;

  /** The refused topic, or {@code cluster}. */
  private final String resource;

  /**
   * Creates the exception.
   *
   * @param missingAction the IAM action most likely missing
   * @param resource the topic, or the cluster, that was refused
   * @param message what was refused and what to add to the policy
   * @param cause the underlying failure
   */
  public MskAuthorizationException(
      IamAction missingAction, String resource, String message, Throwable cause) {
    super(message, cause, false);
    this.missingAction = Objects.requireNonNull(missingAction, "missingAction");
    this.resource = resource;
  }

  /**
   * The IAM action most likely missing from the identity's policy.
   *
   * @return the action
   */
  public IamAction missingAction() {
    return missingAction;
  }

  /**
   * The topic that was refused, or {@code cluster} for cluster-level actions.
   *
   * @return the resource
   */
  public String resource() {
    return resource;
  }
}
