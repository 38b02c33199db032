package org.switchboard.benchmarks;

/** A server answered something a conversation did not expect: counted as an error, the run is not a result. */
final class ProtocolViolation extends Exception {

    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
