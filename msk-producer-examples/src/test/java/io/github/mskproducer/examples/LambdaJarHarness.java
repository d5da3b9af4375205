package io.github.mskproducer.examples;

import io.github.mskproducer.testkit.TestLambdaContext;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the Lambda runtime for {@link LambdaPackageIT} in a JVM whose classpath is the
 * deployment jar (plus this class): creates the handler named by {@code args[0]} as Lambda
 * does, runs the SnapStart hooks when {@code args[1]} is {@code snapstart}, then invokes it with the SQS messages of standard input ({@code id<TAB>body} per
 * line) and prints the batch item failures.
 */
public final class LambdaJarHarness {
  private LambdaJarHarness() {}

  /**
   * Runs one invocation.
   *
   * @param args handler class name, then {@code snapstart} or {@code plain}
   * @throws Exception if the handler cannot be created
   */
  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    RequestHandler<SQSEvent, SQSBatchResponse> handler =
        (RequestHandler<SQSEvent, SQSBatchResponse>) Class.forName(args[0]).getConstructor().newInstance();
    if (args[1].equals("snapstart")) {
      // What a CRaC JVM does at the snapshot and at each restore, in CRaC's order: checkpoint
      // hooks in reverse order of registration (the handler's, then its producer's), restore
      // hooks in order. (org.crac cannot trigger them on a JVM without CRaC.)
      OrdersSqsHandler h = (OrdersSqsHandler) handler;
      ((org.crac.Resource) h).beforeCheckpoint(null);
      h.producer().beforeCheckpoint(null);
      h.producer().afterRestore(null);
      ((org.crac.Resource) h).afterRestore(null);
      System.out.println("RESTORED");
    }
    List<String> idsAndBodies = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      int tab = line.indexOf('\t');
      idsAndBodies.add(line.substring(0, tab));
      idsAndBodies.add(line.substring(tab + 1));
    }
    SQSBatchResponse response =
        handler.handleRequest(Sqs.event(idsAndBodies.toArray(new String[0])), TestLambdaContext.of("req-1", java.time.Duration.ofMillis(20_000)));
    response.getBatchItemFailures().forEach(f -> System.out.println("FAILED " + f.getItemIdentifier()));
    System.out.println("DONE");
    System.exit(0);
  }
}
