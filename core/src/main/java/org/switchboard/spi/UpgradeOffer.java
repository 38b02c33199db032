package org.switchboard.spi;

import java.util.Objects;
import org.switchboard.internal.Tokens;

/**
 * One element of a client's {@code Upgrade} list: {@code protocol-name ["/" protocol-version]}
 * (RFC 9110 §7.8, rule U1).
 *
 * <p>{@link #name()} is kept as the client sent it; compare it with {@link #is(String)}, which is
 * case-insensitive as U1 requires. {@link #version()} is {@code null} when the client named no
 * version; versions are compared exactly.
 *
 * @param name    the protocol name, a non-empty token
 * @param version the protocol version, a non-empty token, or {@code null}
 */
public record UpgradeOffer(String name, String version) {

    /**
     * Checks that name and version are tokens.
     *
     * @param name    the protocol name, a non-empty token
     * @param version the protocol version, a non-empty token, or {@code null}
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} or {@code version} is not a token
     */
    public UpgradeOffer {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !Tokens.isToken(name))
            throw new IllegalArgumentException("protocol name is not a token: '" + name + "'");
        if (version != null && (version.isEmpty() || !Tokens.isToken(version)))
            throw new IllegalArgumentException("protocol version is not a token: '" + version + "'");
    }

    /**
     * Parses a single {@code name[/version]} element, without surrounding whitespace.
     *
     * @param element e.g. {@code websocket} or {@code relay/2}
     * @return the offer
     * @throws IllegalArgumentException if the element is not {@code token[/token]}
     */
    public static UpgradeOffer of(String element) {
        int slash = element.indexOf('/');
        return slash < 0
            ? new UpgradeOffer(element, null)
            : new UpgradeOffer(element.substring(0, slash), element.substring(slash + 1));
    }

    /**
     * Whether this offer names {@code protocol}, compared case-insensitively (U1).
     *
     * @param protocol a protocol name
     * @return true if {@link #name()} equals it, ignoring case
     */
    public boolean is(String protocol) {
        // Most names differ in length; of the rest, nearly every client writes them the way handlers
        // do, so the exact, vectorised comparison goes before the character-by-character one.
        return name.length() == protocol.length() && (name.equals(protocol) || name.equalsIgnoreCase(protocol));
    }

    /**
     * Whether the client named a version.
     *
     * @return true if {@link #version()} is not null
     */
    public boolean hasVersion() {
        return version != null;
    }

    /** The offer as it appears in an {@code Upgrade} header: {@code name} or {@code name/version}. */
    @Override
    public String toString() {
        return version == null ? name : name + '/' + version;
    }
}
