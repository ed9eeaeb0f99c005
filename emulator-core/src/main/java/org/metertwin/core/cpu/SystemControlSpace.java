package org.metertwin.core.cpu;

import org.metertwin.core.bus.BusFault;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;

/**
 * The System Control Space at 0xE000E000 (ARMv7-M ARM B3.2): interrupt controller type, SysTick, NVIC,
 * the System Control Block, the MPU ({@link Mpu}, a register device of its own), software trigger and the
 * FP extension's registers. Register and field names follow the ARM ARM.
 *
 * <p>Registers whose state other parts of the core update directly (the fault status and address
 * registers, FPCAR, DEMCR) keep it in fields of this class; the NVIC's and SysTick's registers present
 * those objects' state.
 */
public final class SystemControlSpace extends RegisterDevice {
    public static final int BASE = 0xE000E000;
    public static final int SIZE = 0x1000;
    /** Cortex-M4 r0p1. */
    public static final int CPUID = 0x410FC241;
    private static final int SYST_CSR = 0x010, CFSR = 0xD28, HFSR = 0xD2C;
    /** NVIC bit-register kinds, in address order. */
    private static final int ISER = 0, ICER = 1, ISPR = 2, ICPR = 3, IABR = 4;
    /** SHCSR's active, pended and enable bits, in bit order, and their exceptions. */
    private static final int[] ACTIVE = {Nvic.MEM_MANAGE, Nvic.BUS_FAULT, Nvic.USAGE_FAULT, Nvic.SVCALL,
        Nvic.DEBUG_MONITOR, Nvic.PENDSV, Nvic.SYSTICK};
    private static final int[] PENDED = {Nvic.USAGE_FAULT, Nvic.MEM_MANAGE, Nvic.BUS_FAULT, Nvic.SVCALL};
    private static final int[] ENABLED = {Nvic.MEM_MANAGE, Nvic.BUS_FAULT, Nvic.USAGE_FAULT};

    private final CortexM4 cpu;
    final SysTick sysTick;
    private boolean fpuPresent = true;

    int cfsr;
    int hfsr;
    int mmfar;
    int bfar;
    int fpcar;
    int demcr;

    private final Register vtor;
    private final Flag sleepOnExit;
    private final Flag nonBaseThreadEnable, userSetPending, unalignTrap, divByZeroTrap, stackAlign;
    private final Register cpacr;
    private final Field cp10;
    private final Register fpccr;
    private final Register fpdscr;
    private final Flag lspact, user, thread, hfrdy, mmrdy, bfrdy, monrdy, lspen, aspen;
    private final Flag nmiPendSet, pendSvSet, pendSvClr, pendStSet, pendStClr;
    private final Flag retToBase, isrPending;
    private final Field vectActive, vectPending;
    private final Field vectKey, priGroup;
    private final Flag sysResetReq;
    private final Field intId;
    private final Flag[] shcsrActive, shcsrPended, shcsrEnabled;

