package io.github.mskproducer.lambda.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A one-line JSON object of strings and numbers, for structured logs and EMF. */
public final class JsonLine {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public JsonLine put(String key, Object value) {
    if (value != null) {
      fields.put(key, value);
    }
    return this;
  }

  /** Adds raw JSON (already serialized) under a key. */
  public JsonLine putRaw(String key, String json) {
    fields.put(key, new Raw(json));
    return this;
  }

  private static final class Raw {
    final String json;

    Raw(String json) {
      this.json = json;
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      quote(sb, e.getKey()).append(':');
      Object v = e.getValue();
      if (v instanceof Raw) {
        sb.append(((Raw) v).json);
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        quote(sb, String.valueOf(v));
      }
    }
    return sb.append('}').toString();
  }

  public static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"');
  }
}
