package org.switchboard.h2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.testing.ExternalProgram.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.Switchboard;
import org.switchboard.testing.TestServer;
import org.switchboard.UpgradeMetrics;

/**
 * Real HTTP/2 clients against a real server: curl, nghttp, the JDK's HttpClient and Jetty's. Each
 * response body says which protocol the application saw, so an upgrade that silently did not
 * happen fails the test. Responses stay under 32 KiB (curl 7.88's h2c buffer quirk).
 */
class H2cRealClientsTest {

    private static Switchboard switchboard;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        switchboard = Switchboard.builder().discoverHandlers().build();
        server = TestServer.start(switchboard);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static long upgrades() {
        return switchboard.metrics().snapshot().count("h2c", UpgradeMetrics.Outcome.UPGRADED);
    }

    @Test
    void curlHttp2UpgradesAGet() throws Exception {
        long before = upgrades();
        assertThat(run("curl", "-sS", "--http2", "-w", "\n%{http_version}", url("/curl")))
            .isEqualTo("GET /curl HTTP/2.0 body=\n2");
        assertThat(upgrades()).isEqualTo(before + 1);
    }

    @Test
    void H3_curlHttp2UpgradesAPostWithItsBody() throws Exception {
        assertThat(run("curl", "-sS", "--http2", "--data-binary", "from=curl", "-w", "\n%{http_version}", url("/curl-post")))
            .isEqualTo("POST /curl-post HTTP/2.0 body=from=curl\n2");
    }

    @Test
    void U9_curlHttp2WithExpect100ContinueUpgradesAPost(@TempDir Path dir) throws Exception {
        Path body = Files.writeString(dir.resolve("body.txt"), "y".repeat(20_000));
        String out = run("curl", "-sS", "--http2", "-H", "Expect: 100-continue", "--data-binary", "@" + body,
            "-w", "\n%{http_version}", url("/curl-expect"));
        assertThat(out).isEqualTo("POST /curl-expect HTTP/2.0 body=" + "y".repeat(20_000) + "\n2");
    }

    @Test
    void curlHttp2PriorKnowledgeWorksOnTheSamePort() throws Exception {
        assertThat(run("curl", "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version}", url("/prior")))
            .isEqualTo("GET /prior HTTP/2.0 body=\n2");
    }

    @Test
    void nghttpUpgradeServesTheRequestOverHttp2() throws Exception {
        long before = upgrades();
        String verbose = run("nghttp", "-u", "-v", url("/nghttp"));
        assertThat(verbose).contains("HTTP Upgrade response", "HTTP Upgrade success", ":status: 200")
            .contains("GET /nghttp HTTP/2.0 body=");
        assertThat(upgrades()).isEqualTo(before + 1);
    }

    @Test
    void nghttpUpgradeThenUploadsOverHttp2(@TempDir Path dir) throws Exception {
        Path body = Files.writeString(dir.resolve("body.txt"), "uploaded by nghttp");
        // With -d, nghttp upgrades with an OPTIONS request and sends the POST as stream 3.
        assertThat(run("nghttp", "-u", "-d", body.toString(), url("/nghttp-post")))
            .contains("POST /nghttp-post HTTP/2.0 body=uploaded by nghttp");
    }

    @Test
    void jdkHttpClientUpgradesWithHttp2OnAnHttpUri() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url("/jdk"))).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).isEqualTo("GET /jdk HTTP/2.0 body=");
    }

    @Test
    void jdkHttpClientSendsAHundredConcurrentRequestsOnTheUpgradedConnection() throws Exception {
        try (TestServer ids = TestServer.start(Switchboard.builder().handler(new H2cProtocolHandler()).build(), Applications.connectionId())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://127.0.0.1:" + ids.port() + "/id");
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.body()).startsWith("HTTP/2.0 ");

            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++)
                all.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            Set<String> bodies = all.stream().map(CompletableFuture::join).map(HttpResponse::body).collect(Collectors.toSet());
            // One body for all: the same HTTP/2 connection, the one the first request upgraded.
            assertThat(bodies).containsExactly(first.body());
        }
    }

    @Test
    void jettyHttpClientOverHttp2PriorKnowledge() throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
        try {
            ContentResponse response = client.newRequest(url("/jetty")).timeout(10, TimeUnit.SECONDS).send();
            assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(response.getContentAsString()).isEqualTo("GET /jetty HTTP/2.0 body=");
        } finally {
            client.stop();
        }
    }

    @Test
    void H3_jettyHttpClientUpgradesAPostToH2c() throws Exception {
        ClientConnector connector = new ClientConnector();
        HTTP2Client http2 = new HTTP2Client(connector);
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportDynamic(connector,
            HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(http2)));
        client.start();
        try {
            long before = upgrades();
            ContentResponse response = client.newRequest(url("/jetty-upgrade"))
                .method("POST")
                .headers(headers -> headers.put(HttpHeader.UPGRADE, "h2c").put(HttpHeader.HTTP2_SETTINGS, "")
                    .put(HttpHeader.CONNECTION, "Upgrade, HTTP2-Settings"))
                .body(new StringRequestContent("from jetty"))
                .timeout(10, TimeUnit.SECONDS)
                .send();
            assertThat(response.getContentAsString()).isEqualTo("POST /jetty-upgrade HTTP/2.0 body=from jetty");
            assertThat(upgrades()).isEqualTo(before + 1);
        } finally {
            client.stop();
        }
    }
}