    SystemControlSpace(CortexM4 cpu) {
        super("SCS", SIZE);
        this.cpu = cpu;
        this.sysTick = new SysTick(cpu);

        define(0x004, "ICTR").field(0, 4, "INTLINESNUM", Access.R)
                .readAs(() -> (cpu.nvic.numIrqs() + 31) / 32 - 1);
        define(0x008, "ACTLR").bit(0, "DISMCYCINT", Access.RW).bit(1, "DISDEFWBUF", Access.RW)
                .bit(2, "DISFOLD", Access.RW).bit(8, "DISFPCA", Access.RW).bit(9, "DISOOFP", Access.RW);

        // SysTick (B3.3): the registers present the timer's state
        Register csr = define(SYST_CSR, "SYST_CSR").bit(0, "ENABLE", Access.RW).bit(1, "TICKINT", Access.RW)
                .bit(2, "CLKSOURCE", Access.RW);
        Flag countFlag = csr.flag(16, "COUNTFLAG", Access.R);
        csr.readAs(() -> {
            sysTick.catchUp(cpu.cycleCount()); // COUNTFLAG as of now
            return sysTick.csr;
        }).onRead(() -> sysTick.csr &= ~countFlag.mask()).onWrite((w, p) -> sysTick.writeCsr(w));
        define(0x014, "SYST_RVR").field(0, 24, "RELOAD", Access.RW)
                .readAs(() -> sysTick.rvr).onWrite((w, p) -> sysTick.writeRvr(w));
        define(0x018, "SYST_CVR").field(0, 24, "CURRENT", Access.RW)
                .readAs(sysTick::currentValue).onWrite((w, p) -> sysTick.writeCvr());
        define(0x01C, "SYST_CALIB").field(0, 24, "TENMS", Access.R).bit(30, "SKEW", Access.R)
                .bit(31, "NOREF", Access.R, true);

        // NVIC (B3.4): sixteen of each bit register (the words after them are reserved), then IPR0-IPR123
        String[] register = {"ISER", "ICER", "ISPR", "ICPR", "IABR"};
        String[] field = {"SETENA", "CLRENA", "SETPEND", "CLRPEND", "ACTIVE"};
        Access[] access = {Access.RS, Access.RC_W1, Access.RS, Access.RC_W1, Access.R};
        for (int kind = ISER; kind <= IABR; kind++) {
            for (int n = 0; n < 16; n++) {
                int k = kind, group = n;
                Register r = define(0x100 + 0x80 * kind + 4 * n, register[kind] + n)
                        .field(0, 32, field[kind], access[kind])
                        .readAs(() -> nvicBits(k, group));
                if (kind != IABR) {
                    r.onWrite((w, p) -> nvicWrite(k, group, w));
                }
            }
        }
        for (int n = 0; n < 124; n++) {
            int first = 4 * n;
            Register r = priorityBytes(define(0x400 + 4 * n, "IPR" + n), first);
            r.storedIn(() -> interruptPriorities(first), v -> setInterruptPriorities(first, v));
        }

        // System Control Block (B3.2.2)
        identification(0xD00, "CPUID", CPUID);
        Register icsr = define(0xD04, "ICSR");
        vectActive = icsr.valueField(0, 9, "VECTACTIVE", Access.R);
        retToBase = icsr.flag(11, "RETTOBASE", Access.R);
        vectPending = icsr.valueField(12, 9, "VECTPENDING", Access.R);
        isrPending = icsr.flag(22, "ISRPENDING", Access.R);
        icsr.bit(23, "ISRPREEMPT", Access.R);
        pendStClr = icsr.flag(25, "PENDSTCLR", Access.W);
        pendStSet = icsr.flag(26, "PENDSTSET");
        pendSvClr = icsr.flag(27, "PENDSVCLR", Access.W);
        pendSvSet = icsr.flag(28, "PENDSVSET");
        nmiPendSet = icsr.flag(31, "NMIPENDSET");
        icsr.readAs(this::icsr).onWrite((w, p) -> writeIcsr(w));
        vtor = define(0xD08, "VTOR").field(7, 25, "TBLOFF", Access.RW);
        Register aircr = define(0xD0C, "AIRCR").bit(0, "VECTRESET", Access.W).bit(1, "VECTCLRACTIVE", Access.W)
                .bit(15, "ENDIANNESS", Access.R);
        sysResetReq = aircr.flag(2, "SYSRESETREQ", Access.W);
        priGroup = aircr.valueField(8, 3, "PRIGROUP");
        vectKey = aircr.valueField(16, 16, "VECTKEY"); // reads as VECTKEYSTAT
        aircr.readAs(() -> 0xFA05_0000 | cpu.nvic.prigroup << priGroup.lsb()).onWrite((w, p) -> writeAircr(w));
        Register scr = define(0xD10, "SCR");
        sleepOnExit = scr.flag(1, "SLEEPONEXIT");
        scr.bit(2, "SLEEPDEEP", Access.RW).bit(4, "SEVONPEND", Access.RW);
        Register ccr = define(0xD14, "CCR");
        nonBaseThreadEnable = ccr.flag(0, "NONBASETHRDENA");
        userSetPending = ccr.flag(1, "USERSETMPEND");
        unalignTrap = ccr.flag(3, "UNALIGN_TRP");
        divByZeroTrap = ccr.flag(4, "DIV_0_TRP");
        ccr.bit(8, "BFHFNMIGN", Access.RW);
        stackAlign = ccr.flag(9, "STKALIGN", Access.RW, true);
        ccr.onWrite((w, p) -> cpu.updateMemChecks());
        // SHPR1-SHPR3: exceptions 4-15; the reserved numbers' bytes read 0 and ignore writes
        for (int n = 0; n < 3; n++) {
            int first = 4 + 4 * n;
            Register r = priorityBytes(define(0xD18 + 4 * n, "SHPR" + (n + 1)), first);
            r.storedIn(() -> systemPriorities(first), v -> setSystemPriorities(first, v));
        }
        Register shcsr = define(0xD24, "SHCSR");
        shcsrActive = new Flag[] {shcsr.flag(0, "MEMFAULTACT"), shcsr.flag(1, "BUSFAULTACT"),
            shcsr.flag(3, "USGFAULTACT"), shcsr.flag(7, "SVCALLACT"), shcsr.flag(8, "MONITORACT"),
            shcsr.flag(10, "PENDSVACT"), shcsr.flag(11, "SYSTICKACT")};
        shcsrPended = new Flag[] {shcsr.flag(12, "USGFAULTPENDED"), shcsr.flag(13, "MEMFAULTPENDED"),
            shcsr.flag(14, "BUSFAULTPENDED"), shcsr.flag(15, "SVCALLPENDED")};
        shcsrEnabled = new Flag[] {shcsr.flag(16, "MEMFAULTENA"), shcsr.flag(17, "BUSFAULTENA"),
            shcsr.flag(18, "USGFAULTENA")};
        shcsr.readAs(this::shcsr).onWrite((w, p) -> writeShcsr(w));
        define(CFSR, "CFSR").field(0, 8, "MMFSR", Access.RC_W1).field(8, 8, "BFSR", Access.RC_W1)
                .field(16, 16, "UFSR", Access.RC_W1).storedIn(() -> cfsr, v -> cfsr = v);
        define(HFSR, "HFSR").bit(1, "VECTTBL", Access.RC_W1).bit(30, "FORCED", Access.RC_W1)
                .bit(31, "DEBUGEVT", Access.RC_W1).storedIn(() -> hfsr, v -> hfsr = v);
        define(0xD30, "DFSR").bit(0, "HALTED", Access.RC_W1).bit(1, "BKPT", Access.RC_W1)
                .bit(2, "DWTTRAP", Access.RC_W1).bit(3, "VCATCH", Access.RC_W1).bit(4, "EXTERNAL", Access.RC_W1);
        define(0xD34, "MMFAR").field(0, 32, "ADDRESS", Access.RW).storedIn(() -> mmfar, v -> mmfar = v);
        define(0xD38, "BFAR").field(0, 32, "ADDRESS", Access.RW).storedIn(() -> bfar, v -> bfar = v);
        define(0xD3C, "AFSR").field(0, 32, "IMPDEF", Access.RC_W1);
        identification(0xD40, "ID_PFR0", 0x00000030);
        identification(0xD44, "ID_PFR1", 0x00000200);
        identification(0xD48, "ID_DFR0", 0x00100000);
        identification(0xD4C, "ID_AFR0", 0);
        identification(0xD50, "ID_MMFR0", 0x00100030);
        identification(0xD54, "ID_MMFR1", 0);
        identification(0xD58, "ID_MMFR2", 0x01000000);
        identification(0xD5C, "ID_MMFR3", 0);
        identification(0xD60, "ID_ISAR0", 0x01101110);
        identification(0xD64, "ID_ISAR1", 0x02111000);
        identification(0xD68, "ID_ISAR2", 0x21112231);
        identification(0xD6C, "ID_ISAR3", 0x01111110);
        identification(0xD70, "ID_ISAR4", 0x01310132);
        cpacr = define(0xD88, "CPACR");
        cp10 = cpacr.valueField(20, 2, "CP10");
        cpacr.field(22, 2, "CP11", Access.RW).onWrite((w, p) -> {
            if (!fpuPresent) {
                cpacr.set(0); // no coprocessor to grant access to
            }
        });

        // debug (C1.6): no halting debug; the DWT reads DEMCR's state
        define(0xDF0, "DHCSR");
        define(0xDFC, "DEMCR").bit(0, "VC_CORERESET", Access.RW).bit(4, "VC_MMERR", Access.RW)
                .bit(5, "VC_NOCPERR", Access.RW).bit(6, "VC_CHKERR", Access.RW).bit(7, "VC_STATERR", Access.RW)
                .bit(8, "VC_BUSERR", Access.RW).bit(9, "VC_INTERR", Access.RW).bit(10, "VC_HARDERR", Access.RW)
                .bit(16, "MON_EN", Access.RW).bit(17, "MON_PEND", Access.RW).bit(18, "MON_STEP", Access.RW)
                .bit(19, "MON_REQ", Access.RW).bit(24, "TRCENA", Access.RW)
                .storedIn(() -> demcr, v -> demcr = v).onWrite((w, p) -> cpu.debug.updateCounting());

        Register stir = define(0xF00, "STIR");
        intId = stir.valueField(0, 9, "INTID", Access.W);
        stir.onWrite((w, p) -> {
            int irq = intId.in(w);
            if (irq < cpu.nvic.numIrqs()) {
                cpu.nvic.setPending(Nvic.IRQ0 + irq);
            }
        });

        // FP extension (B3.2.20-B3.2.23): without an FPU they read 0, and FPCCR ignores writes
        fpccr = define(0xF34, "FPCCR");
        lspact = fpccr.flag(0, "LSPACT");
        user = fpccr.flag(1, "USER", Access.R);
        thread = fpccr.flag(3, "THREAD", Access.R);
        hfrdy = fpccr.flag(4, "HFRDY", Access.R);
        mmrdy = fpccr.flag(5, "MMRDY", Access.R);
        bfrdy = fpccr.flag(6, "BFRDY", Access.R);
        monrdy = fpccr.flag(8, "MONRDY", Access.R);
        lspen = fpccr.flag(30, "LSPEN", Access.RW, true);
        aspen = fpccr.flag(31, "ASPEN", Access.RW, true);
        fpccr.readAs(() -> fpuPresent ? fpccr.get() : 0).onWrite((w, previous) -> {
            if (!fpuPresent) {
                fpccr.set(previous);
            }
        });
        // ADDRESS is bits [31:3]; an entry with a 4-byte aligned frame (STKALIGN clear) leaves bit 2 set,
        // which reads back until software writes FPCAR
        Register fpcarReg = define(0xF38, "FPCAR").field(0, 3, "(frame low bits)", Access.R)
                .field(3, 29, "ADDRESS", Access.RW).storedIn(() -> fpcar, v -> fpcar = v);
        fpcarReg.readAs(() -> fpuPresent ? fpcar : 0).onWrite((w, p) -> fpcar &= ~7);
        fpdscr = define(0xF3C, "FPDSCR").field(22, 2, "RMode", Access.RW).bit(24, "FZ", Access.RW)
                .bit(25, "DN", Access.RW).bit(26, "AHP", Access.RW);
        fpdscr.readAs(() -> fpuPresent ? fpdscr.get() : 0);
        identification(0xF40, "MVFR0", 0x10110021).readAs(() -> fpuPresent ? 0x10110021 : 0);
        identification(0xF44, "MVFR1", 0x11000011).readAs(() -> fpuPresent ? 0x11000011 : 0);

        // peripheral and component identification: not modelled, read 0
        String[] ids = {"PID4", "PID5", "PID6", "PID7", "PID0", "PID1", "PID2", "PID3", "CID0", "CID1", "CID2",
            "CID3"};
        for (int i = 0; i < ids.length; i++) {
            identification(0xFD0 + 4 * i, ids[i], 0);
        }
    }

