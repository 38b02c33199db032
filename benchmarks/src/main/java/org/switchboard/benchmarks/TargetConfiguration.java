package org.switchboard.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * What a running target is configured with, as flat {@code key=value} settings that can be compared
 * between targets: the JVM (flags, heap, collectors), the thread pool (type, min/max, reserved), each
 * connector (acceptors, selectors, idle timeout, accept queue, protocols, listeners), its
 * {@link HttpConfiguration} ({@code Server}/{@code Date} headers, header sizes, …), the buffer pool
 * and connection limits. A Jetty-based target describes its {@link Server}; Netty describes what it
 * has of the same ({@link NettyServer#configuration}). Keys only one side has are compared too,
 * except between a Jetty target and Netty, where only the keys both have mean the same thing.
 *
 * @param settings sorted by key
 */
record TargetConfiguration(SortedMap<String, String> settings) {

    TargetConfiguration {
        settings = new TreeMap<>(settings);
    }

    /** The JVM this runs in: what the harness gives every server JVM alike. */
    static SortedMap<String, String> jvm() {
        SortedMap<String, String> jvm = new TreeMap<>();
        // Flags only; the class path and the main class are the same command line for every target.
        jvm.put("jvm.flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        jvm.put("jvm.heap.max", Long.toString(Runtime.getRuntime().maxMemory()));
        jvm.put("jvm.gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(",")));
        jvm.put("jvm.version", System.getProperty("java.vm.version"));
        jvm.put("jvm.processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return jvm;
    }

    /** A Jetty server's configuration, with this JVM's. */
    static TargetConfiguration of(Server server) {
        SortedMap<String, String> s = jvm();
        ThreadPool pool = server.getThreadPool();
        s.put("threads.pool", pool.getClass().getSimpleName());
        if (pool instanceof QueuedThreadPool queued) {
            s.put("threads.min", Integer.toString(queued.getMinThreads()));
            s.put("threads.max", Integer.toString(queued.getMaxThreads()));
            s.put("threads.reserved", Integer.toString(queued.getReservedThreads()));
            s.put("threads.idleTimeout", Integer.toString(queued.getIdleTimeout()));
            s.put("threads.virtual", Boolean.toString(queued.getVirtualThreadsExecutor() != null));
        }
        ByteBufferPool buffers = server.getByteBufferPool();
        s.put("buffers.pool", buffers.getClass().getSimpleName());
        // ArrayByteBufferPool exposes its retention bounds only in toString: "heap=used/max,direct=used/max".
        Matcher retained = Pattern.compile("heap=\\d+/(-?\\d+),direct=\\d+/(-?\\d+)").matcher(buffers.toString());
        if (retained.find()) {
            s.put("buffers.maxRetainedHeap", retained.group(1));
            s.put("buffers.maxRetainedDirect", retained.group(2));
        }
        s.put("server.connectionLimit", server.getBeans(NetworkConnectionLimit.class).stream()
            .map(limit -> Integer.toString(limit.getMaxNetworkConnectionCount())).collect(Collectors.joining(",", "[", "]")));
        s.put("server.connectors", Integer.toString(server.getConnectors().length));
        // BLOCKING has Jetty run each request (each HTTP/2 stream's) on a thread of its own; NON_BLOCKING in place.
        s.put("server.invocationType", String.valueOf(server.getInvocationType()));
        int n = 0;
        for (Connector connector : server.getConnectors())
            connector(s, "connector" + n++ + ".", connector);
        return new TargetConfiguration(s);
    }

    private static void connector(SortedMap<String, String> s, String prefix, Connector connector) {
        s.put(prefix + "class", connector.getClass().getSimpleName());
        s.put(prefix + "protocols", String.join(",", connector.getProtocols()));
        s.put(prefix + "idleTimeout", Long.toString(connector.getIdleTimeout()));
        if (connector instanceof AbstractConnector abstractConnector) {
            s.put(prefix + "acceptors", Integer.toString(abstractConnector.getAcceptors()));
            s.put(prefix + "executor", abstractConnector.getExecutor() == connector.getServer().getThreadPool()
                ? "the server's thread pool" : abstractConnector.getExecutor().getClass().getSimpleName());
            s.put(prefix + "listeners", names(abstractConnector.getEventListeners()));
        }
        if (connector instanceof ServerConnector server) {
            s.put(prefix + "host", String.valueOf(server.getHost()));
            s.put(prefix + "selectors", Integer.toString(server.getSelectorManager().getSelectorCount()));
            s.put(prefix + "acceptQueue", Integer.toString(server.getAcceptQueueSize()));
            s.put(prefix + "reuseAddress", Boolean.toString(server.getReuseAddress()));
            s.put(prefix + "acceptedTcpNoDelay", Boolean.toString(server.getAcceptedTcpNoDelay()));
        }
        for (ConnectionFactory factory : connector.getConnectionFactories()) {
            if (factory instanceof HttpConnectionFactory http) {
                String p = prefix + "http.";
                s.put(p + "listeners", names(http.getEventListeners()));
                http(s, p, http.getHttpConfiguration());
            }
            if (factory instanceof AbstractHTTP2ServerConnectionFactory h2) {
                // The HTTP/2 side of an h2c upgrade: its own HttpConfiguration shapes stream 1's response.
                String p = prefix + "h2c.";
                s.put(p + "maxConcurrentStreams", Integer.toString(h2.getMaxConcurrentStreams()));
                s.put(p + "initialStreamRecvWindow", Integer.toString(h2.getInitialStreamRecvWindow()));
                s.put(p + "initialSessionRecvWindow", Integer.toString(h2.getInitialSessionRecvWindow()));
                s.put(p + "maxFrameSize", Integer.toString(h2.getMaxFrameSize()));
                s.put(p + "connectProtocolEnabled", Boolean.toString(h2.isConnectProtocolEnabled()));
                http(s, p, h2.getHttpConfiguration());
            }
        }
    }

    /** The settings of {@code config} under {@code prefix}: what every response and request head is shaped by. */
    static void http(SortedMap<String, String> s, String p, HttpConfiguration config) {
        s.put(p + "sendServerVersion", Boolean.toString(config.getSendServerVersion()));
        s.put(p + "sendDateHeader", Boolean.toString(config.getSendDateHeader()));
        s.put(p + "sendXPoweredBy", Boolean.toString(config.getSendXPoweredBy()));
        s.put(p + "requestHeaderSize", Integer.toString(config.getRequestHeaderSize()));
        s.put(p + "responseHeaderSize", Integer.toString(config.getResponseHeaderSize()));
        s.put(p + "outputBufferSize", Integer.toString(config.getOutputBufferSize()));
        s.put(p + "outputAggregationSize", Integer.toString(config.getOutputAggregationSize()));
        s.put(p + "headerCacheSize", Integer.toString(config.getHeaderCacheSize()));
        s.put(p + "idleTimeout", Long.toString(config.getIdleTimeout()));
        s.put(p + "persistentConnections", Boolean.toString(config.isPersistentConnectionsEnabled()));
        s.put(p + "delayDispatchUntilContent", Boolean.toString(config.isDelayDispatchUntilContent()));
        s.put(p + "directBuffers", config.isUseInputDirectByteBuffers() + "," + config.isUseOutputDirectByteBuffers());
        s.put(p + "compliance", config.getHttpCompliance().getName() + "," + config.getUriCompliance().getName());
        s.put(p + "customizers", names(config.getCustomizers()));
    }

    private static String names(Collection<?> objects) {
        return objects.stream().map(o -> o.getClass().getSimpleName()).sorted().collect(Collectors.joining(",", "[", "]"));
    }

    /** One line for {@link ServerMain}'s {@code config} answer: {@code CONFIG key=value<TAB>key=value…}. */
    String format() {
        return "CONFIG " + settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace('\t', ' '))
            .collect(Collectors.joining("\t"));
    }

    /** Parses {@link #format()}. */
    static TargetConfiguration parse(String line) {
        if (!line.startsWith("CONFIG "))
            throw new IllegalArgumentException("not a CONFIG line: " + line);
        SortedMap<String, String> s = new TreeMap<>();
        for (String part : line.substring("CONFIG ".length()).split("\t")) {
            int eq = part.indexOf('=');
            if (eq > 0)
                s.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new TargetConfiguration(s);
    }

    /**
     * One setting in which a target differs from the reference target.
     *
     * @param target    the target that differs
     * @param key       the setting
     * @param reference the reference target's value, {@code null} if it has none
     * @param value     the target's value, {@code null} if it has none
     */
    record Difference(Target target, String key, String reference, String value) {
        @Override
        public String toString() {
            return target.label() + " " + key + ": " + (reference == null ? "(none)" : reference) + " -> " + (value == null ? "(none)" : value);
        }
    }

    /**
     * Where {@code target}'s configuration differs from {@code reference}'s. Netty has no Jetty
     * thread pool, connector or {@link HttpConfiguration}: between Netty and a Jetty target only the
     * keys both report are compared (JVM, accept queue, headers).
     */
    static List<Difference> differences(TargetConfiguration reference, Target target, TargetConfiguration other, boolean bothJetty) {
        TreeSet<String> keys = new TreeSet<>(reference.settings.keySet());
        if (bothJetty)
            keys.addAll(other.settings.keySet());
        else
            keys.retainAll(other.settings.keySet());
        List<Difference> found = new ArrayList<>();
        for (String key : keys) {
            String a = reference.settings.get(key);
            String b = other.settings.get(key);
            if (a == null ? b != null : !a.equals(b))
                found.add(new Difference(target, key, a, b));
        }
        return found;
    }

    /** {@code settings} as given (for the tests and Netty). */
    static TargetConfiguration of(Map<String, String> settings) {
        return new TargetConfiguration(new TreeMap<>(settings));
    }
}
