package org.switchboard.probe.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.probe.Target;

/**
 * An HTTP/1.1 request head written exactly as built: fields in the order added, duplicates kept,
 * nothing added behind the caller's back but {@code Host} (which {@link #without} can remove).
 */
final class RawRequest {

    private String method = "GET";
    private final String path;
    private String version = "HTTP/1.1";
    private final List<String[]> fields = new ArrayList<>();
    private byte[] body = new byte[0];
    private byte[] after = new byte[0];

    private RawRequest(String path) {
        this.path = path;
    }

    /** {@code GET path HTTP/1.1} with {@code Host} naming the target as its URL does. */
    public static RawRequest get(Target target, String path) {
        return new RawRequest(path).header("Host", target.authority());
    }

    public RawRequest method(String method) {
        this.method = method;
        return this;
    }

    public RawRequest version(String version) {
        this.version = version;
        return this;
    }

    /** Adds a field (a second one with the same name is a second line). */
    public RawRequest header(String name, String value) {
        fields.add(new String[] {name, value});
        return this;
    }

    /** Removes every field named {@code name}. */
    public RawRequest without(String name) {
        fields.removeIf(field -> field[0].equalsIgnoreCase(name));
        return this;
    }

    /** The body, sent right after the head; framing fields are the caller's. */
    public RawRequest body(byte[] body) {
        this.body = body.clone();
        return this;
    }

    /** Bytes written in the same write after the request: the new protocol's, pipelined (U10). */
    public RawRequest then(byte[] after) {
        this.after = after.clone();
        return this;
    }

    /** The head alone. */
    public byte[] head() {
        StringBuilder text = new StringBuilder(method).append(' ').append(path).append(' ').append(version).append("\r\n");
        for (String[] field : fields)
            text.append(field[0]).append(": ").append(field[1]).append("\r\n");
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Head, body and pipelined bytes, for one write. */
    public byte[] bytes() {
        byte[] head = head();
        byte[] all = new byte[head.length + body.length + after.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        System.arraycopy(after, 0, all, head.length + body.length, after.length);
        return all;
    }
}
