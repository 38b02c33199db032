package org.switchboard.example;

// README:begin
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.switchboard.*;

/** shout/1: every byte the client sends comes back upper-cased. */
public final class ShoutHandler implements ProtocolHandler {
    @Override public String protocol() { return "shout"; }
    @Override public List<String> versions() { return List.of("1"); }

    @Override public Verdict negotiate(UpgradeOffer offer, Request request) {
        return Verdict.accept("shout/1", context -> new UpgradedConnection(context.endPoint(), context.connector().getExecutor()) {
            private final ByteBuffer buffer = BufferUtil.allocate(1024);

            @Override public void onFillable() {
                try {
                    BufferUtil.clear(buffer);
                    int n = fill(buffer);                     // bytes sent with the request come first
                    if (n < 0) close();
                    else if (n == 0) fillInterested();
                    else getEndPoint().write(Callback.from(this::onFillable, x -> close()),
                        BufferUtil.toBuffer(BufferUtil.toString(buffer).toUpperCase(Locale.ROOT)));
                } catch (IOException x) { close(); }
            }
        });
    }
}
// README:end
