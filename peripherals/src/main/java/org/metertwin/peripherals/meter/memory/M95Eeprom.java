package org.metertwin.peripherals.meter.memory;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.spi.SpiBus;

/**
 * ST M95-series SPI EEPROM (M95128 ... M95M02), after the M95256-W/-R/-DF datasheet (ST DS "M95256",
 * referred to below as [M95256]): the six instructions of its instruction set table (WREN, WRDI, RDSR, WRSR,
 * READ, WRITE), page writes that roll over within the page, the self-timed write cycle tW with WIP set in the
 * status register, block protection BP1:BP0 and the SRWD bit with the W input. HOLD, the identification page
 * (RDID/WRID/RDLS/LID of the -D versions) and power-up timing (tPU) are not modelled.
 */
public final class M95Eeprom extends SpiMemory {
    /** [M95256] instruction set table. */
    static final int WREN = 0x06, WRDI = 0x04, RDSR = 0x05, WRSR = 0x01, READ = 0x03, WRITE = 0x02;
    /** [M95256] status register format: b7 SRWD, b3 BP1, b2 BP0, b1 WEL, b0 WIP (b6..b4 read 0). */
    static final int WIP = 1, WEL = 1 << 1, BP0 = 1 << 2, BP1 = 1 << 3, SRWD = 1 << 7;
    /** The bits WRSR writes ([M95256] WRSR: only SRWD, BP1 and BP0 are writable). */
    static final int WRITABLE = SRWD | BP1 | BP0;
    /** tW, the write time: 5 ms, the maximum of [M95256] AC characteristics (the datasheet gives no typical). */
    static final long T_W = 5_000_000;
    /** Marks an instruction that is not decoded (unknown, or not RDSR while a write cycle runs). */
    private static final int IGNORED = -1;

    /** Array size, page size and address bytes of each part ([M95256] memory organization; sister datasheets). */
    public enum Part {
        M95128(16 * 1024, 64, 2),
        M95256(32 * 1024, 64, 2),
        M95512(64 * 1024, 128, 2),
        M95M01(128 * 1024, 256, 3),
        M95M02(256 * 1024, 256, 3);

        final int size;
        final int pageSize;
        final int addressBytes;

        Part(int size, int pageSize, int addressBytes) {
            this.size = size;
            this.pageSize = pageSize;
            this.addressBytes = addressBytes;
        }

        public int size() {
            return size;
        }

        public int pageSize() {
            return pageSize;
        }
    }

    private final Part part;
    private final Pin w;
    /** The non-volatile bits SRWD, BP1, BP0. */
    private int statusNv;
    private boolean wel;

    private int opcode = IGNORED;
    private int address;
    /** The page latch of a WRITE: the data bytes and which offsets were loaded. */
    private final byte[] latch;
    private final boolean[] loaded;
    /** Scratch for a torn write: which latched bytes made it. */
    private final boolean[] madeIt;
    private int pageBase;
    private int pageOffset;
    private int newStatus;
    /** What the running write cycle commits: WRITE or WRSR. */
    private int cycle;

    public M95Eeprom(String name, Part part, EventQueue events, Pin cs, Pin w, AnalogLine vcc, double vccMin,
            MemoryImage image, long seed) {
        super(name, events, cs, vcc, vccMin, image, seed);
        if (image.size() != part.size) {
            throw new IllegalArgumentException(name + ": image of " + image.size() + " bytes for " + part);
        }
        this.part = part;
        this.w = w;
        this.latch = new byte[part.pageSize];
        this.loaded = new boolean[part.pageSize];
        this.madeIt = new boolean[part.pageSize];
    }

    public Part part() {
        return part;
    }

    /** The status register as RDSR reads it now. */
    public int status() {
        return statusNv | (wel ? WEL : 0) | (busy() ? WIP : 0);
    }

    /**
     * The first protected address ([M95256] write-protected block size table): BP1:BP0 = 00 none, 01 the upper
     * quarter, 10 the upper half, 11 the whole array. Returns the array size when nothing is protected.
     */
    int protectedFrom() {
        return switch ((statusNv >> 2) & 3) {
            case 0 -> part.size;
            case 1 -> part.size - part.size / 4;
            case 2 -> part.size / 2;
            default -> 0;
        };
    }

    /** Hardware protected mode ([M95256] protection modes table): SRWD = 1 with W driven low. */
    boolean hardwareProtected() {
        return (statusNv & SRWD) != 0 && !w.level();
    }

    @Override
    protected int onByte(int index, int b) {
        if (index == 0) {
            // [M95256] WRITE/WRSR: during the write cycle only RDSR is accepted; other instructions are ignored.
            opcode = busy() && b != RDSR ? IGNORED : b;
            address = 0;
            return 0xFF;
        }
        int a = part.addressBytes;
        switch (opcode) {
            case RDSR:
                return status(); // read continuously while S stays low ([M95256] RDSR)
            case READ:
                if (index <= a) {
                    address = (address << 8 | b) & (part.size - 1); // upper address bits are don't care
                    return 0xFF;
                }
                int data = image.get(address);
                address = (address + 1) & (part.size - 1); // rolls over to 0 past the highest address ([M95256] READ)
                return data;
            case WRITE:
                if (index <= a) {
                    address = (address << 8 | b) & (part.size - 1);
                    if (index == a) {
                        startLatch();
                    }
                } else {
                    // bytes past the page end roll over to its start and overwrite what was latched there
                    // ([M95256] WRITE)
                    int offset = (pageOffset + index - a - 1) % part.pageSize;
                    latch[offset] = (byte) b;
                    loaded[offset] = true;
                }
                return 0xFF;
            case WRSR:
                if (index == 1) {
                    newStatus = b;
                }
                return 0xFF;
            default:
                return 0xFF;
        }
    }

