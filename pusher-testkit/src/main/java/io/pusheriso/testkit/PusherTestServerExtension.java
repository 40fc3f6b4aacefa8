package io.pusheriso.testkit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one {@link PusherTestServer} for a test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PusherTestServerExtension SERVER = new PusherTestServerExtension();
 *
 * @Test
 * void receivesEvents() {
 *     URI uri = SERVER.server().wsUri();
 *     ...
 * }
 * }</pre>
 *
 * <p>The server starts before all tests of the class, its faults are reset before each test, and it is closed after
 * all tests. {@code @Nested} classes share the outer class's server (it closes when the outermost class ends).
 * Register it on a {@code static} field. Thread-safe.
 */
public final class PusherTestServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final PusherTestServer.Builder builder;
    private PusherTestServer server;
    private int depth;

    /** An extension for a server with the defaults. */
    public PusherTestServerExtension() {
        this(PusherTestServer.builder());
    }

    /**
     * An extension for a server with these settings.
     *
     * @param builder the settings; started in {@code beforeAll}
     */
    public PusherTestServerExtension(PusherTestServer.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth++ == 0) {
            server = builder.start();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server().faults().reset();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--depth == 0 && server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * @return the running server
     * @throws IllegalStateException outside the test class's lifetime, or when the extension is not registered on a
     *     static field
     */
    public synchronized PusherTestServer server() {
        if (server == null) {
            throw new IllegalStateException("the Pusher test server is not running: register PusherTestServerExtension "
                    + "with @RegisterExtension on a static field and use it from the tests of that class");
        }
        return server;
    }
}
