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
 * Winbond W25Q-JV serial NOR flash in standard SPI (W25Q16JV ... W25Q128JV), after the W25Q32JV datasheet
 * (Winbond, "W25Q32JV 3V 32M-bit serial flash memory with dual, quad SPI", referred to as [W25Q32JV]):
 * identification (9Fh, 90h, ABh, 4Bh), Read Data and Fast Read, Page Program (256-byte page, bits only go
 * 1 to 0), 4/32/64 KiB and chip erase, the write enable latch, Status Registers 1 to 3 with BUSY and the
 * block protection bits (BP2:0, TB, SEC, CMP), power-down, and the busy times as virtual-time events (the
 * typical values of the AC characteristics table). Not modelled: dual/quad I/O instructions and QPI, erase /
 * program suspend, the security registers, individual block locks (WPS=1), SFDP (5Ah), the /WP and /HOLD
 * pins (taken high: SRP and SRL are stored but protect nothing), and the tRES1/tDP/tPUW/tRST delays.
 */
public final class W25qFlash extends SpiMemory {
    /** [W25Q32JV] instruction set table 1 (standard SPI). */
    static final int WRITE_ENABLE = 0x06, WRITE_DISABLE = 0x04, READ_SR1 = 0x05, READ_SR2 = 0x35, READ_SR3 = 0x15,
            WRITE_SR1 = 0x01, WRITE_SR2 = 0x31, WRITE_SR3 = 0x11, READ_DATA = 0x03, FAST_READ = 0x0B,
            PAGE_PROGRAM = 0x02, SECTOR_ERASE = 0x20, BLOCK_ERASE_32K = 0x52, BLOCK_ERASE_64K = 0xD8,
            CHIP_ERASE = 0xC7, CHIP_ERASE_ALT = 0x60, POWER_DOWN = 0xB9, RELEASE_POWER_DOWN = 0xAB,
            MANUFACTURER_DEVICE_ID = 0x90, JEDEC_ID = 0x9F, UNIQUE_ID = 0x4B, VOLATILE_SR_WRITE_ENABLE = 0x50,
            ENABLE_RESET = 0x66, RESET_DEVICE = 0x99;
    /** [W25Q32JV] status register 1: S0 BUSY, S1 WEL, S2..S4 BP0..BP2, S5 TB, S6 SEC, S7 SRP. */
    static final int BUSY = 1, WEL = 1 << 1, SR1_WRITABLE = 0xFC;
    /** Status register 2: S8 SRL, S9 QE, S11..S13 LB1..LB3 (one-time programmable), S14 CMP, S15 SUS (read only). */
    static final int SR2_WRITABLE = 0x43, SR2_LOCK_BITS = 0x38, CMP = 1 << 6;
    /** Status register 3: S18 WPS, S21..S22 DRV0..DRV1. */
    static final int SR3_WRITABLE = 0x64;
    /**
     * Winbond's JEDEC manufacturer ID, and the memory type byte of the -IQ/-JQ parts ([W25Q32JV] manufacturer
     * and device identification table).
     */
    static final int MANUFACTURER = 0xEF, MEMORY_TYPE = 0x40;
    static final int PAGE = 256, SECTOR = 4096, BLOCK_32K = 32 * 1024, BLOCK_64K = 64 * 1024;

    /**
     * Busy times: the typical values of [W25Q32JV] AC electrical characteristics (tPP 0.4 ms, tSE 45 ms,
     * tBE1 120 ms, tBE2 150 ms, tW 10 ms); the datasheet's maxima are far longer (3 ms, 400 ms, 1.6 s, 2 s, 15 ms).
     */
    static final long T_PP = 400_000, T_SE = 45_000_000, T_BE1 = 120_000_000, T_BE2 = 150_000_000,
            T_W = 10_000_000;
    private static final int IGNORED = -1;

    /** Capacity, JEDEC capacity byte, device ID (ABh/90h) and typical chip erase time of each part. */
    public enum Part {
        W25Q16JV(2 << 20, 0x15, 0x14, 5_000_000_000L),
        W25Q32JV(4 << 20, 0x16, 0x15, 10_000_000_000L),
        W25Q64JV(8 << 20, 0x17, 0x16, 20_000_000_000L),
        W25Q128JV(16 << 20, 0x18, 0x17, 40_000_000_000L);

