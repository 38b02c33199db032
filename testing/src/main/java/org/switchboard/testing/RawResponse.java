package org.switchboard.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.eclipse.jetty.http.HttpFields;

/**
 * One HTTP/1.1 response as the server put it on the wire: for a {@code 101}, the head only — the
 * bytes after its blank line belong to the new protocol and stay on the {@link RawConnection}.
 *
 * @param head    the head as received, status line through the blank line (ISO-8859-1)
 * @param status  the status code, such as 101, 200 or 426
 * @param reason  the reason phrase, possibly empty
 * @param headers every header line in order, repeated ones kept as separate fields (immutable)
 * @param bodyBytes the body after {@code Content-Length}, chunked (decoded, trailers dropped) or
 *                close-delimited framing; empty for 1xx, 204, 304 and after {@link RawConnection#readHead()}
 */
public record RawResponse(String head, int status, String reason, HttpFields headers, byte[] bodyBytes) {

    /**
     * Copies {@code bodyBytes} and freezes {@code headers}.
     *
     * @param head      the head as received, status line through the blank line (ISO-8859-1); not {@code null}
     * @param status    the status code, such as 101, 200 or 426
     * @param reason    the reason phrase; {@code null} is taken as empty
     * @param headers   every header line in order; an immutable copy is kept
     * @param bodyBytes the body's bytes, empty for none; a copy is kept
     */
    public RawResponse {
        Objects.requireNonNull(head, "head");
        reason = reason == null ? "" : reason;
        headers = headers.asImmutable();
        bodyBytes = bodyBytes.clone();
    }

    /**
     * The body's bytes, a copy.
     *
     * @return a copy of the body's bytes, empty when there is no body
     */
    @Override
    public byte[] bodyBytes() {
        return bodyBytes.clone();
    }

    /**
     * The body decoded as UTF-8 text (what most tests compare).
     *
     * @return the body as text, empty when there is no body
     */
    public String body() {
        return new String(bodyBytes, StandardCharsets.UTF_8);
    }

    /**
     * A header's value by case-insensitive name: the values of every line with that name joined with
     * {@code ", "}, in order; {@code null} when there is none.
     *
     * @param name a header name
     * @return the joined values, or {@code null}
     */
    public String header(String name) {
        List<String> values = headers.getValuesList(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /**
     * The value of each line named {@code name} (case-insensitive), in order; empty when there is none.
     *
     * @param name a header name
     * @return the values, one per line
     */
    public List<String> headers(String name) {
        return headers.getValuesList(name);
    }

    /**
     * Whether this is {@code 101 Switching Protocols}.
     *
     * @return true for status 101
     */
    public boolean switched() {
        return status == 101;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawResponse that && head.equals(that.head) && Arrays.equals(bodyBytes, that.bodyBytes);
    }

    @Override
    public int hashCode() {
        return 31 * head.hashCode() + Arrays.hashCode(bodyBytes);
    }

    /** The head and the body as UTF-8 text, the body cut at 1,000 characters. */
    @Override
    public String toString() {
        String text = body();
        return head + (text.length() > 1000 ? text.substring(0, 1000) + "…(" + bodyBytes.length + " bytes)" : text);
    }
}
