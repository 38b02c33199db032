package org.switchboard.internal;

/** RFC 9110 §5.6.2 {@code tchar}, answered by table lookup so that parsing stays linear and allocation-free. */
public final class Tokens {

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private Tokens() {
    }

    public static boolean isTchar(char c) {
        return c < 128 && TCHAR[c];
    }

    public static boolean isToken(CharSequence s) {
        return isToken(s, 0, s.length());
    }

    public static boolean isToken(CharSequence s, int from, int to) {
        if (from >= to)
            return false;
        for (int i = from; i < to; i++)
            if (!isTchar(s.charAt(i)))
                return false;
        return true;
    }

    /** Optional whitespace, RFC 9110 §5.6.3. */
    public static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
