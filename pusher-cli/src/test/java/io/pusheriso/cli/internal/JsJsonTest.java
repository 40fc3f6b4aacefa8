package io.pusheriso.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Expected values are what node's JSON.stringify(JSON.parse(input)) prints. */
class JsJsonTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1.0 | 1",
        "-0 | 0",
        "-0.0 | 0",
        "1e21 | 1e+21",
        "123456789012345678901 | 123456789012345680000",
        "1152921504606846976 | 1152921504606847000",
        "0.1 | 0.1",
        "0.000001 | 0.000001",
        "0.0000001 | 1e-7",
        "1.5e-10 | 1.5e-10",
        "123.456 | 123.456",
        "-2.5E+3 | -2500",
        "1e400 | null",
        "5e-324 | 5e-324",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "[] | []",
        "{\"b\":1,\"a\":2,\"10\":3,\"9\":4,\"01\":5,\"-1\":6} | {\"9\":4,\"10\":3,\"b\":1,\"a\":2,\"01\":5,\"-1\":6}",
        "{\"a\":1,\"a\":2,\"b\":3} | {\"a\":2,\"b\":3}",
        "\"\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\u00e9\" | \"\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\u00e9\"",
        "\"\\ud800\" | \"\\ud800\"",
        "\"\\ud83d\\ude00\" | \"\ud83d\ude00\"",
        " {\"x\" : [ true , false , null ] } | {\"x\":[true,false,null]}",
      })
  void stringifyOfParse_isJavaScripts(String input, String expected) {
    assertThat(JsJson.parse(input).map(JsJson::stringify)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"''", "'1 2'", "'{'", "'NaN'", "'01'", "'{\"a\":1,}'", "'hello'", "'[1]x'"})
  void notJson_isEmpty(String input) {
    assertThat(JsJson.parse(input)).isEmpty();
  }

  @Test
  void arrayIndexKeys_stopAtTheLargestIndex() {
    assertThat(JsJson.isArrayIndex("4294967294")).isTrue();
    assertThat(JsJson.isArrayIndex("4294967295")).isFalse();
    assertThat(JsJson.isArrayIndex("0")).isTrue();
    assertThat(JsJson.isArrayIndex("00")).isFalse();
  }
}
