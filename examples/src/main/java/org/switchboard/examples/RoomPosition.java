package org.switchboard.examples;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A message's place in the room: the engine's {@code epoch} and a stream id ({@code major-minor}, as a
 * Redis stream id {@code milliseconds-sequence}; the in-memory room counts {@code n-0}). Its text,
 * {@code <epoch>-<major>-<minor>}, is the {@link ChatMessage#id()} clients hand back to resume.
 *
 * <p>The epoch changes whenever the history it numbers is gone: each start of an in-memory room, and
 * for Redis a value kept beside the stream (a Redis that lost its data has a new one). Positions of
 * one epoch are ordered; a position of another epoch is never "before" anything here, it is unknown.
 *
 * @param epoch 1 to 32 lower-case hex digits
 * @param major the stream id's first part, {@code >= 0}
 * @param minor the stream id's second part, {@code >= 0}
 */
public record RoomPosition(String epoch, long major, long minor) implements Comparable<RoomPosition> {

    /** The longest text {@link #parse} reads: an epoch and two 19-digit numbers, with separators. */
    static final int MAX_TEXT = 32 + 2 * 19 + 2;

    private static final SecureRandom RANDOM = new SecureRandom();

    public RoomPosition {
        if (!isEpoch(epoch))
            throw new IllegalArgumentException("an epoch is 1 to 32 lower-case hex digits");
        if (major < 0 || minor < 0)
            throw new IllegalArgumentException("a stream id is two non-negative numbers");
    }

    /** A new random epoch: 16 hex digits. */
    public static String newEpoch() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code text} is an epoch: 1 to 32 lower-case hex digits. */
    static boolean isEpoch(String text) {
        if (text == null || text.isEmpty() || text.length() > 32)
            return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f'))
                return false;
        }
        return true;
    }

    /**
     * Reads a position as a client hands it back. Never throws: anything that is not
     * {@code <epoch>-<major>-<minor>} (at most {@value #MAX_TEXT} characters) is empty.
     *
     * @param text what the client sent, or {@code null}
     * @return the position, or empty if {@code text} is not one
     */
    public static Optional<RoomPosition> parse(String text) {
        if (text == null || text.length() > MAX_TEXT)
            return Optional.empty();
        int first = text.indexOf('-');
        int second = first < 0 ? -1 : text.indexOf('-', first + 1);
        if (second < 0)
            return Optional.empty();
        String epoch = text.substring(0, first);
        long major = number(text.substring(first + 1, second));
        long minor = number(text.substring(second + 1));
        if (!isEpoch(epoch) || major < 0 || minor < 0)
            return Optional.empty();
        return Optional.of(new RoomPosition(epoch, major, minor));
    }

    /** A stream id ({@code major-minor}) of {@code epoch}; empty if it is not one. */
    static Optional<RoomPosition> of(String epoch, String streamId) {
        return parse(epoch + "-" + streamId);
    }

    /** A decimal number of 1 to 19 digits, or -1. */
    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 19)
            return -1;
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9')
                return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException x) {
            return -1;
        }
    }

    /** The stream id alone, {@code major-minor}: what Redis calls the entry. */
    public String streamId() {
        return major + "-" + minor;
    }

    /**
     * Whether this position comes after {@code other} in what a member has heard: true if {@code other}
     * is {@code null} or of another epoch (the history it numbered is gone, so this is news), else
     * whether this is later in the stream.
     */
    public boolean isAfter(RoomPosition other) {
        return other == null || !epoch.equals(other.epoch) || compareTo(other) > 0;
    }

    /** Stream order; only meaningful within one epoch (positions of different epochs compare by epoch text). */
    @Override
    public int compareTo(RoomPosition other) {
        int byEpoch = epoch.compareTo(other.epoch);
        if (byEpoch != 0)
            return byEpoch;
        int byMajor = Long.compare(major, other.major);
        return byMajor != 0 ? byMajor : Long.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return epoch + "-" + major + "-" + minor;
    }
}
