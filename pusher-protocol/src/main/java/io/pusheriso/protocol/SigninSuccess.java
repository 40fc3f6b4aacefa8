package io.pusheriso.protocol;

import com.fasterxml.jackson.core.JsonToken;

/**
 * The data of {@code pusher:signin_success}: {@code {"user_data":"{\"id\":\"12345\"}"}}.
 * Immutable; thread-safe.
 *
 * @param userDataJson the {@code user_data} JSON text
 * @param userId the user id it holds; a non-empty string
 * @since 0.1.0
 */
public record SigninSuccess(String userDataJson, String userId) {
    private static final String WHAT = "pusher:signin_success";

    /**
     * Reads the view from a frame. {@code user_data} is normally a string holding JSON; an object
     * is accepted too.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing or malformed, or {@code user_data} is
     *     missing, malformed, or lacks a non-empty string {@code id}
     */
    public static SigninSuccess from(PusherFrame frame) {
        String userData = JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
            in.startObject(null);
            String json = null;
            for (String field; (field = in.nextField()) != null; ) {
                if (field.equals("user_data")) {
                    if (in.isNull()) {
                        json = null;
                    } else if (in.parser.currentToken() == JsonToken.START_OBJECT) {
                        json = in.rawValue();
                    } else {
                        json = in.string(field);
                    }
                } else {
                    in.skip();
                }
            }
            if (json == null) {
                throw in.missing("user_data");
            }
            return json;
        });
        return new SigninSuccess(userData, UserData.parse(userData).id());
    }
}
