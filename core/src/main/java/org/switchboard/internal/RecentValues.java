package org.switchboard.internal;

/**
 * Header values parsed recently, each with the list it parsed to. Clients send the same few
 * {@code Upgrade} and {@code Connection} values over and over ({@code websocket},
 * {@code keep-alive, Upgrade}), so most requests find theirs here: one vectorised
 * {@link String#equals} instead of a walk over every character, and no allocation. A parsed list
 * is immutable, so requests and threads share it safely, and it is its own cache entry, so a miss
 * allocates nothing beyond what it parses; a racing overwrite costs only a miss. Hostile,
 * ever-changing values only ever miss, and the cache stays bounded: 32 lists of values no longer
 * than {@link #MAX_VALUE_LENGTH}.
 */
final class RecentValues<E> {

    /** Longer values are parsed every time: real clients' values are far shorter. */
    static final int MAX_VALUE_LENGTH = 256;

    private final FrozenList<?>[] slots = new FrozenList<?>[32];

    /** The list {@code value} parsed to, or {@code null}. */
    @SuppressWarnings("unchecked")
    FrozenList<E> get(String value) {
        // Only remember() fills the slots, with lists of E.
        FrozenList<?> list = slots[slot(value)];
        return list != null && value.equals(list.source()) ? (FrozenList<E>) list : null;
    }

    /** Remembers {@code list} as what its {@link FrozenList#source()} parsed to; returns it. */
    FrozenList<E> remember(FrozenList<E> list) {
        String value = list.source();
        if (value.length() <= MAX_VALUE_LENGTH)
            slots[slot(value)] = list;
        return list;
    }

    private int slot(String value) {
        // Length and both ends tell the usual values apart without hashing every character.
        int n = value.length();
        int h = n == 0 ? 0 : n * 31 + value.charAt(0) * 7 + value.charAt(n - 1);
        return h & (slots.length - 1);
    }
}
