package org.switchboard.examples;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.switchboard.testing.RedisServer;

/**
 * One real redis-server for a test class ({@code @RegisterExtension static final SharedRedis redis = new SharedRedis();}),
 * started before its first test and stopped after its last; each test takes a room name of its own
 * ({@link #newRoom()}), so that tests never see each other's messages.
 */
final class SharedRedis implements BeforeAllCallback, AfterAllCallback {

    private final AtomicInteger rooms = new AtomicInteger();
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    String uri() {
        return server.uri();
    }

    int port() {
        return server.port();
    }

    /** A room name no other test of the class uses. */
    String newRoom() {
        return "test" + rooms.incrementAndGet();
    }
}
