package io.github.mskproducer.core.internal.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one small JSON writer of core and lambda (which have no JSON library on the class path):
 * objects and arrays of strings, numbers, booleans and nulls, in insertion order, escaped as RFC
 * 8259 requires. A non-finite number is written as null.
 */
public final class Json {
  private Json() {}

  /** A new, empty object. */
  public static Obj object() {
    return new Obj();
  }

  /** A JSON array of these values. */
  public static Arr array(Iterable<?> values) {
    Arr a = new Arr();
    values.forEach(a.values::add);
    return a;
  }

  /** A JSON object, written by {@link #toString()}. */
  public static final class Obj {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Obj() {}

    /** Sets a field; null writes {@code null}. */
    public Obj put(String key, Object value) {
      fields.put(key, value);
      return this;
    }

    /** Sets a field unless the value is null. */
    public Obj putIfNotNull(String key, Object value) {
      if (value != null) {
        fields.put(key, value);
      }
      return this;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      write(sb, this);
      return sb.toString();
    }
  }

  /** A JSON array, written by {@link #toString()}. */
  public static final class Arr {
    private final List<Object> values = new ArrayList<>();

    private Arr() {}

    /** Appends a value. */
    public Arr add(Object value) {
      values.add(value);
      return this;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      write(sb, this);
      return sb.toString();
    }
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Obj) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Obj) v).fields.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof Arr) {
      sb.append('[');
      boolean first = true;
      for (Object item : ((Arr) v).values) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, item);
      }
      sb.append(']');
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? v.toString() : "null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      quote(sb, v.toString());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
