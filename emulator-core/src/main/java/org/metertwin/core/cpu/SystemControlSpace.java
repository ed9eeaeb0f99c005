package org.metertwin.core.cpu;

import java.util.HashSet;
import java.util.Set;
import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.MmioDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The System Control Space at 0xE000E000 (ARMv7-M ARM B3.2): interrupt controller type, SysTick, NVIC,
 * the System Control Block, the MPU, software trigger and the FP extension's registers. Register names
 * follow the ARM ARM.
 */
public final class SystemControlSpace implements MmioDevice {
    public static final int BASE = 0xE000E000;
    public static final int SIZE = 0x1000;
    private static final Logger LOG = LoggerFactory.getLogger(SystemControlSpace.class);
    /** Cortex-M4 r0p1. */
    public static final int CPUID = 0x410FC241;

    private final CortexM4 cpu;
    final SysTick sysTick;
    private final Set<Integer> loggedOffsets = new HashSet<>();
    private boolean fpuPresent = true;

    int vtor;
    int scr;
    int ccr;
    int cfsr;
    int hfsr;
    int dfsr;
    int mmfar;
    int bfar;
    int afsr;
    int cpacr;
    int fpccr;
    int fpcar;
    int fpdscr;
    int demcr;
    int actlr;

    SystemControlSpace(CortexM4 cpu) {
        this.cpu = cpu;
        this.sysTick = new SysTick(cpu);
    }

    @Override
    public String name() {
        return "SCS";
    }

    /** Sets the SysTick reference clock as core cycles per tick (0: no reference clock). */
    public void setSysTickReferenceDivider(int cyclesPerTick) {
        sysTick.setReferenceDivider(cyclesPerTick);
        sysTick.reset();
    }

    public void setFpuPresent(boolean present) {
        this.fpuPresent = present;
    }

    @Override
    public void reset() {
        vtor = 0;
        scr = 0;
        ccr = 1 << 9; // STKALIGN
        cfsr = hfsr = dfsr = mmfar = bfar = afsr = 0;
        cpacr = 0;
        fpccr = 0xC0000000; // ASPEN, LSPEN
        fpcar = 0;
        fpdscr = 0;
        demcr = 0;
        actlr = 0;
        sysTick.reset();
    }

    // ------------------------------------------------------------------ queries used by the core

    int vtor() {
        return vtor;
    }

    boolean stackAlign() {
        return (ccr & (1 << 9)) != 0;
    }

    boolean unalignTrap() {
        return (ccr & (1 << 3)) != 0;
    }

    boolean divByZeroTrap() {
        return (ccr & (1 << 4)) != 0;
    }

    boolean nonBaseThreadEnable() {
        return (ccr & 1) != 0;
    }

    boolean userSetPending() {
        return (ccr & 2) != 0;
    }

    boolean sleepOnExit() {
        return (scr & 2) != 0;
    }

    boolean fpuPresent() {
        return fpuPresent;
    }

    boolean fpAccessAllowed(boolean privileged) {
        if (!fpuPresent) {
            return false;
        }
        int cp10 = (cpacr >>> 20) & 3;
        return cp10 == 3 || (cp10 == 1 && privileged);
    }

    boolean automaticFpStateEnabled() {
        return (fpccr & (1 << 31)) != 0;
    }

    boolean lazyStackingEnabled() {
        return (fpccr & (1 << 30)) != 0;
    }

    boolean lazyStateActive() {
        return (fpccr & 1) != 0;
    }

    void setLazyStateOnEntry(boolean handlerMode, boolean threadPsp, boolean privileged) {
        // FPCCR: LSPACT(0) USER(1) THREAD(3) HFRDY(4) MMRDY(5) BFRDY(6) MONRDY(8)
        int v = fpccr & ~0x17B;
        v |= 1;
        if (!privileged) {
            v |= 2;
        }
        if (!handlerMode) {
            v |= 8;
        }
        int execPrio = cpu.executionPriority();
        if (execPrio > -1) {
            v |= 1 << 4;
        }
        if (cpu.nvic.enabled[Nvic.MEM_MANAGE] && execPrio > cpu.nvic.groupPriority(cpu.nvic.priority[Nvic.MEM_MANAGE])) {
            v |= 1 << 5;
        }
        if (cpu.nvic.enabled[Nvic.BUS_FAULT] && execPrio > cpu.nvic.groupPriority(cpu.nvic.priority[Nvic.BUS_FAULT])) {
            v |= 1 << 6;
        }
        fpccr = v;
    }

