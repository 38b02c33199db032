package org.switchboard.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.eclipse.jetty.util.ssl.SslContextFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import org.switchboard.relay.CertificateFingerprint;
import org.switchboard.relay.RelaySession;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelayClient;
import org.switchboard.relay.CloseCode;

/**
 * {@code relay-cli}: a terminal client for the room over relay, like {@code wscat} for WebSocket.
 * Connects, prints every message the room sends, and sends each line typed as {@code name: line}.
 * End of input (Ctrl-D) closes the session normally. When the server closes the session, its close
 * code and reason are printed and the command exits at once, without waiting for another line:
 * standard input is read on a daemon thread, so a blocked read never holds the exit.
 *
 * <p>Exit status: 0 when the session ends with 1000 (normal), whoever closed it; 1 otherwise — a
 * refused upgrade, or a session that ended with any other code, 1001 (server going away) included,
 * since then the lines still to be typed or piped in were never sent.
 *
 * <p>{@code --resume} (off by default, so that the exit on 1001 above stays as documented) makes a
 * relay/2 session outlive its connection (PROTOCOL.md section 8): a lost connection or a server
 * going away is followed by a reconnection that resumes the session, printed as
 * {@code * reconnected: session resumed} (or {@code not resumed (reason)}: a new session, the lines
 * not yet acknowledged sent again in it).
 */
@Command(name = "relay-cli", mixinStandardHelpOptions = true,
    description = "Chats in the sample's room over the relay protocol.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the session ended normally (close code 1000), after end of input or closed by the server",
        "1:the upgrade was refused, or the session ended with any other close code (1001 server going away, 1006 connection lost, ...)"})
public final class RelayCli implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "relay://127.0.0.1:8080/relay",
        description = "the relay URL: relay:// (or http://) in the clear, relays:// (or https://) over TLS (default: ${DEFAULT-VALUE})")
    URI uri;

    @Option(names = "--trust-fingerprint", paramLabel = "SHA256", converter = FingerprintConverter.class,
        description = "relays:// only: trust the server's certificate if, and only if, it has this SHA-256 fingerprint (64 hex digits, ':' between pairs allowed), as the sample prints it with --tls")
    CertificateFingerprint trustedFingerprint;

    @Option(names = "--insecure",
        description = "relays:// only: trust any server certificate — anyone between you and the server can then read and change the chat")
    boolean insecure;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", defaultValue = "${sys:user.name}", description = "the name others see (default: your user name)")
    String name;

    @Option(names = "--relay-version", description = "offer only this relay version (1 or 2); both by default")
    Integer version;

    @Option(names = "--resume",
        description = "relay/2: when the connection is lost or the server goes away (1001), reconnect and resume the session — nothing lost or doubled (up to 10 attempts, about 25 s)")
    boolean resume;

    private final InputStream in;
    private final PrintStream out;

    public RelayCli() {
        this(System.in, System.out);
    }

    RelayCli(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        RelayListener printer = new RelayListener() {
            @Override
            public void onText(RelaySession session, String text) {
                out.println(text);
            }

            @Override
            public void onResumed(RelaySession session, boolean resumed, String reason) {
                out.println(resumed ? "* reconnected: session resumed" : "* reconnected: not resumed (" + reason + "); a new session");
            }

            @Override
            public void onClose(RelaySession session, int code, String reason) {
                // Printed as it happens, so that a server going away shows while the user is typing.
                out.println("* closed " + code + (reason.isEmpty() ? "" : " " + reason));
            }
        };
        try (RelayClient client = connect(printer)) {
            out.println("* connected to " + uri + " over " + client.protocol() + " as " + name + "; type to chat, Ctrl-D to leave");
            CompletableFuture<Void> inputEnded = new CompletableFuture<>();
            Thread keyboard = new Thread(() -> {
                try {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    String line;
                    while ((line = lines.readLine()) != null) {
                        try {
                            if (!line.isBlank() && !client.sendText(name + ": " + line))
                                break;                          // the session is over
                        } catch (IllegalStateException x) {
                            out.println("* not sent: " + x.getMessage());   // --resume: too much unacknowledged
                        }
                    }
                } catch (IOException x) {
                    out.println("* cannot read input: " + x.getMessage());
                } finally {
                    inputEnded.complete(null);
                }
            }, "relay-cli-input");
            keyboard.setDaemon(true);                          // blocked in a read, it must not keep the JVM alive
            keyboard.start();

            // Whichever comes first: the server closes the session, or the input ends.
            CompletableFuture.anyOf(inputEnded, client.closed()).join();
            if (!client.closed().isDone())
                client.close();                                 // CLOSE 1000, then waits for the server to end the connection
            int code = client.closed().get(5, TimeUnit.SECONDS);
            return code == CloseCode.NORMAL ? 0 : 1;
        } catch (RelayClient.UpgradeFailedException x) {
            out.println("* the server refused the upgrade: " + x.getMessage());
            return 1;
        } catch (SSLException x) {
            out.println("* TLS failed: " + x.getMessage()
                + (trustedFingerprint == null && !insecure ? " (a self-signed server? --trust-fingerprint with the SHA-256 it printed)" : ""));
            return 1;
        }
    }

    private RelayClient connect(RelayListener printer) throws IOException {
        int[] versions = version == null ? new int[] {2, 1} : new int[] {version};
        SslContextFactory.Client tls = trustedFingerprint != null ? trustedFingerprint.trustOnly()
            : insecure ? new SslContextFactory.Client(true) : null;
        if (trustedFingerprint != null && insecure)
            throw new ParameterException(spec.commandLine(), "--insecure trusts any certificate, --trust-fingerprint one: choose one");
        try {
            RelayClient.Builder builder = RelayClient.builder(uri).versions(versions);
            if (tls != null)
                builder.tls(tls);
            if (resume)
                builder.resume(RelayClient.Reconnect.DEFAULT);
            return builder.connect(printer);
        } catch (IllegalArgumentException x) {
            // A URL of another scheme, or TLS options for a cleartext one.
            throw new ParameterException(spec.commandLine(), x.getMessage());
        }
    }

    /** {@code --trust-fingerprint}: a bad value is a usage error with a one-line reason. */
    static final class FingerprintConverter implements ITypeConverter<CertificateFingerprint> {
        @Override
        public CertificateFingerprint convert(String value) {
            try {
                return CertificateFingerprint.parse(value);
            } catch (IllegalArgumentException x) {
                throw new TypeConversionException(x.getMessage());
            }
        }
    }
}
