package org.switchboard.relay;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *   <li>Resume (PROTOCOL.md, "Resume (relay/2, optional extension)"): with a
 *       {@link RelayResumption}, every relay/2 101 carries {@code Relay-Session: <token>}, and a
 *       request's {@code Relay-Resume: <token>; received=<n>} is put to the store, whose answer the
 *       101 gives in {@code Relay-Resumed}; a malformed {@code Relay-Resume} gets {@code 400}, a store
 *       that fails or does not answer within {@link RelayConfig#resumeTimeout()} {@code 503} with
 *       {@code Retry-After: 1}. relay/1 ignores {@code Relay-Resume}, as does a handler without a store.</li>
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

    private static final Logger LOG = LoggerFactory.getLogger(RelayProtocolHandler.class);
    /** How long a client told {@code 503} because the store did not answer should wait, in seconds. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final RelayListener listener;
    private final RelayConfig config;
    private final RelayResumption resumption;
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
        this(listener, config, null);
    }

    /**
     * A handler whose relay/2 sessions can be resumed (PROTOCOL.md, "Resume"): each gets a token,
     * and a client presenting one is resumed or not as {@code resumption} decides. Pair it with
     * {@link RelayConfig#withDeferredAcknowledge(boolean) deferred acknowledgement} when a message
     * must be stored before its ACK.
     *
     * @param listener   the application, told of every session's events; on a resumed session it
     *                   replays from {@link RelaySession#peerReceivedAtResume()} in {@link RelayListener#onOpen}
     * @param config     the limits of every connection it opens, and how long to wait for {@code resumption}
     * @param resumption the application's record of sessions; {@code null}: no resume, as the two-argument constructor
     */
    public RelayProtocolHandler(RelayListener listener, RelayConfig config, RelayResumption resumption) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.resumption = resumption;
        this.headers101 = HttpFields.build().put(MAX_MESSAGE_SIZE_HEADER, Integer.toString(config.maxMessageSize())).asImmutable();
    }

    /**
     * Non-blocking without a {@link RelayResumption}: negotiating reads two headers and the switch
     * builds a {@link RelayConnection}; the listener runs later, on the connection, under its own
     * no-blocking contract. Blocking with one: negotiating waits (bounded by
     * {@link RelayConfig#resumeTimeout()}) for the store's answer, so it runs on a worker thread.
     */
    @Override
    public InvocationType getInvocationType() {
        return resumption == null ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
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
        if (version != 2 || resumption == null) {
            return Verdict.accept(PROTOCOL + "/" + version, headers101,
                context -> new RelayConnection(context, version, peerMaxMessageSize, listener, config, RelayConnection.Start.FRESH));
        }
        List<String> resume = request.getHeaders().getValuesList(ResumeFields.RESUME);
        if (resume.size() > 1)
            return Verdict.reject(HttpStatus.BAD_REQUEST_400, "one " + ResumeFields.RESUME + " field at most");
        RelayConnection.Start start;
        if (resume.isEmpty()) {
            start = new RelayConnection.Start(ResumeFields.newToken(), false, 0, 0);
        } else {
            ResumeFields.Request asked;
            try {
                asked = ResumeFields.parseRequest(resume.get(0));
            } catch (IllegalArgumentException x) {
                return Verdict.reject(HttpStatus.BAD_REQUEST_400, x.getMessage());
            }
            RelayResumption.Decision decision;
            try {
                decision = resumption.resume(asked.token(), asked.received())
                    .toCompletableFuture().get(config.resumeTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException x) {
                return unavailable("the session store did not answer in " + config.resumeTimeout().toMillis() + " ms");
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return unavailable("interrupted while asking the session store");
            } catch (ExecutionException | RuntimeException x) {
                LOG.debug("relay session store failed on {}", asked, x);
                return unavailable("the session store is unavailable");
            }
            if (decision == null)
                return unavailable("the session store gave no answer");
            if (decision instanceof RelayResumption.Resumed resumed) {
                start = new RelayConnection.Start(asked.token(), true, asked.received(), resumed.received());
            } else {
                String reason = ((RelayResumption.NotResumed) decision).reason();
                start = new RelayConnection.Start(ResumeFields.newToken(), false, 0, 0);
                return accept(version, peerMaxMessageSize, start, new ResumeFields.Answer(false, 0, reason));
            }
            return accept(version, peerMaxMessageSize, start, new ResumeFields.Answer(true, start.received(), ""));
        }
        return accept(version, peerMaxMessageSize, start, null);
    }

    private Verdict accept(int version, int peerMaxMessageSize, RelayConnection.Start start, ResumeFields.Answer answer) {
        HttpFields.Mutable headers = HttpFields.build(headers101).put(ResumeFields.SESSION, start.token());
        if (answer != null)
            headers.put(ResumeFields.RESUMED, answer.toString());
        return Verdict.accept(PROTOCOL + "/" + version, headers,
            context -> new RelayConnection(context, version, peerMaxMessageSize, listener, config, start));
    }

    private static Verdict unavailable(String reason) {
        return Verdict.reject(HttpStatus.SERVICE_UNAVAILABLE_503, HttpFields.build().put("Retry-After", RETRY_AFTER_SECONDS), reason);
    }

    /**
     * The configuration connections of this handler get.
     *
     * @return the configuration given to the constructor
     */
    public RelayConfig config() {
        return config;
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
