package org.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.switchboard.Switchboard;
import org.switchboard.UpgradeDispatcher;
import org.switchboard.spi.ProtocolHandler;

/**
 * A JUnit 5 extension that runs a {@link TestServer} — a real Jetty server with Switchboard, on an
 * ephemeral port of 127.0.0.1 — around tests, and stops it after them. Register it with
 * {@code @RegisterExtension}:
 *
 * <ul>
 *   <li>on a {@code static} field, one server for the whole class: started before the first test
 *       ({@code @BeforeAll} methods and the constructor can use it), stopped after the last;</li>
 *   <li>on an instance field, a fresh server for each test, stopped after it.</li>
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SwitchboardServerExtension server = SwitchboardServerExtension.of(new ShoutProtocolHandler());
 *
 * @Test
 * void u10_bytesAfterTheRequestReachTheNewProtocol(URI uri) throws IOException {
 *     try (RawUpgradeClient client = RawUpgradeClient.connect(uri)) { ... }
 * }
 * }</pre>
 *
 * <p>Test methods, lifecycle methods and constructors get by parameter: the {@link TestServer}, its
 * base {@link URI} ({@code http://127.0.0.1:<port>/}), its {@link UpgradeDispatcher} (for its
 * metrics) and its Jetty {@link Server}, and the port as an {@code int} marked {@link ServerPort}.
 * The field itself gives the same ({@link #uri()}, {@link #port()}…) while the server runs. Register
 * one such extension per test class: two would both answer these parameters.
 */
public final class SwitchboardServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Supplier<Switchboard> switchboard;
    private final Supplier<Handler> application;
    private TestServer running;
    /** How many class-level scopes (the class, its {@code @Nested} classes) the running server serves. */
    private int classScopes;
    private boolean perTest;

    private SwitchboardServerExtension(Supplier<Switchboard> switchboard, Supplier<Handler> application) {
        this.switchboard = switchboard;
        this.application = application;
    }

    /**
     * A server with these handlers and nothing else configured, in front of a {@link RequestSummaryHandler}.
     *
     * @param handlers the handlers, in server priority order
     * @return the extension, to register with {@code @RegisterExtension}
     */
    public static SwitchboardServerExtension of(ProtocolHandler... handlers) {
        return of(Switchboard.builder().handlers(List.of(handlers)).build());
    }

    /**
     * A server with {@code switchboard} in front of a {@link RequestSummaryHandler}.
     *
     * @param switchboard the configuration under test
     * @return the extension, to register with {@code @RegisterExtension}
     */
    public static SwitchboardServerExtension of(Switchboard switchboard) {
        return of(switchboard, new RequestSummaryHandler());
    }

    /**
     * A server with {@code switchboard} in front of {@code application}. A per-class server is
     * started once; a per-test server is started for each test from the same two objects, so the
     * metrics of {@code switchboard} add up over the tests.
     *
     * @param switchboard the configuration under test
     * @param application serves every request that is not switched
     * @return the extension, to register with {@code @RegisterExtension}
     */
    public static SwitchboardServerExtension of(Switchboard switchboard, Handler application) {
        Objects.requireNonNull(switchboard, "switchboard");
        Objects.requireNonNull(application, "application");
        return new SwitchboardServerExtension(() -> switchboard, () -> application);
    }

    /**
     * A server built from new objects each time it starts: per test, each test gets its own
     * {@link Switchboard} (its own metrics) and application.
     *
     * @param switchboard makes the configuration under test, once per start
     * @param application makes the application, once per start
     * @return the extension, to register with {@code @RegisterExtension}
     */
    public static SwitchboardServerExtension of(Supplier<Switchboard> switchboard, Supplier<Handler> application) {
        return new SwitchboardServerExtension(Objects.requireNonNull(switchboard, "switchboard"), Objects.requireNonNull(application, "application"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (running == null)
            running = TestServer.start(switchboard.get(), application.get());
        classScopes++;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (--classScopes == 0)
            stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (running == null) {
            running = TestServer.start(switchboard.get(), application.get());
            perTest = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (perTest) {
            perTest = false;
            stop();
        }
    }

    private void stop() throws Exception {
        TestServer server = running;
        running = null;
        if (server != null)
            server.close();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(ServerPort.class))
            return type == int.class || type == Integer.class;
        return type == TestServer.class || type == URI.class || type == UpgradeDispatcher.class || type == Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestServer server = running;
        if (server == null)
            throw new ParameterResolutionException("the Switchboard test server is not running: register SwitchboardServerExtension on a"
                + " static field to use it in a constructor or @BeforeAll method");
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(ServerPort.class))
            return server.port();
        if (type == URI.class)
            return server.uri();
        if (type == UpgradeDispatcher.class)
            return server.dispatcher();
        if (type == Server.class)
            return server.server();
        return server;
    }

    /**
     * The running server.
     *
     * @return the server of the current test or class
     * @throws IllegalStateException outside the tests it runs for
     */
    public TestServer server() {
        TestServer server = running;
        if (server == null)
            throw new IllegalStateException("the Switchboard test server runs only during the tests of the class that registers it");
        return server;
    }

    /**
     * The running server's base URI, {@code http://127.0.0.1:<port>/}.
     *
     * @return the URI
     * @throws IllegalStateException as {@link #server()}
     */
    public URI uri() {
        return server().uri();
    }

    /**
     * {@code http://127.0.0.1:<port><path>}.
     *
     * @param path an absolute path, with a query if wanted
     * @return the URI
     * @throws IllegalStateException as {@link #server()}
     */
    public URI uri(String path) {
        return server().uri(path);
    }

    /**
     * The running server's port on 127.0.0.1.
     *
     * @return the port
     * @throws IllegalStateException as {@link #server()}
     */
    public int port() {
        return server().port();
    }

    /**
     * The running server's dispatcher, for its metrics.
     *
     * @return the dispatcher
     * @throws IllegalStateException as {@link #server()}
     */
    public UpgradeDispatcher dispatcher() {
        return server().dispatcher();
    }

    /**
     * Opens a {@link RawUpgradeClient} to the running server; as {@link #server()} for errors.
     *
     * @return the connected client
     * @throws IOException           if the connection is refused or not made in time
     * @throws IllegalStateException as {@link #server()}
     */
    public RawUpgradeClient connect() throws IOException {
        return server().connect();
    }
}
