package org.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A raw-socket HTTP/1.1 client for exact-bytes tests: it writes what it is given, byte for byte,
 * and reads responses head by head, so a test sees exactly what the server put on the wire (a
 * 101's headers, the absence of a body, the first bytes of the new protocol).
 */
public final class RawHttp implements Closeable {

    private static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new RawHttp(socket);
    }

    /**
     * Speaks over {@code connected}, a socket already connected (a TLS one, handshake done or not),
     * with the same read timeout as {@link #connect}.
     */
    public static RawHttp over(Socket connected) throws IOException {
        connected.setSoTimeout(TIMEOUT_MS);
        return new RawHttp(connected);
    }

    /** Sends {@code request} on a new connection to {@code 127.0.0.1:port}, reads the response head and closes: its status. */
    public static int status(int port, String request) throws IOException {
        try (RawHttp client = connect(port)) {
            return client.send(request).readHead().status();
        }
    }

    /** Writes {@code text} (ISO-8859-1) in one write call. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} in one write call. */
    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response head (status line and headers, through the blank line). */
    public Head readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0)
                throw new IOException("EOF after " + head.size() + " bytes of head: " + head.toString(StandardCharsets.ISO_8859_1));
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return Head.parse(head.toString(StandardCharsets.ISO_8859_1));
    }

    /** Reads a whole response: its head, then a {@code Content-Length} or chunked body. */
    public Response readResponse() throws IOException {
        Head head = readHead();
        String length = head.header("content-length");
        byte[] body;
        if (length != null)
            body = readExactly(Integer.parseInt(length.trim()));
        else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding")))
            body = readChunked();
        else
            body = new byte[0];
        return new Response(head, new String(body, StandardCharsets.UTF_8));
    }

    /** Reads exactly {@code n} bytes. */
    public byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n)
            throw new IOException("EOF after " + bytes.length + " of " + n + " bytes");
        return bytes;
    }

    /** Reads exactly {@code n} bytes as ISO-8859-1 text. */
    public String readText(int n) throws IOException {
        return new String(readExactly(n), StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closes the connection (EOF) within {@code millis}, with no byte before. */
    public boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException x) {
            return false;
        } finally {
            socket.setSoTimeout(TIMEOUT_MS);
        }
    }

    /** Whether no byte arrives within {@code millis} (the connection stays open and quiet). */
    public boolean quietFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            if (b >= 0)
                throw new AssertionError("unexpected byte " + b);
            return false;
        } catch (SocketTimeoutException x) {
            return true;
        } finally {
            socket.setSoTimeout(TIMEOUT_MS);
        }
    }

    public Socket socket() {
        return socket;
    }

    /**
     * Writes {@code head}, then a chunked body that never ends — 64 KiB chunks, in the background —
     * until the server stops taking them (the write fails once it closes) or {@code bound} bytes
     * are sent; completes with the bytes sent. A server that bounds what it reads completes it
     * under {@code bound}.
     */
    public CompletableFuture<Long> sendEndlessChunks(String head, long bound) throws IOException {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = ("10000\r\n" + "a".repeat(64 * 1024) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return CompletableFuture.supplyAsync(() -> {
            long total = 0;
            try {
                while (total < bound) {
                    out.write(chunk);
                    total += chunk.length;
                }
            } catch (IOException x) {
                // the server closed the connection: it stopped reading
            }
            return total;
        });
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = readLine();
            int size = Integer.parseInt(line.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0)
                throw new IOException("EOF in line");
            if (b != '\r')
                line.append((char) b);
        }
        return line.toString();
    }

    /**
     * A response head.
     *
     * @param raw     the head as received, through the blank line
     * @param status  the status code
     * @param headers header lines by lower-cased name; repeated lines joined with {@code ", "}
     */
    public record Head(String raw, int status, Map<String, String> headers) {

        static Head parse(String raw) {
            List<String> lines = raw.lines().toList();
            int status = Integer.parseInt(lines.get(0).split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon > 0)
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            return new Head(raw, status, Map.copyOf(headers));
        }

        /** A header's value, by case-insensitive name, or {@code null}. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A whole response. */
    public record Response(Head head, String body) {
        public int status() {
            return head.status();
        }

        public String header(String name) {
            return head.header(name);
        }
    }
}
