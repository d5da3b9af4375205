package io.github.mskproducer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrderTest {
  @Test
  void roundTripsThroughJson() {
    Order o = new Order("o-1", "c-7", 1250, "EUR");
    assertThat(o.toJson()).isEqualTo("{\"orderId\":\"o-1\",\"customerId\":\"c-7\",\"amountCents\":1250,\"currency\":\"EUR\"}");
    assertThat(Order.fromJson(o.toJson())).isEqualTo(o);
  }

  @Test
  void invalidInput_isRefused_namingTheField() {
    assertThatThrownBy(() -> Order.fromJson("")).hasMessageContaining("message was empty");
    assertThatThrownBy(() -> Order.fromJson("not json")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a valid order");
    assertThatThrownBy(() -> Order.fromJson("{\"orderId\":\"o 1\",\"customerId\":\"c\",\"amountCents\":1,\"currency\":\"EUR\"}"))
        .hasMessageContaining("orderId must be");
    assertThatThrownBy(() -> Order.fromJson("{\"orderId\":\"o1\",\"customerId\":\"c\",\"amountCents\":-1,\"currency\":\"EUR\"}"))
        .hasMessageContaining("amountCents must be zero or more");
    assertThatThrownBy(() -> Order.fromJson("{\"orderId\":\"o1\",\"customerId\":\"c\",\"amountCents\":1,\"currency\":\"eur\"}"))
        .hasMessageContaining("currency must be an ISO 4217 code");
    assertThatThrownBy(() -> Order.fromJson("{\"orderId\":\"o1\",\"customerId\":\"c\",\"amountCents\":1,\"currency\":\"EUR\",\"extra\":1}"))
        .hasMessageContaining("extra");
    assertThatThrownBy(() -> Order.fromJson("{\"orderId\":\"o1\"}")).hasMessageContaining("customerId");
  }
}
