package io.github.mskproducer.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;

/**
 * The event the examples publish: an order, as JSON, keyed by its id so that the events of one
 * order stay in order on one partition.
 *
 * @param orderId the order's id (1 to 64 letters, digits, {@code -} or {@code _})
 * @param customerId the customer's id (not blank)
 * @param amountCents the amount in the currency's minor unit (zero or more)
 * @param currency the ISO 4217 code, e.g. {@code EUR}
 */
public record Order(String orderId, String customerId, long amountCents, String currency) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** The mapper the examples share: unknown fields are an error, not silently dropped. */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  /**
   * Checks every field.
   *
   * @param orderId the order's id
   * @param customerId the customer's id
   * @param amountCents the amount in minor units
   * @param currency the currency code
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public Order {
    if (orderId == null || !ID.matcher(orderId).matches()) {
      throw new IllegalArgumentException("orderId must be 1 to 64 letters, digits, - or _; was " + orderId);
    }
    if (customerId == null || customerId.isBlank()) {
      throw new IllegalArgumentException("customerId must not be blank");
    }
    if (amountCents < 0) {
      throw new IllegalArgumentException("amountCents must be zero or more, was " + amountCents);
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR, was " + currency);
    }
  }

  /**
   * Parses and checks an order.
   *
   * @param json e.g. {@code {"orderId":"o-1","customerId":"c-7","amountCents":1250,"currency":"EUR"}}
   * @return the order
   * @throws IllegalArgumentException if the JSON is not a valid order, saying why
   */
  public static Order fromJson(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("an order must be a JSON object, the message was empty");
    }
    try {
      return JSON.readValue(json, Order.class);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new IllegalArgumentException("not a valid order: " + firstLine(cause.getMessage()), e);
    }
  }

  /**
   * The order as JSON.
   *
   * @return the JSON text
   */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an order always serializes", e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