    private Register identification(int offset, String name, int value) {
        return define(offset, name, value).field(0, 32, name, Access.R, value);
    }

    private static Register priorityBytes(Register r, int first) {
        for (int i = 0; i < 4; i++) {
            r.field(8 * i, 8, "PRI_" + (first + i), Access.RW);
        }
        return r;
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
        super.reset();
        cfsr = hfsr = mmfar = bfar = 0;
        fpcar = 0;
        demcr = 0;
        sysTick.reset();
    }

    // ------------------------------------------------------------------ queries used by the core

    int vtor() {
        return vtor.get();
    }

    boolean stackAlign() {
        return stackAlign.isSet();
    }

    boolean unalignTrap() {
        return unalignTrap.isSet();
    }

    boolean divByZeroTrap() {
        return divByZeroTrap.isSet();
    }

    boolean nonBaseThreadEnable() {
        return nonBaseThreadEnable.isSet();
    }

    boolean userSetPending() {
        return userSetPending.isSet();
    }

    boolean sleepOnExit() {
        return sleepOnExit.isSet();
    }

    boolean fpuPresent() {
        return fpuPresent;
    }

    boolean fpAccessAllowed(boolean privileged) {
        if (!fpuPresent) {
            return false;
        }
        int access = cp10.get();
        return access == 3 || (access == 1 && privileged);
    }