    private void startLatch() {
        pageBase = address & -part.pageSize;
        pageOffset = address - pageBase;
        Arrays.fill(loaded, false);
    }

    @Override
    protected void onDeselect(int bytes) {
        switch (opcode) {
            case WREN -> wel = true;
            case WRDI -> wel = false;
            case WRSR -> {
                // not executed without WEL, in hardware protected mode, or unless S rises right after the data byte
                if (wel && bytes == 2 && !hardwareProtected()) {
                    cycle = WRSR;
                    startCycle(T_W);
                }
            }
            case WRITE -> {
                // not executed without WEL, without data, or on a protected page ([M95256] WRITE)
                if (wel && bytes > part.addressBytes + 1 && pageBase < protectedFrom()) {
                    cycle = WRITE;
                    startCycle(T_W);
                }
            }
            default -> { }
        }
        opcode = IGNORED;
    }

    @Override
    protected void completeCycle() {
        if (cycle == WRSR) {
            statusNv = newStatus & WRITABLE;
        } else {
            for (int i = 0; i < part.pageSize; i++) {
                if (loaded[i]) {
                    image.set(pageBase + i, latch[i]);
                }
            }
            image.persist(pageBase, part.pageSize);
        }
        wel = false; // [M95256] WEL is reset when the WRSR or WRITE cycle completes
    }

    /**
     * A page write interrupted at {@code fraction} of tW. The datasheet only says the data are then not
     * guaranteed; this model picks, with the seeded generator, which latched bytes made it (each with
     * probability {@code fraction}); the others keep their old value, except one of them (chosen by the
     * generator) that is torn: each bit in which old and new value differ has settled to one or the other.
     * An interrupted WRSR leaves the status register unchanged.
     */
    @Override
    protected TornWrite tear(double fraction, SplittableRandom random, long atNanos) {
        if (cycle == WRSR) {
            return new TornWrite("WRSR", 0, 0, 0, 0, atNanos, fraction);
        }
        int complete = 0;
        int missed = 0;
        for (int i = 0; i < part.pageSize; i++) {
            madeIt[i] = false;
            if (!loaded[i]) {
                continue;
            }
            if (random.nextDouble() < fraction) {
                image.set(pageBase + i, latch[i]);
                madeIt[i] = true;
                complete++;
            } else {
                missed++;
            }
        }
        int partial = 0;
        if (missed > 0) {
            int pick = random.nextInt(missed);
            int mask = random.nextInt(256);
            for (int i = 0; i < part.pageSize; i++) {
                if (loaded[i] && !madeIt[i] && pick-- == 0) {
                    int old = image.get(pageBase + i);
                    int intended = latch[i] & 0xFF;
                    int torn = old & ~mask | intended & mask;
                    image.set(pageBase + i, torn);
                    partial = torn != old && torn != intended ? 1 : 0;
                    break;
                }
            }
        }
        complete = 0; // every latched byte now holding the value written, whether it made it or already had it
        for (int i = 0; i < part.pageSize; i++) {
            complete += loaded[i] && image.get(pageBase + i) == (latch[i] & 0xFF) ? 1 : 0;
        }
        image.persist(pageBase, part.pageSize);
        return new TornWrite("WRITE", pageBase, part.pageSize, complete, partial, atNanos, fraction);
    }

    @Override
    protected void powerDown() {
        wel = false;
        opcode = IGNORED;
    }

    @Override
    protected void powerUp() {
        // [M95256] power-up: WEL reset, no write cycle; SRWD, BP1, BP0 are non-volatile and keep their values
        wel = false;
    }

    /**
     * {@code m95-eeprom}: properties {@code spi} (the SPI controller), {@code part} (M95256 default), {@code file}
     * (host file for the contents), {@code seed} (torn writes, 1), {@code vcc-min} (2.5 V, the M95256-W grade);
     * pins {@code cs}, {@code w}, and the analog supply {@code vcc} (3.3 V).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "m95-eeprom";
        }

        public String description() {
            return "ST M95 SPI EEPROM (M95128..M95M02): page writes, tW busy, block protection, torn writes on"
                    + " supply loss";
        }

        public Object create(DeviceContext c) throws MachineException {
            SpiBus bus = c.device(c.string("spi", ""), SpiBus.class, "properties.spi");
            Part part = c.choice("part", Part.class, Part.M95256);
            double vccMin = MemoryImages.vccMin(c, 2.5);
            long seed = c.number("seed", 1);
            MemoryImage image = MemoryImages.open(c, part.size, part.name());
            M95Eeprom eeprom = new M95Eeprom(c.name(), part, c.events(), c.pin("cs"), c.pin("w"),
                    c.analog("vcc", 3.3), vccMin, image, seed);
            bus.attach(eeprom);
            return eeprom;
        }
    }
}
