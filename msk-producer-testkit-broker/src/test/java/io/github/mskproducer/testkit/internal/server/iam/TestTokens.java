package io.github.mskproducer.testkit.internal.server.iam;

import io.github.mskproducer.testkit.internal.control.IamSettings;
import io.github.mskproducer.testkit.internal.control.Identities;
import io.github.mskproducer.testkit.internal.control.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import software.amazon.awssdk.utils.http.SdkHttpUtils;
import software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler;

/** Makes MSK IAM tokens for tests: with aws-msk-iam-auth (the reference), or by hand. */
final class TestTokens {
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private TestTokens() {}

  /** A token minted by aws-msk-iam-auth's IAMOAuthBearerLoginCallbackHandler, now. */
  static String fromAwsMskIamAuth(Identity identity, String region) throws Exception {
    List<String> keys = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken", "aws.region");
    Map<String, String> saved = new java.util.HashMap<>();
    keys.forEach(k -> saved.put(k, System.getProperty(k)));
    try {
      System.setProperty("aws.accessKeyId", identity.accessKeyId());
      System.setProperty("aws.secretAccessKey", identity.secretAccessKey());
      identity
          .sessionToken()
          .ifPresentOrElse(
              t -> System.setProperty("aws.sessionToken", t),
              () -> System.clearProperty("aws.sessionToken"));
      System.setProperty("aws.region", region);
      IAMOAuthBearerLoginCallbackHandler handler = new IAMOAuthBearerLoginCallbackHandler();
      handler.configure(
          Map.of(),
          "OAUTHBEARER",
          List.of(
              new AppConfigurationEntry(
                  OAuthBearerLoginModule.class.getName(),
                  AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                  Map.of())));
      OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
      handler.handle(new Callback[] {callback});
      handler.close();
      return callback.token().value();
    } finally {
      saved.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  /** The standard query parameters of a token, unsigned, in Java's order. */
  static Map<String, String> params(
      Identity identity, String region, Instant date, String expires) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("Action", "kafka-cluster:Connect");
    identity.sessionToken().ifPresent(t -> p.put("X-Amz-Security-Token", t));
    p.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    p.put("X-Amz-Date", AMZ_DATE.format(date));
    p.put("X-Amz-SignedHeaders", "host");
    p.put(
        "X-Amz-Credential",
        identity.accessKeyId()
            + "/"
            + AMZ_DATE.format(date).substring(0, 8)
            + "/"
            + region
            + "/kafka-cluster/aws4_request");
    p.put("X-Amz-Expires", expires);
    return p;
  }

  /** Signs {@code params} for {@code signingIdentity} and appends X-Amz-Signature. */
  static Map<String, String> sign(
      Map<String, String> params,
      String host,
      Identity signingIdentity,
      String region,
      Instant date,
      int expires) {
    Map<String, String> signed = new LinkedHashMap<>(params);
    signed.put(
        "X-Amz-Signature",
        MskIamTokenValidator.sign(host, params, signingIdentity, region, date, expires));
    return signed;
  }

  /** base64url (no padding) of {@code https://<host>/?<params>}, percent-encoded. */
  static String token(String host, Map<String, String> params) {
    StringJoiner q = new StringJoiner("&");
    params.forEach((k, v) -> q.add(SdkHttpUtils.urlEncode(k) + "=" + SdkHttpUtils.urlEncode(v)));
    return encode("https://" + host + "/?" + q);
  }

  static String encode(String url) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
  }
}