    boolean automaticFpStateEnabled() {
        return aspen.isSet();
    }

    /** FPDSCR: the AHP, DN, FZ and RMode a new floating-point context starts with. */
    int defaultFpscr() {
        return fpdscr.get();
    }

    boolean lazyStackingEnabled() {
        return lspen.isSet();
    }

    boolean lazyStateActive() {
        return lspact.isSet();
    }

    void setLazyStateOnEntry(boolean handlerMode, boolean threadPsp, boolean privileged) {
        lspact.set();
        user.set(!privileged);
        thread.set(!handlerMode);
        int execPrio = cpu.executionPriority();
        hfrdy.set(execPrio > -1);
        Nvic nvic = cpu.nvic;
        mmrdy.set(nvic.enabled[Nvic.MEM_MANAGE] && execPrio > nvic.groupPriority(nvic.priority[Nvic.MEM_MANAGE]));
        bfrdy.set(nvic.enabled[Nvic.BUS_FAULT] && execPrio > nvic.groupPriority(nvic.priority[Nvic.BUS_FAULT]));
        monrdy.clear();
    }

    void clearLazyState() {
        lspact.clear();
    }

    /** The deferred half of lazy stacking: S0-S15 and FPSCR go to the space reserved at FPCAR. */
    void preserveFpState() {
        int addr = fpcar & ~7;
        try {
            for (int i = 0; i < 16; i++) {
                cpu.bus().write32(addr + 4 * i, cpu.state.s[i]);
            }
            cpu.bus().write32(addr + 64, cpu.state.fp.fpscr);
        } catch (BusFault f) {
            cfsr |= 1 << 13; // LSPERR
        }
        lspact.clear();
    }

