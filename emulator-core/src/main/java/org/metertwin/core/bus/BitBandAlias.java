package org.metertwin.core.bus;

/**
 * A 32 MiB bit-band alias (ARMv7-M ARM B3.1.2): each word of the alias maps to one bit of the 1 MiB
 * region it shadows, so that firmware can set or test a single bit atomically. Writes are read-modify-write
 * of the byte holding the bit, through the bus (so a peripheral region sees an ordinary access).
 */
public final class BitBandAlias implements MmioDevice {
    public static final int ALIAS_SIZE = 32 << 20;
    private final SystemBus bus;
    private final int target;
    private final String name;

    /** @param target base of the 1 MiB region the alias shadows (0x20000000 or 0x40000000) */
    public BitBandAlias(SystemBus bus, int target) {
        this.bus = bus;
        this.target = target;
        this.name = String.format("bit-band alias of 0x%08x", target);
    }

    @Override
    public String name() {
        return name;
    }

    private int byteAddress(int offset) {
        return target + (offset >>> 5);
    }

    private static int bit(int offset) {
        return (offset >>> 2) & 7;
    }

    @Override
    public int read(int offset, int size) {
        return (bus.read8(byteAddress(offset)) >>> bit(offset)) & 1;
    }

    @Override
    public int peek(int offset, int size) {
        return (bus.peek8(byteAddress(offset)) >>> bit(offset)) & 1;
    }

    @Override
    public void write(int offset, int size, int value) {
        int address = byteAddress(offset);
        int old = bus.read8(address);
        int mask = 1 << bit(offset);
        bus.write8(address, (value & 1) != 0 ? old | mask : old & ~mask);
    }
}
