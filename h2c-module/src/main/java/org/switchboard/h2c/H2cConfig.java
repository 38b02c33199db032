package org.switchboard.h2c;
import org.switchboard.UpgradeLimits;

/**
 * The HTTP/2 settings an h2c connection announces in its first SETTINGS frame (H2) and enforces,
 * whether it was reached by an HTTP/1.1 upgrade or by prior knowledge. An immutable value: start
 * from {@link #DEFAULT} and change what you need with the {@code with…} methods.
 *
 * <p>The size of a request body that may come with an upgrade request (H3) is not set here: it is
 * the dispatcher's {@link org.switchboard.UpgradeLimits#maxBodyBytes()}, the same for every protocol.
 *
 * @param maxConcurrentStreams     {@code SETTINGS_MAX_CONCURRENT_STREAMS}: streams a client may have open at once
 * @param initialSessionRecvWindow the connection's receive window in bytes (raised from 65,535 with a {@code WINDOW_UPDATE})
 * @param initialStreamRecvWindow  {@code SETTINGS_INITIAL_WINDOW_SIZE}: each stream's receive window in bytes
 * @param maxHeaderListSize        {@code SETTINGS_MAX_HEADER_LIST_SIZE}: the largest request header list accepted, in bytes
 * @param connectProtocolEnabled   {@code SETTINGS_ENABLE_CONNECT_PROTOCOL} (RFC 8441): lets clients reach every protocol
 *                                 handler by extended CONNECT on an HTTP/2 stream (rules C1–C6)
 */
public record H2cConfig(int maxConcurrentStreams, int initialSessionRecvWindow, int initialStreamRecvWindow,
                        int maxHeaderListSize, boolean connectProtocolEnabled) {

    /** Jetty's defaults: 128 streams, 1 MiB session window, 512 KiB stream window, 8 KiB of headers, extended CONNECT on. */
    public static final H2cConfig DEFAULT = new H2cConfig(128, 1024 * 1024, 512 * 1024, 8 * 1024, true);

    /** The smallest window HTTP/2 allows (RFC 9113 §6.9.2): a smaller one could not even hold a default frame. */
    private static final int MIN_WINDOW = 65_535;

    /**
     * Checks the settings against HTTP/2's minimums.
     *
     * @param maxConcurrentStreams     streams a client may have open at once, at least 1
     * @param initialSessionRecvWindow the connection's receive window, in bytes, at least 65,535
     * @param initialStreamRecvWindow  each stream's receive window, in bytes, at least 65,535
     * @param maxHeaderListSize        the largest request header list accepted, in bytes, at least 1024
     * @param connectProtocolEnabled   whether extended CONNECT (RFC 8441) is announced
     * @throws IllegalArgumentException if a value is below its minimum
     */
    public H2cConfig {
        if (maxConcurrentStreams < 1)
            throw new IllegalArgumentException("maxConcurrentStreams must be at least 1, not " + maxConcurrentStreams);
        if (initialSessionRecvWindow < MIN_WINDOW || initialStreamRecvWindow < MIN_WINDOW)
            throw new IllegalArgumentException("receive windows must be at least " + MIN_WINDOW + " bytes, not "
                + initialSessionRecvWindow + " / " + initialStreamRecvWindow);
        if (maxHeaderListSize < 1024)
            throw new IllegalArgumentException("maxHeaderListSize must be at least 1024 bytes, not " + maxHeaderListSize);
    }

    /**
     * A copy with another {@code maxConcurrentStreams}.
     *
     * @param streams streams a client may have open at once, at least 1
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is below its minimum
     */
    public H2cConfig withMaxConcurrentStreams(int streams) {
        return new H2cConfig(streams, initialSessionRecvWindow, initialStreamRecvWindow, maxHeaderListSize, connectProtocolEnabled);
    }

    /**
     * A copy with another {@code initialSessionRecvWindow}.
     *
     * @param bytes the connection's receive window, in bytes, at least 65,535
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is below its minimum
     */
    public H2cConfig withInitialSessionRecvWindow(int bytes) {
        return new H2cConfig(maxConcurrentStreams, bytes, initialStreamRecvWindow, maxHeaderListSize, connectProtocolEnabled);
    }

    /**
     * A copy with another {@code initialStreamRecvWindow}.
     *
     * @param bytes each stream's receive window, in bytes, at least 65,535
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is below its minimum
     */
    public H2cConfig withInitialStreamRecvWindow(int bytes) {
        return new H2cConfig(maxConcurrentStreams, initialSessionRecvWindow, bytes, maxHeaderListSize, connectProtocolEnabled);
    }

    /**
     * A copy with another {@code maxHeaderListSize}.
     *
     * @param bytes the largest request header list accepted, in bytes, at least 1024
     * @return a copy with that one value replaced
     * @throws IllegalArgumentException if the value is below its minimum
     */
    public H2cConfig withMaxHeaderListSize(int bytes) {
        return new H2cConfig(maxConcurrentStreams, initialSessionRecvWindow, initialStreamRecvWindow, bytes, connectProtocolEnabled);
    }

    /**
     * A copy with another {@code connectProtocolEnabled}.
     *
     * @param enabled whether extended CONNECT (RFC 8441) is announced
     * @return a copy with that one value replaced
     */
    public H2cConfig withConnectProtocolEnabled(boolean enabled) {
        return new H2cConfig(maxConcurrentStreams, initialSessionRecvWindow, initialStreamRecvWindow, maxHeaderListSize, enabled);
    }
}
