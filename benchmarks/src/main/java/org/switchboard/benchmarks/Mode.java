package org.switchboard.benchmarks;

/** How a connection lives after its upgrade. */
enum Mode {
    /** One operation (an echo, or stream 1's response), a close, a new connection: measures upgrades. */
    ONE_SHOT,
    /** Operations back to back on the same connection until the run ends: measures messages. */
    LOOP,
    /** Nothing after the upgrade: the connection is held open to measure what it costs the server. */
    IDLE
}
