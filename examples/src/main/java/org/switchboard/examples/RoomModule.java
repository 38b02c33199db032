package org.switchboard.examples;

import java.time.Clock;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.switchboard.Switchboard;

/**
 * The sample application without any protocol: the room and its HTTP face — the page, server-sent
 * events, posting, health, metrics, the members and negotiations live, the dry run — which answers on HTTP/1.1 and, after an h2c upgrade or with prior
 * knowledge, on HTTP/2.
 */
public final class RoomModule extends AbstractModule {

    private final RoomOptions options;

    /** The in-memory room ({@link RoomOptions#DEFAULT}). */
    public RoomModule() {
        this(RoomOptions.DEFAULT);
    }

    /** The room {@code options} describe: in memory, or on Redis. */
    public RoomModule(RoomOptions options) {
        this.options = options;
    }

    @Override
    protected void configure() {
        bind(Clock.class).toInstance(Clock.systemUTC());
    }

    /** The room's engine; whoever builds the server closes it when the server stops. */
    @Provides
    @Singleton
    RoomLog log(Clock clock) {
        return options.open(clock);
    }

    @Provides
    @Singleton
    ChatRoom room(Clock clock, RoomLog log) {
        return new ChatRoom(clock, log);
    }

    /** The handler behind the dispatcher: what is served when no upgrade happens. */
    @Provides
    @Singleton
    Handler application(ChatRoom room, Switchboard switchboard, NegotiationFeed negotiations, PrometheusMeterRegistry registry) {
        // Not dynamic: Jetty takes a dynamic container for BLOCKING (a blocking handler could be added at any
        // time), and one blocking handler makes the whole server so — every HTTP/2 stream's request then goes
        // to another thread, where the routes below, all non-blocking, run in place.
        PathMappingsHandler paths = new PathMappingsHandler(false);
        // Servlet-style specs only ("" is the root alone): Jetty then finds a route in its tries, where
        // one regular expression would have it try every mapping in order on every request.
        paths.addMapping(PathSpec.from(""), new PageHandler());
        paths.addMapping(PathSpec.from("/events"), new EventStreamHandler(room));
        paths.addMapping(PathSpec.from("/messages"), new MessagesHandler(room));
        paths.addMapping(PathSpec.from("/health"), new HealthHandler(switchboard.metrics(), room));
        paths.addMapping(PathSpec.from("/metrics"), new MetricsHandler(registry));
        paths.addMapping(PathSpec.from("/members"), new RosterFeed(room));
        paths.addMapping(PathSpec.from("/negotiations"), negotiations);
        paths.addMapping(PathSpec.from("/negotiate"), new NegotiateHandler());
        paths.addMapping(PathSpec.from("/echo"), Responses.fixedText(
            "This is a WebSocket echo: connect with a WebSocket client, e.g. new WebSocket('ws://' + location.host + '/echo')."));
        return paths;
    }
}
