package org.switchboard.examples;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium through its chromedriver (.ci/setup.d/examples-browser.sh), for the page's tests. */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /**
     * A new browser with its profile in {@code profile}, a {@code width}×{@code height} window and
     * the {@code more} command-line switches; quit it after.
     */
    static WebDriver start(Path profile, int width, int height, String... more) {
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        options.addArguments(more);
        return new ChromeDriver(service, options);
    }

    /** Keeps what {@code browser} shows as {@code examples/target/screenshots/<name>}, a build artifact. */
    static Path screenshot(WebDriver browser, String name) throws IOException {
        Path screenshot = Path.of("target/screenshots", name);
        Files.createDirectories(screenshot.getParent());
        Files.move(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        return screenshot;
    }
}
