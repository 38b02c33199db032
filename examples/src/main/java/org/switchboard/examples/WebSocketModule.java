package org.switchboard.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import org.switchboard.guice.SwitchboardModule;
import org.switchboard.websocket.EchoEndpoint;
import org.switchboard.websocket.WebSocketEndpoint;
import org.switchboard.websocket.WebSocketLimits;
import org.switchboard.websocket.WebSocketProtocolHandler;

/** WebSocket in the sample: {@code /echo} and the room on {@code /chat}. */
public final class WebSocketModule extends AbstractModule {

    @Override
    protected void configure() {
        SwitchboardModule.addHandler(binder()).to(WebSocketProtocolHandler.class);
    }

    @Provides
    @Singleton
    WebSocketProtocolHandler websocket(ChatRoom room) {
        return WebSocketProtocolHandler.builder()
            .endpoint(WebSocketEndpoint.builder("/echo", (request, response, callback) -> new EchoEndpoint()).build())
            .endpoint(WebSocketEndpoint.builder("/chat", (request, response, callback) ->
                    new ChatSocket(room, ChatSocket.resumeAfter(request)))
                .subprotocols("chat", "superchat")
                .limits(WebSocketLimits.DEFAULT.withMaxTextMessageSize(ChatRoom.MAX_INCOMING_BYTES))  // over it: 1009
                .build())
            .build();
    }
}
