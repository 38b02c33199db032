package org.switchboard.internal;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

/**
 * The one path language of Switchboard's routes and WebSocket endpoints: Jetty's path specs, written
 * as Jetty's WebSocket server writes them.
 * <ul>
 *   <li>{@code /chat} — exactly that path;</li>
 *   <li>{@code /api/*} — {@code /api} and everything below it; {@code /} — every path;</li>
 *   <li>{@code *.ws} — every path ending so;</li>
 *   <li>{@code ^/rooms/[a-z]+$} or {@code regex|…} — a Java regular expression over the path;</li>
 *   <li>{@code uri-template|/rooms/{room}} — an RFC 6570 level-1 template.</li>
 * </ul>
 * When several match, Jetty's precedence applies: exact, then the longest prefix, then suffix,
 * then regular expressions and templates in the order given, then {@code /}.
 */
public final class PathSpecs {

    private PathSpecs() {
    }

    /**
     * @throws IllegalArgumentException if {@code spec} is none of the forms above
     */
    public static PathSpec parse(String spec) {
        if (spec.startsWith("servlet|"))
            return new ServletPathSpec(spec.substring("servlet|".length()));
        if (spec.startsWith("regex|"))
            return new RegexPathSpec(spec.substring("regex|".length()));
        if (spec.startsWith("uri-template|"))
            return new UriTemplatePathSpec(spec.substring("uri-template|".length()));
        if (spec.startsWith("^"))
            return new RegexPathSpec(spec);
        if (spec.startsWith("/") || spec.startsWith("*."))
            return new ServletPathSpec(spec);
        throw new IllegalArgumentException("not a path spec: '" + spec
            + "' (/exact, /prefix/*, *.suffix, ^regex, regex|…, uri-template|…)");
    }
}
