package org.switchboard.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** {@link RoomLogContract} for the in-memory room, its session clock moved by the test. */
class InMemoryRoomLogTest extends RoomLogContract {

    private final MovableClock clock = new MovableClock();

    @Override
    RoomLog newRoom(int history, long ttlMillis) {
        return new InMemoryRoomLog(history, Duration.ofMillis(ttlMillis), clock);
    }

    @Override
    void letTimePass(long millis) {
        clock.now = clock.now.plusMillis(millis);
    }

    private static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
