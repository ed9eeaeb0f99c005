package org.metertwin.peripherals.stm32;

import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
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
    // SR (RM0090 3.9.4)
    private final Flag eop, operr, wrperr, pgaerr, pgperr, pgserr, bsy;
    // CR (RM0090 3.9.5)
    private final Flag pg, ser, mer, strt, eopie, errie, lock;
    private final Field snb, psize;
    // OPTCR (RM0090 3.9.6)
    private final Flag optlock, optstrt;
    private final Field nWrp;
    private final Event done;
    /** Unlock sequence progress: 0 none, 1 first key seen. */
    private int keyStep, optKeyStep;
    /** A wrong key locks CR until reset (RM0090 3.5.1). */
    private boolean keyFault;
    /** The erase in progress: first byte and length, or length 0 for a program operation. */
    private int eraseAt, eraseLength;
    /** When the operation in progress began (virtual ns). */
    private long operationStart;
    /**
     * The last program operation while it is busy: its address and the bytes it replaced, so a reset before
     * it completes can leave it torn.
     */
    private int programAt = -1;
    private byte[] programOld = new byte[0];

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
        sr = define(0x0C, "SR");
        eop = sr.flag(0, "EOP", Access.RC_W1);
        operr = sr.flag(1, "OPERR", Access.RC_W1);
        wrperr = sr.flag(4, "WRPERR", Access.RC_W1);
        pgaerr = sr.flag(5, "PGAERR", Access.RC_W1);
        pgperr = sr.flag(6, "PGPERR", Access.RC_W1);
        pgserr = sr.flag(7, "PGSERR", Access.RC_W1);
        bsy = sr.flag(16, "BSY", Access.R);
        sr.onWrite((w, p) -> updateIrq());
        cr = define(0x10, "CR");
        pg = cr.flag(0, "PG");
        ser = cr.flag(1, "SER");
        mer = cr.flag(2, "MER");
        snb = cr.valueField(3, 4, "SNB");
        psize = cr.valueField(8, 2, "PSIZE");
        strt = cr.flag(16, "STRT", Access.RS);
        eopie = cr.flag(24, "EOPIE");
        errie = cr.flag(25, "ERRIE");
        lock = cr.flag(31, "LOCK", Access.RS, true);
        cr.onWrite(this::crWritten);
        // RM0090 3.9.7: reset value 0x0FFFAAED (level 0 read protection, no sector write-protected)
        optcr = define(0x14, "OPTCR", 0x0FFF_AAED);
        optlock = optcr.flag(0, "OPTLOCK", Access.RS);
        optstrt = optcr.flag(1, "OPTSTRT", Access.RS);
        optcr.field(2, 2, "BOR_LEV", Access.RW).bit(5, "WDG_SW", Access.RW).bit(6, "nRST_STOP", Access.RW)
                .bit(7, "nRST_STDBY", Access.RW).field(8, 8, "RDP", Access.RW);
        nWrp = optcr.valueField(16, 12, "nWRP");
        optcr.onWrite(this::optcrWritten);
        done = events.event(name + " operation done", t -> finish());
        bus.setReadOnlyWriteHandler(flashBase, flashSize, this::programWrite);
    }

    private void key(int written) {
        if (keyFault) {
            throw BusFault.at(base + 0x04, true);
        }
        if (!lock.isSet()) {
            return; // already unlocked: nothing to do
        }
        if (keyStep == 0 && written == KEY1) {
            keyStep = 1;
        } else if (keyStep == 1 && written == KEY2) {
            keyStep = 0;
            lock.clear();
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
            optlock.clear();
        } else {
            optKeyStep = 0;
            throw BusFault.at(base + 0x08, true);
        }
    }

    private void optcrWritten(int written, int previous) {
        if (optlock.in(previous)) {
            optcr.set(previous); // RM0090 3.6.2: OPTCR is write-protected while OPTLOCK is set
            return;
        }
        // the new option bytes take effect at once; OPTSTRT completes immediately (they are not kept across power-on)
        optstrt.clear();
    }

    private void crWritten(int written, int previous) {
        if (lock.in(previous) || bsy.isSet()) {
            // RM0090 3.5.1: CR cannot be written while locked; it keeps its value during an operation
            cr.set(previous);
            return;
        }
        if (strt.in(written) && !strt.in(previous)) {
            startErase();
        }
        updateIrq();
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
        return (nWrp.get() & 1 << sector) == 0;
    }

    private void startErase() {
        int p = psize.get();
        if (mer.isSet() && !ser.isSet() && !pg.isSet()) {
            for (int n = 0; n < 12; n++) {
                if (writeProtected(n)) {
                    error(wrperr);
                    return;
                }
            }
            begin(0, flashSize, MASS_ERASE_MS[p] * 1_000_000L);
        } else if (ser.isSet() && !mer.isSet() && !pg.isSet()) {
            int n = snb.get();
            if (n > 11 || sectorStart(n) + sectorSize(n) > flashSize) {
                error(pgserr); // no such sector on a 1 MiB device
                return;
            }
            if (writeProtected(n)) {
                error(wrperr);
                return;
            }
            long ms = switch (sectorSize(n)) {
                case 0x4000 -> ERASE_16K_MS[p];
                case 0x10000 -> ERASE_64K_MS[p];
                default -> ERASE_128K_MS[p];
            };
            begin(sectorStart(n), sectorSize(n), ms * 1_000_000L);
        } else {
            error(pgserr); // STRT without exactly one of SER and MER, or with PG (RM0090 3.9.4: sequence error)
        }
    }

    private void begin(int at, int length, long nanos) {
        eraseAt = at;
        eraseLength = length;
        operationStart = events.now();
        programAt = -1;
        bsy.set();
        events.scheduleIn(done, nanos);
    }

    private void finish() {
        programAt = -1;
        if (eraseLength > 0) {
            byte[] ff = new byte[eraseLength];
            java.util.Arrays.fill(ff, (byte) 0xFF);
            bus.load(flashBase + eraseAt, ff, 0, eraseLength);
            eraseLength = 0;
        }
        bsy.clear();
        strt.clear();
        // RM0090 3.9.4: EOP is set only when the end-of-operation interrupt is enabled
        if (eopie.isSet()) {
            eop.set();
        }
        updateIrq();
    }

    /** A store into the flash memory range (RM0090 3.6.4, programming). */
    private void programWrite(int address, int size, int value) {
        int offset = address - flashBase;
        if (!pg.isSet() || lock.isSet() || ser.isSet() || mer.isSet() || eraseLength > 0) {
            // a write to flash while the interface is not set up for programming (during an erase the real
            // interface stalls the write; MeterTwin does not stall, so it counts as a sequence error)
            error(pgserr);
            return;
        }
        if ((address & (size - 1)) != 0 || (offset & 15) + size > 16) {
            error(pgaerr); // the data does not sit aligned within one 128-bit row
            return;
        }
        if (size != 1 << psize.get()) {
            error(pgperr); // the access size is not the parallelism PSIZE selects
            return;
        }
        if (writeProtected(sectorOf(offset))) {
            error(wrperr);
            return;
        }
        byte[] bytes = new byte[size];
        programOld = new byte[size];
        for (int i = 0; i < size; i++) {
            programOld[i] = (byte) bus.read8(address + i);
            // NOR flash: programming only clears bits
            bytes[i] = (byte) (bus.read8(address + i) & (value >>> (8 * i)));
        }
        bus.load(address, bytes, 0, size);
        programAt = address;
        // a write while a program operation is still busy waits for it (the bus stalls), so BSY lasts longer
        bsy.set();
        long start = done.isScheduled() ? Math.max(events.now(), done.when()) : events.now();
        events.schedule(done, start + PROGRAM_NANOS);
    }

    private void error(Flag flag) {
        flag.set();
        // RM0090 3.9.4: OPERR is set with the error only when the error interrupt is enabled
        if (errie.isSet()) {
            operr.set();
        }
        updateIrq();
    }

    private void updateIrq() {
        irq.set((eop.isSet() && eopie.isSet()) || (operr.isSet() && errie.isSet()));
    }

    /**
     * A reset (a power cut, a watchdog) while an operation is busy leaves it torn, as RM0090 warns the
     * contents are then not guaranteed: an erase has reached 0xFF in the share of the sector its elapsed
     * time covers, from the start, the rest keeps its old bytes; a program operation has written the lower
     * half of its bytes and not the upper. Deterministic, so a power-cut sweep is repeatable, and neither
     * the old nor the new contents, so firmware that trusts an interrupted write is caught.
     */
    private void tearOperationInProgress() {
        if (!done.isScheduled()) {
            return;
        }
        if (eraseLength > 0) {
            long total = done.when() - operationStart;
            long elapsed = Math.max(0, events.now() - operationStart);
            int erased = total <= 0 ? eraseLength : (int) Math.min(eraseLength, (long) eraseLength * elapsed / total);
            byte[] ff = new byte[erased];
            java.util.Arrays.fill(ff, (byte) 0xFF);
            bus.load(flashBase + eraseAt, ff, 0, erased);
        } else if (programAt >= 0) {
            int half = programOld.length / 2;
            bus.load(programAt + half, programOld, half, programOld.length - half);
        }
    }

    @Override
    public void reset() {
        tearOperationInProgress();
        super.reset();
        events.cancel(done);
        programAt = -1;
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
