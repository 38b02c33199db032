package org.switchboard.internal;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

import org.switchboard.spi.UpgradeHeaders;
import org.switchboard.spi.UpgradeOffer;

/**
 * An unmodifiable list over the first {@code size} slots of an array that a parser filled and
 * then let go of. {@link UpgradeHeaderParser} keeps it as it is instead of copying it once more with
 * {@code List.copyOf}: parsing allocates the result and nothing else.
 * It also remembers the header value it was parsed from, so that {@link RecentValues} can hand the
 * same list to the next request with that value.
 */
public final class FrozenList<E> extends AbstractList<E> implements RandomAccess {

    private final Object[] elements;
    private final int size;
    private final String source;
    private final int listed;
    /**
     * The record last made of this list of offers and a list of options: the next request with the
     * same two values gets it again. Written without a lock: a record is immutable and safely
     * published through its final fields, and a racing write only costs a new record.
     */
    private UpgradeHeaders headers;

    private static final FrozenList<Object> EMPTY = new FrozenList<>(new Object[0], 0, null, 0);

    /**
     * @param elements must not be written to again; its first {@code size} slots are non-null
     * @param source   the one header value the list was parsed from, or {@code null} if it joins several
     * @param listed   the non-empty list elements the parsed values had, well-formed or not (SB5 counts them)
     */
    FrozenList(Object[] elements, int size, String source, int listed) {
        this.elements = elements;
        this.size = size;
        this.source = source;
        this.listed = listed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        return (E) elements[index];
    }

    @Override
    public int size() {
        return size;
    }

    // AbstractList's would allocate an iterator: connectionUpgrade() asks on every upgrade request.
    @Override
    public int indexOf(Object o) {
        for (int i = 0; i < size; i++) {
            if (elements[i].equals(o))
                return i;
        }
        return -1;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /** The empty list, shared. */
    @SuppressWarnings("unchecked")
    static <E> FrozenList<E> empty() {
        return (FrozenList<E>) EMPTY;
    }

    /** Headers of this list of offers and {@code options}: the last ones made, if they have these options. */
    @SuppressWarnings("unchecked")
    UpgradeHeaders headersWith(FrozenList<String> options) {
        UpgradeHeaders last = headers;
        if (last != null && last.connectionOptions() == options)
            return last;
        last = new UpgradeHeaders((FrozenList<UpgradeOffer>) this, options);
        headers = last;
        return last;
    }

    /** The backing array, for a parser that appends to a copy of it. */
    Object[] elements() {
        return elements;
    }

    String source() {
        return source;
    }

    int listed() {
        return listed;
    }
}
