package org.switchboard.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.SwitchContext;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.Verdict;

/**
 * A stand-in protocol for tests of negotiation: after the 101 the server writes one greeting line,
 * {@code <chosen protocol> body=<bytes of request body>\n} (for example {@code shout/1 body=0}), then
 * echoes every byte it receives until the client closes. The greeting proves which handler took the
 * connection and that the request body was read before the switch (U10); the echo proves that bytes
 * pipelined after the request reach the new protocol. Its 101 carries {@code X-Test-Protocol: <name>}.
 *
 * <p>Its verdicts can be scripted by the test, so that one handler class proves the accept, decline
 * and reject paths (SB2):
 * <pre>{@code
 * LineEchoProtocolHandler.scripted("chat", (offer, request) ->
 *     offer.version() == null ? Verdict.reject(400, "chat needs a version") : null); // null: accept
 * }</pre>
 */
public final class LineEchoProtocolHandler implements ProtocolHandler {

    private final String protocol;
    private final List<String> versions;
    private final BiFunction<UpgradeOffer, Request, Verdict> script;

    private LineEchoProtocolHandler(String protocol, List<String> versions, BiFunction<UpgradeOffer, Request, Verdict> script) {
        this.protocol = protocol;
        this.versions = versions;
        this.script = script;
    }

    /**
     * Accepts every offer it is asked about.
     *
     * @param protocol the protocol name, a token
     * @param versions the versions it declares (SB4), most preferred first; none to take any offer of the name
     * @return the handler
     */
    public static LineEchoProtocolHandler accepting(String protocol, String... versions) {
        return new LineEchoProtocolHandler(protocol, List.of(versions), null);
    }

    /**
     * Answers each offer with {@code script}'s verdict; a {@code null} verdict means accept. Declares no version.
     *
     * @param protocol the protocol name, a token
     * @param script   the verdict for an offer and its request
     * @return the handler
     */
    public static LineEchoProtocolHandler scripted(String protocol, BiFunction<UpgradeOffer, Request, Verdict> script) {
        return scriptedVersions(protocol, List.of(), script);
    }

    /**
     * As {@link #scripted}, declaring {@code versions} (SB4).
     *
     * @param protocol the protocol name, a token
     * @param versions the versions it declares, most preferred first
     * @param script   the verdict for an offer and its request
     * @return the handler
     */
    public static LineEchoProtocolHandler scriptedVersions(String protocol, List<String> versions, BiFunction<UpgradeOffer, Request, Verdict> script) {
        return new LineEchoProtocolHandler(protocol, versions, script);
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public List<String> versions() {
        return versions;
    }

    @Override
    public Verdict negotiate(UpgradeOffer offer, Request request) {
        Verdict scripted = script == null ? null : script.apply(offer, request);
        if (scripted != null)
            return scripted;
        String chosen = offer.version() != null ? offer.toString() : versions.isEmpty() ? protocol : protocol + "/" + versions.get(0);
        return Verdict.accept(chosen, HttpFields.build().put("X-Test-Protocol", protocol).asImmutable(),
            context -> new EchoConnection(context, chosen));
    }

    /** Greets with the chosen protocol and the request body's size, then echoes. */
    static final class EchoConnection extends UpgradedConnection {

        private final ByteBuffer buffer = BufferUtil.allocate(4096);
        private final String greeting;

        EchoConnection(SwitchContext context, String protocol) {
            super(context.endPoint(), context.connector().getExecutor());
            this.greeting = protocol + " body=" + context.body().remaining() + "\n";
        }

        @Override
        public void onOpen() {
            // Greet first, then start reading: the greeting proves who took the connection.
            getEndPoint().write(Callback.from(super::onOpen, this::fail), BufferUtil.toBuffer(greeting));
        }

        @Override
        public void onFillable() {
            try {
                BufferUtil.clear(buffer);
                int n = fill(buffer);
                if (n > 0)
                    // Read on once written, from the executor: calling onFillable from the write
                    // callback would grow the stack with every write that completes at once.
                    getEndPoint().write(Callback.from(() -> getExecutor().execute(this::onFillable), this::fail), buffer);
                else if (n == 0)
                    fillInterested();
                else
                    close();
            } catch (IOException x) {
                fail(x);
            }
        }

        private void fail(Throwable x) {
            close();
        }
    }
}
