package org.switchboard.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The subscribers of a {@link RoomLog}: each told every message; one that throws does not keep it from the others. */
final class RoomSubscribers {

    private static final Logger LOG = LoggerFactory.getLogger(RoomSubscribers.class);

    private final List<Consumer<ChatMessage>> subscribers = new CopyOnWriteArrayList<>();

    void add(Consumer<ChatMessage> subscriber) {
        subscribers.add(subscriber);
    }

    /** Tells every subscriber {@code message}, on this thread, in the order they subscribed. */
    void tell(ChatMessage message) {
        for (Consumer<ChatMessage> subscriber : subscribers) {
            try {
                subscriber.accept(message);
            } catch (RuntimeException x) {
                LOG.warn("a room subscriber failed: {}", x.toString());
            }
        }
    }

    void clear() {
        subscribers.clear();
    }
}
