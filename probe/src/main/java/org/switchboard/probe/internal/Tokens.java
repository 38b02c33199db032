package org.switchboard.probe.internal;

/** RFC 9110 §5.6.2 tokens. */
public final class Tokens {

    private Tokens() {}

    /**
     * Whether text is a token.
     *
     * @param text the text
     * @return whether it is one or more tchar
     */
    public static boolean isToken(String text) {
        if (text.isEmpty())
            return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar)
                return false;
        }
        return true;
    }

    /**
     * Whether text is an {@code Upgrade} element.
     *
     * @param text the text
     * @return whether it is {@code protocol-name ["/" protocol-version]}, both tokens (RFC 9110 §7.8, U1)
     */
    public static boolean isProtocol(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? isToken(text) : isToken(text.substring(0, slash)) && isToken(text.substring(slash + 1));
    }
}
