package org.metertwin.peripherals.stm32;

import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F405/407 embedded flash interface (RM0090 section 3): access control, the unlock sequences,
 * sector and mass erase, and programming of the 1 MiB main memory, which software writes through the bus
 * while CR.PG is set ({@link SystemBus#setReadOnlyWriteHandler}). Like NOR flash, programming can only
 * clear bits; erase sets them again.
 *
 * <p>Operations keep BSY set for the STM32F405 datasheet's typical times (DS8626 table 41, "Flash
 * memory programming"), which depend on the parallelism PSIZE: a program operation 16 us; a 16 KiB sector
 * 400/300/250 ms (x8/x16/x32), a 64 KiB sector 1200/700/550 ms, a 128 KiB sector 2/1.3/1 s and a mass
 * erase 16/11/8 s. Erased bytes become 0xFF when the operation ends. The processor is not stalled while
 * BSY is set (the real interface stalls flash reads); firmware polls BSY as RM0090 3.6 says it must.
 */
public final class FlashInterface extends RegisterDevice {
    static final int KEY1 = 0x45670123, KEY2 = 0xCDEF89AB;
    static final int OPTKEY1 = 0x08192A3B, OPTKEY2 = 0x4C5D6E7F;
    // SR bits (RM0090 3.9.4)
    static final int EOP = 1, OPERR = 1 << 1, WRPERR = 1 << 4, PGAERR = 1 << 5, PGPERR = 1 << 6, PGSERR = 1 << 7,
            BSY = 1 << 16;
    // CR bits (3.9.5)
    static final int PG = 1, SER = 1 << 1, MER = 1 << 2, STRT = 1 << 16, EOPIE = 1 << 24, ERRIE = 1 << 25,
            LOCK = 1 << 31;

    static final long PROGRAM_NANOS = 16_000;
    /** Typical erase times in ms by PSIZE (x8, x16, x32, x64 uses the x32 figure): DS8626 table 41. */
    private static final long[] ERASE_16K_MS = {400, 300, 250, 250};
    private static final long[] ERASE_64K_MS = {1200, 700, 550, 550};
    private static final long[] ERASE_128K_MS = {2000, 1300, 1000, 1000};
    private static final long[] MASS_ERASE_MS = {16000, 11000, 8000, 8000};

    private final SystemBus bus;
    private final EventQueue events;
    private final InterruptLine irq;
    private final int flashBase;
    private final int flashSize;
    private final int base;
    private final Register sr, cr, optcr;
    private final Event done;
    /** Unlock sequence progress: 0 none, 1 first key seen. */
    private int keyStep, optKeyStep;
    /** A wrong key locks CR until reset (RM0090 3.5.1). */
    private boolean keyFault;
    /** The erase in progress: first byte and length, or length 0 for a program operation. */
    private int eraseAt, eraseLength;

    public FlashInterface(String name, int size, int base, SystemBus bus, EventQueue events, InterruptLine irq,
                          int flashBase, int flashSize) {
        super(name, size);
        this.base = base;
        this.bus = bus;
        this.events = events;
        this.irq = irq;
        this.flashBase = flashBase;
        this.flashSize = flashSize;
        define(0x00, "ACR", 0)
                .field(0, 3, "LATENCY", Access.RW).bit(8, "PRFTEN", Access.RW).bit(9, "ICEN", Access.RW)
                .bit(10, "DCEN", Access.RW).bit(11, "ICRST", Access.RW).bit(12, "DCRST", Access.RW);
        define(0x04, "KEYR", 0).field(0, 32, "KEY", Access.W).onWrite((w, p) -> key(w));
        define(0x08, "OPTKEYR", 0).field(0, 32, "OPTKEY", Access.W).onWrite((w, p) -> optKey(w));
        sr = define(0x0C, "SR", 0)
                .bit(0, "EOP", Access.RC_W1).bit(1, "OPERR", Access.RC_W1).bit(4, "WRPERR", Access.RC_W1)
                .bit(5, "PGAERR", Access.RC_W1).bit(6, "PGPERR", Access.RC_W1).bit(7, "PGSERR", Access.RC_W1)
                .bit(16, "BSY", Access.R)
                .onWrite((w, p) -> updateIrq());
        cr = define(0x10, "CR", LOCK)
                .bit(0, "PG", Access.RW).bit(1, "SER", Access.RW).bit(2, "MER", Access.RW)
                .field(3, 4, "SNB", Access.RW).field(8, 2, "PSIZE", Access.RW).bit(16, "STRT", Access.RS)
                .bit(24, "EOPIE", Access.RW).bit(25, "ERRIE", Access.RW).bit(31, "LOCK", Access.RS)
                .onWrite(this::crWritten);
        // RM0090 3.9.7: reset value 0x0FFFAAED (level 0 read protection, no sector write-protected)
        optcr = define(0x14, "OPTCR", 0x0FFF_AAED)
                .bit(0, "OPTLOCK", Access.RS).bit(1, "OPTSTRT", Access.RS).field(2, 2, "BOR_LEV", Access.RW)
                .bit(5, "WDG_SW", Access.RW).bit(6, "nRST_STOP", Access.RW).bit(7, "nRST_STDBY", Access.RW)
                .field(8, 8, "RDP", Access.RW).field(16, 12, "nWRP", Access.RW)
                .onWrite(this::optcrWritten);
        done = events.event(name + " operation done", t -> finish());
        bus.setReadOnlyWriteHandler(flashBase, flashSize, this::programWrite);
    }

    private void key(int written) {
        if (keyFault) {
            throw BusFault.at(base + 0x04, true);
        }
        if (!cr.isSet(LOCK)) {
            return; // already unlocked: nothing to do
        }
        if (keyStep == 0 && written == KEY1) {
            keyStep = 1;
        } else if (keyStep == 1 && written == KEY2) {
            keyStep = 0;
            cr.clearBits(LOCK);
        } else {
            // RM0090 3.5.1: a wrong sequence returns a bus error and locks CR until the next reset
            keyStep = 0;
            keyFault = true;
            throw BusFault.at(base + 0x04, true);
        }
    }

    private void optKey(int written) {
        if (optKeyStep == 0 && written == OPTKEY1) {
            optKeyStep = 1;
        } else if (optKeyStep == 1 && written == OPTKEY2) {
            optKeyStep = 0;
            optcr.clearBits(1);
        } else {
            optKeyStep = 0;
            throw BusFault.at(base + 0x08, true);
        }
    }

    private void optcrWritten(int written, int previous) {
        if ((previous & 1) != 0) {
            optcr.set(previous); // RM0090 3.6.2: OPTCR is write-protected while OPTLOCK is set
            return;
        }
        // the new option bytes take effect at once; OPTSTRT completes immediately (they are not kept across power-on)
        optcr.clearBits(2);
    }

    private void crWritten(int written, int previous) {
        if ((previous & LOCK) != 0 || sr.isSet(BSY)) {
            // RM0090 3.5.1: CR cannot be written while locked; it keeps its value during an operation
            cr.set(previous);
            return;
        }
        if ((written & STRT) != 0 && (previous & STRT) == 0) {
            startErase();
        }
        updateIrq();
    }

    private int psize() {
        return (cr.get() >>> 8) & 3;
    }

    /** Sector {@code n}: 0-3 16 KiB, 4 64 KiB, 5-11 128 KiB (RM0090 3.3, table 5). */
    static int sectorStart(int n) {
        return n < 4 ? n * 0x4000 : n == 4 ? 0x10000 : (n - 4) * 0x20000;
    }

    static int sectorSize(int n) {
        return n < 4 ? 0x4000 : n == 4 ? 0x10000 : 0x20000;
    }

    private int sectorOf(int offset) {
        for (int n = 11; n >= 0; n--) {
            if (offset >= sectorStart(n)) {
                return n;
            }
        }
        return 0;
    }

    private boolean writeProtected(int sector) {
        return (optcr.get() & (1 << (16 + sector))) == 0;
    }

    private void startErase() {
        int v = cr.get();
        int p = psize();
        if ((v & MER) != 0 && (v & (SER | PG)) == 0) {
            for (int n = 0; n < 12; n++) {
                if (writeProtected(n)) {
                    error(WRPERR);
                    return;
                }
            }
            begin(0, flashSize, MASS_ERASE_MS[p] * 1_000_000L);
        } else if ((v & SER) != 0 && (v & (MER | PG)) == 0) {
            int n = (v >>> 3) & 0xF;
            if (n > 11 || sectorStart(n) + sectorSize(n) > flashSize) {
                error(PGSERR); // no such sector on a 1 MiB device
                return;
            }
            if (writeProtected(n)) {
                error(WRPERR);
                return;
            }
            long ms = switch (sectorSize(n)) {
                case 0x4000 -> ERASE_16K_MS[p];
                case 0x10000 -> ERASE_64K_MS[p];
                default -> ERASE_128K_MS[p];
            };
            begin(sectorStart(n), sectorSize(n), ms * 1_000_000L);
        } else {
            error(PGSERR); // STRT without exactly one of SER and MER, or with PG (RM0090 3.9.4: sequence error)
        }
    }

    private void begin(int at, int length, long nanos) {
        eraseAt = at;
        eraseLength = length;
        sr.setBits(BSY);
        events.scheduleIn(done, nanos);
    }

    private void finish() {
        if (eraseLength > 0) {
            byte[] ff = new byte[eraseLength];
            java.util.Arrays.fill(ff, (byte) 0xFF);
            bus.load(flashBase + eraseAt, ff, 0, eraseLength);
            eraseLength = 0;
        }
        sr.clearBits(BSY);
        cr.clearBits(STRT);
        // RM0090 3.9.4: EOP is set only when the end-of-operation interrupt is enabled
        if (cr.isSet(EOPIE)) {
            sr.setBits(EOP);
        }
        updateIrq();
    }

    /** A store into the flash memory range (RM0090 3.6.4, programming). */
    private void programWrite(int address, int size, int value) {
        int offset = address - flashBase;
        if (!cr.isSet(PG) || cr.isSet(LOCK) || (cr.get() & (SER | MER)) != 0 || eraseLength > 0) {
            // a write to flash while the interface is not set up for programming (during an erase the real
            // interface stalls the write; MeterTwin does not stall, so it counts as a sequence error)
            error(PGSERR);
            return;
        }
        if ((address & (size - 1)) != 0 || (offset & 15) + size > 16) {
            error(PGAERR); // the data does not sit aligned within one 128-bit row
            return;
        }
        if (size != 1 << psize()) {
            error(PGPERR); // the access size is not the parallelism PSIZE selects
            return;
        }
        if (writeProtected(sectorOf(offset))) {
            error(WRPERR);
            return;
        }
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            // NOR flash: programming only clears bits
            bytes[i] = (byte) (bus.read8(address + i) & (value >>> (8 * i)));
        }
        bus.load(address, bytes, 0, size);
        // a write while a program operation is still busy waits for it (the bus stalls), so BSY lasts longer
        sr.setBits(BSY);
        long start = done.isScheduled() ? Math.max(events.now(), done.when()) : events.now();
        events.schedule(done, start + PROGRAM_NANOS);
    }

    private void error(int flag) {
        sr.setBits(flag);
        // RM0090 3.9.4: OPERR is set with the error only when the error interrupt is enabled
        if (cr.isSet(ERRIE)) {
            sr.setBits(OPERR);
        }
        updateIrq();
    }

    private void updateIrq() {
        irq.set((sr.isSet(EOP) && cr.isSet(EOPIE)) || (sr.isSet(OPERR) && cr.isSet(ERRIE)));
    }

    @Override
    public void reset() {
        super.reset();
        events.cancel(done);
        eraseLength = 0;
        keyStep = 0;
        optKeyStep = 0;
        keyFault = false;
        updateIrq();
    }

    /** {@code stm32f4-flash}; property {@code memory}: the name of the flash memory region (default flash). */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-flash";
        }

        public String description() {
            return "STM32F4 flash interface (RM0090 3): latency, unlock, sector/mass erase and programming with busy times";
        }

        public Object create(DeviceContext c) throws MachineException {
            String memory = c.string("memory", "flash");
            SystemBus.Mapping m = null;
            for (SystemBus.Mapping x : c.bus().mappings()) {
                if (x.name().equals(memory) && x.memory() != null) {
                    m = x;
                }
            }
            if (m == null) {
                throw c.error("properties.memory", "expected the name of the flash memory region, got '" + memory + "'");
            }
            return new FlashInterface(c.name(), c.size(), c.base(), c.bus(), c.events(), c.irq(0, "flash global"),
                    m.base(), m.size());
        }
    }
}
