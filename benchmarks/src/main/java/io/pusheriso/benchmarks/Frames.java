package io.pusheriso.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The shared frame fixtures ({@code src/main/resources/frames/*.json}, made by {@code fixtures/make-frames.js}):
 * exact wire frames as a Pusher server sends them, one file per frame, no trailing newline.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Frames {

    /** The fixture ids, in the order reports list them (the ids of reference/performance.md, section 5). */
    public static final List<String> ALL = List.of(
            "public",                  // F1
            "presence_added",          // F2
            "encrypted",               // F3
            "large",                   // F4
            "connection_established",  // F6a
            "presence_snapshot");      // F6b

    private Frames() {}

    /**
     * Returns the UTF-8 bytes of one fixture.
     *
     * @param id one of {@link #ALL}
     * @return a new array holding the frame
     * @throws IllegalArgumentException if there is no such fixture
     */
    public static byte[] load(String id) {
        try (InputStream in = Frames.class.getResourceAsStream("/frames/" + id + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no frame fixture '" + id + "'; known: " + ALL);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read frame fixture '" + id + "'", e);
        }
    }
}
