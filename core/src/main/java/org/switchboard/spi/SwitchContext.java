package org.switchboard.spi;

import java.nio.ByteBuffer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;

/**
 * What a {@link Verdict.ConnectionOpener} gets to build the connection that takes over after the 101.
 *
 * @param connector       the connector the request came in on
 * @param endPoint        the connection's endpoint, which the new connection wraps
 * @param request         the upgrade request (its body already read, see {@link #body()})
 * @param offer           the offer that was accepted
 * @param body            the request body, read in full before the 101 (U10); empty when there was none
 * @param responseHeaders headers to add to the 101 (for handlers, like h2c, that learn them only
 *                        while opening the connection)
 */
public record SwitchContext(Connector connector, EndPoint endPoint, Request request, UpgradeOffer offer,
                            ByteBuffer body, HttpFields.Mutable responseHeaders) {

    /**
     * Keeps a read-only view of the body, so no connection can change what another reads.
     *
     * @param connector       the connector the request came in on
     * @param endPoint        the connection's endpoint
     * @param request         the upgrade request
     * @param offer           the offer that was accepted
     * @param body            the request body read before the 101; empty when there was none
     * @param responseHeaders headers to add to the 101
     */
    public SwitchContext {
        body = body.asReadOnlyBuffer();
    }
}
