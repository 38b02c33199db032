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

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
 */
@Command(name = "relay-cli", mixinStandardHelpOptions = true,
    description = "Chats in the sample's room over the relay protocol.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the session ended normally (close code 1000), after end of input or closed by the server",
        "1:the upgrade was refused, or the session ended with any other close code (1001 server going away, 1006 connection lost, ...)"})
public final class RelayCli implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "http://127.0.0.1:8080/relay", description = "the relay URL (default: ${DEFAULT-VALUE})")
    URI uri;

    @Option(names = "--name", defaultValue = "${sys:user.name}", description = "the name others see (default: your user name)")
    String name;

    @Option(names = "--relay-version", description = "offer only this relay version (1 or 2); both by default")
    Integer version;

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
            public void onClose(RelaySession session, int code, String reason) {
                // Printed as it happens, so that a server going away shows while the user is typing.
                out.println("* closed " + code + (reason.isEmpty() ? "" : " " + reason));
            }
        };
        try (RelayClient client = version == null ? RelayClient.connect(uri, printer) : RelayClient.connect(uri, printer, version)) {
            out.println("* connected to " + uri + " over " + client.protocol() + " as " + name + "; type to chat, Ctrl-D to leave");
            CompletableFuture<Void> inputEnded = new CompletableFuture<>();
            Thread keyboard = new Thread(() -> {
                try {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (!line.isBlank() && !client.sendText(name + ": " + line))
                            break;                              // the session is over
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
        }
    }
}
