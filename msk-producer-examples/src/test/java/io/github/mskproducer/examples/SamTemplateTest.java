package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.mskproducer.core.MskProducerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the SAM template without AWS: it parses as plain YAML, the handler
 * exists and is a Lambda handler, every environment variable it sets is one the code reads,
 * the IAM policy is the least privilege an idempotent producer needs, and the VPC, security
 * group, SnapStart and SQS settings are the ones the README recommends. (LambdaPackageIT then
 * runs the packaged function with exactly these variables.)
 */
class SamTemplateTest {
  static final Path TEMPLATE = Path.of("template.yaml");
  private static String text;
  private static JsonNode template;
  private static JsonNode function;

  @BeforeAll
  static void parse() throws Exception {
    text = Files.readString(TEMPLATE);
    template = new ObjectMapper(new YAMLFactory()).readTree(text);
    function = template.at("/Resources/OrdersFunction/Properties");
  }

  @Test
  void parsesAsPlainYaml_withLongFormIntrinsicsOnly() {
    assertThat(template.get("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
    assertThat(template.at("/Resources/OrdersFunction/Type").asText()).isEqualTo("AWS::Serverless::Function");
    // Short forms (!Ref, !Sub, ...) are YAML tags a plain parser would read as plain strings.
    assertThat(Pattern.compile("![A-Z][A-Za-z]+").matcher(text).find()).as("short-form intrinsic").isFalse();
  }

  @Test
  void handler_existsAndIsALambdaHandler_onASupportedJavaRuntime() throws Exception {
    String[] handler = function.get("Handler").asText().split("::");
    Class<?> type = Class.forName(handler[0]);

    assertThat(RequestHandler.class).isAssignableFrom(type);
    assertThat(type.getMethods()).anySatisfy(m -> assertThat(m.getName()).isEqualTo(handler[1]));
    assertThat(type.getConstructor()).isNotNull(); // Lambda instantiates it with no arguments
    assertThat(function.get("Runtime").asText()).isIn("java17", "java21", "java25");
    assertThat(function.get("CodeUri").asText()).isEqualTo("target/msk-producer-lambda-example.jar");
  }

  @Test
  void everyEnvironmentVariable_isOneTheCodeReads_andNoneIsReservedByLambda() {
    Set<String> read = new HashSet<>(MskProducerBuilder.ENVIRONMENT_VARIABLES);
    read.addAll(io.github.mskproducer.lambda.LambdaProducer.ENVIRONMENT_VARIABLES);
    read.add(OrdersSqsHandler.TOPIC_VARIABLE);
    List<String> set = new ArrayList<>();
    function.at("/Environment/Variables").fieldNames().forEachRemaining(set::add);

    assertThat(set).isNotEmpty().allMatch(read::contains).contains("MSK_BOOTSTRAP_SERVERS");
    // Lambda sets these itself; a template may not.
    assertThat(set).doesNotContain("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void iamPolicy_isExactlyTheFourActions_onTheClusterAndTopicArns() {
    JsonNode statements = null;
    for (JsonNode policy : function.get("Policies")) {
      if (policy.has("Statement")) {
        statements = policy.get("Statement");
      }
    }
    assertThat(statements).isNotNull();
    Set<String> actions = new HashSet<>();
    for (JsonNode s : statements) {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      List<String> these = new ArrayList<>();
      s.get("Action").forEach(a -> these.add(a.asText()));
      actions.addAll(these);
      JsonNode resource = s.get("Resource");
      if (these.contains("kafka-cluster:Connect")) {
        assertThat(these).containsExactlyInAnyOrder("kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently");
        assertThat(resource.get("Ref").asText()).isEqualTo("ClusterArn");
      } else {
        assertThat(these).containsExactlyInAnyOrder("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData");
        assertThat(resource.at("/Fn::Sub/0").asText())
            .isEqualTo("arn:${AWS::Partition}:kafka:${AWS::Region}:${AWS::AccountId}:topic/${ClusterName}/${ClusterUuid}/${TopicName}");
      }
    }
    assertThat(actions)
        .containsExactlyInAnyOrder(
            "kafka-cluster:Connect", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:WriteDataIdempotently");
    assertThat(text).doesNotContain("kafka-cluster:*").doesNotContain("\"*\"");
  }

  @Test
  void topicArn_isBuiltFromTheClusterArnsNameAndUuid() {
    JsonNode vars = function.at("/Policies").findValue("Fn::Sub").get(1);
    assertThat(vars.at("/ClusterName/Fn::Select/0").asInt()).isEqualTo(1);
    assertThat(vars.at("/ClusterUuid/Fn::Select/0").asInt()).isEqualTo(2);
    assertThat(vars.at("/ClusterName/Fn::Select/1/Fn::Split/0").asText()).isEqualTo("/");
    // What Fn::Split gives for a real cluster ARN: [arn:...:cluster, name, uuid].
    String[] parts = "arn:aws:kafka:us-east-1:123456789012:cluster/demo/8c6b6e3a-1c1b-4c8f-9d57-1b2a3c4d5e6f-2".split("/");
    assertThat(parts[1]).isEqualTo("demo");
    assertThat(parts[2]).startsWith("8c6b6e3a");
  }

  @Test
  void parameterPatterns_acceptMskValues_andRefuseTheWrongPort() {
    Pattern brokers = Pattern.compile(template.at("/Parameters/BootstrapBrokers/AllowedPattern").asText());
    Pattern cluster = Pattern.compile(template.at("/Parameters/ClusterArn/AllowedPattern").asText());

    assertThat(brokers.matcher("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9098").matches()).isTrue();
    assertThat(brokers.matcher("boot-abc.c2.kafka-serverless.us-east-1.amazonaws.com:9098").matches()).isTrue();
    assertThat(brokers.matcher("b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com:9094").matches()).isFalse();
    assertThat(cluster.matcher("arn:aws:kafka:us-east-1:123456789012:cluster/demo/8c6b6e3a-1c1b-4c8f-9d57-1b2a3c4d5e6f-2").matches()).isTrue();
    assertThat(cluster.matcher("arn:aws:kafka:us-east-1:123456789012:topic/demo/uuid/orders").matches()).isFalse();
  }

  @Test
  void vpc_securityGroups_snapStart_andSqs_asRecommended() {
    assertThat(function.at("/VpcConfig/SubnetIds/Ref").asText()).isEqualTo("SubnetIds");
    assertThat(function.at("/VpcConfig/SecurityGroupIds/0/Fn::GetAtt/0").asText()).isEqualTo("FunctionSecurityGroup");
    JsonNode egress = template.at("/Resources/FunctionSecurityGroup/Properties/SecurityGroupEgress");
    assertThat(egress).hasSize(1);
    assertThat(egress.get(0).get("FromPort").asInt()).isEqualTo(9098);
    assertThat(egress.get(0).get("ToPort").asInt()).isEqualTo(9098);
    JsonNode ingress = template.at("/Resources/ClusterIngressFromFunction/Properties");
    assertThat(ingress.get("FromPort").asInt()).isEqualTo(9098);
    assertThat(ingress.at("/SourceSecurityGroupId/Fn::GetAtt/0").asText()).isEqualTo("FunctionSecurityGroup");

    assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
    assertThat(function.get("AutoPublishAlias").asText()).isNotBlank();
    assertThat(function.get("MemorySize").asInt()).isGreaterThanOrEqualTo(512);
    int timeout = function.get("Timeout").asInt();
    assertThat(timeout).isGreaterThanOrEqualTo(15);

    JsonNode sqs = function.at("/Events/Orders/Properties");
    assertThat(sqs.get("FunctionResponseTypes").get(0).asText()).isEqualTo("ReportBatchItemFailures");
    JsonNode queue = template.at("/Resources/OrdersQueue/Properties");
    assertThat(queue.get("VisibilityTimeout").asInt()).isGreaterThanOrEqualTo(6 * timeout);
    assertThat(queue.at("/RedrivePolicy/maxReceiveCount").asInt()).isPositive();
  }
}
