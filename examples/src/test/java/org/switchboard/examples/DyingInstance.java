package org.switchboard.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream for proxy tests that reads each request (head, and a {@code Content-Length} body) and
 * closes the connection without answering: an instance that died after reading the request — and
 * maybe after storing what it said. Its port is a real socket on 127.0.0.1.
 */
final class DyingInstance implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d{1,7})\\s*$");
    private static final int MAX_HEAD = 65_536;

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<String> requests = new CopyOnWriteArrayList<>();

    DyingInstance() throws IOException {
        Thread acceptor = new Thread(this::serve, "dying-instance");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The heads of the requests it read, in order; each was recorded before its connection closed. */
    List<String> requests() {
        return requests;
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket connection = listener.accept()) {
                connection.setSoTimeout((int) RelayInbox.BOUND.toMillis());
                InputStream in = connection.getInputStream();
                String head = readHead(in);
                if (head.isEmpty())
                    continue;  // a proxy's keep-alive connection, closed unused
                Matcher length = CONTENT_LENGTH.matcher(head);
                if (length.find())
                    in.readNBytes(Integer.parseInt(length.group(1)));
                requests.add(head);
            } catch (IOException closed) {
                // the listener closed, or the proxy gave up on this connection
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (head.length() < MAX_HEAD && (c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4)
                break;
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
