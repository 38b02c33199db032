package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;

/** A relay member's listener for tests: every text it hears, in order, and its close ({@code "CODE reason"}). */
final class RelayInbox implements RelayListener {

    /** How long a test waits for a message: a generous upper bound, never a speed requirement. */
    static final Duration BOUND = Duration.ofSeconds(20);

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public void onText(RelaySession session, String text) {
        texts.add(text);
    }

    @Override
    public void onClose(RelaySession session, int code, String reason) {
        closed.complete(code + " " + reason);
    }

    /** The next text; fails the test if none comes within {@link #BOUND}. */
    String next() throws InterruptedException {
        String text = texts.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(text).as("a message within " + BOUND).isNotNull();
        return text;
    }

    /** Every text before {@code last}, once {@code last} has arrived (the room keeps one order). */
    List<String> until(String last) throws InterruptedException {
        List<String> before = new ArrayList<>();
        for (String text = next(); !text.equals(last); text = next())
            before.add(text);
        return before;
    }

    /** Completed with {@code "CODE reason"} when the session closes. */
    CompletableFuture<String> closed() {
        return closed;
    }
}
