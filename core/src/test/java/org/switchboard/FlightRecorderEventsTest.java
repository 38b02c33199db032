package org.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.internal.jfr.FlightRecording;
import org.switchboard.internal.jfr.NegotiationEvent;
import org.switchboard.internal.jfr.UpgradedConnectionEvent;
import org.switchboard.spi.Verdict;
import org.switchboard.testing.LineEchoProtocolHandler;
import org.switchboard.testing.RawHttp;
import org.switchboard.testing.TestServer;

/**
 * SB6 in JDK Flight Recorder: while a recording is on, each upgrade request of a real server is an
 * {@code org.switchboard.Negotiation} event, and each switched connection an
 * {@code org.switchboard.UpgradedConnection} event lasting from hand-over to close — with no
 * {@link NegotiationListener} registered. With no recording, nothing is recorded.
 */
class FlightRecorderEventsTest {

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Switchboard.builder()
            .handler(LineEchoProtocolHandler.accepting("echo", "1"))
            .handler(LineEchoProtocolHandler.scripted("guarded", (offer, request) -> Verdict.reject(403, HttpFields.EMPTY, "origin not allowed")))
            .route("/required", UpgradePolicy.required("echo"))
            .build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void SB6_eachNegotiationAndEachConnectionsLifetimeIsAnEvent() throws Exception {
        // Before any recording: the event types are loaded and disabled; this request is in no recording.
        assertThat(RawHttp.status(server.port(), "GET /before HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: guarded\r\n\r\n")).isEqualTo(403);
        assertThat(FlightRecording.recordsNegotiations()).isFalse();

        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable(NegotiationEvent.NAME);
            recording.enable(UpgradedConnectionEvent.NAME);
            recording.start();
            assertThat(FlightRecording.recordsNegotiations()).isTrue();

            try (RawHttp client = RawHttp.connect(server.port())) {
                assertThat(client.send("GET /room HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: nope, echo/1\r\n\r\n").readHead().status())
                    .isEqualTo(101);
                assertThat(client.readText(14)).isEqualTo("echo/1 body=0\n");
                client.send("hi");
                assertThat(client.readText(2)).isEqualTo("hi");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.dispatcher().metrics().snapshot().open("echo") == 0);
            assertThat(RawHttp.status(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: guarded\r\n\r\n")).isEqualTo(403);
            assertThat(RawHttp.status(server.port(), "GET /required HTTP/1.1\r\nHost: t\r\n\r\n")).isEqualTo(426);
            recording.stop();
            Path file = dir.resolve("switchboard.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
            assertThat(Files.size(file)).isPositive();
        }
        assertThat(FlightRecording.recordsNegotiations()).isFalse();

        Map<String, RecordedEvent> negotiations = events.stream().filter(e -> e.getEventType().getName().equals(NegotiationEvent.NAME))
            .collect(Collectors.toMap(e -> e.getString("requestLine"), Function.identity()));
        assertThat(negotiations).as("the request before the recording is not in it")
            .containsOnlyKeys("GET /room HTTP/1.1", "GET / HTTP/1.1", "GET /required HTTP/1.1");

        RecordedEvent upgraded = negotiations.get("GET /room HTTP/1.1");
        assertThat(upgraded.getEventType().getCategoryNames()).containsExactly("Switchboard");
        assertThat(upgraded.getString("offers")).isEqualTo("nope, echo/1");
        assertThat(upgraded.getString("steps")).isEqualTo("nope: no handler; echo/1: accept");
        assertThat(upgraded.getString("outcome")).isEqualTo("upgraded");
        assertThat(upgraded.getString("protocol")).isEqualTo("echo");
        assertThat(upgraded.getInt("status")).isEqualTo(101);
        assertThat(upgraded.getString("answer")).isEqualTo("101 echo/1");
        assertThat(upgraded.getDuration("negotiationTime").isNegative()).isFalse();

        RecordedEvent rejected = negotiations.get("GET / HTTP/1.1");
        assertThat(rejected.getString("outcome")).isEqualTo("rejected");
        assertThat(rejected.getInt("status")).isEqualTo(403);
        assertThat(rejected.getString("answer")).isEqualTo("403 origin not allowed");

        RecordedEvent required = negotiations.get("GET /required HTTP/1.1");
        assertThat(required.getString("outcome")).isEqualTo("upgrade_required");
        assertThat(required.getString("protocol")).isEqualTo("none");
        assertThat(required.getString("offers")).isEmpty();
        assertThat(required.getInt("status")).isEqualTo(426);

        List<RecordedEvent> connections = events.stream().filter(e -> e.getEventType().getName().equals(UpgradedConnectionEvent.NAME)).toList();
        assertThat(connections).singleElement().satisfies(connection -> {
            assertThat(connection.getString("protocol")).isEqualTo("echo");
            assertThat(connection.getString("remoteAddress")).contains("127.0.0.1");
            // Begun at the hand-over, after the decision; ended at the close, before the requests that followed it.
            assertThat(connection.getStartTime()).isAfterOrEqualTo(upgraded.getStartTime());
            assertThat(connection.getEndTime()).isBeforeOrEqualTo(rejected.getStartTime()).isAfterOrEqualTo(connection.getStartTime());
        });
    }
}