    void clearLazyState() {
        fpccr &= ~1;
    }

    /** The deferred half of lazy stacking: S0-S15 and FPSCR go to the space reserved at FPCAR. */
    void preserveFpState() {
        int addr = fpcar & ~7;
        try {
            for (int i = 0; i < 16; i++) {
                cpu.bus().write32(addr + 4 * i, cpu.s[i]);
            }
            cpu.bus().write32(addr + 64, cpu.fp.fpscr);
        } catch (BusFault f) {
            cfsr |= 1 << 13; // LSPERR
        }
        fpccr &= ~1;
    }

    // ------------------------------------------------------------------ register interface

    @Override
    public int read(int offset, int size) {
        int word = readWord(offset & ~3);
        int shift = (offset & 3) * 8;
        return size == 4 ? word : (word >>> shift) & (size == 1 ? 0xFF : 0xFFFF);
    }

    @Override
    public int peek(int offset, int size) {
        if (offset == 0x010) {
            return sysTick.csr; // reading CSR clears COUNTFLAG: debuggers must not
        }
        return read(offset, size);
    }

    private int readWord(int offset) {
        Nvic nvic = cpu.nvic;
        if (offset >= 0x100 && offset < 0x400) {
            return nvicBits(offset);
        }
        if (offset >= 0x400 && offset < 0x400 + nvic.numIrqs()) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int irq = offset - 0x400 + i;
                if (irq < nvic.numIrqs()) {
                    v |= nvic.priority[Nvic.IRQ0 + irq] << (8 * i);
                }
            }
            return v;
        }
        if (offset >= 0xD18 && offset < 0xD24) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int exc = 4 + offset - 0xD18 + i;
                v |= (exc > 3 ? nvic.priority[exc] & 0xFF : 0) << (8 * i);
            }
            return v;
        }
        if (offset >= 0xD90 && offset < 0xDBC) {
            return cpu.mpu.read(offset - 0xD90, 4);
        }
        switch (offset) {
            case 0x004: return (nvic.numIrqs() + 31) / 32 - 1; // ICTR
            case 0x008: return actlr;
            case 0x010: return sysTick.readCsr();
            case 0x014: return sysTick.rvr;
            case 0x018: return sysTick.currentValue();
            case 0x01C: return 1 << 31; // SYST_CALIB: NOREF, no TENMS
            case 0xD00: return CPUID;
            case 0xD04: return icsr();
            case 0xD08: return vtor;
            case 0xD0C: return 0xFA050000 | nvic.prigroup << 8;
            case 0xD10: return scr;
            case 0xD14: return ccr;
            case 0xD24: return shcsr();
            case 0xD28: return cfsr;
            case 0xD2C: return hfsr;
            case 0xD30: return dfsr;
            case 0xD34: return mmfar;
            case 0xD38: return bfar;
            case 0xD3C: return afsr;
            case 0xD40: return 0x00000030; // ID_PFR0
            case 0xD44: return 0x00000200; // ID_PFR1
            case 0xD48: return 0x00100000; // ID_DFR0
            case 0xD4C: return 0;          // ID_AFR0
            case 0xD50: return 0x00100030; // ID_MMFR0
            case 0xD54: return 0;
            case 0xD58: return 0x01000000; // ID_MMFR2
            case 0xD5C: return 0;
            case 0xD60: return 0x01101110; // ID_ISAR0
            case 0xD64: return 0x02111000; // ID_ISAR1
            case 0xD68: return 0x21112231; // ID_ISAR2
            case 0xD6C: return 0x01111110; // ID_ISAR3
            case 0xD70: return 0x01310132; // ID_ISAR4
            case 0xD88: return cpacr;
            case 0xDF0: return 0;          // DHCSR: no debugger halting
            case 0xDFC: return demcr;
            case 0xF34: return fpuPresent ? fpccr : 0;
            case 0xF38: return fpuPresent ? fpcar : 0;
            case 0xF3C: return fpuPresent ? fpdscr : 0;
            case 0xF40: return fpuPresent ? 0x10110021 : 0; // MVFR0
            case 0xF44: return fpuPresent ? 0x11000011 : 0; // MVFR1
            default:
                if (offset >= 0xFD0) {
                    return 0; // peripheral ID registers: not modelled
                }
                logOnce(offset, "read");
                return 0;
        }
    }

    private int nvicBits(int offset) {
        Nvic nvic = cpu.nvic;
        int group = offset & 0x7F;
        int kind = (offset - 0x100) >> 7; // 0 ISER, 1 ICER, 2 ISPR, 3 ICPR, 4 IABR
        int v = 0;
        for (int bit = 0; bit < 32; bit++) {
            int irq = (group / 4) * 32 + bit;
            if (irq >= nvic.numIrqs() || group >= 0x40) {
                break;
            }
            int e = Nvic.IRQ0 + irq;
            boolean set = switch (kind) {
                case 0, 1 -> nvic.enabled[e];
                case 2, 3 -> nvic.pending[e];
                case 4 -> nvic.active[e];
                default -> false;
            };
            if (set) {
                v |= 1 << bit;
            }
        }
        return v;
    }

    private int icsr() {
        Nvic nvic = cpu.nvic;
        int v = cpu.ipsr & 0x1FF;
        int pend = nvic.highestPending();
        v |= (pend & 0x1FF) << 12;
        boolean irqPending = false;
        for (int e = Nvic.IRQ0; e < nvic.numExceptions; e++) {
            if (nvic.pending[e]) {
                irqPending = true;
                break;
            }
        }
        if (irqPending) {
            v |= 1 << 22;
        }
        int activeCount = nvic.activeCount;
        if (activeCount <= 1) {
            v |= 1 << 11; // RETTOBASE
        }
        if (nvic.pending[Nvic.NMI]) {
            v |= 1 << 31;
        }
        if (nvic.pending[Nvic.PENDSV]) {
            v |= 1 << 28;
        }
        if (nvic.pending[Nvic.SYSTICK]) {
            v |= 1 << 26;
        }
        return v;
    }

    private int shcsr() {
        Nvic nvic = cpu.nvic;
        int v = 0;
        if (nvic.active[Nvic.MEM_MANAGE]) v |= 1;
        if (nvic.active[Nvic.BUS_FAULT]) v |= 1 << 1;
        if (nvic.active[Nvic.USAGE_FAULT]) v |= 1 << 3;
        if (nvic.active[Nvic.SVCALL]) v |= 1 << 7;
        if (nvic.active[Nvic.DEBUG_MONITOR]) v |= 1 << 8;
        if (nvic.active[Nvic.PENDSV]) v |= 1 << 10;
        if (nvic.active[Nvic.SYSTICK]) v |= 1 << 11;
        if (nvic.pending[Nvic.USAGE_FAULT]) v |= 1 << 12;
        if (nvic.pending[Nvic.MEM_MANAGE]) v |= 1 << 13;
        if (nvic.pending[Nvic.BUS_FAULT]) v |= 1 << 14;
        if (nvic.pending[Nvic.SVCALL]) v |= 1 << 15;
        if (nvic.enabled[Nvic.MEM_MANAGE]) v |= 1 << 16;
        if (nvic.enabled[Nvic.BUS_FAULT]) v |= 1 << 17;
        if (nvic.enabled[Nvic.USAGE_FAULT]) v |= 1 << 18;
        return v;
    }

    @Override
    public void write(int offset, int size, int value) {
        if (size != 4) {
            // byte and halfword writes: priority registers are byte-accessible; others are merged
            if ((offset >= 0x400 && offset < 0x5F0) || (offset >= 0xD18 && offset < 0xD24)) {
                for (int i = 0; i < size; i++) {
                    writePriorityByte(offset + i, (value >>> (8 * i)) & 0xFF);
                }
                cpu.interrupt();
                return;
            }
            int shift = (offset & 3) * 8;
            int mask = (size == 1 ? 0xFF : 0xFFFF) << shift;
            int old = readWordQuiet(offset & ~3);
            value = (old & ~mask) | ((value << shift) & mask);
            offset &= ~3;
        }
        writeWord(offset, value);
        cpu.interrupt();
    }

    private int readWordQuiet(int offset) {
        return offset == 0x10 ? sysTick.csr : offset == 0xD28 || offset == 0xD2C ? 0 : readWord(offset);
    }

    private void writePriorityByte(int offset, int value) {
        Nvic nvic = cpu.nvic;
        if (offset >= 0x400 && offset < 0x400 + nvic.numIrqs()) {
            nvic.setPriority(Nvic.IRQ0 + offset - 0x400, value);
        } else if (offset >= 0xD18 && offset < 0xD24) {
            int exc = 4 + offset - 0xD18;
            if (exc == 4 || exc == 5 || exc == 6 || exc == 11 || exc == 12 || exc == 14 || exc == 15) {
                nvic.setPriority(exc, value);
            }
        }
    }

    private void writeWord(int offset, int value) {
        Nvic nvic = cpu.nvic;
        if (offset >= 0x100 && offset < 0x300) {
            int kind = (offset - 0x100) >> 7;
            int group = (offset & 0x7F) / 4;
            for (int bit = 0; bit < 32; bit++) {
                int irq = group * 32 + bit;
                if ((value >>> bit & 1) == 0 || irq >= nvic.numIrqs()) {
                    continue;
                }
                int e = Nvic.IRQ0 + irq;
                switch (kind) {
                    case 0 -> nvic.enabled[e] = true;
                    case 1 -> nvic.enabled[e] = false;
                    case 2 -> nvic.setPending(e);
                    default -> nvic.clearPending(e);
                }
            }
            return;
        }
        if ((offset >= 0x400 && offset < 0x5F0) || (offset >= 0xD18 && offset < 0xD24)) {
            for (int i = 0; i < 4; i++) {
                writePriorityByte(offset + i, (value >>> (8 * i)) & 0xFF);
            }
            return;
        }
        if (offset >= 0xD90 && offset < 0xDBC) {
            cpu.mpu.write(offset - 0xD90, 4, value);
            return;
        }
        switch (offset) {
            case 0x008 -> actlr = value & 0x307;
            case 0x010 -> sysTick.writeCsr(value);
            case 0x014 -> sysTick.writeRvr(value);
            case 0x018 -> sysTick.writeCvr();
            case 0xD04 -> writeIcsr(value);
            case 0xD08 -> vtor = value & 0xFFFFFF80;
            case 0xD0C -> writeAircr(value);
            case 0xD10 -> scr = value & 0x16;
            case 0xD14 -> {
                ccr = value & 0x31B; // STKALIGN, BFHFNMIGN, DIV_0_TRP, UNALIGN_TRP, USERSETMPEND, NONBASETHRDENA
                cpu.updateMemChecks();
            }
            case 0xD24 -> writeShcsr(value);
            case 0xD28 -> cfsr &= ~value;
            case 0xD2C -> hfsr &= ~value;
            case 0xD30 -> dfsr &= ~value;
            case 0xD34 -> mmfar = value;
            case 0xD38 -> bfar = value;
            case 0xD3C -> afsr &= ~value;
            case 0xD88 -> cpacr = fpuPresent ? value & 0x00F00000 : 0;
            case 0xDFC -> {
                demcr = value & 0x010F07F1;
                cpu.debug.updateCounting();
            }
            case 0xF00 -> {
                int irq = value & 0x1FF;
                if (irq < nvic.numIrqs()) {
                    nvic.setPending(Nvic.IRQ0 + irq);
                }
            }
            case 0xF34 -> {
                if (fpuPresent) {
                    fpccr = (fpccr & 0x3FFFFFFE & ~0x17A) | (value & 0xC0000000) | (fpccr & 0x17B & ~1) | (value & 1);
                }
            }
            case 0xF38 -> fpcar = value & ~7;
            case 0xF3C -> fpdscr = value & 0x07C00000;
            case 0x004, 0x01C, 0xD00, 0xD40, 0xD44, 0xD48, 0xD4C, 0xD50, 0xD54, 0xD58, 0xD5C, 0xD60, 0xD64,
                    0xD68, 0xD6C, 0xD70, 0xF40, 0xF44 -> {
                // read-only identification registers: writes are ignored, as on the hardware
            }
            default -> logOnce(offset, "write");
        }
    }

    private void writeIcsr(int value) {
        Nvic nvic = cpu.nvic;
        if ((value & (1 << 31)) != 0) {
            nvic.setPending(Nvic.NMI);
        }
        if ((value & (1 << 28)) != 0) {
            nvic.setPending(Nvic.PENDSV);
        } else if ((value & (1 << 27)) != 0) {
            nvic.clearPending(Nvic.PENDSV);
        }
        if ((value & (1 << 26)) != 0) {
            nvic.setPending(Nvic.SYSTICK);
        } else if ((value & (1 << 25)) != 0) {
            nvic.clearPending(Nvic.SYSTICK);
        }
    }

    private Runnable systemResetHandler;

    /** Performs a requested system reset: the board's handler, or a reset of the core alone. */
    void systemReset() {
        if (systemResetHandler != null) {
            systemResetHandler.run();
        } else {
            cpu.reset();
        }
    }

    /** What AIRCR.SYSRESETREQ does: by default a reset of the core alone. */
    public void setSystemResetHandler(Runnable handler) {
        this.systemResetHandler = handler;
    }

    private void writeAircr(int value) {
        if ((value >>> 16) != 0x05FA) {
            return; // VECTKEY mismatch: the write is ignored
        }
        cpu.nvic.prigroup = (value >>> 8) & 7;
        if ((value & 4) != 0) {
            cpu.requestSystemReset(); // between instructions, not in the middle of this store
        }
    }

    private void writeShcsr(int value) {
        Nvic nvic = cpu.nvic;
        nvic.setActive(Nvic.MEM_MANAGE, (value & 1) != 0);
        nvic.setActive(Nvic.BUS_FAULT, (value & 2) != 0);
        nvic.setActive(Nvic.USAGE_FAULT, (value & 8) != 0);
        nvic.setActive(Nvic.SVCALL, (value & (1 << 7)) != 0);
        nvic.setActive(Nvic.DEBUG_MONITOR, (value & (1 << 8)) != 0);
        nvic.setActive(Nvic.PENDSV, (value & (1 << 10)) != 0);
        nvic.setActive(Nvic.SYSTICK, (value & (1 << 11)) != 0);
        setPendingBit(Nvic.USAGE_FAULT, (value & (1 << 12)) != 0);
        setPendingBit(Nvic.MEM_MANAGE, (value & (1 << 13)) != 0);
        setPendingBit(Nvic.BUS_FAULT, (value & (1 << 14)) != 0);
        setPendingBit(Nvic.SVCALL, (value & (1 << 15)) != 0);
        nvic.enabled[Nvic.MEM_MANAGE] = (value & (1 << 16)) != 0;
        nvic.enabled[Nvic.BUS_FAULT] = (value & (1 << 17)) != 0;
        nvic.enabled[Nvic.USAGE_FAULT] = (value & (1 << 18)) != 0;
    }

    private void setPendingBit(int exc, boolean pending) {
        if (pending) {
            cpu.nvic.setPending(exc);
        } else {
            cpu.nvic.clearPending(exc);
        }
    }

    private void logOnce(int offset, String what) {
        if (loggedOffsets.add(offset)) {
            LOG.warn("SCS: {} of unimplemented register at offset 0x{}; reads as zero, writes ignored", what,
                    Integer.toHexString(offset));
        }
    }
}
