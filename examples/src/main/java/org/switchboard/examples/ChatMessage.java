package org.switchboard.examples;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of the room, whichever protocol it came through.
 *
 * @param id       its position in the room, given by the {@link RoomLog} when it was appended
 *                 ({@link RoomPosition}'s text, e.g. {@code 3f9a0c51d2e4b678-1732900000000-0}): what a client
 *                 hands back to resume after it ({@code Last-Event-ID}, {@code /chat?after=}); {@code null}
 *                 until the message is appended
 * @param sender   who sent it, as the sender named itself
 * @param text     what was said
 * @param protocol the protocol it arrived over, as {@link ChatRoom.Member#via()} names it: {@code websocket},
 *                 {@code relay/2}, {@code relay/1}; {@code http} or {@code h2} for a {@code POST /messages}
 * @param sentAt   when the room received it
 */
public record ChatMessage(String id, String sender, String text, String protocol, Instant sentAt) {

    /**
     * The largest message the room sends, in UTF-8 bytes of its {@link #line()} ({@code sender: text}):
     * what a relay member announcing the default {@code Relay-Max-Message-Size} (65536) accepts. What
     * members may send is a little less, {@link ChatRoom#MAX_INCOMING_BYTES}.
     */
    public static final int MAX_LINE_BYTES = 65536;

    public ChatMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(sentAt, "sentAt");
        int size = utf8Length(sender) + 2 + utf8Length(text);
        if (size > MAX_LINE_BYTES)
            throw new TooBigException(size);
    }

    /** This message at {@code position} in the room. */
    public ChatMessage at(RoomPosition position) {
        return new ChatMessage(position.toString(), sender, text, protocol, sentAt);
    }

    /** The message as one line of the plain-text {@code chat} format: {@code sender: text}. */
    public String line() {
        return sender + ": " + text;
    }

    /** The size in bytes of {@code s} in UTF-8, without encoding it. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;  // a lone surrogate is encoded as '?' (1 byte): counting 3 errs on the safe side
            }
        }
        return bytes;
    }

    /**
     * A message over {@link #MAX_LINE_BYTES}: each protocol answers it with its own "too big" (1009 for
     * WebSocket and relay, 400 over HTTP); the message says why in one line.
     */
    public static final class TooBigException extends IllegalArgumentException {
        TooBigException(int size) {
            super("a message of " + size + " bytes (as 'sender: text') is over the room's maximum of " + MAX_LINE_BYTES);
        }
    }

}
