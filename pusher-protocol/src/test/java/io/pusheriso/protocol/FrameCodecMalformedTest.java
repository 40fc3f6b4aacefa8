package io.pusheriso.protocol;

import static io.pusheriso.protocol.Frames.assertRejected;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameCodecMalformedTest {

    // input | message part | offset part. Inputs use ' for " to stay readable.
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|empty input|",
        "`   `|empty input|",
        "[]|a frame must be a JSON object|offset 0",
        "'event'|a frame must be a JSON object|offset 0",
        "null|a frame must be a JSON object|",
        "{|unexpected end of input|offset 1",
        "{'event'|unexpected end of input|offset 8",
        "{'event':|unexpected end of input|offset 9",
        "{'event':'e'|unexpected end of input|offset 12",
        "{'event':'e',|unexpected end of input|offset 13",
        "{'event':'e|unterminated string|offset 9",
        "{'eve|unterminated string|offset 1",
        "{}|no \"event\" field|",
        "{'channel':'c'}|no \"event\" field|",
        "{'event':'e'}}|unexpected data after the end of the frame|offset 13",
        "{'event':'e'} x|unexpected data after the end of the frame|offset 14",
        "{'event':'e'}{}|unexpected data after the end of the frame|offset 13",
        "{'event':'e',}|expected a field name|offset 13",
        "{,'event':'e'}|expected a field name|offset 1",
        "{event:'e'}|expected a field name|offset 1",
        "{'event' 'e'}|expected ':' after a field name|offset 9",
        "{'event':'e' 'channel':'c'}|expected ',' or '}' after a field|offset 13",
        "{'event':'e';'channel':'c'}|expected ',' or '}' after a field|offset 12",
        "{'event':'e','event':'f'}|duplicate \"event\" field|offset 21",
        "{'event':'e','channel':'a','channel':'b'}|duplicate \"channel\" field|",
        "{'event':'e','channel':null,'channel':null}|duplicate \"channel\" field|",
        "{'event':'e','data':1,'data':2}|duplicate \"data\" field|",
        "{'event':'e','data':null,'data':null}|duplicate \"data\" field|",
        "{'event':'e','user_id':1,'user_id':'1'}|duplicate \"user_id\" field|",
        "{'event':null}|\"event\" must be a string|offset 9",
        "{'event':1}|\"event\" must be a string|",
        "{'event':{}}|\"event\" must be a string|",
        "{'event':['e']}|\"event\" must be a string|",
        "{'event':true}|\"event\" must be a string|",
        "{'event':'e','channel':1}|\"channel\" must be a string or null|offset 23",
        "{'event':'e','channel':{}}|\"channel\" must be a string or null|",
        "{'event':'e','channel':true}|\"channel\" must be a string or null|",
        "{'event':'e','channel':nul}|invalid literal, expected 'null'|",
        "{'event':'e','channel':nulL}|invalid literal, expected 'null'|offset 26",
        "{'event':'e','user_id':true}|\"user_id\" must be a string, a number or null|",
        "{'event':'e','user_id':{}}|\"user_id\" must be a string, a number or null|",
        "{'event':'e','user_id':[1]}|\"user_id\" must be a string, a number or null|",
        "{'event':'e','user_id':01}|expected ',' or '}' after a field|",
        "{'event':'e','data':tru}|invalid literal, expected 'true'|",
        "{'event':'e','data':True}|unexpected character, expected a JSON value|",
        "{'event':'e','data':fals}|invalid literal, expected 'false'|offset 24",
        "{'event':'e','data':fals|unexpected end of input|offset 24",
        "{'event':'e','data':undefined}|unexpected character, expected a JSON value|",
        "{'event':'e','data':NaN}|unexpected character, expected a JSON value|",
        "{'event':'e','data':+1}|unexpected character, expected a JSON value|",
        "{'event':'e','data':.5}|unexpected character, expected a JSON value|",
        "{'event':'e','data':-}|invalid number|",
        "{'event':'e','data':1.}|invalid number: a digit must follow '.'|",
        "{'event':'e','data':1e}|invalid number: a digit must follow the exponent|",
        "{'event':'e','data':1e+}|invalid number: a digit must follow the exponent|",
        "{'event':'e','data':0x10}|expected ',' or '}' after a field|",
        "{'event':'e','data':[1,]}|unexpected character, expected a JSON value|",
        "{'event':'e','data':[1 2]}|expected ',' or ']' in an array|",
        "{'event':'e','data':[}|unexpected character, expected a JSON value|",
        "{'event':'e','data':[1}|expected ',' or ']' in an array|",
        "{'event':'e','data':{]}|expected a field name|",
        "{'event':'e','data':{'a'}}|expected ':' after a field name|",
        "{'event':'e','data':{'a':1,}}|expected a field name|",
        "{'event':'e','data':{'a':1 'b':2}}|expected ',' or '}' in an object|",
        "{'event':'e','data':{1:2}}|expected a field name|",
        "{'event':'e','data':'\\x'}|invalid escape sequence in a string|",
        "{'event':'e','data':'\\u12'}|invalid \\u escape: expected 4 hex digits|",
        "{'event':'e','data':'\\u12G4'}|invalid \\u escape: expected 4 hex digits|",
        "{'event':'e','data':'\\u123G'}|invalid \\u escape: expected 4 hex digits|offset 26",
        "{'event':'e','data':'\\u123'}|invalid \\u escape: expected 4 hex digits|offset 26",
        "{'event':'e','data':'\\u123|unexpected end of input|offset 26",
        "{'event':'e','data':'abc|unterminated string|",
        "{'event':'e','data':'abc\\'}|unterminated string|",
        "{'event':'e','data':[[[[|unexpected end of input|",
        "{'event':'e','data':{'a':{'b':|unexpected end of input|",
        "{'event':'e','x':}|unexpected character, expected a JSON value|",
        "{'event':'e','x':'\\q'}|invalid escape sequence in a string|",
        "{'event':'e',\"\\z\":1}|invalid escape sequence in a string|",
    })
    void rejectsMalformedFrames(String input, String message, String offset) {
        String json = input.replace('\'', '"');
        if (offset == null) {
            assertRejected(json, message);
        } else {
            assertRejected(json, message, offset + ":");
        }
    }

    @Test
    void rejectsControlCharactersInStrings() {
        for (char c = 0; c < 0x20; c++) {
            assertRejected("{\"event\":\"a" + c + "b\"}", "control character in a string", "offset 11");
            assertRejected("{\"event\":\"e\",\"data\":\"" + c + "\"}", "control character in a string");
        }
        assertRejected("{\"event\":\"e\",\u000b\"data\":1}", "expected a field name");
        assertRejected("{\"event\":\"e\"}\u00a0", "unexpected data after the end of the frame");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[][] bad = {
            {(byte) 0xC3},                          // truncated 2-byte sequence
            {(byte) 0xC0, (byte) 0xAF},             // overlong '/'
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong 3-byte
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-16 surrogate encoded
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80},                          // lone continuation
            {(byte) 0xFF},
            {(byte) 0xE2, (byte) 0x82},             // truncated 3-byte
            {(byte) 0xE2, (byte) 0x28, (byte) 0xA1}, // bad continuation
        };
        for (byte[] seq : bad) {
            byte[] head = "{\"event\":\"e\",\"data\":\"x".getBytes(StandardCharsets.US_ASCII);
            byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
            byte[] frame = new byte[head.length + seq.length + tail.length];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(seq, 0, frame, head.length, seq.length);
            System.arraycopy(tail, 0, frame, head.length + seq.length, tail.length);
            assertRejected(frame, "invalid UTF-8");
        }
        assertRejected(new byte[] {'{', (byte) 0xC3, (byte) 0xA9, '}'}, "expected a field name", "byte 0xC3");
    }

    @Test
    void rejectsTruncatedUtf8AtTheEndOfInput() {
        byte[] frame = "{\"event\":\"é".getBytes(StandardCharsets.UTF_8);
        assertRejected(java.util.Arrays.copyOf(frame, frame.length - 1), "unexpected end of input");
    }

    @Test
    void rejectsEveryTruncationOfAValidFrame() {
        String valid = "{\"event\":\"e\",\"channel\":\"c\",\"data\":\"{\\\"a\\\":[1,2.5e3,true,null,\\\"\\u00e9\\\"]}\","
                + "\"user_id\":12,\"x\":{\"y\":[false]}}";
        for (int n = 0; n < valid.length() - 1; n++) {
            String cut = valid.substring(0, n);
            if (cut.strip().isEmpty()) {
                assertRejected(cut, "empty input");
            } else {
                assertRejected(cut, "Malformed");
            }
        }
    }
}
