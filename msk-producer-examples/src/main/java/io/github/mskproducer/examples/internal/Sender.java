package io.github.mskproducer.examples.internal;

import io.github.mskproducer.core.FlushResult;
import io.github.mskproducer.core.MskProducer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends records through an {@link MskProducer} at an optional rate, recording each outcome in
 * {@link RunStats} and the progress bar, and remembering the acknowledged offsets of each
 * partition so that a consumer can read exactly this run back.
 */
public final class Sender {
  /** The header naming the run a record belongs to. */
  public static final String RUN_HEADER = "msk-producer-run";
  /** The header carrying the record's sequence number in its run (8 bytes, big-endian). */
  public static final String SEQ_HEADER = "msk-producer-seq";

  private final MskProducer<String, String> producer;
  private final String topic;
  private final RunStats stats;
  private final ProgressBar progress;
  private final double ratePerSecond;
  private final byte[] runId;
  private final Map<TopicPartition, long[]> offsets = new ConcurrentHashMap<>();
  private final long startNanos = System.nanoTime();
  private long sent;

  /**
   * A sender.
   *
   * @param producer the producer
   * @param topic the topic
   * @param stats where outcomes are recorded
   * @param progress the progress bar
   * @param ratePerSecond records per second at most, or 0 for no limit
   * @param runId the run's id, put in a header of every record
   */
  public Sender(
      MskProducer<String, String> producer,
      String topic,
      RunStats stats,
      ProgressBar progress,
      double ratePerSecond,
      String runId) {
    this.producer = producer;
    this.topic = topic;
    this.stats = stats;
    this.progress = progress;
    this.ratePerSecond = ratePerSecond;
    this.runId = runId.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends one record, waiting first if the rate demands it. Never throws for a record that
   * fails: the failure is counted.
   *
   * @param key the key, or null
   * @param value the value
   */
  public void send(String key, String value) {
    long seq = sent++;
    if (ratePerSecond > 0) {
      long due = startNanos + (long) (seq * 1e9 / ratePerSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    record.headers().add(RUN_HEADER, runId);
    record.headers().add(SEQ_HEADER, ByteBuffer.allocate(8).putLong(seq).array());
    int size = value == null ? 0 : value.length();
    long t0 = System.nanoTime();
    try {
      producer
          .send(record)
          .whenComplete(
              (md, e) -> {
                if (e == null) {
                  stats.acknowledged(System.nanoTime() - t0, size);
                  offsets.merge(
                      new TopicPartition(md.topic(), md.partition()),
                      new long[] {md.offset(), md.offset()},
                      (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                  progress.step();
                } else {
                  stats.failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                  progress.fail();
                }
              });
    } catch (RuntimeException e) {
      stats.failed(e);
      progress.fail();
    }
  }

  /**
   * The number of records sent so far.
   *
   * @return the count
   */
  public long sent() {
    return sent;
  }

  /**
   * Flushes within the deadline.
   *
   * @param deadline how long to wait for the records in flight
   * @return what the flush saw
   */
  public FlushResult<String, String> flush(Duration deadline) {
    FlushResult<String, String> result = producer.flush(deadline);
    stats.stop();
    return result;
  }

  /**
   * The smallest and largest acknowledged offset of each partition.
   *
   * @return partition to {min, max}
   */
  public Map<TopicPartition, long[]> offsets() {
    return Map.copyOf(offsets);
  }

  /**
   * This run's id.
   *
   * @return the id
   */
  public String runId() {
    return new String(runId, StandardCharsets.UTF_8);
  }
}
