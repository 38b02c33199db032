package org.switchboard;

/**
 * RFC 9110 §5.6.2 {@code tchar}, answered from two 64-bit masks (no table to bounds-check), so
 * that parsing stays linear, branch-light and allocation-free.
 */
final class Tokens {

    /** tchar bits for characters 0–63 and 64–127. */
    private static final long LOW;
    private static final long HIGH;

    static {
        long low = 0, high = 0;
        String tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int i = 0; i < tchars.length(); i++) {
            char c = tchars.charAt(i);
            if (c < 64)
                low |= 1L << c;
            else
                high |= 1L << (c - 64);
        }
        LOW = low;
        HIGH = high;
    }

    private Tokens() {
    }

    static boolean isTchar(char c) {
        // A shift takes its count modulo 64, so the range tests pick the mask and exclude the rest.
        return c < 64 ? (LOW >>> c & 1) != 0 : c < 128 && (HIGH >>> c & 1) != 0;
    }

    static boolean isToken(String s) {
        return isToken(s, 0, s.length());
    }

    static boolean isToken(String s, int from, int to) {
        if (from >= to)
            return false;
        for (int i = from; i < to; i++)
            if (!isTchar(s.charAt(i)))
                return false;
        return true;
    }

    /** Optional whitespace, RFC 9110 §5.6.3. */
    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
