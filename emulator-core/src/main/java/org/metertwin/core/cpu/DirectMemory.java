package org.metertwin.core.cpu;

import java.lang.reflect.Field;
import java.nio.ByteOrder;

/**
 * Little-endian words and halfwords of a byte array at any offset, as one machine load or store each: the
 * loads and stores of the direct window ({@link CortexM4}'s RAM path). {@code sun.misc.Unsafe} (module
 * jdk.unsupported) rather than a byte-array {@code VarHandle}: the same single access, but a VarHandle
 * brings some 250 bytecodes of guards into every compiled guest region that inlines it, and C2 stops
 * inlining in a region past its node budget, which then leaves the flag and branch helpers as calls.
 * Callers guarantee the bounds: {@link CortexM4} uses it only for an offset its window check put at least
 * four bytes before the end of the window's mapping, which lies inside the array
 * ({@link org.metertwin.core.bus.SystemBus#mapMemory}). A big-endian host takes the portable path.
 */
final class DirectMemory {
    private static final sun.misc.Unsafe U;
    private static final long BASE;
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    static {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (sun.misc.Unsafe) f.get(null);
            BASE = U.arrayBaseOffset(byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DirectMemory() {
    }

    static int getInt(byte[] m, int i) {
        if (LITTLE) {
            return U.getInt(m, BASE + i);
        }
        return (m[i] & 0xFF) | (m[i + 1] & 0xFF) << 8 | (m[i + 2] & 0xFF) << 16 | m[i + 3] << 24;
    }

    static short getShort(byte[] m, int i) {
        if (LITTLE) {
            return U.getShort(m, BASE + i);
        }
        return (short) ((m[i] & 0xFF) | m[i + 1] << 8);
    }

    static void putInt(byte[] m, int i, int v) {
        if (LITTLE) {
            U.putInt(m, BASE + i, v);
            return;
        }
        m[i] = (byte) v;
        m[i + 1] = (byte) (v >>> 8);
        m[i + 2] = (byte) (v >>> 16);
        m[i + 3] = (byte) (v >>> 24);
    }

    static void putShort(byte[] m, int i, short v) {
        if (LITTLE) {
            U.putShort(m, BASE + i, v);
            return;
        }
        m[i] = (byte) v;
        m[i + 1] = (byte) (v >>> 8);
    }
}
