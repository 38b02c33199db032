package org.switchboard.probe.internal;

import java.io.IOException;

import org.switchboard.probe.Target;

/** One request, one answer, on a connection of its own. */
final class Exchanges {

    private Exchanges() {}

    /** Sends {@code request} on a new connection and returns the final head (or the 101); the connection is closed. */
    static ResponseHead exchange(Target target, RawRequest request) throws IOException {
        try (RawUpgradeClient client = open(target)) {
            client.send(request.bytes());
            return client.readFinalHead();
        }
    }

    /** A new connection to the target, with its timeout. */
    static RawUpgradeClient open(Target target) throws IOException {
        return RawUpgradeClient.connect(target.address(), target.timeout());
    }

    /** {@code status} and the head quoted: the proof a FAIL carries. */
    static String proof(ResponseHead head) {
        return "got " + head.status() + ": " + head.quoted();
    }
}
