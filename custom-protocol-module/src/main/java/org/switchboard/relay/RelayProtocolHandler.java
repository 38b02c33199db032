package org.switchboard.relay;

import java.util.List;
import java.util.Objects;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.Verdict;

/**
 * The relay protocol behind Switchboard's dispatcher: {@code Upgrade: relay/2} or {@code relay/1}
 * (PROTOCOL.md, "Handshake"). Register it with {@code Switchboard.builder().handler(new
 * RelayProtocolHandler(listener))}; without an explicit handler, {@link RelayProvider} makes an echoing
 * one discoverable.
 *
 * <ul>
 *   <li>SB4: it declares versions {@code 2} and {@code 1}, in that order, so {@code Upgrade: relay/2,
 *       relay/1} gets relay/2 and {@code relay/9} never reaches it (the dispatcher declines it and
 *       the route's policy decides, SB3).</li>
 *   <li>An offer without a version ({@code Upgrade: relay}) gets {@link #DEFAULT_VERSION}, relay/1:
 *       a client that names no version cannot be assumed to know relay/2's ACK frames. The 101
 *       always names the version in effect (U4).</li>
 *   <li>SB2: a {@code Relay-Max-Message-Size} request header that is not a number of at least
 *       {@link RelayConfig#MIN_MESSAGE_SIZE} is rejected with {@code 400}.</li>
 * </ul>
 */
public final class RelayProtocolHandler implements ProtocolHandler {

    /** The protocol name in {@code Upgrade}. */
    public static final String PROTOCOL = "relay";
    /** The version an offer without one gets. */
    public static final int DEFAULT_VERSION = 1;
    /** Request and 101 header: the largest message the sender of the header accepts, in bytes. */
    public static final String MAX_MESSAGE_SIZE_HEADER = "Relay-Max-Message-Size";
    /** What a side that does not send {@link #MAX_MESSAGE_SIZE_HEADER} accepts. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    private final RelayListener listener;
    private final RelayConfig config;
    private final HttpFields headers101;

    /**
     * A handler with {@link RelayConfig#DEFAULT}.
     *
     * @param listener the application, told of every session's events
     */
    public RelayProtocolHandler(RelayListener listener) {
        this(listener, RelayConfig.DEFAULT);
    }

    /**
     * A handler with {@code config}.
     *
     * @param listener the application, told of every session's events
     * @param config   the limits of every connection it opens
     */
    public RelayProtocolHandler(RelayListener listener, RelayConfig config) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.headers101 = HttpFields.build().put(MAX_MESSAGE_SIZE_HEADER, Integer.toString(config.maxMessageSize())).asImmutable();
    }

    /**
     * Non-blocking: negotiating reads two headers and the switch builds a {@link RelayConnection};
     * the listener runs later, on the connection, under its own no-blocking contract.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public List<String> versions() {
        return List.of("2", "1");
    }

    @Override
    public Verdict negotiate(UpgradeOffer offer, Request request) {
        int version = offer.hasVersion() ? Integer.parseInt(offer.version()) : DEFAULT_VERSION;
        int peerMaxMessageSize;
        try {
            peerMaxMessageSize = maxMessageSize(request.getHeaders().get(MAX_MESSAGE_SIZE_HEADER));
        } catch (IllegalArgumentException x) {
            return Verdict.reject(HttpStatus.BAD_REQUEST_400, x.getMessage());
        }
        return Verdict.accept(accepted(version), headers101,
            context -> new RelayConnection(context, version, peerMaxMessageSize, listener, config));
    }

    /**
     * The configuration connections of this handler get.
     *
     * @return the configuration given to the constructor
     */
    public RelayConfig config() {
        return config;
    }

    /** The {@code Upgrade} value of the 101 for {@code version}: the versions spoken, built once. */
    private static final String[] ACCEPTED = {null, PROTOCOL + "/1", PROTOCOL + "/2"};

    private static String accepted(int version) {
        return version > 0 && version < ACCEPTED.length ? ACCEPTED[version] : PROTOCOL + "/" + version;
    }

    static int maxMessageSize(String header) {
        if (header == null)
            return DEFAULT_MAX_MESSAGE_SIZE;
        try {
            int size = Integer.parseInt(header.trim());
            if (size >= RelayConfig.MIN_MESSAGE_SIZE)
                return size;
        } catch (NumberFormatException x) {
            // answered below
        }
        throw new IllegalArgumentException(MAX_MESSAGE_SIZE_HEADER + " must be a number of at least "
            + RelayConfig.MIN_MESSAGE_SIZE + ": " + header);
    }
}
