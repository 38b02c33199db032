package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;

/**
 * A relay member's listener for tests: every text it hears, in order; each reconnection of a
 * resuming client ({@code "resumed"}, or {@code "not resumed: reason"}); its close ({@code "CODE reason"}).
 */
final class RelayInbox implements RelayListener {

    /** How long a test waits for a message: a generous upper bound, never a speed requirement. */
    static final Duration BOUND = Duration.ofSeconds(20);

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final List<String> reconnections = new CopyOnWriteArrayList<>();
    private final AtomicInteger heard = new AtomicInteger();

    @Override
    public void onText(RelaySession session, String text) {
        texts.add(text);
        heard.incrementAndGet();
    }

    @Override
    public void onResumed(RelaySession session, boolean resumed, String reason) {
        reconnections.add(resumed ? "resumed" : "not resumed: " + reason);
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

    /** How many texts it has heard so far, read or not. */
    int heard() {
        return heard.get();
    }

    /** Each reconnection so far, in order: {@code "resumed"} or {@code "not resumed: reason"}. */
    List<String> reconnections() {
        return reconnections;
    }

    /** Completed with {@code "CODE reason"} when the session closes. */
    CompletableFuture<String> closed() {
        return closed;
    }
}
