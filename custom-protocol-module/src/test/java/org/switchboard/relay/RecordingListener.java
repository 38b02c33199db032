package org.switchboard.relay;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a session hears, for tests to await with bounded timeouts. */
class RecordingListener implements RelayListener {

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<RelaySession> opened = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    volatile long acknowledged;

    @Override
    public void onOpen(RelaySession session) {
        opened.complete(session);
    }

    @Override
    public void onText(RelaySession session, String text) {
        messages.add(text);
    }

    @Override
    public void onBinary(RelaySession session, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        messages.add("binary " + HexFormat.of().formatHex(bytes));
    }

    @Override
    public void onAcknowledged(RelaySession session, long acknowledged) {
        this.acknowledged = acknowledged;
    }

    @Override
    public void onClose(RelaySession session, int code, String reason) {
        closed.complete(code + " " + reason);
    }

    /** The next message, waiting at most 10 s. */
    String next() throws InterruptedException {
        String message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null)
            throw new AssertionError("no message within 10 s");
        return message;
    }

    /** The close as {@code "<code> <reason>"}, waiting at most 10 s. */
    String awaitClose() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }
}
