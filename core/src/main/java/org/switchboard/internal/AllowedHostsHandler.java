package org.switchboard.internal;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code 421 Misdirected Request} to every request whose host (the {@code Host} field, or
 * {@code :authority} over HTTP/2) is not on the list, before any other handler sees it. This
 * defeats DNS rebinding: a page from an attacker's name that the attacker's DNS
 * later points at this server sends {@code Host} (and {@code Origin}) with the attacker's name,
 * which a same-origin check alone accepts. Names compare without case and without port.
 */
public final class AllowedHostsHandler extends Handler.Wrapper {

    private final Set<String> hosts;

    public AllowedHostsHandler(Set<String> hosts, Handler handler) {
        super(handler);
        if (hosts.isEmpty())
            throw new IllegalArgumentException("no allowed host");
        this.hosts = hosts.stream().map(AllowedHostsHandler::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** The allowed names, lower case. */
    public Set<String> getAllowedHosts() {
        return hosts;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // In front of the dispatcher, so it tells the connection's head deadline itself; the dispatcher's own call is then a no-op.
        HeadDeadline.Watch deadline = HeadDeadline.of(request);
        if (deadline != null && !deadline.headReceived(request, callback))
            return true;
        String host = request.getHttpURI().getHost();
        if (host == null || !hosts.contains(normalize(host))) {
            PlainTextResponses.write(request, response, callback, HttpStatus.MISDIRECTED_REQUEST_421, HttpFields.EMPTY,
                "this server does not serve the host " + (host == null ? "(none)" : "'" + host + "'"));
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static String normalize(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]"))  // IPv6 literal as it appears in Host
            name = name.substring(1, name.length() - 1);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