        final int size;
        final int capacityId;
        final int deviceId;
        final long chipEraseNanos;

        Part(int size, int capacityId, int deviceId, long chipEraseNanos) {
            this.size = size;
            this.capacityId = capacityId;
            this.deviceId = deviceId;
            this.chipEraseNanos = chipEraseNanos;
        }

        public int size() {
            return size;
        }
    }

    private final Part part;
    private final long uniqueId;
    /** The status bits in force (SR1 without BUSY and WEL, SR2, SR3): the non-volatile ones or volatile overrides. */
    private int sr1;
    private int sr2;
    private int sr3 = 0x60;
    /** The non-volatile status bits, which the registers take again at power-up and reset. */
    private int sr1Nv;
    private int sr2Nv;
    private int sr3Nv = 0x60;
    /** 50h came right before: the next status register write is volatile, immediate and needs no WEL. */
    private boolean volatileWrite;
    /** 66h came right before: 99h resets the device. */
    private boolean resetEnabled;
    private boolean wel;
    private boolean poweredDown;

    private int opcode = IGNORED;
    private int address;
    /** Scratch for the protected range {start, end}, computed from the status bits when needed. */
    private final int[] protection = new int[2];
    private final byte[] pageBuffer = new byte[PAGE];
    private final boolean[] loaded = new boolean[PAGE];
    private int pageBase;
    private int newSr1, newSr2, newSr3;

    /** The running cycle: its instruction and the range it changes. */
    private int cycle;
    private int cycleAddress;
    private int cycleLength;
    private String cycleName;

    public W25qFlash(String name, Part part, EventQueue events, Pin cs, AnalogLine vcc, double vccMin,
            MemoryImage image, long seed) {
        super(name, events, cs, vcc, vccMin, image, seed);
        if (image.size() != part.size) {
            throw new IllegalArgumentException(name + ": image of " + image.size() + " bytes for " + part);
        }
        this.part = part;
        this.uniqueId = new SplittableRandom(seed ^ 0x4B4B4B4B4BL).nextLong();
    }

    public Part part() {
        return part;
    }

    public int statusRegister1() {
        return sr1 | (wel ? WEL : 0) | (busy() ? BUSY : 0);
    }

    public int statusRegister2() {
        return sr2;
    }

    public int statusRegister3() {
        return sr3;
    }

    public boolean poweredDown() {
        return poweredDown;
    }

    /** The 64-bit unique ID that 4Bh reads (derived from the seed: not a real device's). */
    public long uniqueId() {
        return uniqueId;
    }

    /**
     * The first protected address ([W25Q32JV] status register memory protection table tables, CMP=0 and CMP=1):
     * BP2:0 = 0 protects nothing and 7 everything; otherwise SEC=0 protects a power-of-two fraction from 1/64
     * of the array (at least 64 KiB) doubling with BP, SEC=1 a 4 to 32 KiB sector group; TB=0 counts from the
     * top of the array, TB=1 from the bottom; CMP=1 protects the complement instead. The protected range is
     * [{@link #protectedStart}, {@link #protectedEnd}), empty when they are equal.
     */
    int protectedStart() {
        int[] r = protection();
        return r[0];
    }

    int protectedEnd() {
        int[] r = protection();
        return r[1];
    }

    private int[] protection() {
        int bp = sr1 >> 2 & 7;
        boolean tb = (sr1 & 1 << 5) != 0;
        boolean sec = (sr1 & 1 << 6) != 0;
        int start;
        int end;
        if (bp == 0) {
            start = end = 0;
        } else if (bp == 7) {
            start = 0;
            end = part.size;
        } else {
            long span = sec ? (long) SECTOR << Math.min(bp - 1, 3)
                    : (long) Math.max(BLOCK_64K, part.size / 64) << (bp - 1);
            int n = (int) Math.min(span, part.size);
            start = tb ? 0 : part.size - n;
            end = tb ? n : part.size;
        }
        if ((sr2 & CMP) != 0) {
            if (start == end) {
                start = 0;
                end = part.size;
            } else if (start == 0 && end == part.size) {
                end = 0;
            } else if (start == 0) {
                start = end;
                end = part.size;
            } else {
                end = start;
                start = 0;
            }
        }
        protection[0] = start;
        protection[1] = end;
        return protection;
    }

