package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelaySession;
import org.switchboard.relay.RelayListener;

/**
 * The chat page in a real headless Chromium: it joins the room over WebSocket ({@code superchat}
 * subprotocol), shows what a relay client says, and what it sends reaches the relay client. The
 * screenshot is kept as {@code examples/target/screenshots/chat.png}.
 */
class BrowserChatTest {

    @TempDir
    Path profile;

    @Test
    void W6_thePageChatsWithARelayClientInRealChromium() throws Exception {
        Server server = SampleServer.start("127.0.0.1", 0);
        int port = ((NetworkConnector) server.getConnectors()[0]).getLocalPort();
        WebDriver browser = HeadlessChromium.start(profile, 900, 700);
        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        try (RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + port + "/relay"), new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                atRelay.add(text);
            }
        })) {
            browser.get("http://127.0.0.1:" + port + "/");
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

            assertThat(Files.size(HeadlessChromium.screenshot(browser, "chat.png"))).isPositive();
        } finally {
            browser.quit();
            server.stop();
        }
    }
}
