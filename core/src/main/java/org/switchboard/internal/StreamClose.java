package org.switchboard.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.http2.HTTP2Stream;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * Gives a connection switched onto an HTTP/2 stream (extended CONNECT, RFC 8441) the
 * {@link Connection#onClose} that a connection on a socket gets from its endpoint. Jetty's stream
 * endpoint ({@code HTTP2StreamEndPoint}) closes only its stream when closed, and nothing tells the
 * connection — whether the protocol closed it, the client reset the stream, or the HTTP/2
 * connection went away — so without this a protocol would never learn that its peer left, and the
 * dispatcher would count the connection open forever (SB6, C5).
 *
 * <p>Every end of a stream passes through the stream's close, which tells the stream's listener
 * ({@code Stream.Listener.onClosed}). The listener Jetty gave the stream is put behind a proxy
 * that passes every call on to it unchanged — whichever methods the Jetty release at hand
 * declares; they have changed between patch releases — and after {@code onClosed} closes the
 * connection, once, if Jetty had opened it on the stream. Jetty sets that listener before the
 * request is handled, so it is in place when a handler switches.
 *
 * <p>Loaded only for a request that came over HTTP/2, so that a server without Jetty's HTTP/2
 * never needs its classes.
 */
final class StreamClose implements InvocationHandler {

    private final Stream.Listener jetty;
    private final EndPoint endPoint;
    private final Connection connection;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StreamClose(Stream.Listener jetty, EndPoint endPoint, Connection connection) {
        this.jetty = jetty;
        this.endPoint = endPoint;
        this.connection = connection;
    }

    /**
     * Makes the close of {@code endPoint}'s stream close {@code connection}, if {@code endPoint} is
     * an HTTP/2 stream's; does nothing otherwise.
     */
    static void watch(EndPoint endPoint, Connection connection) {
        if (!(endPoint.getTransport() instanceof HTTP2Stream stream))
            return;
        StreamClose watch = new StreamClose(Objects.requireNonNullElse(stream.getListener(), Stream.Listener.AUTO_DISCARD),
            endPoint, connection);
        stream.setListener((Stream.Listener) Proxy.newProxyInstance(Stream.Listener.class.getClassLoader(),
            new Class<?>[]{Stream.Listener.class}, watch));
        // Reset while the switch was under way: the close has happened already, unheard.
        if (stream.isClosed())
            watch.streamClosed();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class)
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "StreamClose[" + jetty + "]";
            };
        try {
            return method.invoke(jetty, args);
        } catch (InvocationTargetException x) {
            throw x.getCause();
        } finally {
            if (method.getName().equals("onClosed"))
                streamClosed();
        }
    }

    private void streamClosed() {
        // A connection Jetty never opened on the stream (closed before the 200 went out) has nothing to close.
        if (endPoint.getConnection() == connection && closed.compareAndSet(false, true))
            connection.onClose(null);
    }
}