    /** Whether any byte of [address, address + length) is protected. */
    boolean isProtected(int address, int length) {
        int[] r = protection();
        return address < r[1] && address + length > r[0];
    }

    @Override
    protected int onByte(int index, int b) {
        if (index == 0) {
            address = 0;
            if (poweredDown) {
                // [W25Q32JV] Power-down: only Release Power-down / Device ID is recognised
                opcode = b == RELEASE_POWER_DOWN ? b : IGNORED;
            } else if (busy()) {
                // [W25Q32JV] BUSY: every instruction except Read Status Register (and suspend) is ignored
                opcode = b == READ_SR1 || b == READ_SR2 || b == READ_SR3 ? b : IGNORED;
            } else {
                opcode = b;
            }
            return 0xFF;
        }
        switch (opcode) {
            case READ_SR1:
                return statusRegister1(); // output continuously, updated, until /CS rises
            case READ_SR2:
                return sr2;
            case READ_SR3:
                return sr3;
            case READ_DATA:
            case FAST_READ: {
                int first = opcode == FAST_READ ? 5 : 4; // Fast Read has one dummy byte after the address
                if (index <= 3) {
                    address = (address << 8 | b) & (part.size - 1);
                    return 0xFF;
                }
                if (index < first) {
                    return 0xFF;
                }
                int data = image.get(address);
                address = (address + 1) & (part.size - 1);
                return data;
            }
            case PAGE_PROGRAM:
                if (index <= 3) {
                    address = (address << 8 | b) & (part.size - 1);
                    if (index == 3) {
                        pageBase = address & -PAGE;
                        Arrays.fill(pageBuffer, (byte) 0xFF);
                        Arrays.fill(loaded, false);
                    }
                } else {
                    // past the end of the page the address wraps to its start ([W25Q32JV] Page Program (02h))
                    int offset = (address + index - 4) & (PAGE - 1);
                    pageBuffer[offset] = (byte) b;
                    loaded[offset] = true;
                }
                return 0xFF;
            case SECTOR_ERASE:
            case BLOCK_ERASE_32K:
            case BLOCK_ERASE_64K:
            case MANUFACTURER_DEVICE_ID:
                if (index <= 3) {
                    address = (address << 8 | b) & (part.size - 1);
                    return 0xFF;
                }
                if (opcode == MANUFACTURER_DEVICE_ID) {
                    // manufacturer then device ID, or the reverse when A0 = 1, repeating ([W25Q32JV] Read
                    // Manufacturer / Device ID (90h))
                    return ((index - 4) + (address & 1) & 1) == 0 ? MANUFACTURER : part.deviceId;
                }
                return 0xFF;
            case WRITE_SR1:
                if (index == 1) {
                    newSr1 = b;
                } else if (index == 2) {
                    newSr2 = b;
                }
                return 0xFF;
            case WRITE_SR2:
                newSr2 = index == 1 ? b : newSr2;
                return 0xFF;
            case WRITE_SR3:
                newSr3 = index == 1 ? b : newSr3;
                return 0xFF;
            case JEDEC_ID:
                return switch (index) {
                    case 1 -> MANUFACTURER;
                    case 2 -> MEMORY_TYPE;
                    case 3 -> part.capacityId;
                    default -> 0xFF;
                };
            case RELEASE_POWER_DOWN:
                return index <= 3 ? 0xFF : part.deviceId; // three dummy bytes, then the ID repeatedly
            case UNIQUE_ID:
                if (index <= 4 || index > 12) {
                    return 0xFF; // four dummy bytes, then 64 bits, most significant byte first
                }
                return (int) (uniqueId >>> (8 * (12 - index))) & 0xFF;
            default:
                return 0xFF;
        }
    }

