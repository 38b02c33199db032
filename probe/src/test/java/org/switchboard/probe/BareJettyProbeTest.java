package org.switchboard.probe;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe against bare Jetty: a {@link WebSocketUpgradeHandler} with an echo endpoint and Jetty's
 * own h2c connection factory, nothing of Switchboard. Jetty lets a wrong version fall through (no
 * 426, W4), accepts a key that is not 16 bytes (W3), switches an h2c offer with two
 * {@code HTTP2-Settings} (H1) and matches {@code Upgrade} as a whole value, so neither of two offers
 * wins (SB1); over RFC 8441 it switches {@code :protocol websocket} (C3) but serves a malformed
 * (C1) or unknown (C4) {@code :protocol} as a plain request, a 200: the probe must say so, by rule id,
 * in every report, and exit 1.
 */
class BareJettyProbeTest {

    /** Sends back every text message. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }

    private Server server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setConnectProtocolEnabled(true);  // RFC 8441: Jetty's WebSocketUpgradeHandler then takes :protocol websocket
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler websocket = WebSocketUpgradeHandler.from(server,
            container -> container.addMapping("/echo", (request, response, callback) -> new Echo()));
        websocket.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, StandardCharsets.UTF_8.encode("plain\n"), callback);
                return true;
            }
        });
        server.setHandler(websocket);
        server.start();
        url = "http://127.0.0.1:" + connector.getLocalPort() + "/";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void w4_w3_h1_sb1_c1_c4_bareJettysFaultsAreReportedByRuleId(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("probe.json");
        Path junit = dir.resolve("probe.xml");
        ProbeOutput probe = ProbeOutput.run(url, "--websocket", "/echo", "--h2c", "--extended-connect", "--json", json.toString(), "--junit", junit.toString(), "--timeout", "30");

        assertThat(probe.status()).isEqualTo(Probe.FAILED);
        assertThat(probe.out()).containsPattern("W4 +FAIL +unsupported Sec-WebSocket-Version \\(8\\) → 426 with Sec-WebSocket-Version: 13");

        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertThat(report.get("target").asText()).isEqualTo(url);
        JsonNode w4 = only(report, "W4");
        assertThat(w4.get("result").asText()).isEqualTo("FAIL");
        assertThat(w4.get("detail").asText()).as("the bytes that prove it").contains("version 8 needs 426").contains("HTTP/1.1 200 OK\\r\\n");
        JsonNode badKey = named(report, "W3", "not 16 bytes");
        assertThat(badKey.get("result").asText()).isEqualTo("FAIL");
        assertThat(badKey.get("detail").asText()).contains("HTTP/1.1 101 Switching Protocols\\r\\n");
        assertThat(named(report, "W2", "Sec-WebSocket-Accept").get("result").asText()).isEqualTo("PASS");
        assertThat(named(report, "H1", "a valid offer").get("result").asText()).isEqualTo("PASS");
        JsonNode twoSettings = named(report, "H1", "two HTTP2-Settings");
        assertThat(twoSettings.get("result").asText()).isEqualTo("FAIL");
        assertThat(twoSettings.get("detail").asText()).contains("HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: h2c");
        assertThat(named(report, "SB1", "Upgrade: websocket, h2c").get("result").asText()).isEqualTo("FAIL");
        assertThat(named(report, "U8", "required route").get("result").asText()).isEqualTo("SKIP");
        assertThat(named(report, "U8", "required route").get("detail").asText()).isEqualTo("needs --required PATH");
        // RFC 8441 over prior-knowledge h2c: Jetty switches :protocol websocket, and answers everything else as a plain request.
        assertThat(named(report, "C3", "SETTINGS_ENABLE_CONNECT_PROTOCOL").get("result").asText()).isEqualTo("PASS");
        assertThat(named(report, "C3", "a masked text frame is echoed").get("result").asText()).isEqualTo("PASS");
        assertThat(named(report, "C3", "right behind the CONNECT").get("result").asText()).isEqualTo("PASS");
        JsonNode list = named(report, "C1", "a :protocol that is a list");
        assertThat(list.get("result").asText()).isEqualTo("FAIL");
        assertThat(list.get("detail").asText()).contains("needs 400").contains("got 200");
        JsonNode unknown = named(report, "C4", "on a route");
        assertThat(unknown.get("result").asText()).isEqualTo("FAIL");
        assertThat(unknown.get("detail").asText()).contains("leaves a stream nobody reads");
        assertThat(named(report, "C4", "required route").get("result").asText()).isEqualTo("SKIP");
        assertThat(named(report, "U11", "HTTP/2 GET carrying Upgrade").get("result").asText()).isEqualTo("PASS");

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(Files.readAllBytes(junit)));
        Element suite = xml.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(Integer.parseInt(suite.getAttribute("tests"))).isEqualTo(cases.getLength()).isEqualTo(report.get("checks").size());
        assertThat(Integer.parseInt(suite.getAttribute("failures"))).isEqualTo(count(report, "FAIL")).isGreaterThanOrEqualTo(2);
        assertThat(Integer.parseInt(suite.getAttribute("skipped"))).isEqualTo(count(report, "SKIP"));
        Element w4Case = testcase(cases, "W4 unsupported Sec-WebSocket-Version");
        assertThat(w4Case.getAttribute("classname")).isEqualTo(url);
        assertThat(w4Case.getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(((Element) w4Case.getElementsByTagName("failure").item(0)).getAttribute("message")).isEqualTo(w4.get("detail").asText());
        assertThat(testcase(cases, "H4 ").getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(testcase(cases, "W2 ").getChildNodes().getLength()).isZero();
    }

    private static JsonNode only(JsonNode report, String id) {
        List<JsonNode> found = new ArrayList<>();
        report.get("checks").forEach(check -> { if (check.get("id").asText().equals(id)) found.add(check); });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static JsonNode named(JsonNode report, String id, String nameContains) {
        for (JsonNode check : report.get("checks"))
            if (check.get("id").asText().equals(id) && check.get("name").asText().contains(nameContains))
                return check;
        throw new AssertionError("no " + id + " check named …" + nameContains + "…");
    }

    private static int count(JsonNode report, String result) {
        int n = 0;
        for (JsonNode check : report.get("checks"))
            if (check.get("result").asText().equals(result))
                n++;
        return n;
    }

    private static Element testcase(NodeList cases, String namePrefix) {
        for (int i = 0; i < cases.getLength(); i++) {
            Element element = (Element) cases.item(i);
            if (element.getAttribute("name").startsWith(namePrefix))
                return element;
        }
        throw new AssertionError("no testcase " + namePrefix);
    }
}
