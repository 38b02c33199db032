package org.switchboard.example;

import java.nio.ByteBuffer;
import java.util.List;

import org.eclipse.jetty.server.Request;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.spi.UpgradeOffer;
import org.switchboard.spi.UpgradedConnection;
import org.switchboard.spi.Verdict;

/** shout/1: every byte the client sends comes back, ASCII letters upper-cased. */
public final class ShoutProtocolHandler implements ProtocolHandler {
    @Override public String protocol() { return "shout"; }
    @Override public List<String> versions() { return List.of("1"); }
    @Override public InvocationType getInvocationType() { return InvocationType.NON_BLOCKING; }

    @Override public Verdict negotiate(UpgradeOffer offer, Request request) {
        return Verdict.accept("shout/1", context -> new UpgradedConnection(context) {
            @Override protected void onMessage(ByteBuffer chunk) {       // each chunk read, the request's own bytes first
                ByteBuffer loud = ByteBuffer.allocate(chunk.remaining()); // the chunk is only ours during the call
                while (chunk.hasRemaining()) {
                    byte b = chunk.get();
                    loud.put(b >= 'a' && b <= 'z' ? (byte) (b - 'a' + 'A') : b);
                }
                write(loud.flip());                                       // queued; reading pauses while the client lags
            }
        });
    }
}
