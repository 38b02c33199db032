package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelaySession;
import org.switchboard.relay.RelayListener;

/**
 * The chat page in a real headless Chromium: it joins the room over WebSocket ({@code superchat}
 * subprotocol), shows what a relay client says, and what it sends reaches the relay client — over
 * cleartext, and over TLS ({@code https://} and {@code wss://}, the certificate made at start
 * accepted by its public key's fingerprint, the relay client on {@code relays://}). The
 * screenshots are kept as {@code examples/target/screenshots/chat.png} and {@code chat-tls.png}.
 */
class BrowserChatTest {

    private static final String HTTP11_UPGRADE = "HTTP/1.1 Upgrade (RFC 6455) on a connection of its own";
    private static final String RFC8441 = "RFC 8441 extended CONNECT on the page's HTTP/2 connection";

    @TempDir
    Path profile;

    @Test
    void W6_thePageChatsWithARelayClientInRealChromium() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        WebDriver browser = HeadlessChromium.start(profile, 900, 700);
        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        try (RelayClient relay = RelayClient.connect(URI.create("relay://127.0.0.1:" + port + "/relay"), collecting(atRelay))) {
            browser.get("http://127.0.0.1:" + port + "/");
            chat(browser, relay, atRelay);

            assertThat(Files.size(HeadlessChromium.screenshot(browser, "chat.png"))).isPositive();
        } finally {
            browser.quit();
            server.stop();
        }
    }

    @Test
    void W6_thePageChatsOverWssInRealChromiumAndTheServerSeesWhichTransportItTook() throws Exception {
        SampleTls certificate = SampleTls.selfSigned("127.0.0.1");
        Server server = SampleServer.start("127.0.0.1", 0, new SampleServer().serverLimits(), List.of(), certificate, null);
        // The only connector: whatever the page opens is TLS, so its WebSocket is wss://.
        ServerConnector tls = (ServerConnector) server.getConnectors()[0];
        // This certificate only, by its public key: not --ignore-certificate-errors.
        WebDriver browser = HeadlessChromium.start(profile, 900, 700, "--ignore-certificate-errors-spki-list=" + certificate.publicKeySha256());
        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        try (RelayClient relay = RelayClient.connect(URI.create("relays://127.0.0.1:" + tls.getLocalPort() + "/relay"), collecting(atRelay),
            certificate.fingerprint().trustOnly())) {
            browser.get("https://127.0.0.1:" + tls.getLocalPort() + "/");
            chat(browser, relay, atRelay);

            Object page = ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol");
            String transport = webSocketTransport(tls);
            System.out.println("Chromium over TLS: page over " + page + ", WebSocket over " + transport);
            assertThat(page).as("the page, negotiated with ALPN").isEqualTo("h2");
            assertThat(transport).isIn(HTTP11_UPGRADE, RFC8441);
            if (!tls.getConnectionFactory(HTTP2ServerConnectionFactory.class).isConnectProtocolEnabled())
                assertThat(transport).as("the server announces no extended CONNECT").isEqualTo(HTTP11_UPGRADE);
            assertThat(Files.size(HeadlessChromium.screenshot(browser, "chat-tls.png"))).isPositive();
        } finally {
            browser.quit();
            server.stop();
        }
    }

    /**
     * How the page's WebSocket reached the server, read from the server's side: a TLS connection
     * whose application connection is a WebSocket one was switched by an HTTP/1.1 upgrade; with
     * none, the session can only be a stream of an HTTP/2 connection (RFC 8441).
     */
    private static String webSocketTransport(ServerConnector connector) {
        boolean upgraded = false;
        boolean http2 = false;
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            Connection connection = endPoint.getConnection();
            if (connection instanceof SslConnection ssl)
                connection = ssl.getSslEndPoint().getConnection();
            upgraded |= connection instanceof WebSocketConnection;
            http2 |= connection instanceof HTTP2Connection;
        }
        return upgraded ? HTTP11_UPGRADE : http2 ? RFC8441 : "none found";
    }

    /** The page joins the room; a relay member and the page hear each other. */
    private static void chat(WebDriver browser, RelayClient relay, BlockingQueue<String> atRelay) throws InterruptedException {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(page -> page.findElement(By.id("status")).getText().contains("connected over WebSocket (subprotocol superchat)"));

        relay.sendText("rita: hello browser");
        wait.until(page -> page.findElement(By.id("log")).getText().contains("rita: hello browser"));

        browser.findElement(By.id("name")).clear();
        browser.findElement(By.id("name")).sendKeys("chromium");
        browser.findElement(By.id("text")).sendKeys("hello relay");
        browser.findElement(By.cssSelector("#send button")).click();
        String received;
        do {
            received = atRelay.poll(15, TimeUnit.SECONDS);
        } while (received != null && !received.startsWith("chromium:"));
        assertThat(received).isEqualTo("chromium: hello relay");
        wait.until(page -> page.findElement(By.id("log")).getText().contains("chromium: hello relay"));
    }

    private static RelayListener collecting(BlockingQueue<String> into) {
        return new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                into.add(text);
            }
        };
    }
}
