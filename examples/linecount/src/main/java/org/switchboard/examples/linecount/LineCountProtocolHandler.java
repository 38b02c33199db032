package org.switchboard.examples.linecount;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.server.Request;
import org.switchboard.spi.MessageReader;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.Verdict;

/**
 * {@code linecount/1}: each line the client sends (ending in LF or CRLF) is answered with its
 * length in bytes, terminator not counted, as a decimal line. A line over 8192 bytes closes the
 * connection; so does the client's end of stream, once every answer is written.
 */
public final class LineCountProtocolHandler implements ProtocolHandler {
    /** The longest line, in bytes. */
    public static final int MAX_LINE_BYTES = 8192;

    @Override public String protocol() { return "linecount"; }
    @Override public List<String> versions() { return List.of("1"); }
    @Override public InvocationType getInvocationType() { return InvocationType.NON_BLOCKING; }

    @Override public Verdict negotiate(UpgradeOffer offer, Request request) {
        return Verdict.accept("linecount/1", context -> new UpgradedConnection(context, MessageReader.lines(MAX_LINE_BYTES)) {
            @Override protected void onMessage(ByteBuffer line) {
                write(ByteBuffer.wrap((line.remaining() + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
        });
    }
}
