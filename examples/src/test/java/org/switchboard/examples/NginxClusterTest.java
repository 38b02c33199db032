package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/**
 * Two instances of the sample (each with its own in-memory room: these tests are about routing)
 * behind a real nginx running {@code examples/deploy/nginx-cluster.conf}: every protocol upgrades
 * through it, {@code least_conn} spreads the connections, a stopped instance gets no new ones, and
 * a POST is never passed to a second instance once the first may have stored it.
 */
class NginxClusterTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path workDir;

    // HTTP/1.1: the JDK client would otherwise try h2c, and count in the instances' h2c upgrades.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> started = new ArrayList<>();
    private Server a;
    private Server b;

    @BeforeEach
    void startInstances() throws Exception {
        a = SampleServer.start("127.0.0.1", 0);
        b = SampleServer.start("127.0.0.1", 0);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--)
            started.get(i).close();
        b.stop();
        a.stop();
    }

    @Test
    void W2_webSocketsUpgradeThroughTheClusterOnePerInstance() throws Exception {
        Nginx nginx = nginx(port(a), port(b));

        TextSocket first = TextSocket.open(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
        TextSocket second = TextSocket.open(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
        first.send("to one");
        second.send("to the other");

        assertThat(first.next()).isEqualTo("to one");
        assertThat(second.next()).isEqualTo("to the other");
        // least_conn: the second connection goes to the instance that has none.
        assertThat(open(a, "websocket")).isEqualTo(1);
        assertThat(open(b, "websocket")).isEqualTo(1);
        first.close();
        second.close();
    }

    @Test
    void SB4_relay2AndRelay1UpgradeThroughTheClusterOnePerInstance() throws Exception {
        Nginx nginx = nginx(port(a), port(b));
        URI relay = URI.create("http://127.0.0.1:" + nginx.port() + "/relay");
        Heard heard2 = new Heard();
        Heard heard1 = new Heard();

        try (RelayClient two = RelayClient.connect(relay, heard2, 2, 1);
             RelayClient one = RelayClient.connect(relay, heard1, 1)) {
            assertThat(two.protocol()).isEqualTo("relay/2");
            assertThat(one.protocol()).isEqualTo("relay/1");
            two.sendText("rita: relay/2 through the cluster");
            one.sendText("otto: relay/1 through the cluster");

            assertThat(heard2.next()).isEqualTo("rita: relay/2 through the cluster");
            assertThat(heard1.next()).isEqualTo("otto: relay/1 through the cluster");
            assertThat(open(a, "relay") + open(b, "relay")).isEqualTo(2);
            assertThat(open(a, "relay")).isEqualTo(1);
        }
    }

    @Test
    void H1_H2_h2cUpgradesThroughTheClusterKeepingHttp2Settings() throws Exception {
        Nginx nginx = nginx(port(a), port(b));

        for (int i = 0; i < 2; i++) {
            // A client of its own each time: a new connection, so a new h2c upgrade.
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> health = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
        assertThat(upgrades(a, "h2c") + upgrades(b, "h2c")).isEqualTo(2);
    }

    @Test
    void U4_time1UpgradesThroughTheCluster() throws Exception {
        Nginx nginx = nginx(port(a), port(b));

        try (RawUpgradeClient client = RawUpgradeClient.connect(nginx.port())) {
            RawResponse head = client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: time/1\r\n\r\n").readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(client.readText(21)).endsWith("Z\n");
        }
    }

    @Test
    void anInstanceStoppedGetsNoNewConnectionsTheOtherTakesThemAll() throws Exception {
        Nginx nginx = nginx(port(a), port(b));
        a.stop();

        for (int i = 0; i < 4; i++) {
            TextSocket echo = TextSocket.open(URI.create("ws://127.0.0.1:" + nginx.port() + "/echo"));
            echo.send("echo " + i);
            assertThat(echo.next()).isEqualTo("echo " + i);
            echo.close();

            Heard heard = new Heard();
            try (RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + nginx.port() + "/relay"), heard, 2)) {
                relay.sendText("rita: relay " + i);
                assertThat(heard.next()).isEqualTo("rita: relay " + i);
            }

            // Refused by the stopped instance before anything was sent: safe to pass on, even a POST.
            HttpResponse<String> posted = post(nginx.port(), "ann: post " + i);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        }
        assertThat(upgrades(b, "websocket")).isEqualTo(4);
        assertThat(upgrades(b, "relay")).isEqualTo(4);
        assertThat(nginx.output()).contains("Connection refused");
    }

    @Test
    void aPostThatMayHaveBeenStoredIsNeverPassedToTheNextInstance() throws Exception {
        try (DyingInstance dying = new DyingInstance()) {
            Nginx nginx = nginx(dying.port(), port(b));
            Heard room = new Heard();
            List<String> created = new ArrayList<>();
            try (RelayClient member = RelayClient.connect(URI.create("http://127.0.0.1:" + port(b) + "/relay"), room, 2)) {
                for (int i = 0; i < 10 && dying.requests().isEmpty(); i++) {
                    HttpResponse<String> posted = post(nginx.port(), "ann: post " + i);
                    if (dying.requests().isEmpty()) {
                        assertThat(posted.statusCode()).isEqualTo(201);
                        created.add("ann: post " + i);
                    } else {
                        // Read by an instance that died before answering: maybe stored, so not sent again.
                        assertThat(posted.statusCode()).isEqualTo(502);
                    }
                }
                assertThat(dying.requests()).hasSize(1).first().asString().startsWith("POST /messages ");

                // The room is in order: once this arrives, every earlier message has.
                assertThat(post(port(b), "ann: the end").statusCode()).isEqualTo(201);
                List<String> heard = room.until("ann: the end");
                assertThat(heard).containsExactlyElementsOf(created);
            }
        }
    }

    @Test
    void aGetWhoseInstanceDiedBeforeAnsweringIsPassedToTheNext() throws Exception {
        try (DyingInstance dying = new DyingInstance()) {
            Nginx nginx = nginx(dying.port(), port(b));

            for (int i = 0; i < 10 && dying.requests().isEmpty(); i++) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }

            assertThat(dying.requests()).hasSize(1).first().asString().startsWith("GET /health ");
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------

    private Nginx nginx(int first, int second) throws Exception {
        Nginx nginx = Nginx.inFrontOfCluster(first, second, workDir);
        started.add(nginx);
        return nginx;
    }

    private static int port(Server server) {
        return ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
    }

    private HttpResponse<String> post(int port, String line) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
            .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code protocols.P.open} of the instance's own {@code /health}, asked directly. */
    private int open(Server instance, String protocol) throws Exception {
        return health(instance).path("protocols").path(protocol).path("open").asInt();
    }

    /** {@code protocols.P.upgrades} of the instance's own {@code /health}. */
    private int upgrades(Server instance, String protocol) throws Exception {
        return health(instance).path("protocols").path(protocol).path("upgrades").asInt();
    }

    private com.fasterxml.jackson.databind.JsonNode health(Server instance) throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(instance) + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(health.body());
    }

    /** What a relay member hears, in order. */
    private static final class Heard implements RelayListener {
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

        @Override
        public void onText(RelaySession session, String text) {
            texts.add(text);
        }

        String next() throws InterruptedException {
            String text = texts.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(text).as("a message within " + BOUND).isNotNull();
            return text;
        }

        /** Every message before {@code last}, once {@code last} has arrived. */
        List<String> until(String last) throws InterruptedException {
            List<String> before = new ArrayList<>();
            for (String text = next(); !text.equals(last); text = next())
                before.add(text);
            return before;
        }
    }

    /**
     * An upstream that reads each request (head and {@code Content-Length} body) and closes the
     * connection without answering: an instance that died after reading it, and maybe after storing it.
     */
    private static final class DyingInstance implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::serve, "dying-instance");

        DyingInstance() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        List<String> requests() {
            return requests;
        }

        private void serve() {
            while (!listener.isClosed()) {
                try (Socket connection = listener.accept()) {
                    connection.setSoTimeout((int) BOUND.toMillis());
                    String head = readHead(connection.getInputStream());
                    if (head.isEmpty())
                        continue;  // nginx's keep-alive connection closed unused
                    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
                    if (length.find())
                        connection.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
                    requests.add(head);
                } catch (IOException closed) {
                    // the listener closed, or nginx gave up on this connection
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && head.length() < 65_536) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n"))
                    break;
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
