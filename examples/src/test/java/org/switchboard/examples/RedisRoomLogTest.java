package org.switchboard.examples;

import java.time.Duration;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RoomLogContract} for the Redis room, on a real redis-server started for this class; each test has a room of its own. */
class RedisRoomLogTest extends RoomLogContract {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    @Override
    RoomLog newRoom(int history, long ttlMillis) {
        return RedisRoomLog.connect(new RoomOptions(redis.uri(), redis.newRoom(), history, Duration.ofMillis(ttlMillis)));
    }

    @Override
    void letTimePass(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
