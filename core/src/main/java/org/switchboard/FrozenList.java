package org.switchboard;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over the first {@code size} slots of an array that a parser filled and
 * then let go of. {@link UpgradeRequest} keeps it as it is instead of copying it once more with
 * {@code List.copyOf}: parsing allocates the result and nothing else (issue 7's microbenchmark).
 */
final class FrozenList<E> extends AbstractList<E> implements RandomAccess {

    private final Object[] elements;
    private final int size;

    /** {@code elements} must not be written to again; its first {@code size} slots are non-null. */
    FrozenList(Object[] elements, int size) {
        this.elements = elements;
        this.size = size;
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
}
