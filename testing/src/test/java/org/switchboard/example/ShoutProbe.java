package org.switchboard.example;

// --- README snippet starts ---
import java.io.IOException;
import java.net.URI;

import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

/** Asks a server for shout/1 and says what it answered: no JUnit, only the kit's raw client. */
public final class ShoutProbe {

    public static void main(String[] args) throws IOException {
        System.out.println(probe(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080/")));
    }

    static String probe(URI uri) throws IOException {
        try (RawUpgradeClient client = RawUpgradeClient.connect(uri)) {
            RawResponse response = client.send("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
                + "\r\nConnection: Upgrade\r\nUpgrade: shout\r\n\r\nping").readResponse();
            if (response.status() != 101)
                return "refused: " + response.status() + " " + response.body();
            return "switched to " + response.header("Upgrade") + ", ping answered " + client.readText(4);
        }
    }
}
// --- README snippet ends ---
