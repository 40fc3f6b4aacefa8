package io.pusheriso;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code {"vectors":[{"name":"string",...}]}} test-vector files of /work/shared/data. */
public final class JsonVectors {

  private JsonVectors() {}

  /** The vectors of the class-path resource {@code name}, relative to {@code anchor}'s package. */
  public static List<Map<String, String>> load(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      try (JsonParser parser = new JsonFactory().createParser(in)) {
        List<Map<String, String>> vectors = new ArrayList<>();
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (!field.equals("vectors")) {
            parser.skipChildren();
            continue;
          }
          expect(value, JsonToken.START_ARRAY);
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> vector = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String key = parser.currentName();
              expect(parser.nextToken(), JsonToken.VALUE_STRING);
              vector.put(key, parser.getText());
            }
            vectors.add(vector);
          }
        }
        return vectors;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new IllegalStateException("expected " + expected + " but found " + actual);
    }
  }
}
