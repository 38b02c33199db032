package org.switchboard.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The servers the harness measures side by side, each serving the same endpoints on one port:
 * WebSocket echo on {@code /echo}, h2c on {@code /echo} (answering {@code 200} with a short text), and — Switchboard
 * only — relay echo on {@code /relay}. Declared most assembled first: ratios are printed for each
 * of {@link #SAMPLE} and {@link #SWITCHBOARD} over every target declared after it.
 */
public enum Target {
    /**
     * The sample server as operators start it ({@code SampleServer.serve("--port", …)}, its default
     * options): Guice, four protocols, routes, metrics, the negotiations feed, its limits and its
     * logging. Its {@code /relay} is the chat room, not an echo, and it holds at most 256
     * connections per address: not a target of the relay and idle scenarios.
     */
    SAMPLE,
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

    /**
     * Whether this target's ratios are printed against the targets declared after it: the sample
     * and the library target are what the baselines are compared with.
     */
    boolean subject() {
        return this == SAMPLE || this == SWITCHBOARD;
    }

    /** Whether {@code scenario} can be run against this target; see {@link #SAMPLE}. */
    boolean serves(Scenario scenario) {
        return this != SAMPLE || switch (scenario) {
            case WS_HANDSHAKE, WS_ECHO, H2C_UPGRADE, H2C_STREAMS -> true;
            case RELAY_HANDSHAKE, RELAY_ECHO, IDLE, IDLE_RELAY -> false;
        };
    }

    /**
     * Parses {@link #label()}.
     *
     * @throws IllegalArgumentException naming every target, for a label that is none
     */
    public static Target of(String label) {
        String name = label.trim().toUpperCase(Locale.ROOT);
        for (Target target : values())
            if (target.name().equals(name))
                return target;
        throw new IllegalArgumentException("no target " + label + ": one of "
            + Arrays.stream(values()).map(Target::label).collect(Collectors.joining(", ")));
    }
}
