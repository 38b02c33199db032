package org.switchboard.websocket;

import java.time.Duration;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.switchboard.Switchboard;
import org.switchboard.UpgradePolicy;

/** The snippet of websocket-module/README.md, kept compiling and running by {@link ReadmeExampleTest}. Keep the two in sync. */
final class ReadmeExample {

    // --- README snippet starts ---
    @WebSocket
    public static class ChatSocket {
        @OnWebSocketMessage
        public void onText(Session session, String message) {
            session.sendText("echo: " + message, Callback.NOOP);
        }
    }

    static Server chatServer(int port, Handler application) throws Exception {
        WebSocketProtocolHandler websocket = WebSocketProtocolHandler.builder()
            .endpoint(WebSocketEndpoint.builder("/chat", (request, response, callback) -> new ChatSocket())
                .subprotocols("chat.v2", "chat.v1")                       // W6: server order by default
                .origins(OriginPolicy.allowing("https://app.example.com"))  // W5: plus same-origin and no Origin
                .limits(WebSocketLimits.DEFAULT
                    .withMaxTextMessageSize(16 * 1024)                      // over it: close 1009
                    .withIdleTimeout(Duration.ofMinutes(5)))
                .build())
            .build();
        Switchboard switchboard = Switchboard.builder()
            .handler(websocket)
            .route("/chat", UpgradePolicy.required("websocket"))           // anything else on /chat: 426
            .build();
        Server server = switchboard.newServer("127.0.0.1", port, application);
        server.setStopTimeout(5_000);                                      // graceful stop: every session gets 1001
        server.start();
        return server;
    }
    // --- README snippet ends ---

    private ReadmeExample() {
    }
}
