package io.github.mskproducer.core.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's output, read back by a real JSON parser (Jackson, a test dependency here). */
class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everyAwkwardCharacter_survivesARoundTrip() throws Exception {
    String nasty = "quote \" backslash \\ newline \n cr \r tab \t bell \u0007 nul \u0000 sep \u2028 é 😀";
    String json = Json.object().put("s", nasty).toString();
    assertThat(MAPPER.readTree(json).get("s").asText()).isEqualTo(nasty);
    assertThat(json).doesNotContain("\n", "\u0000", "\u2028");
  }

  @Test
  void typesNullsNestingAndOrder() throws Exception {
    String json =
        Json.object()
            .put("n", 42)
            .put("d", 1.5)
            .put("nan", Double.NaN)
            .put("b", true)
            .put("nil", null)
            .putIfNotNull("skipped", null)
            .put("arr", Json.array(List.of("a", 1)).add(Json.object().put("x", "y")))
            .toString();
    JsonNode n = MAPPER.readTree(json);
    assertThat(n.get("n").asInt()).isEqualTo(42);
    assertThat(n.get("d").asDouble()).isEqualTo(1.5);
    assertThat(n.get("nan").isNull()).isTrue();
    assertThat(n.get("b").asBoolean()).isTrue();
    assertThat(n.get("nil").isNull()).isTrue();
    assertThat(n.has("skipped")).isFalse();
    assertThat(n.get("arr").get(2).get("x").asText()).isEqualTo("y");
    assertThat(json).startsWith("{\"n\":42,\"d\":1.5,");
  }
}
