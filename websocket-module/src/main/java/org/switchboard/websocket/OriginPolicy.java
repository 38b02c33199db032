package org.switchboard.websocket;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.URIUtil;

/**
 * Which {@code Origin}s may open a WebSocket on an endpoint (rule W5); a handshake from any other
 * is refused with {@code 403}. Browsers always send {@code Origin}; other clients usually do not.
 *
 * <p>Origins are compared as RFC 6454 serializations ({@code scheme://host[:port]}), with scheme and
 * host lower-cased and default ports dropped, so {@code HTTPS://App.example:443} equals
 * {@code https://app.example}. The opaque origin {@code null} is never same-origin and is allowed
 * only by {@link #ANY} or when listed.
 *
 * @param allowSameOrigin allow an {@code Origin} equal to the request's own scheme, host and port
 * @param allowNoOrigin   allow requests without {@code Origin} (non-browser clients)
 * @param allowAnyOrigin  allow every origin
 * @param allowedOrigins  further allowed origins, normalized
 */
public record OriginPolicy(boolean allowSameOrigin, boolean allowNoOrigin, boolean allowAnyOrigin, Set<String> allowedOrigins) {

    /** The default: same-origin browsers and clients that send no {@code Origin}. */
    public static final OriginPolicy SAME_ORIGIN = new OriginPolicy(true, true, false, Set.of());

    /**
     * Normalizes the allowed origins to their RFC 6454 serialization.
     *
     * @param allowSameOrigin allow an {@code Origin} equal to the request's own scheme, host and port
     * @param allowNoOrigin   allow requests without {@code Origin}
     * @param allowAnyOrigin  allow every origin
     * @param allowedOrigins  further allowed origins, {@code scheme://host[:port]} or {@code null}
     * @throws IllegalArgumentException if an allowed origin has no scheme or host
     */
    public OriginPolicy {
        Set<String> normalized = new HashSet<>();
        for (String origin : allowedOrigins)
            normalized.add(normalize(origin));
        allowedOrigins = Set.copyOf(normalized);
    }

    /** Every origin, and none, is allowed: for public endpoints that do not rely on cookies. */
    public static final OriginPolicy ANY = new OriginPolicy(true, true, true, Set.of());

    /**
     * The default, plus {@code allowed} (e.g. {@code https://app.example.com}).
     *
     * @param allowed origins, {@code scheme://host[:port]}
     * @return same-origin, no {@code Origin} and {@code allowed}
     * @throws IllegalArgumentException if an origin has no scheme or host
     */
    public static OriginPolicy allowing(String... allowed) {
        return new OriginPolicy(true, true, false, Set.of(allowed));
    }

    /**
     * This policy without requests that carry no {@code Origin}: browsers only.
     *
     * @return a copy that refuses requests without {@code Origin} with {@code 403}
     */
    public OriginPolicy requiringOrigin() {
        return new OriginPolicy(allowSameOrigin, false, allowAnyOrigin, allowedOrigins);
    }

    /** Whether {@code request}'s {@code Origin} is allowed. */
    boolean allows(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null)
            return allowNoOrigin;
        if (allowAnyOrigin)
            return true;
        String normalized;
        try {
            normalized = normalize(origin);
        } catch (IllegalArgumentException x) {
            return false;
        }
        if (allowedOrigins.contains(normalized))
            return true;
        return allowSameOrigin && normalized.equals(serialize(request.getHttpURI().getScheme(),
            Request.getServerName(request), Request.getServerPort(request)));
    }

    /** The RFC 6454 serialization of an origin as a client sent it; {@code null} stays {@code null}. */
    static String normalize(String origin) {
        String trimmed = origin.trim();
        if ("null".equals(trimmed))
            return "null";
        URI uri = URI.create(trimmed);
        if (uri.getScheme() == null || uri.getHost() == null)
            throw new IllegalArgumentException("not an origin: " + origin);
        return serialize(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    private static String serialize(String scheme, String host, int port) {
        String s = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
        // A browser names the page's origin, http or https, even for a ws:// URL.
        if (s.equals("ws"))
            s = "http";
        else if (s.equals("wss"))
            s = "https";
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]"))
            h = h.substring(1, h.length() - 1);
        int defaultPort = URIUtil.getDefaultPortForScheme(s);
        boolean showPort = port > 0 && port != defaultPort;
        String shownHost = h.indexOf(':') >= 0 ? "[" + h + "]" : h;
        return s + "://" + shownHost + (showPort ? ":" + port : "");
    }
}
