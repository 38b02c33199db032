package org.switchboard.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: every meter of the sample's registry — Switchboard's
 * ({@code switchboard_upgrade_…}, see {@code SwitchboardMeters}) among them — for a Prometheus
 * scraper, in the format its {@code Accept} asks for as Prometheus' own exposition library chooses:
 * OpenMetrics ({@code application/openmetrics-text}), protobuf, or by default the text format
 * {@code text/plain; version=0.0.4}. Other methods get 405.
 */
final class MetricsHandler extends Handler.Abstract.NonBlocking {

    private final PrometheusMeterRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.text(response, callback, 405, "GET /metrics for Prometheus; no other method");
            return true;
        }
        ExpositionFormatWriter writer = formats.findWriter(request.getHeaders().get(HttpHeader.ACCEPT));
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        // The registry picks its writer from this content type as findWriter picked it from Accept: the same one.
        registry.scrape(body, writer.getContentType());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, writer.getContentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.size());
        response.write(true, head ? null : ByteBuffer.wrap(body.toByteArray()), callback);
        return true;
    }
}
