package org.switchboard.benchmarks;

import java.nio.ByteBuffer;

/** What a {@link Conversation} can do with its connection; implemented by the {@link LoadClient}'s event loop. */
interface Wire {

    /** Queues {@code bytes} (not copied: do not reuse them until sent) and writes as much as the socket takes. */
    void send(ByteBuffer bytes);

    /** The upgrade succeeded (the 101 and, for h2c, stream 1's response are in). */
    void upgraded();

    /** One operation of the workload completed: a handshake, an echo, a stream. */
    void completed();

    /** The conversation is over: close the connection (and open the next one, for one-shot workloads). */
    void finish();
}