    @Override
    protected void onDeselect(int bytes) {
        // 50h and 66h only act on the instruction that follows them ([W25Q32JV] Write Enable for Volatile
        // Status Register (50h), Enable Reset (66h) and Reset Device (99h))
        boolean volatileNext = opcode == VOLATILE_SR_WRITE_ENABLE && bytes == 1;
        boolean resetNext = opcode == ENABLE_RESET && bytes == 1;
        switch (opcode) {
            case RESET_DEVICE -> {
                if (resetEnabled && bytes == 1) {
                    reset();
                }
            }
            case WRITE_ENABLE -> wel = true;
            case WRITE_DISABLE -> wel = false;
            case POWER_DOWN -> poweredDown = bytes == 1 || poweredDown;
            case RELEASE_POWER_DOWN -> poweredDown = false;
            case WRITE_SR1 -> {
                if (bytes == 2) {
                    newSr2 = sr2; // the one-byte form leaves status register 2 alone
                }
                newSr3 = sr3;
                writeStatus(bytes == 2 || bytes == 3);
            }
            case WRITE_SR2 -> {
                newSr1 = sr1;
                newSr3 = sr3;
                writeStatus(bytes == 2);
            }
            case WRITE_SR3 -> {
                newSr1 = sr1;
                newSr2 = sr2;
                writeStatus(bytes == 2);
            }
            case PAGE_PROGRAM -> {
                // needs WEL, at least one data byte, /CS high on a byte boundary, an unprotected page
                if (wel && bytes > 4 && !isProtected(pageBase, PAGE)) {
                    start(PAGE_PROGRAM, "Page Program", pageBase, PAGE, T_PP);
                }
            }
            case SECTOR_ERASE -> erase(bytes, SECTOR, "Sector Erase", T_SE);
            case BLOCK_ERASE_32K -> erase(bytes, BLOCK_32K, "Block Erase (32KB)", T_BE1);
            case BLOCK_ERASE_64K -> erase(bytes, BLOCK_64K, "Block Erase (64KB)", T_BE2);
            case CHIP_ERASE, CHIP_ERASE_ALT -> {
                // not executed if any region is protected ([W25Q32JV] Chip Erase (C7h/60h))
                int[] p = protection();
                if (wel && bytes == 1 && p[0] == p[1]) {
                    start(CHIP_ERASE, "Chip Erase", 0, part.size, part.chipEraseNanos);
                }
            }
            default -> { }
        }
        volatileWrite = volatileNext;
        resetEnabled = resetNext;
        opcode = IGNORED;
    }

    /**
     * A status register write of newSr1..3 that ended on a data byte boundary: after 50h, into the volatile bits
     * at once; else, with WEL, a non-volatile write of tW.
     */
    private void writeStatus(boolean wellFormed) {
        if (!wellFormed) {
            return;
        }
        if (volatileWrite) {
            sr1 = newSr1 & SR1_WRITABLE;
            sr2 = newSr2 & SR2_WRITABLE | sr2 & SR2_LOCK_BITS; // the lock bits have no volatile copy
            sr3 = newSr3 & SR3_WRITABLE;
        } else if (wel) {
            start(WRITE_SR1, "Write Status Register", 0, 0, T_W);
        }
    }

    /**
     * Reset Device (99h) right after Enable Reset (66h), when not busy: WEL cleared, out of any pending 50h, the
     * status registers back to their non-volatile values ([W25Q32JV] Reset Device (99h); tRST not modelled).
     */
    private void reset() {
        wel = false;
        sr1 = sr1Nv;
        sr2 = sr2Nv;
        sr3 = sr3Nv;
    }

    /** An erase needs WEL, /CS high right after the third address byte, and an unprotected range. */
    private void erase(int bytes, int span, String name, long nanos) {
        int base = address & -span;
        if (wel && bytes == 4 && !isProtected(base, span)) {
            start(SECTOR_ERASE, name, base, span, nanos);
        }
    }

    private void start(int kind, String name, int base, int length, long nanos) {
        cycle = kind;
        cycleName = name;
        cycleAddress = base;
        cycleLength = length;
        startCycle(nanos);
    }