    // ------------------------------------------------------------------ bus access

    private static boolean inMpu(int offset) {
        return offset >= Mpu.SCS_OFFSET && offset < Mpu.SCS_OFFSET + Mpu.SIZE;
    }

    /** The priority registers are byte-accessible; the others take a byte or halfword merged into the word. */
    private static boolean byteAccessible(int offset) {
        return (offset >= 0x400 && offset < 0x5F0) || (offset >= 0xD18 && offset < 0xD24);
    }

    @Override
    public int read(int offset, int size) {
        return inMpu(offset) ? cpu.mpu.read(offset - Mpu.SCS_OFFSET, size) : super.read(offset, size);
    }

    @Override
    public int peek(int offset, int size) {
        if (offset == SYST_CSR) {
            return sysTick.csr; // a read clears COUNTFLAG: debuggers must not
        }
        return inMpu(offset) ? cpu.mpu.peek(offset - Mpu.SCS_OFFSET, size) : super.peek(offset, size);
    }

    @Override
    public void write(int offset, int size, int value) {
        if (size != 4 && !byteAccessible(offset)) {
            int shift = (offset & 3) * 8;
            int mask = (size == 1 ? 0xFF : 0xFFFF) << shift;
            offset &= ~3;
            // the fault status registers merge as 0, so that the other lanes' write-1-to-clear bits stay
            int old = offset == CFSR || offset == HFSR ? 0 : peek(offset, 4);
            value = (old & ~mask) | ((value << shift) & mask);
            size = 4;
        }
        if (inMpu(offset)) {
            cpu.mpu.write(offset - Mpu.SCS_OFFSET, size, value);
        } else {
            super.write(offset, size, value);
        }
        cpu.interrupt();
    }

    // ------------------------------------------------------------------ NVIC and SCB state

    private int nvicBits(int kind, int group) {
        Nvic nvic = cpu.nvic;
        int v = 0;
        for (int bit = 0; bit < 32; bit++) {
            int irq = group * 32 + bit;
            if (irq >= nvic.numIrqs()) {
                break;
            }
            int e = Nvic.IRQ0 + irq;
            boolean set = switch (kind) {
                case ISER, ICER -> nvic.enabled[e];
                case ISPR, ICPR -> nvic.pending[e];
                default -> nvic.active[e];
            };
            if (set) {
                v |= 1 << bit;
            }
        }
        return v;
    }

    private void nvicWrite(int kind, int group, int value) {
        Nvic nvic = cpu.nvic;
        for (int bit = 0; bit < 32; bit++) {
            int irq = group * 32 + bit;
            if ((value >>> bit & 1) == 0 || irq >= nvic.numIrqs()) {
                continue;
            }
            int e = Nvic.IRQ0 + irq;
            switch (kind) {
                case ISER -> nvic.enabled[e] = true;
                case ICER -> nvic.enabled[e] = false;
                case ISPR -> nvic.setPending(e);
                default -> nvic.clearPending(e);
            }
        }
    }

