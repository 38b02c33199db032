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
 * @param body    the body after {@code Content-Length}, chunked (decoded, trailers dropped) or
 *                close-delimited framing; empty for 1xx, 204, 304 and after {@link RawConnection#readHead()}
 */
public record RawResponse(String head, int status, String reason, HttpFields headers, byte[] body) {

    /**
     * Copies {@code body} and freezes {@code headers}.
     *
     * @param head    the head as received
     * @param status  the status code
     * @param reason  the reason phrase; null is taken as empty
     * @param headers every header line in order
     * @param body    the decoded body
     */
    public RawResponse {
        Objects.requireNonNull(head, "head");
        reason = reason == null ? "" : reason;
        headers = headers.asImmutable();
        body = body.clone();
    }

    /**
     * The body, a copy.
     *
     * @return a new array each call
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body decoded as UTF-8.
     *
     * @return the text; empty for no body
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
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
        return other instanceof RawResponse that && head.equals(that.head) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * head.hashCode() + Arrays.hashCode(body);
    }

    /** The head and the body as UTF-8 text, the body cut at 1,000 characters. */
    @Override
    public String toString() {
        String text = bodyText();
        return head + (text.length() > 1000 ? text.substring(0, 1000) + "…(" + body.length + " bytes)" : text);
    }
}
