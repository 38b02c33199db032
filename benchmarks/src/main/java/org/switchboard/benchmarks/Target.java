package org.switchboard.benchmarks;

import java.util.Locale;

/**
 * The servers the harness measures side by side, each serving the same endpoints on one port:
 * WebSocket echo on {@code /echo}, h2c on every path (answering {@code 200 ok}), and — Switchboard
 * only — relay echo on {@code /relay}.
 */
public enum Target {
    /** Jetty 12.1 with Switchboard's dispatcher and its websocket, h2c and relay modules. */
    SWITCHBOARD,
    /** Jetty 12.1 alone: its {@code WebSocketUpgradeHandler} and {@code HTTP2CServerConnectionFactory}. */
    JETTY,
    /** Netty 4.1: {@code HttpServerUpgradeHandler}, {@code WebSocketServerProtocolHandler}, {@code CleartextHttp2ServerUpgradeHandler}. */
    NETTY;

    /** The name used on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()}. */
    public static Target of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
