package org.switchboard.examples;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.switchboard.relay.RelayClient;
import org.switchboard.relay.RelayListener;
import org.switchboard.relay.RelaySession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code relay-cli}: a terminal client for the room over relay, like {@code wscat} for WebSocket.
 * Connects, prints every message the room sends, and sends each line typed as {@code name: line}.
 * End of input (Ctrl-D) closes the session normally; a server that goes away is reported with its
 * close code.
 */
@Command(name = "relay-cli", mixinStandardHelpOptions = true,
    description = "Chats in the sample's room over the relay protocol.")
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
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank() && !client.sendText(name + ": " + line))
                    break;
            }
            client.close();
            int code = client.closed().get(5, TimeUnit.SECONDS);
            return code == 1000 || code == 1001 ? 0 : 1;
        } catch (RelayClient.UpgradeFailedException x) {
            out.println("* the server refused the upgrade: " + x.getMessage());
            return 1;
        }
    }
}
