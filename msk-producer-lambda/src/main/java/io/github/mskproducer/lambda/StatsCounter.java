package io.github.mskproducer.lambda;

import io.github.mskproducer.core.FlushResult;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The counters behind {@link LambdaProducer#stats()}; guarded by the producer's lock. */
final class StatsCounter {
  private long invocations;
  private long acknowledged;
  private long failed;
  private long pending;
  private final Map<RecycleReason, Long> recycles = new EnumMap<>(RecycleReason.class);
  private Duration lastFlush = Duration.ZERO;
  private Duration maxFlush = Duration.ZERO;

  void invocation(FlushResult<?, ?> flush, Duration took) {
    invocations++;
    acknowledged += flush.acknowledged();
    failed += flush.failed().size();
    pending += flush.pending().size();
    lastFlush = took;
    if (took.compareTo(maxFlush) > 0) {
      maxFlush = took;
    }
  }

  void recycled(RecycleReason reason) {
    recycles.merge(reason, 1L, Long::sum);
  }

  LambdaProducerStats snapshot() {
    return new LambdaProducerStats(
        invocations, acknowledged, failed, pending, recycles, lastFlush, maxFlush);
  }
}
