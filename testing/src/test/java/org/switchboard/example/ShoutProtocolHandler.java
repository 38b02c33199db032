package org.switchboard.example;

// README:begin
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;
import org.switchboard.spi.*;

/** shout/1: every byte the client sends comes back, ASCII letters upper-cased. */
public final class ShoutProtocolHandler implements ProtocolHandler {
    @Override public String protocol() { return "shout"; }
    @Override public List<String> versions() { return List.of("1"); }

    @Override public Verdict negotiate(UpgradeOffer offer, Request request) {
        return Verdict.accept("shout/1", context -> new UpgradedConnection(context.endPoint(), context.connector().getExecutor()) {
            private final ByteBuffer buffer = BufferUtil.allocate(1024);

            // Fill, write, fill again once written: one write at a time, and a loop, not a recursion.
            private final IteratingCallback shout = new IteratingCallback() {
                @Override protected Action process() throws IOException {
                    BufferUtil.clear(buffer);
                    int n = fill(buffer);                     // bytes sent with the request come first
                    if (n < 0) {
                        getEndPoint().close();                // the connection's; close() here would close this callback
                        return Action.SUCCEEDED;
                    }
                    if (n == 0) {
                        fillInterested();                     // onFillable() iterates again
                        return Action.IDLE;
                    }
                    for (int i = buffer.position(); i < buffer.limit(); i++)
                        if (buffer.get(i) >= 'a' && buffer.get(i) <= 'z')
                            buffer.put(i, (byte) (buffer.get(i) - 'a' + 'A'));
                    getEndPoint().write(this, buffer);        // process() runs again when it is written
                    return Action.SCHEDULED;
                }

                @Override protected void onCompleteFailure(Throwable x) { getEndPoint().close(x); }
            };

            @Override public void onFillable() { shout.iterate(); }
        });
    }
}
// README:end
