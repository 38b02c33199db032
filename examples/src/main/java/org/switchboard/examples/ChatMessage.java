package org.switchboard.examples;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of the room, whichever protocol it came through.
 *
 * @param sender   who sent it, as the sender named itself
 * @param text     what was said
 * @param protocol the protocol it arrived over: {@code websocket}, {@code relay}, {@code http}, {@code h2c}…
 * @param sentAt   when the room received it
 */
public record ChatMessage(String sender, String text, String protocol, Instant sentAt) {

    /** The longest text the room accepts. */
    public static final int MAX_TEXT = 4096;

    public ChatMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(sentAt, "sentAt");
        if (text.length() > MAX_TEXT)
            throw new IllegalArgumentException("text longer than " + MAX_TEXT + " characters");
    }

    /** The message as one line of the plain-text {@code chat} format: {@code sender: text}. */
    public String line() {
        return sender + ": " + text;
    }
}