    @Override
    protected void completeCycle() {
        if (cycle == WRITE_SR1) {
            sr1 = sr1Nv = newSr1 & SR1_WRITABLE;
            // the lock bits are one-time programmable: once set they stay set
            sr2 = sr2Nv = newSr2 & SR2_WRITABLE | (newSr2 | sr2Nv) & SR2_LOCK_BITS;
            sr3 = sr3Nv = newSr3 & SR3_WRITABLE;
        } else if (cycle == PAGE_PROGRAM) {
            for (int i = 0; i < PAGE; i++) {
                // programming only clears bits: a 1 in the data leaves the cell as it is
                image.set(pageBase + i, image.get(pageBase + i) & pageBuffer[i]);
            }
            image.persist(pageBase, PAGE);
        } else {
            for (int a = cycleAddress; a < cycleAddress + cycleLength; a++) {
                image.set(a, 0xFF);
            }
            image.persist(cycleAddress, cycleLength);
        }
        wel = false; // [W25Q32JV] Write Enable Latch (WEL): clears when a program, erase or status write completes
    }

    /**
     * A cycle interrupted at {@code fraction} of its time. The datasheet does not define the result; this
     * model, with the seeded generator: Page Program clears each bit it was clearing with probability
     * {@code fraction} (the others stay 1); an erase sets each byte of its range to FFh with probability
     * {@code fraction} (the others keep their contents); a status register write leaves the registers as they were.
     */
    @Override
    protected TornWrite tear(double fraction, SplittableRandom random, long atNanos) {
        int complete = 0;
        int partial = 0;
        if (cycle == PAGE_PROGRAM) {
            for (int i = 0; i < PAGE; i++) {
                if (!loaded[i]) {
                    continue;
                }
                int old = image.get(pageBase + i);
                int clearing = old & ~pageBuffer[i] & 0xFF;
                int cleared = 0;
                for (int bit = 1; bit < 0x100; bit <<= 1) {
                    if ((clearing & bit) != 0 && random.nextDouble() < fraction) {
                        cleared |= bit;
                    }
                }
                image.set(pageBase + i, old & ~cleared);
                if (cleared == clearing) {
                    complete++;
                } else if (cleared != 0) {
                    partial++;
                }
            }
            image.persist(pageBase, PAGE);
        } else if (cycle != WRITE_SR1) {
            for (int a = cycleAddress; a < cycleAddress + cycleLength; a++) {
                if (random.nextDouble() < fraction) {
                    image.set(a, 0xFF);
                }
                if (image.get(a) == 0xFF) {
                    complete++;
                }
            }
            image.persist(cycleAddress, cycleLength);
        }
        return new TornWrite(cycleName, cycleAddress, cycleLength, complete, partial, atNanos, fraction);
    }

    @Override
    protected void powerDown() {
        wel = false;
        opcode = IGNORED;
    }

    @Override
    protected void powerUp() {
        // [W25Q32JV] power-up: WEL = 0, BUSY = 0, not in power-down; the status registers take their
        // non-volatile values (volatile writes are lost)
        reset();
        poweredDown = false;
        volatileWrite = false;
        resetEnabled = false;
    }

    /**
     * {@code w25q-flash}: properties {@code spi}, {@code part} (W25Q32JV default), {@code file}, {@code seed} (1),
     * {@code vcc-min} (2.7 V, [W25Q32JV] operating range 2.7 to 3.6 V); pins {@code cs} and the analog
     * supply {@code vcc} (3.3 V).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "w25q-flash";
        }

        public String description() {
            return "Winbond W25Q-JV SPI NOR flash (W25Q16JV..W25Q128JV): program, erase, busy times, block"
                    + " protection, torn cycles on supply loss";
        }

        public Object create(DeviceContext c) throws MachineException {
            SpiBus bus = c.device(c.string("spi", ""), SpiBus.class, "properties.spi");
            Part part = c.choice("part", Part.class, Part.W25Q32JV);
            double vccMin = MemoryImages.vccMin(c, 2.7);
            long seed = c.number("seed", 1);
            MemoryImage image = MemoryImages.open(c, part.size, part.name());
            W25qFlash flash = new W25qFlash(c.name(), part, c.events(), c.pin("cs"), c.analog("vcc", 3.3), vccMin,
                    image, seed);
            bus.attach(flash);
            return flash;
        }
    }
}
