package org.switchboard.benchmarks;

import java.util.function.Function;

/**
 * What every connection of a load run does: the protocol's {@link Conversation}, how the connection
 * lives ({@link Mode}) and how large its read buffer must be.
 *
 * @param description  for reports, e.g. {@code websocket echo 64 B}
 * @param mode         one-shot, loop or idle
 * @param conversation a new conversation for a connection, given the {@code Host} value
 * @param readBuffer   bytes of read buffer per connection: the largest unit it must hold whole
 */
record Workload(String description, Mode mode, Function<String, Conversation> conversation, int readBuffer) {

    static Workload webSocket(Mode mode, int messageBytes) {
        byte[] message = Payloads.ascii(messageBytes);
        return new Workload("websocket " + what(mode, messageBytes), mode,
            host -> new WebSocketConversation(mode, host, message), buffer(messageBytes));
    }

    static Workload relay(Mode mode, int messageBytes) {
        byte[] message = Payloads.ascii(messageBytes);
        return new Workload("relay/1 " + what(mode, messageBytes), mode,
            host -> new RelayConversation(mode, host, message), buffer(messageBytes));
    }

    static Workload h2c(Mode mode, int streamsInFlight) {
        String what = switch (mode) {
            case ONE_SHOT -> "upgrade + stream 1 + close";
            case LOOP -> streamsInFlight + " streams in flight";
            case IDLE -> "idle";
        };
        return new Workload("h2c " + what,
            mode, host -> new H2cConversation(mode, host, streamsInFlight), 32 * 1024);
    }

    private static String what(Mode mode, int messageBytes) {
        return switch (mode) {
            case ONE_SHOT -> "handshake + one " + messageBytes + " B echo + close";
            case LOOP -> "echo " + messageBytes + " B";
            case IDLE -> "idle";
        };
    }

    /** Room for a whole message frame (echoes are compared in place) and a response head. */
    private static int buffer(int messageBytes) {
        return Math.max(4096, messageBytes + 4096);
    }
}
