package org.switchboard.testing.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.BufferUtil;
import org.switchboard.testing.RawConnection;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.ReadLimits;

/**
 * {@link RawConnection} over any {@link Wire}: the one implementation of reading responses (with
 * Jetty's {@link HttpParser}), bytes, lines and closes, whether the wire is a socket or in memory.
 */
public final class WireConnection implements RawConnection {

    /** What one read from the wire takes at most. */
    private static final int READ_BYTES = 16 * 1024;

    private final Wire wire;
    private final ReadLimits limits;
    /** Bytes received and not read yet, in read mode; it never holds more than a read asked for plus one wire read. */
    private ByteBuffer kept = ByteBuffer.allocate(0);
    private boolean closedByServer;

    public WireConnection(Wire wire, ReadLimits limits) {
        this.wire = wire;
        this.limits = limits;
    }

    @Override
    public ReadLimits limits() {
        return limits;
    }

    @Override
    public RawConnection send(byte[] bytes) throws IOException {
        wire.write(bytes);
        return this;
    }

    @Override
    public RawResponse readResponse() throws IOException {
        return read(false);
    }

    @Override
    public RawResponse readHead() throws IOException {
        return read(true);
    }

    private RawResponse read(boolean headOnly) throws IOException {
        long deadline = deadline(limits.timeout());
        ResponseEvents events = new ResponseEvents(limits.maxBodyBytes());
        HttpParser parser = new HttpParser(events, limits.maxHeadBytes());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            boolean inHead = !events.headerDone;
            int start = kept.position();
            boolean stopped = parser.parseNext(kept);
            if (inHead)
                // The parser stops right after the head (headerComplete answers true), so these are exactly the head's bytes.
                head.write(kept.array(), kept.arrayOffset() + start, kept.position() - start);
            if (events.failure != null)
                throw new IOException("not an HTTP/1.1 response on the " + wire.describe() + " (or a head over "
                    + limits.maxHeadBytes() + " bytes, ReadLimits.maxHeadBytes): " + events.failure.getCode() + " " + events.failure.getReason()
                    + "; received: " + printable(head.toByteArray()));
            if (events.bodyOverLimit)
                throw new IOException("response body over " + limits.maxBodyBytes() + " bytes (ReadLimits.maxBodyBytes) on the " + wire.describe());
            if (events.headerDone && (headOnly || events.status == 101))
                return events.response(head, false);
            if (events.messageDone)
                return events.response(head, true);
            // An event stopped the parser: parse on, even with no byte left (a 1xx or 204 ends without one).
            if (stopped)
                continue;
            if (kept.hasRemaining()) {
                if (kept.position() == start)
                    throw new IOException("the response parser stopped at " + printable(head.toByteArray()));
                continue;
            }
            if (closedByServer) {
                parser.atEOF();
                parser.parseNext(BufferUtil.EMPTY_BUFFER);
                if (events.messageDone && events.failure == null)
                    return events.response(head, true);
                throw new EOFException("the server closed the " + wire.describe() + " before the response was complete; received: "
                    + printable(head.toByteArray()) + (events.body.size() > 0 ? " and " + events.body.size() + " bytes of body" : ""));
            }
            if (!fill(deadline))
                throw timedOut(headOnly ? "response head" : "whole response", head.toByteArray());
        }
    }

    @Override
    public byte[] readExactly(int n) throws IOException {
        if (n < 0)
            throw new IllegalArgumentException("negative count: " + n);
        long deadline = deadline(limits.timeout());
        byte[] bytes = new byte[n];
        int got = 0;
        while (got < n) {
            if (kept.hasRemaining()) {
                int take = Math.min(n - got, kept.remaining());
                kept.get(bytes, got, take);
                got += take;
                continue;
            }
            if (closedByServer)
                throw new EOFException("the server closed the " + wire.describe() + " after " + got + " of " + n + " bytes: "
                    + printable(Arrays.copyOf(bytes, got)));
            if (!fill(deadline))
                throw timedOut("run of " + n + " bytes", Arrays.copyOf(bytes, got));
        }
        return bytes;
    }

    @Override
    public String readLine() throws IOException {
        long deadline = deadline(limits.timeout());
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (kept.hasRemaining()) {
                byte b = kept.get();
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, end, StandardCharsets.UTF_8);
                }
                if (line.size() >= limits.maxHeadBytes())
                    throw new IOException("line over " + limits.maxHeadBytes() + " bytes (ReadLimits.maxHeadBytes) from the " + wire.describe());
                line.write(b);
            }
            if (closedByServer)
                throw new EOFException("the server closed the " + wire.describe() + " in a line: " + printable(line.toByteArray()));
            if (!fill(deadline))
                throw timedOut("whole line", line.toByteArray());
        }
    }

    @Override
    public byte[] readAvailable() throws IOException {
        if (!kept.hasRemaining()) {
            if (!closedByServer && !fill(deadline(limits.timeout())))
                throw timedOut("byte", new byte[0]);
            if (!kept.hasRemaining())
                throw new EOFException("the server closed the " + wire.describe());
        }
        byte[] bytes = new byte[kept.remaining()];
        kept.get(bytes);
        return bytes;
    }

    @Override
    public byte[] readUntilClosed() throws IOException {
        long deadline = deadline(limits.timeout());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            if (all.size() + kept.remaining() > limits.maxBodyBytes())
                throw new IOException("more than " + limits.maxBodyBytes() + " bytes (ReadLimits.maxBodyBytes) before the server closed the " + wire.describe());
            all.write(kept.array(), kept.arrayOffset() + kept.position(), kept.remaining());
            kept.position(kept.limit());
            if (closedByServer)
                return all.toByteArray();
            if (!fill(deadline))
                throw timedOut("close by the server", all.toByteArray());
        }
    }

    @Override
    public boolean closedWithin(Duration time) throws IOException {
        if (kept.hasRemaining())
            return false;
        if (!closedByServer)
            fill(deadline(time));
        return closedByServer && !kept.hasRemaining();
    }

    @Override
    public boolean quietFor(Duration time) throws IOException {
        if (kept.hasRemaining() || closedByServer)
            return false;
        return !fill(deadline(time));
    }

    @Override
    public void shutdownOutput() throws IOException {
        wire.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        wire.close();
    }

    /**
     * Reads once from the wire, waiting until {@code deadline} at most; kept bytes must all be read.
     *
     * @return whether something happened: bytes arrived or the server closed
     */
    private boolean fill(long deadline) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(READ_BYTES);
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0)
                return false;
            int n = wire.read(into, left);
            if (n < 0) {
                closedByServer = true;
                return true;
            }
            if (n > 0) {
                into.flip();
                kept = into;
                return true;
            }
        }
    }

    private InterruptedIOException timedOut(String what, byte[] received) {
        return new InterruptedIOException("no " + what + " within " + limits.timeout().toMillis() + " ms on the " + wire.describe()
            + (received.length == 0 ? ": nothing received" : "; received " + received.length + " bytes: " + printable(received)));
    }

    private static long deadline(Duration time) {
        return System.nanoTime() + Math.max(1, time.toNanos());
    }

    /** Bytes as text for a failure message: printable ASCII as is, the rest escaped, cut at 500 bytes. */
    static String printable(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(bytes.length, 500); i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r')
                out.append("\\r");
            else if (b == '\n')
                out.append("\\n");
            else if (b >= 0x20 && b < 0x7f && b != '\\')
                out.append((char) b);
            else
                out.append(String.format("\\x%02x", b));
        }
        return out.append(bytes.length > 500 ? "\"…" : "\"").toString();
    }

    /** What the parser reports for one response. */
    private static final class ResponseEvents implements HttpParser.ResponseHandler {

        private final int maxBodyBytes;
        private final HttpFields.Mutable fields = HttpFields.build();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;
        private String reason;
        private boolean headerDone;
        private boolean messageDone;
        private boolean bodyOverLimit;
        private HttpException failure;

        ResponseEvents(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        RawResponse response(ByteArrayOutputStream head, boolean withBody) {
            String text = head.toString(StandardCharsets.ISO_8859_1);
            return new RawResponse(text, status, reason, fields, withBody ? body.toByteArray() : new byte[0]);
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field);
        }

        @Override
        public boolean headerComplete() {
            headerDone = true;
            // Stop here: the head's last byte is where the parser stands, and after a 101 the rest is the new protocol's.
            return true;
        }

        @Override
        public boolean content(ByteBuffer item) {
            if (body.size() + item.remaining() > maxBodyBytes) {
                bodyOverLimit = true;
                return true;
            }
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            body.write(bytes, 0, bytes.length);
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            messageDone = true;
            return true;
        }

        @Override
        public void earlyEOF() {
        }

        @Override
        public void badMessage(HttpException failure) {
            this.failure = failure;
        }
    }
}
