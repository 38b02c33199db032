package org.switchboard.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client for the sample's tests: it queues every text message and records the close code. */
final class TextSocket {

    private final WebSocket socket;
    private final BlockingQueue<String> received;
    private final CompletableFuture<Integer> closeCode;

    private TextSocket(WebSocket socket, BlockingQueue<String> received, CompletableFuture<Integer> closeCode) {
        this.socket = socket;
        this.received = received;
        this.closeCode = closeCode;
    }

    static TextSocket open(URI uri, String... subprotocols) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0)
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.add(data.toString());
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        return new TextSocket(socket, received, closeCode);
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

    void close() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
}
