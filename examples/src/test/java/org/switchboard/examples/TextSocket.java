package org.switchboard.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client for the sample's tests: it queues every text message (whole) and records the close code and reason. */
final class TextSocket {

    private final WebSocket socket;
    private final BlockingQueue<String> received;
    private final CompletableFuture<Integer> closeCode;
    private final CompletableFuture<String> closeReason;

    private TextSocket(WebSocket socket, BlockingQueue<String> received, CompletableFuture<Integer> closeCode,
                       CompletableFuture<String> closeReason) {
        this.socket = socket;
        this.received = received;
        this.closeCode = closeCode;
        this.closeReason = closeReason;
    }

    static TextSocket open(URI uri, String... subprotocols) throws Exception {
        return open(HttpClient.newHttpClient(), uri, subprotocols);
    }

    /** As {@link #open(URI, String...)}, with {@code client} (for {@code wss://}, one with the TLS trust the test needs). */
    static TextSocket open(HttpClient client, URI uri, String... subprotocols) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        CompletableFuture<String> closeReason = new CompletableFuture<>();
        WebSocket.Builder builder = client.newWebSocketBuilder();
        if (subprotocols.length > 0)
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder parts = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                // The JDK hands a big message over in parts: queue it whole.
                parts.append(data);
                if (last) {
                    received.add(parts.toString());
                    parts.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason.complete(reason);
                closeCode.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        return new TextSocket(socket, received, closeCode, closeReason);
    }

    WebSocket socket() {
        return socket;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** The next text message, or {@code null} if none comes within 10 seconds. */
    String next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    /** The close code the server sent, waiting up to 10 seconds. */
    int closeCode() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    /** The reason of the server's close frame, waiting up to 10 seconds. */
    String closeReason() throws Exception {
        return closeReason.get(10, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
}
