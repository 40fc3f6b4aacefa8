package io.pusheriso.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The data of {@code pusher_internal:watchlist_events}:
 * {@code {"events":[{"name":"online","user_ids":["1","2"]}]}}. Immutable; thread-safe.
 *
 * @param changes the changes in the server's order
 * @since 0.1.0
 */
public record WatchlistEvents(List<Change> changes) {
    private static final String WHAT = "pusher_internal:watchlist_events";

    /**
     * Makes an unmodifiable copy of the list.
     *
     * @param changes the changes
     */
    public WatchlistEvents {
        changes = List.copyOf(changes);
    }

    /**
     * One watchlist change. Immutable; thread-safe.
     *
     * @param name {@code "online"} or {@code "offline"} (other names are passed through)
     * @param userIds the users concerned; numeric ids become their text
     */
    public record Change(String name, List<String> userIds) {
        /**
         * Makes an unmodifiable copy of the list.
         *
         * @param name the change's name
         * @param userIds the users concerned
         */
        public Change {
            userIds = List.copyOf(userIds);
        }
    }

    /**
     * Reads the view from a frame.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing or malformed, {@code events} is not an
     *     array, or an event lacks a string {@code name} or a {@code user_ids} array
     */
    public static WatchlistEvents from(PusherFrame frame) {
        return JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
            in.startObject(null);
            List<Change> changes = null;
            for (String field; (field = in.nextField()) != null; ) {
                if (!field.equals("events")) {
                    in.skip();
                    continue;
                }
                if (in.parser.currentToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    throw in.wrong("events", "an array");
                }
                changes = new ArrayList<>();
                while (in.parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    String at = "events[" + changes.size() + "]";
                    in.startObject(at);
                    String name = null;
                    List<String> ids = null;
                    for (String f; (f = in.nextField()) != null; ) {
                        switch (f) {
                            case "name":
                                name = in.string(at + ".name");
                                break;
                            case "user_ids":
                                ids = in.ids(at + ".user_ids");
                                break;
                            default:
                                in.skip();
                        }
                    }
                    if (name == null) {
                        throw in.missing(at + ".name");
                    }
                    if (ids == null) {
                        throw in.missing(at + ".user_ids");
                    }
                    changes.add(new Change(name, ids));
                }
            }
            if (changes == null) {
                throw in.missing("events");
            }
            return new WatchlistEvents(changes);
        });
    }
}
