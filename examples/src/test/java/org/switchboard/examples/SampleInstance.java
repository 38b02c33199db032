package org.switchboard.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;

/** A running sample a test talks to directly — in the test's JVM ({@link RunningSample}) or in its own ({@link SampleJvm}). */
interface SampleInstance {

    /** {@code http://127.0.0.1:<port>} (or {@code https://…} over TLS). */
    URI base();

    /**
     * Its own {@code GET /health}, asked directly (not through a proxy) over HTTP/1.1 — an h2c
     * upgrade would count in what it reports. Cleartext samples only.
     */
    default JsonNode health() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(health.body());
    }

    /** {@code protocols.PROTOCOL.open} of {@link #health()}: its connections switched to that protocol and still open. */
    default int open(String protocol) throws Exception {
        return health().path("protocols").path(protocol).path("open").asInt();
    }

    /** {@code protocols.PROTOCOL.upgrades} of {@link #health()}: its 101s for that protocol so far. */
    default int upgrades(String protocol) throws Exception {
        return health().path("protocols").path(protocol).path("upgrades").asInt();
    }
}
