package io.pusheriso.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The member snapshot of a presence channel, from {@code pusher_internal:subscription_succeeded}:
 * {@code {"presence":{"ids":["1","2"],"hash":{"1":{..},"2":{..}},"count":2}}}.
 * Immutable (unmodifiable collections); thread-safe.
 *
 * @param ids the member ids in the server's order; numeric ids become their text
 * @param infoJsonById each member's {@code user_info} as raw JSON text ({@code "null"} when the
 *     hash has none), in the order of {@code ids}, then any members only the hash names
 * @param count the member count (the number of ids when the server omits it)
 * @since 0.1.0
 */
public record PresenceSnapshot(List<String> ids, Map<String, String> infoJsonById, int count) {
    private static final String WHAT = "pusher_internal:subscription_succeeded";

    /**
     * Makes unmodifiable copies of the collections.
     *
     * @param ids the member ids
     * @param infoJsonById each member's info as raw JSON text
     * @param count the member count
     */
    public PresenceSnapshot {
        ids = List.copyOf(ids);
        infoJsonById = Collections.unmodifiableMap(new LinkedHashMap<>(infoJsonById));
    }

    /**
     * Reads the view from a frame. {@code ids} may be absent (then the hash's keys are used), as
     * may {@code hash} (every member then has {@code "null"} info) and {@code count}.
     *
     * @param frame the frame
     * @return the view
     * @throws ProtocolException if the data is missing or malformed, has no {@code presence}
     *     object, or one of its fields has the wrong type
     */
    public static PresenceSnapshot from(PusherFrame frame) {
        return JsonData.parse(WHAT, JsonData.dataOf(frame, WHAT), in -> {
            in.startObject(null);
            PresenceSnapshot snapshot = null;
            for (String field; (field = in.nextField()) != null; ) {
                if (field.equals("presence")) {
                    snapshot = presence(in);
                } else {
                    in.skip();
                }
            }
            if (snapshot == null) {
                throw in.missing("presence");
            }
            return snapshot;
        });
    }

    private static PresenceSnapshot presence(JsonData in) throws java.io.IOException {
        in.startObject("presence");
        List<String> ids = null;
        Map<String, String> hash = null;
        Integer count = null;
        for (String field; (field = in.nextField()) != null; ) {
            switch (field) {
                case "ids":
                    ids = in.ids("presence.ids");
                    break;
                case "hash":
                    in.startObject("presence.hash");
                    hash = new LinkedHashMap<>();
                    for (String id; (id = in.nextField()) != null; ) {
                        hash.put(id, in.rawValue());
                    }
                    break;
                case "count":
                    count = in.nonNegative("presence.count");
                    break;
                default:
                    in.skip();
            }
        }
        if (ids == null) {
            ids = hash == null ? List.of() : new ArrayList<>(hash.keySet());
        }
        Map<String, String> info = new LinkedHashMap<>();
        for (String id : ids) {
            String json = hash == null ? null : hash.get(id);
            info.put(id, json == null ? "null" : json);
        }
        if (hash != null) {
            for (Map.Entry<String, String> e : hash.entrySet()) {
                info.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        return new PresenceSnapshot(ids, info, count == null ? ids.size() : count);
    }
}
