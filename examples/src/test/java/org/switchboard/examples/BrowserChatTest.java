package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelaySession;
import org.switchboard.relay.RelayListener;

/**
 * The chat page in a real headless Chromium: it joins the room over WebSocket ({@code chat}
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
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=900,700", "--user-data-dir=" + profile);
        WebDriver browser = new ChromeDriver(service, options);
        BlockingQueue<String> atRelay = new LinkedBlockingQueue<>();
        try (RelayClient relay = RelayClient.connect(URI.create("http://127.0.0.1:" + port + "/relay"), new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                atRelay.add(text);
            }
        })) {
            browser.get("http://127.0.0.1:" + port + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
            wait.until(page -> page.findElement(By.id("status")).getText().contains("connected over WebSocket (subprotocol chat)"));

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

            Path screenshot = Path.of("target/screenshots/chat.png");
            Files.createDirectories(screenshot.getParent());
            Files.move(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(screenshot)).isPositive();
        } finally {
            browser.quit();
            server.stop();
        }
    }
}