    /** IPRn as bytes of the priorities of interrupts {@code first} to {@code first + 3}. */
    private int interruptPriorities(int first) {
        Nvic nvic = cpu.nvic;
        if (first >= nvic.numIrqs()) {
            return 0;
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (first + i < nvic.numIrqs()) {
                v |= nvic.priority[Nvic.IRQ0 + first + i] << (8 * i);
            }
        }
        return v;
    }

    private void setInterruptPriorities(int first, int value) {
        Nvic nvic = cpu.nvic;
        for (int i = 0; i < 4; i++) {
            if (first + i < nvic.numIrqs()) {
                nvic.setPriority(Nvic.IRQ0 + first + i, (value >>> (8 * i)) & 0xFF);
            }
        }
    }

    /** SHPRn as bytes of the priorities of exceptions {@code first} to {@code first + 3}. */
    private int systemPriorities(int first) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (cpu.nvic.priority[first + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    private void setSystemPriorities(int first, int value) {
        for (int i = 0; i < 4; i++) {
            int exc = first + i;
            if (exc == 4 || exc == 5 || exc == 6 || exc == 11 || exc == 12 || exc == 14 || exc == 15) {
                cpu.nvic.setPriority(exc, (value >>> (8 * i)) & 0xFF);
            }
        }
    }

    private int icsr() {
        Nvic nvic = cpu.nvic;
        int v = cpu.state.ipsr << vectActive.lsb() & vectActive.mask();
        v |= nvic.highestPending() << vectPending.lsb() & vectPending.mask();
        for (int e = Nvic.IRQ0; e < nvic.numExceptions; e++) {
            if (nvic.pending[e]) {
                v |= isrPending.mask();
                break;
            }
        }
        if (nvic.activeCount <= 1) {
            v |= retToBase.mask();
        }
        v |= nvic.pending[Nvic.NMI] ? nmiPendSet.mask() : 0;
        v |= nvic.pending[Nvic.PENDSV] ? pendSvSet.mask() : 0;
        v |= nvic.pending[Nvic.SYSTICK] ? pendStSet.mask() : 0;
        return v;
    }

    private void writeIcsr(int value) {
        Nvic nvic = cpu.nvic;
        if (nmiPendSet.in(value)) {
            nvic.setPending(Nvic.NMI);
        }
        if (pendSvSet.in(value)) {
            nvic.setPending(Nvic.PENDSV);
        } else if (pendSvClr.in(value)) {
            nvic.clearPending(Nvic.PENDSV);
        }
        if (pendStSet.in(value)) {
            nvic.setPending(Nvic.SYSTICK);
        } else if (pendStClr.in(value)) {
            nvic.clearPending(Nvic.SYSTICK);
        }
    }

    private int shcsr() {
        Nvic nvic = cpu.nvic;
        int v = 0;
        for (int i = 0; i < ACTIVE.length; i++) {
            v |= nvic.active[ACTIVE[i]] ? shcsrActive[i].mask() : 0;
        }
        for (int i = 0; i < PENDED.length; i++) {
            v |= nvic.pending[PENDED[i]] ? shcsrPended[i].mask() : 0;
        }
        for (int i = 0; i < ENABLED.length; i++) {
            v |= nvic.enabled[ENABLED[i]] ? shcsrEnabled[i].mask() : 0;
        }
        return v;
    }

    private void writeShcsr(int value) {
        Nvic nvic = cpu.nvic;
        for (int i = 0; i < ACTIVE.length; i++) {
            nvic.setActive(ACTIVE[i], shcsrActive[i].in(value));
        }
        for (int i = 0; i < PENDED.length; i++) {
            if (shcsrPended[i].in(value)) {
                nvic.setPending(PENDED[i]);
            } else {
                nvic.clearPending(PENDED[i]);
            }
        }
        for (int i = 0; i < ENABLED.length; i++) {
            nvic.enabled[ENABLED[i]] = shcsrEnabled[i].in(value);
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
        if (vectKey.in(value) != 0x05FA) {
            return; // VECTKEY mismatch: the write is ignored
        }
        cpu.nvic.prigroup = priGroup.in(value);
        if (sysResetReq.in(value)) {
            cpu.requestSystemReset(); // between instructions, not in the middle of this store
        }
    }
}
