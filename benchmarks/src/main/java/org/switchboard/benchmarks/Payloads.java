package org.switchboard.benchmarks;

/** Message payloads: printable ASCII, so that they are valid UTF-8 text for every protocol. */
final class Payloads {

    private Payloads() {
    }

    static byte[] ascii(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
            bytes[i] = (byte) ('a' + (i * 7) % 26);
        return bytes;
    }
}
