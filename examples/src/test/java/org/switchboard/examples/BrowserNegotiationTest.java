package org.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.testing.RawHttp;

/**
 * The page shows the protocols at work, in a real headless Chromium at 1280×800: a badge on each
 * message with the protocol it came through, the members grouped by protocol as they join and
 * leave, the live negotiation panel (SB6) with client text shown as text, the chart of upgrades,
 * and the "try it" dry run. The screenshot is kept as {@code examples/target/screenshots/negotiation.png}.
 */
class BrowserNegotiationTest {

    /** Shown as text, this is harmless; put in the page as HTML, it would mark the body. */
    private static final String MARKUP = "<img src=x onerror=document.body.dataset.injected=1>";

    @RegisterExtension
    final RunningSample sample = new RunningSample();

    @TempDir
    Path profile;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void SB6_thePageShowsBadgesMembersNegotiationsChartAndDryRuns() throws Exception {
        WebDriver browser = HeadlessChromium.start(profile, 1280, 800);
        try (RelayClient otto = RelayClient.connect(sample.base().resolve("/relay"), new RelayListener() { }, 1)) {
            browser.get(sample.base() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(page -> page.findElement(By.id("status")).getText().contains("connected over WebSocket (subprotocol superchat)"));

            try (RelayClient relay = RelayClient.connect(sample.base().resolve("/relay"), new RelayListener() { })) {
                // Badges: each message with the protocol it came through.
                relay.sendText("rita: hello over relay");
                otto.sendText("otto: hello over relay/1");
                post("ann: hello over http");
                wait.until(page -> badgeOf(page, "rita: hello over relay").equals("relay/2"));
                wait.until(page -> badgeOf(page, "otto: hello over relay/1").equals("relay/1"));
                wait.until(page -> badgeOf(page, "ann: hello over http").equals("http"));
                browser.findElement(By.id("text")).sendKeys("hello from the page");
                browser.findElement(By.cssSelector("#send button")).click();
                wait.until(page -> badgeOf(page, "browser: hello from the page").equals("websocket"));
                assertThat(browser.findElement(By.id("log")).getText()).contains("relay/2", "HTTP POST", "WebSocket");

                // Members grouped by protocol, named as they last spoke.
                wait.until(page -> group(page, "relay/2").contains("1 member") && group(page, "relay/2").contains("rita (#"));
                wait.until(page -> group(page, "websocket").contains("browser (#"));
                wait.until(page -> group(page, "relay/1").contains("otto (#"));

                // A plain GET where an upgrade is required: 426. And markup in an Upgrade value.
                assertThat(http.send(HttpRequest.newBuilder(sample.base().resolve("/relay")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(426);
                try (RawHttp raw = RawHttp.connect(sample.port())) {
                    raw.send("GET /relay HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: " + MARKUP + "\r\n\r\n");
                    assertThat(raw.readHead().status()).isEqualTo(426);
                }

                // The panel: the page's own WebSocket, the relay client, the 426s.
                wait.until(page -> rows(page, "101").stream().anyMatch(row -> row.contains("GET /chat HTTP/1.1") && row.contains("101 websocket")));
                wait.until(page -> rows(page, "101").stream().anyMatch(row -> row.contains("GET /relay HTTP/1.1")
                    && row.contains("relay/2, relay/1") && row.contains("relay/2 → accept") && row.contains("101 relay/2")));
                wait.until(page -> rows(page, "426").stream().anyMatch(row -> row.contains("GET /relay HTTP/1.1") && row.contains("(none)")
                    && row.contains("426 Upgrade: relay/2, relay/1")));
                wait.until(page -> rows(page, "426").stream().anyMatch(row -> row.contains(MARKUP)));
                assertThat(browser.findElements(By.cssSelector("#negotiations img"))).as("markup shown as text, not parsed").isEmpty();
                assertThat(browser.findElement(By.tagName("body")).getAttribute("data-injected")).isNull();

                // The chart has drawn both upgrades (websocket, relay).
                wait.until(page -> Integer.parseInt(page.findElement(By.id("chart")).getAttribute("data-upgrades")) >= 2);
                long painted = (Long) ((JavascriptExecutor) browser).executeScript(
                    "const c = document.getElementById('chart'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 100 && d[i + 2] < 120 && d[i] < 80) n++; return n;");
                assertThat(painted).as("pixels of relay's green bar").isPositive();
                assertThat(browser.findElement(By.id("legend")).getText()).contains("relay", "websocket");
            }
            // The relay/2 client left: its group is gone, relay/1's stays.
            wait.until(page -> page.findElements(By.cssSelector("#members [data-via='relay/2']")).isEmpty());
            assertThat(group(browser, "relay/1")).contains("1 member");

            // Try it: two typed values, decided as the server would.
            tryIt(browser, wait, "/chat", "websocket, relay/2");
            assertThat(browser.findElement(By.id("tryResult")).getAttribute("data-status")).isEqualTo("101");
            assertThat(browser.findElement(By.id("tryResult")).getText()).contains("101 websocket", "Sec-WebSocket-Version: 13");
            tryIt(browser, wait, "/relay", "websocket");
            assertThat(browser.findElement(By.id("tryResult")).getAttribute("data-status")).isEqualTo("426");
            assertThat(browser.findElement(By.id("tryResult")).getText()).contains("426 Upgrade: relay/2, relay/1", "websocket → not allowed on this route");
            assertThat(rows(browser, "101").stream().filter(row -> row.contains("GET /chat HTTP/1.1")))
                .as("dry runs are not negotiations: only the page's own WebSocket").hasSize(1);

            JavascriptExecutor script = (JavascriptExecutor) browser;
            assertThat((Boolean) script.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no horizontal scrolling at 1280×800").isTrue();
            script.executeScript("window.scrollTo(0, 0)");
            assertThat(Files.size(HeadlessChromium.screenshot(browser, "negotiation.png"))).isPositive();
        } finally {
            browser.quit();
        }
    }

    private void post(String line) throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(sample.base().resolve("/messages"))
            .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(201);
    }

    private static void tryIt(WebDriver browser, WebDriverWait wait, String path, String upgrade) {
        new Select(browser.findElement(By.id("tryPath"))).selectByVisibleText(path);
        WebElement value = browser.findElement(By.id("tryUpgrade"));
        value.clear();
        value.sendKeys(upgrade);
        browser.findElement(By.cssSelector("#try button")).click();
        wait.until(page -> page.findElement(By.id("tryResult")).getAttribute("data-status") != null);
    }

    /** The protocol on the badge of the message that reads {@code line}, or "" while there is none. */
    private static String badgeOf(WebDriver page, String line) {
        for (WebElement message : page.findElements(By.cssSelector("#log .msg"))) {
            if (message.getText().endsWith(line))
                return message.findElement(By.className("badge")).getAttribute("data-protocol");
        }
        return "";
    }

    /** The text of the members group of {@code via}, and of its list; "" while there is none. */
    private static String group(WebDriver page, String via) {
        List<WebElement> heading = page.findElements(By.cssSelector("#members [data-via='" + via + "']"));
        if (heading.isEmpty())
            return "";
        return heading.get(0).getText() + " " + heading.get(0).findElement(By.xpath("following-sibling::ul[1]")).getText();
    }

    /** The text of each panel row whose answer has {@code status}. */
    private static List<String> rows(WebDriver page, String status) {
        return page.findElements(By.cssSelector("#negotiations tbody tr[data-status='" + status + "']")).stream().map(WebElement::getText).toList();
    }
}
