package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RoomLog} engine does, run against each ({@link InMemoryRoomLogTest}, and
 * {@link RedisRoomLogTest} on a real redis-server): positions, one order for subscribers, replay
 * after a position or an explicit "gone", session records and the exactly-once append.
 */
abstract class RoomLogContract {

    static final int WAIT_SECONDS = 10;

    private final List<RoomLog> opened = new ArrayList<>();

    /** A fresh, empty room keeping {@code history} messages, sessions living {@code ttlMillis} without use. */
    abstract RoomLog newRoom(int history, long ttlMillis) throws Exception;

    /** Lets {@code millis} of session time pass (a clock for memory, real time for Redis). */
    abstract void letTimePass(long millis) throws Exception;

    final RoomLog room(int history, long ttlMillis) throws Exception {
        RoomLog room = newRoom(history, ttlMillis);
        opened.add(room);
        return room;
    }

    @AfterEach
    void closeRooms() {
        opened.forEach(RoomLog::close);
    }

    static ChatMessage message(String text) {
        return new ChatMessage(null, "tester", text, "http", Instant.parse("2026-01-01T00:00:00Z"));
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void appendGivesIncreasingPositionsOfOneEpochAndSubscribersHearEachOnceInOrder() throws Exception {
        RoomLog room = room(100, 60_000);
        List<ChatMessage> heard = new CopyOnWriteArrayList<>();
        room.subscribe(heard::add);

        List<CompletableFuture<ChatMessage>> appends = IntStream.range(0, 50)
            .mapToObj(i -> room.append(message("m" + i)).toCompletableFuture()).toList();
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<ChatMessage> append : appends)
            ids.add(await(append).id());

        List<RoomPosition> positions = ids.stream().map(id -> RoomPosition.parse(id).orElseThrow()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(positions.stream().map(RoomPosition::epoch).distinct()).hasSize(1);
        awaitSize(heard, 50);
        assertThat(heard).extracting(ChatMessage::id).containsExactlyElementsOf(ids);
        assertThat(heard).extracting(ChatMessage::text).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void readAfterAnswersTheMessagesAfterAPositionInOrderAndSaysWhenMoreFollow() throws Exception {
        RoomLog room = room(100, 60_000);
        List<ChatMessage> stored = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            stored.add(await(room.append(message("m" + i))));

        RoomLog.Replay all = await(room.readAfter(stored.get(3).id(), 100));
        assertThat(all).isInstanceOf(RoomLog.Replay.Entries.class);
        assertThat(((RoomLog.Replay.Entries) all).messages()).containsExactlyElementsOf(stored.subList(4, 10));
        assertThat(((RoomLog.Replay.Entries) all).more()).isFalse();

        RoomLog.Replay some = await(room.readAfter(stored.get(3).id(), 2));
        assertThat(((RoomLog.Replay.Entries) some).messages()).containsExactlyElementsOf(stored.subList(4, 6));
        assertThat(((RoomLog.Replay.Entries) some).more()).isTrue();

        RoomLog.Replay none = await(room.readAfter(stored.get(9).id(), 100));
        assertThat(((RoomLog.Replay.Entries) none).messages()).isEmpty();
    }

    @Test
    void readAfterAMalformedPositionOrOneOfAnotherEpochIsGone() throws Exception {
        RoomLog room = room(100, 60_000);
        ChatMessage stored = await(room.append(message("m")));
        RoomPosition position = RoomPosition.parse(stored.id()).orElseThrow();
        String otherEpoch = new RoomPosition(position.epoch().equals("abc") ? "abd" : "abc", position.major(), position.minor()).toString();

        for (String bad : List.of("", "nonsense", "zz-1-0", "abc-1", "abc--1-0", "a".repeat(500), "abc-99999999999999999999-0"))
            assertThat(await(room.readAfter(bad, 10))).as(bad).isInstanceOf(RoomLog.Replay.Gone.class);
        assertThat(await(room.readAfter(otherEpoch, 10))).isInstanceOf(RoomLog.Replay.Gone.class);
        assertThat(((RoomLog.Replay.Gone) await(room.readAfter(otherEpoch, 10))).reason()).contains("epoch");
    }

    @Test
    void readAfterAPositionTrimmedFromTheHistoryIsGone() throws Exception {
        // Redis trims with MAXLEN ~ N: whole nodes (100 entries by default), so enough messages that one goes.
        RoomLog room = room(5, 60_000);
        ChatMessage first = await(room.append(message("first")));
        List<CompletableFuture<ChatMessage>> more = IntStream.range(0, 400)
            .mapToObj(i -> room.append(message("m" + i)).toCompletableFuture()).toList();
        ChatMessage last = null;
        for (CompletableFuture<ChatMessage> append : more)
            last = await(append);

        RoomLog.Replay replay = await(room.readAfter(first.id(), 1000));
        assertThat(replay).isInstanceOf(RoomLog.Replay.Gone.class);
        assertThat(((RoomLog.Replay.Gone) replay).reason()).contains("trimmed");
        assertThat(await(room.readAfter(last.id(), 10))).isEqualTo(new RoomLog.Replay.Entries(List.of(), false));
    }

    @Test
    void aSessionRecordCountsItsMessagesAndAcknowledgementsAndUnknownTokensAreSaidSo() throws Exception {
        RoomLog room = room(100, 60_000);
        assertThat(await(room.session("nobody"))).isEmpty();
        assertThat(await(room.session("not a token!"))).isEmpty();
        assertThat(await(room.openSession("t1"))).isEqualTo(new RoomLog.SessionRecord("t1", 0, null, 0));

        RoomLog.SessionAppend one = await(room.appendForSession("t1", 1, message("one")));
        assertThat(one).isInstanceOf(RoomLog.SessionAppend.Appended.class);
        ChatMessage stored = ((RoomLog.SessionAppend.Appended) one).message();
        assertThat(stored.text()).isEqualTo("one");
        assertThat(stored.id()).isNotNull();

        assertThat(await(room.appendForSession("t1", 1, message("one again")))).isEqualTo(new RoomLog.SessionAppend.AlreadyThere(1));
        assertThat(await(room.appendForSession("t1", 2, message("two")))).isInstanceOf(RoomLog.SessionAppend.Appended.class);
        assertThat(await(room.appendForSession("nobody", 1, message("x")))).isEqualTo(new RoomLog.SessionAppend.UnknownSession());

        assertThat(await(room.acknowledge("t1", stored.id(), 1))).contains(new RoomLog.SessionRecord("t1", 2, stored.id(), 1));
        assertThat(await(room.acknowledge("t1", "older", 0))).as("acknowledgements only move forward")
            .contains(new RoomLog.SessionRecord("t1", 2, stored.id(), 1));
        assertThat(await(room.acknowledge("nobody", stored.id(), 1))).isEmpty();
        assertThat(await(room.session("t1"))).contains(new RoomLog.SessionRecord("t1", 2, stored.id(), 1));

        RoomLog.Replay replay = await(room.readAfter(stored.id(), 10));
        assertThat(((RoomLog.Replay.Entries) replay).messages()).extracting(ChatMessage::text).containsExactly("two");
    }

    @Test
    void concurrentAppendsOfOneSessionMessageStoreItOnce() throws Exception {
        RoomLog room = room(100, 60_000);
        await(room.openSession("racer"));
        List<CompletableFuture<RoomLog.SessionAppend>> tries = IntStream.range(0, 20)
            .mapToObj(i -> room.appendForSession("racer", 1, message("once")).toCompletableFuture()).toList();
        int appended = 0;
        for (CompletableFuture<RoomLog.SessionAppend> attempt : tries) {
            RoomLog.SessionAppend answer = await(attempt);
            if (answer instanceof RoomLog.SessionAppend.Appended)
                appended++;
            else
                assertThat(answer).isEqualTo(new RoomLog.SessionAppend.AlreadyThere(1));
        }
        assertThat(appended).isEqualTo(1);
    }

    @Test
    void aSessionUnusedForItsTtlExpiresAndUseKeepsItAlive() throws Exception {
        RoomLog room = room(100, 300);
        await(room.openSession("short"));
        await(room.openSession("kept"));
        for (int i = 0; i < 4; i++) {
            letTimePass(100);
            assertThat(await(room.session("kept"))).as("used every 100 ms of a 300 ms TTL").isPresent();
        }
        assertThat(awaitExpired(room, "short")).isEmpty();
        assertThat(await(room.appendForSession("short", 1, message("late")))).isEqualTo(new RoomLog.SessionAppend.UnknownSession());
    }

    /** The session's record once it has expired, waiting (letting time pass) at most {@value #WAIT_SECONDS} s. */
    private Optional<RoomLog.SessionRecord> awaitExpired(RoomLog room, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Optional<RoomLog.SessionRecord> record = await(room.session(token));
        while (record.isPresent() && System.nanoTime() < deadline) {
            letTimePass(100);
            record = await(room.session(token));
        }
        return record;
    }

    static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (list.size() < size && System.nanoTime() < deadline)
            Thread.sleep(10);
        assertThat(list).hasSize(size);
    }
}
