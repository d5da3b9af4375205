package io.github.mskproducer.testkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A Lambda {@link Context} for calling handlers in tests, as the Lambda runtime would: a request
 * id, a function name, version and ARN, a memory size, and a remaining time that counts down
 * from when the context was made, so that code bounded by {@link #getRemainingTimeInMillis()}
 * (msk-producer-lambda's end-of-invocation flush) behaves as in Lambda.
 *
 * <pre>{@code
 * TestLambdaContext context = TestLambdaContext.builder()
 *     .functionName("orders")
 *     .timeout(Duration.ofSeconds(30))
 *     .build();
 * handler.handleRequest(event, context);
 * handler.handleRequest(nextEvent, context.next());   // a new request id, a full timeout
 * }</pre>
 *
 * <p>What the handler logs through {@link #getLogger()} goes to standard output, as in Lambda,
 * and is kept for assertions ({@link #logged()}). Needs {@code
 * com.amazonaws:aws-lambda-java-core} on the class path (msk-producer-lambda brings it).
 * Thread-safe.
 */
public final class TestLambdaContext implements Context {
  private final Builder settings;
  private final String requestId;
  private final long deadlineNanos;
  private final List<String> logged;
  private final LambdaLogger logger;

  private TestLambdaContext(Builder b, String requestId, List<String> logged) {
    this.settings = b.copy();
    this.requestId = requestId;
    this.deadlineNanos = System.nanoTime() + b.timeout.toNanos();
    this.logged = logged;
    this.logger = new Logger(logged, b.echo);
  }

  /**
   * A builder with every default: function {@code test-function}, version {@code $LATEST},
   * region {@code us-east-1}, account {@code 123456789012}, 512 MB, a 30-second timeout, a
   * random request id.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A context with every default.
   *
   * @return the context
   */
  public static TestLambdaContext create() {
    return builder().build();
  }

  /**
   * A context with this request id and this much time left, and every other default.
   *
   * @param requestId the request id
   * @param remaining the time left in the invocation, counting down from now
   * @return the context
   */
  public static TestLambdaContext of(String requestId, Duration remaining) {
    return builder().requestId(requestId).timeout(remaining).build();
  }

  /**
   * The context of the next invocation of the same function: a new random request id and the
   * whole timeout again; the log is shared.
   *
   * @return the next invocation's context
   */
  public TestLambdaContext next() {
    return new TestLambdaContext(settings, UUID.randomUUID().toString(), logged);
  }

  /**
   * A builder holding this context's settings (not its request id).
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = settings.copy();
    b.requestId = null;
    return b;
  }

  /**
   * The lines the handler logged through {@link #getLogger()}, in order, across {@link #next()}
   * contexts.
   *
   * @return a copy of the lines
   */
  public List<String> logged() {
    synchronized (logged) {
      return List.copyOf(logged);
    }
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  /**
   * The X-Ray trace header given to {@link Builder#xrayTraceId(String)}, else null.
   *
   * @return the header, or null
   */
  @Override
  public String getXrayTraceId() {
    return settings.xrayTraceId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + settings.functionName;
  }

  @Override
  public String getLogStreamName() {
    return "2026/01/01/[" + settings.functionVersion + "]test";
  }

  @Override
  public String getFunctionName() {
    return settings.functionName;
  }

  @Override
  public String getFunctionVersion() {
    return settings.functionVersion;
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:"
        + settings.region
        + ":"
        + settings.accountId
        + ":function:"
        + settings.functionName
        + (settings.alias == null ? "" : ":" + settings.alias);
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  /** Counts down from when this context was made; zero once the timeout has passed. */
  @Override
  public int getRemainingTimeInMillis() {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public int getMemoryLimitInMB() {
    return settings.memoryLimitMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }

  @Override
  public String toString() {
    return "TestLambdaContext{requestId="
        + requestId
        + ", function="
        + getInvokedFunctionArn()
        + ", remainingMillis="
        + getRemainingTimeInMillis()
        + "}";
  }

  private static final class Logger implements LambdaLogger {
    private final List<String> lines;
    private final boolean echo;

    Logger(List<String> lines, boolean echo) {
      this.lines = lines;
      this.echo = echo;
    }

    @Override
    public void log(String message) {
      synchronized (lines) {
        lines.add(message);
      }
      if (echo) {
        System.out.println(message);
      }
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8));
    }
  }

  /** Configures a {@link TestLambdaContext}; every setter checks its argument. */
  public static final class Builder {
    private String requestId;
    private String functionName = "test-function";
    private String functionVersion = "$LATEST";
    private String alias;
    private String region = "us-east-1";
    private String accountId = "123456789012";
    private int memoryLimitMb = 512;
    private Duration timeout = Duration.ofSeconds(30);
    private boolean echo = true;
    private String xrayTraceId;

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.requestId = requestId;
      b.functionName = functionName;
      b.functionVersion = functionVersion;
      b.alias = alias;
      b.region = region;
      b.accountId = accountId;
      b.memoryLimitMb = memoryLimitMb;
      b.timeout = timeout;
      b.echo = echo;
      b.xrayTraceId = xrayTraceId;
      return b;
    }

    /**
     * The request id. Default: a random UUID, as Lambda's.
     *
     * @param requestId the id
     * @return this builder
     */
    public Builder requestId(String requestId) {
      this.requestId = Objects.requireNonNull(requestId, "requestId");
      return this;
    }

    /**
     * The invocation's X-Ray trace header, as Lambda gives it to a traced function, e.g. {@code
     * Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}. Default
     * none.
     *
     * @param header the header
     * @return this builder
     */
    public Builder xrayTraceId(String header) {
      this.xrayTraceId = Objects.requireNonNull(header, "xrayTraceId");
      return this;
    }

    /**
     * The function's name. Default {@code test-function}.
     *
     * @param name 1 to 64 letters, digits, hyphens or underscores
     * @return this builder
     */
    public Builder functionName(String name) {
      Objects.requireNonNull(name, "functionName");
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(
            "functionName '" + name + "' is not a Lambda function name (1 to 64 of A-Z a-z 0-9 - _)");
      }
      this.functionName = name;
      return this;
    }

    /**
     * The function version. Default {@code $LATEST}.
     *
     * @param version e.g. {@code 7}
     * @return this builder
     */
    public Builder functionVersion(String version) {
      this.functionVersion = Objects.requireNonNull(version, "functionVersion");
      return this;
    }

    /**
     * An alias the function was invoked through, added to the ARN. Default none.
     *
     * @param alias e.g. {@code live}
     * @return this builder
     */
    public Builder alias(String alias) {
      this.alias = Objects.requireNonNull(alias, "alias");
      return this;
    }

    /**
     * The region in the function's ARN. Default {@code us-east-1}.
     *
     * @param region an AWS region name
     * @return this builder
     */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      if (!LocalMskBroker.REGION.matcher(region).matches()) {
        throw new IllegalArgumentException("region '" + region + "' is not an AWS region name such as us-east-1");
      }
      this.region = region;
      return this;
    }

    /**
     * The account in the function's ARN. Default {@code 123456789012}.
     *
     * @param accountId 12 digits
     * @return this builder
     */
    public Builder accountId(String accountId) {
      Objects.requireNonNull(accountId, "accountId");
      if (!accountId.matches("[0-9]{12}")) {
        throw new IllegalArgumentException("accountId '" + accountId + "' must be 12 digits");
      }
      this.accountId = accountId;
      return this;
    }

    /**
     * The memory size. Default 512 MB.
     *
     * @param megabytes 128 to 10240, as Lambda allows
     * @return this builder
     */
    public Builder memoryLimitMb(int megabytes) {
      if (megabytes < 128 || megabytes > 10240) {
        throw new IllegalArgumentException(
            "memoryLimitMb must be 128 to 10240 (Lambda's range), was " + megabytes);
      }
      this.memoryLimitMb = megabytes;
      return this;
    }

    /**
     * The function's timeout: {@link TestLambdaContext#getRemainingTimeInMillis()} counts down
     * from it, starting when the context is built. Default 30 seconds.
     *
     * @param timeout zero (already over) to 15 minutes
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
        throw new IllegalArgumentException(
            "timeout must be zero to 15 minutes (Lambda's limit), was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether the logger also prints to standard output, as in Lambda. Default true.
     *
     * @param echo false to only keep the lines for {@link TestLambdaContext#logged()}
     * @return this builder
     */
    public Builder echo(boolean echo) {
      this.echo = echo;
      return this;
    }

    /**
     * Makes the context; its remaining time starts counting down now.
     *
     * @return the context
     */
    public TestLambdaContext build() {
      return new TestLambdaContext(
          this,
          requestId == null ? UUID.randomUUID().toString() : requestId,
          Collections.synchronizedList(new ArrayList<>()));
    }
  }
}
