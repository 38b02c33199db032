package org.switchboard.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room as a Redis stream, shared by every instance on the same Redis and room name.
 *
 * <ul>
 *   <li><b>Keys.</b> The stream {@code room:NAME} (each entry: {@code e} its epoch, {@code m} the
 *       message's JSON), its epoch {@code room:NAME:epoch} (set once, by whoever finds it missing: a
 *       Redis that lost its data has a new one), session records {@code room:NAME:session:TOKEN}
 *       (a hash: {@code n} messages in the room, {@code ack}, {@code ackn}; {@code PEXPIRE}d on use).</li>
 *   <li><b>Writes</b> are Lua scripts ({@code EVAL}) on one connection with Lettuce's async API, so
 *       no Jetty thread waits: an append is {@code XADD room:NAME MAXLEN ~ N * e EPOCH m JSON}
 *       together with reading (or setting) the epoch; a session's message {@code k} is appended only
 *       if its record counts fewer than {@code k}, atomically with raising the count. That
 *       connection reconnects by itself (Lettuce's watchdog, 100 ms to 2 s apart) and refuses
 *       commands while disconnected; a command not answered in {@value #COMMAND_TIMEOUT_SECONDS} s fails.</li>
 *   <li><b>Reading</b> is one thread of its own with a connection of its own, blocked in
 *       {@code XREAD BLOCK} after this instance's last id: it delivers entries to the subscribers in
 *       stream order, each once. When the connection fails it reconnects (100 ms to 2 s apart), and
 *       reads on from its last id: entries appended meanwhile by other instances are delivered then,
 *       once, in order. If the epoch changed meanwhile (Redis lost the stream), it reads the new
 *       stream from its start.</li>
 * </ul>
 * While Redis cannot be reached, {@link #status()} is down and every operation fails with
 * {@link RoomUnavailableException}; one WARN is logged when it goes down, one INFO when it is back.
 */
public final class RedisRoomLog implements RoomLog {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomLog.class);

    /** How long an async command may take before it fails (and a post answers 503). */
    static final int COMMAND_TIMEOUT_SECONDS = 2;
    /** How long one {@code XREAD} blocks; the reader's connection times out a few seconds later. */
    static final int BLOCK_MILLIS = 2000;
    private static final int READ_BATCH = 100;
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private static final String APPEND = """
        local epoch = redis.call('GET', KEYS[2])
        if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch) end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 'm', ARGV[3])
        return {epoch, id}
        """;
    private static final String SESSION_APPEND = """
        local n = redis.call('HGET', KEYS[3], 'n')
        if not n then return {'unknown'} end
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        if tonumber(n) >= tonumber(ARGV[4]) then return {'there', n} end
        local epoch = redis.call('GET', KEYS[2])
        if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch) end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 'm', ARGV[3])
        redis.call('HSET', KEYS[3], 'n', ARGV[4])
        return {'appended', epoch, id}
        """;
    private static final String READ_AFTER = """
        local epoch = redis.call('GET', KEYS[2])
        if epoch ~= ARGV[1] then return {'epoch'} end
        if ARGV[2] == '0-0' then
          -- Before the first entry: every entry is still there unless one was ever trimmed.
          if redis.call('EXISTS', KEYS[1]) == 1 then
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            for i = 1, #info, 2 do
              if info[i] == 'max-deleted-entry-id' and info[i + 1] ~= '0-0' then return {'gone'} end
            end
          end
        elseif #redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2]) == 0 then return {'gone'} end
        local out = {'ok'}
        for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '(' .. ARGV[2], '+', 'COUNT', ARGV[3])) do
          local fields = entry[2]
          for i = 1, #fields, 2 do
            if fields[i] == 'm' then out[#out + 1] = entry[1]; out[#out + 1] = fields[i + 1] end
          end
        end
        return out
        """;
    private static final String SESSION_OPEN = """
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'n', '0', 'ackn', '0')
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return {'0', false, '0'}
        """;
    private static final String SESSION_GET = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return redis.call('HMGET', KEYS[1], 'n', 'ack', 'ackn')
        """;
    private static final String SESSION_ACKNOWLEDGE = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        if tonumber(ARGV[3]) > tonumber(redis.call('HGET', KEYS[1], 'ackn') or '0') then
          redis.call('HSET', KEYS[1], 'ack', ARGV[2], 'ackn', ARGV[3])
        end
        return redis.call('HMGET', KEYS[1], 'n', 'ack', 'ackn')
        """;

    private final String uri;
    private final String streamKey;
    private final String epochKey;
    private final String sessionPrefix;
    private final int history;
    private final Duration sessionTtl;
    private final ClientResources resources;
    private final RedisClient commandsClient;
    private final RedisClient readerClient;
    private final StatefulRedisConnection<String, String> commands;
    private final RedisAsyncCommands<String, String> async;
    private final RoomSubscribers subscribers = new RoomSubscribers();
    private final Thread reader;
    private volatile boolean running = true;
    private volatile boolean readerConnected;
    /** The reader's connection while it has one: closed by {@link #close()} to end a blocked {@code XREAD}. */
    private volatile StatefulRedisConnection<String, String> readerConnection;
    /** The epoch the reader last saw in Redis (reader thread only, after start). */
    private String readerEpoch;
    /** The id of the last entry the reader delivered (reader thread only, after start). */
    private String lastId;
    /** {@link #lastId} in {@link #readerEpoch}, as a position, for other threads ({@link #heard()}). */
    private volatile String heard;

    private RedisRoomLog(RoomOptions options) {
        this.uri = options.redis();
        this.streamKey = "room:" + options.room();
        this.epochKey = streamKey + ":epoch";
        this.sessionPrefix = streamKey + ":session:";
        this.history = options.history();
        this.sessionTtl = options.sessionTtl();
        RedisURI redisUri = RedisURI.create(uri);
        this.resources = DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(MIN_BACKOFF_MILLIS), Duration.ofMillis(MAX_BACKOFF_MILLIS), 2, TimeUnit.MILLISECONDS))
            .build();
        this.commandsClient = RedisClient.create(resources, redisUri);
        commandsClient.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS)))
            .build());
        // The reader reconnects by itself, so that it notices each reconnection and checks the epoch.
        this.readerClient = RedisClient.create(resources, redisUri);
        readerClient.setOptions(ClientOptions.builder().autoReconnect(false).build());
        StatefulRedisConnection<String, String> connected = null;
        try {
            connected = commandsClient.connect();
            connectReader();
        } catch (RedisException x) {
            if (connected != null)
                connected.close();
            shutDownClients();
            throw new RoomUnavailableException("cannot reach redis at " + uri + ": " + shortMessage(x));
        }
        this.commands = connected;
        this.async = connected.async();
        this.reader = new Thread(this::readLoop, "room-reader-" + options.room());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to the Redis of {@code options} and starts this instance's reader after the stream's
     * last entry.
     *
     * @throws RoomUnavailableException if Redis cannot be reached now (one line, naming it)
     */
    static RedisRoomLog connect(RoomOptions options) {
        return new RedisRoomLog(options);
    }

    @Override
    public String describe() {
        return "redis " + uri + " stream " + streamKey + " (history MAXLEN ~ " + history + ")";
    }

    @Override
    public Status status() {
        return new Status(readerConnected && commands.isOpen(), readerConnected && commands.isOpen() ? "redis: up" : "redis: down");
    }

    @Override
    public CompletionStage<ChatMessage> append(ChatMessage message) {
        String json = Json.write(message);
        return this.<List<Object>>eval(APPEND, new String[] {streamKey, epochKey}, RoomPosition.newEpoch(), Integer.toString(history), json)
            .thenApply(reply -> positioned(message, (String) reply.get(0), (String) reply.get(1)));
    }

    private static ChatMessage positioned(ChatMessage message, String epoch, String streamId) {
        return message.at(RoomPosition.of(epoch, streamId).orElseThrow(() -> new IllegalStateException("redis gave no stream id: " + streamId)));
    }

    @Override
    public CompletionStage<Replay> readAfter(RoomPosition after, int limit) {
        if (limit < 1)
            throw new IllegalArgumentException("limit is at least 1");
        return this.<List<Object>>eval(READ_AFTER, new String[] {streamKey, epochKey}, after.epoch(), after.streamId(), Integer.toString(limit + 1))
            .thenApply(reply -> {
                String verdict = (String) reply.get(0);
                if (verdict.equals("epoch"))
                    return new Replay.Gone("position from another epoch of the room (redis lost its data)");
                if (verdict.equals("gone"))
                    return new Replay.Gone("position no longer in the room's history (trimmed, or unknown)");
                List<ChatMessage> messages = new ArrayList<>();
                for (int i = 1; i + 1 < reply.size() && messages.size() <= limit; i += 2) {
                    ChatMessage message = decode((String) reply.get(i + 1));
                    if (message != null)
                        messages.add(positioned(message, after.epoch(), (String) reply.get(i)));
                }
                boolean more = messages.size() > limit;
                return new Replay.Entries(more ? messages.subList(0, limit) : messages, more);
            });
    }

    @Override
    public void subscribe(Consumer<ChatMessage> subscriber) {
        subscribers.add(subscriber);
    }

    @Override
    public String heard() {
        return heard;
    }

    @Override
    public CompletionStage<SessionRecord> openSession(String token) {
        RoomLog.requireToken(token);
        return this.<List<Object>>eval(SESSION_OPEN, new String[] {sessionPrefix + token}, Long.toString(sessionTtl.toMillis()))
            .thenApply(reply -> record(token, reply));
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> session(String token) {
        if (!RoomLog.isToken(token))
            return CompletableFuture.completedFuture(Optional.empty());
        return this.<List<Object>>eval(SESSION_GET, new String[] {sessionPrefix + token}, Long.toString(sessionTtl.toMillis()))
            .thenApply(reply -> reply.isEmpty() ? Optional.empty() : Optional.of(record(token, reply)));
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> acknowledge(String token, String position, long count) {
        if (!RoomLog.isToken(token))
            return CompletableFuture.completedFuture(Optional.empty());
        return this.<List<Object>>eval(SESSION_ACKNOWLEDGE, new String[] {sessionPrefix + token},
                Long.toString(sessionTtl.toMillis()), String.valueOf(position), Long.toString(count))
            .thenApply(reply -> reply.isEmpty() ? Optional.empty() : Optional.of(record(token, reply)));
    }

    private static SessionRecord record(String token, List<Object> fields) {
        return new SessionRecord(token, Long.parseLong((String) fields.get(0)), (String) fields.get(1),
            fields.get(2) == null ? 0 : Long.parseLong((String) fields.get(2)));
    }

    @Override
    public CompletionStage<SessionAppend> appendForSession(String token, long number, ChatMessage message) {
        if (!RoomLog.isToken(token))
            return CompletableFuture.completedFuture(new SessionAppend.UnknownSession());
        String json = Json.write(message);
        return this.<List<Object>>eval(SESSION_APPEND, new String[] {streamKey, epochKey, sessionPrefix + token}, RoomPosition.newEpoch(),
                Integer.toString(history), json, Long.toString(number), Long.toString(sessionTtl.toMillis()))
            .thenApply(reply -> switch ((String) reply.get(0)) {
                case "unknown" -> new SessionAppend.UnknownSession();
                case "there" -> new SessionAppend.AlreadyThere(Long.parseLong((String) reply.get(1)));
                default -> new SessionAppend.Appended(positioned(message, (String) reply.get(1), (String) reply.get(2)));
            });
    }

    /** Runs {@code script}; a failure becomes {@link RoomUnavailableException} with a one-line reason. */
    private <T> CompletionStage<T> eval(String script, String[] keys, String... args) {
        CompletionStage<T> reply;
        try {
            reply = async.eval(script, ScriptOutputType.MULTI, keys, args);
        } catch (RuntimeException x) {
            return CompletableFuture.failedFuture(unavailable(x));
        }
        return reply.handle((value, failure) -> {
            if (failure != null)
                throw new CompletionException(unavailable(failure));
            return value;
        });
    }

    private RoomUnavailableException unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.debug("redis command failed", cause);
        return new RoomUnavailableException("redis: down (" + shortMessage(cause) + ")");
    }

    private static String shortMessage(Throwable x) {
        String message = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
        String line = Responses.oneLine(message);
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }

    private static ChatMessage decode(String json) {
        try {
            return Json.MAPPER.readValue(json, ChatMessage.class);
        } catch (JsonProcessingException | IllegalArgumentException x) {
            // Not one of ours (someone else wrote to the stream): skipped, never fatal to the reader.
            LOG.debug("skipping a stream entry that is not a room message: {}", x.toString());
            return null;
        }
    }

    /** Connects the reader and checks the epoch; on the first connection, starts after the stream's last entry. */
    private void connectReader() {
        StatefulRedisConnection<String, String> connection = readerClient.connect();
        connection.setTimeout(Duration.ofMillis(BLOCK_MILLIS + 5000L));
        try {
            RedisCommands<String, String> sync = connection.sync();
            sync.set(epochKey, RoomPosition.newEpoch(), SetArgs.Builder.nx());
            String epoch = sync.get(epochKey);
            if (lastId == null) {
                List<StreamMessage<String, String>> last = sync.xrevrange(streamKey, io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(1));
                lastId = last.isEmpty() ? "0-0" : last.get(0).getId();
            } else if (!epoch.equals(readerEpoch)) {
                LOG.warn("room {} on redis {}: the stream's epoch changed (redis lost its data): reading the new stream from its start", streamKey, uri);
                lastId = "0-0";
            }
            readerEpoch = epoch;
            heard = RoomPosition.of(epoch, lastId).map(RoomPosition::toString).orElse(null);
        } catch (RuntimeException x) {
            connection.close();
            throw x;
        }
        readerConnection = connection;
        readerState(true, null);
    }

    private void readLoop() {
        long backoff = MIN_BACKOFF_MILLIS;
        while (running) {
            try {
                if (readerConnection == null)
                    connectReader();
                List<StreamMessage<String, String>> batch = readerConnection.sync().xread(
                    XReadArgs.Builder.block(BLOCK_MILLIS).count(READ_BATCH), XReadArgs.StreamOffset.from(streamKey, lastId));
                backoff = MIN_BACKOFF_MILLIS;
                if (batch != null) {
                    for (StreamMessage<String, String> entry : batch)
                        deliver(entry);
                }
            } catch (RuntimeException x) {
                if (!running)
                    break;
                readerState(false, shortMessage(x));
                StatefulRedisConnection<String, String> broken = readerConnection;
                readerConnection = null;
                if (broken != null)
                    broken.close();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void deliver(StreamMessage<String, String> entry) {
        lastId = entry.getId();
        Map<String, String> fields = entry.getBody();
        ChatMessage message = decode(fields.getOrDefault("m", ""));
        Optional<RoomPosition> position = RoomPosition.of(fields.getOrDefault("e", readerEpoch), entry.getId());
        if (message == null || position.isEmpty())
            return;
        ChatMessage stored = message.at(position.get());
        heard = stored.id();
        subscribers.tell(stored);
    }

    /** One log line per change of state, never one per failed read. */
    private void readerState(boolean connected, String why) {
        if (connected == readerConnected)
            return;
        readerConnected = connected;
        if (connected)
            LOG.info("room {} on redis {}: connected, reading after {}", streamKey, uri, lastId);
        else
            LOG.warn("room {} on redis {}: down ({}); posts are refused with 503 until it is back; retrying", streamKey, uri, why);
    }

    @Override
    public void close() {
        if (!running)
            return;
        running = false;
        subscribers.clear();
        reader.interrupt();
        StatefulRedisConnection<String, String> connection = readerConnection;
        if (connection != null)
            connection.close();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(BLOCK_MILLIS / 1000 + 5));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
        commands.close();
        shutDownClients();
    }

    private void shutDownClients() {
        commandsClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        readerClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        } catch (Exception x) {
            LOG.debug("lettuce's threads did not stop in time", x);
        }
    }

    /** For tests: the id of the last entry this instance's reader delivered. */
    String lastDeliveredId() {
        return lastId;
    }
}
