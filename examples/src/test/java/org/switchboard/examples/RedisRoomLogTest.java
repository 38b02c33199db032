package org.switchboard.examples;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.switchboard.testing.RedisServer;

/** {@link RoomLogContract} for the Redis room, on a real redis-server started for this class; each test has a room of its own. */
class RedisRoomLogTest extends RoomLogContract {

    private static RedisServer redis;
    private static final AtomicInteger ROOMS = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    RoomLog newRoom(int history, long ttlMillis) {
        return RedisRoomLog.connect(new RoomOptions(redis.uri(), "contract" + ROOMS.incrementAndGet(), history, Duration.ofMillis(ttlMillis)));
    }

    @Override
    void letTimePass(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
