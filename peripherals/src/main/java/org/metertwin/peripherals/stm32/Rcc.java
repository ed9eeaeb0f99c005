package org.metertwin.peripherals.stm32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.ResetCause;
import org.metertwin.core.machine.ResetListener;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F405/407 reset and clock control (RM0090 section 6). Oscillators and the main PLL become ready a
 * start-up time after software turns them on (typical values of the STM32F405 datasheet DS8626, section 6.3:
 * HSI 2.2 us, HSE crystal 2 ms, PLL lock 100 us, LSI 15 us, LSE 2 s; see {@link Startup}); the system
 * clock switch follows SW once the selected source is ready, and the core clock follows HCLK so that
 * virtual time keeps pace with the instructions. The backup domain (BDCR) survives every reset but
 * power-on, and CSR records why each reset happened.
 */
public final class Rcc extends RegisterDevice implements Stm32Clocks, ResetListener {
    /** Start-up times in nanoseconds (DS8626 tables 31-39, typical). */
    public record Startup(long hsi, long hse, long pll, long lsi, long lse) {
        public static final Startup DATASHEET = new Startup(2_200, 2_000_000, 100_000, 15_000, 2_000_000_000L);
    }

    public static final long HSI_HZ = 16_000_000;
    public static final long LSI_HZ = 32_000;
    public static final long LSE_HZ = 32_768;

    private final CortexM4 cpu;
    private final EventQueue events;
    private final InterruptLine irq;
    private final long hseHz;
    private final Startup startup;
    private final List<Runnable> listeners = new ArrayList<>();
    /** Peripheral name to (register offset, bit). */
    private final Map<String, int[]> enables = new HashMap<>();

    private final Register cr, cfgr, cir, bdcr, csr;
    // CR (RM0090 6.3.1)
    private final Flag hsion, hsirdy, hseon, hserdy, pllon, pllrdy, plli2son, plli2srdy;
    // PLLCFGR (6.3.2) and CFGR (6.3.3)
    private final Field pllm, plln, pllp;
    private final Flag pllsrc;
    private final Field sw, sws, hpre, ppre1, ppre2, rtcpre;
    /** CIR (6.3.4): the ready flags, their interrupt enables and their clear bits, in bit order LSI, LSE, HSI, HSE, PLL, PLLI2S. */
    private final Flag[] rdyf = new Flag[6], rdyie = new Flag[6], rdyc = new Flag[6];
    private final Flag cssf, cssc;
    private static final int LSI = 0, LSE = 1, HSI = 2, HSE = 3, PLL = 4, PLLI2S = 5;
    // BDCR (6.3.20)
    private final Flag lseon, lserdy, bdrst;
    private final Field rtcsel;
    // CSR (6.3.21)
    private final Flag lsion, lsirdy, rmvf, borrstf, pinrstf, porrstf, sftrstf, iwdgrstf, wwdgrstf, lpwrrstf;
    /** The reset flags BORRSTF..LPWRRSTF. */
    private final int resetFlags;
    private final Event hsiReady, hseReady, pllReady, pllI2sReady, lsiReady, lseReady;
    private long[] lastFrequencies = new long[0];

    private BackupSupply backupSupply;

    public Rcc(String name, int size, CortexM4 cpu, EventQueue events, InterruptLine irq, long hseHz, Startup startup) {
        super(name, size);
        this.cpu = cpu;
        this.events = events;
        this.irq = irq;
        this.hseHz = hseHz;
        this.startup = startup;

        cr = define(0x00, "CR");
        hsion = cr.flag(0, "HSION", Access.RW, true);
        hsirdy = cr.flag(1, "HSIRDY", Access.R, true);
        cr.field(3, 5, "HSITRIM", Access.RW, 0x10).field(8, 8, "HSICAL", Access.R);
        hseon = cr.flag(16, "HSEON");
        hserdy = cr.flag(17, "HSERDY", Access.R);
        cr.bit(18, "HSEBYP", Access.RW).bit(19, "CSSON", Access.RW);
        pllon = cr.flag(24, "PLLON");
        pllrdy = cr.flag(25, "PLLRDY", Access.R);
        plli2son = cr.flag(26, "PLLI2SON");
        plli2srdy = cr.flag(27, "PLLI2SRDY", Access.R);
        cr.onWrite((w, prev) -> crWritten(prev));
        Register pllcfgr = define(0x04, "PLLCFGR", 0x2400_3010);
        pllm = pllcfgr.valueField(0, 6, "PLLM");
        plln = pllcfgr.valueField(6, 9, "PLLN");
        pllp = pllcfgr.valueField(16, 2, "PLLP");
        pllsrc = pllcfgr.flag(22, "PLLSRC");
        pllcfgr.field(24, 4, "PLLQ", Access.RW).onWrite((w, prev) -> clocksMayHaveChanged());
        cfgr = define(0x08, "CFGR");
        sw = cfgr.valueField(0, 2, "SW");
        sws = cfgr.valueField(2, 2, "SWS", Access.R);
        hpre = cfgr.valueField(4, 4, "HPRE");
        ppre1 = cfgr.valueField(10, 3, "PPRE1");
        ppre2 = cfgr.valueField(13, 3, "PPRE2");
        rtcpre = cfgr.valueField(16, 5, "RTCPRE");
        cfgr.field(21, 2, "MCO1", Access.RW).bit(23, "I2SSRC", Access.RW).field(24, 3, "MCO1PRE", Access.RW)
                .field(27, 3, "MCO2PRE", Access.RW).field(30, 2, "MCO2", Access.RW)
                .onWrite((w, prev) -> switchClock());
        cir = define(0x0C, "CIR");
        String[] osc = {"LSI", "LSE", "HSI", "HSE", "PLL", "PLLI2S"};
        for (int i = 0; i < osc.length; i++) {
            rdyf[i] = cir.flag(i, osc[i] + "RDYF", Access.R);
            rdyie[i] = cir.flag(8 + i, osc[i] + "RDYIE");
            rdyc[i] = cir.flag(16 + i, osc[i] + "RDYC", Access.W);
        }
        cssf = cir.flag(7, "CSSF", Access.R);
        cssc = cir.flag(23, "CSSC", Access.W);
        cir.onWrite((w, prev) -> cirWritten(w));

        defineEnable(0x10, "AHB1RSTR", 0, "GPIOA", 0, "GPIOB", 1, "GPIOC", 2, "GPIOD", 3, "GPIOE", 4, "GPIOF", 5,
                "GPIOG", 6, "GPIOH", 7, "GPIOI", 8, "CRC", 12, "DMA1", 21, "DMA2", 22, "ETHMAC", 25, "OTGHS", 29);
        defineEnable(0x14, "AHB2RSTR", 0, "DCMI", 0, "CRYP", 4, "HASH", 5, "RNG", 6, "OTGFS", 7);
        defineEnable(0x18, "AHB3RSTR", 0, "FSMC", 0);
        defineEnable(0x20, "APB1RSTR", 0, APB1);
        defineEnable(0x24, "APB2RSTR", 0, APB2);
        defineEnable(0x30, "AHB1ENR", 0x0010_0000, "GPIOA", 0, "GPIOB", 1, "GPIOC", 2, "GPIOD", 3, "GPIOE", 4,
                "GPIOF", 5, "GPIOG", 6, "GPIOH", 7, "GPIOI", 8, "CRC", 12, "BKPSRAM", 18, "CCMDATARAM", 20,
                "DMA1", 21, "DMA2", 22, "ETHMAC", 25, "ETHMACTX", 26, "ETHMACRX", 27, "ETHMACPTP", 28, "OTGHS", 29,
                "OTGHSULPI", 30);
        defineEnable(0x34, "AHB2ENR", 0, "DCMI", 0, "CRYP", 4, "HASH", 5, "RNG", 6, "OTGFS", 7);
        defineEnable(0x38, "AHB3ENR", 0, "FSMC", 0);
        defineEnable(0x40, "APB1ENR", 0, APB1);
        defineEnable(0x44, "APB2ENR", 0, APB2);
        // low-power enables are stored only: MeterTwin does not gate clocks in sleep mode
        define(0x50, "AHB1LPENR", 0x7E67_91FF).field(0, 32, "LPEN", Access.RW);
        define(0x54, "AHB2LPENR", 0x0000_00F1).field(0, 32, "LPEN", Access.RW);
        define(0x58, "AHB3LPENR", 0x0000_0001).field(0, 32, "LPEN", Access.RW);
        define(0x60, "APB1LPENR", 0x36FE_C9FF).field(0, 32, "LPEN", Access.RW);
        define(0x64, "APB2LPENR", 0x0007_5F33).field(0, 32, "LPEN", Access.RW);
        bdcr = define(0x70, "BDCR");
        lseon = bdcr.flag(0, "LSEON");
        lserdy = bdcr.flag(1, "LSERDY", Access.R);
        bdcr.bit(2, "LSEBYP", Access.RW);
        rtcsel = bdcr.valueField(8, 2, "RTCSEL");
        bdcr.bit(15, "RTCEN", Access.RW);
        bdrst = bdcr.flag(16, "BDRST");
        bdcr.onWrite((w, prev) -> bdcrWritten(w, prev));
        csr = define(0x74, "CSR");
        lsion = csr.flag(0, "LSION");
        lsirdy = csr.flag(1, "LSIRDY", Access.R);
        rmvf = csr.flag(24, "RMVF", Access.W);
        borrstf = csr.flag(25, "BORRSTF", Access.R, true);
        pinrstf = csr.flag(26, "PINRSTF", Access.R, true);
        porrstf = csr.flag(27, "PORRSTF", Access.R, true);
        sftrstf = csr.flag(28, "SFTRSTF", Access.R);
        iwdgrstf = csr.flag(29, "IWDGRSTF", Access.R);
        wwdgrstf = csr.flag(30, "WWDGRSTF", Access.R);
        lpwrrstf = csr.flag(31, "LPWRRSTF", Access.R);
        resetFlags = borrstf.mask() | pinrstf.mask() | porrstf.mask() | sftrstf.mask() | iwdgrstf.mask()
                | wwdgrstf.mask() | lpwrrstf.mask();
        csr.onWrite((w, prev) -> csrWritten(w, prev));
        define(0x80, "SSCGR", 0).field(0, 32, "SSCGR", Access.RW);
        define(0x84, "PLLI2SCFGR", 0x2000_3000).field(6, 9, "PLLI2SN", Access.RW).field(28, 3, "PLLI2SR", Access.RW);
        enables.put("RTC", new int[] {0x70, 15});

        hsiReady = events.event(name + " HSI ready", t -> ready(hsion, hsirdy, HSI));
        hseReady = events.event(name + " HSE ready", t -> ready(hseon, hserdy, HSE));
        pllReady = events.event(name + " PLL locked", t -> ready(pllon, pllrdy, PLL));
        pllI2sReady = events.event(name + " PLLI2S locked", t -> ready(plli2son, plli2srdy, PLLI2S));
        lsiReady = events.event(name + " LSI ready", t -> ready(lsion, lsirdy, LSI));
        lseReady = events.event(name + " LSE ready", t -> ready(lseon, lserdy, LSE));
    }

    private static final Object[] APB1 = {"TIM2", 0, "TIM3", 1, "TIM4", 2, "TIM5", 3, "TIM6", 4, "TIM7", 5,
            "TIM12", 6, "TIM13", 7, "TIM14", 8, "WWDG", 11, "SPI2", 14, "SPI3", 15, "USART2", 17, "USART3", 18,
            "UART4", 19, "UART5", 20, "I2C1", 21, "I2C2", 22, "I2C3", 23, "CAN1", 25, "CAN2", 26, "PWR", 28,
            "DAC", 29};
    private static final Object[] APB2 = {"TIM1", 0, "TIM8", 1, "USART1", 4, "USART6", 5, "ADC1", 8, "ADC2", 9,
            "ADC3", 10, "SDIO", 11, "SPI1", 12, "SYSCFG", 14, "TIM9", 16, "TIM10", 17, "TIM11", 18};
    /** Blocks with no clock enable bit: always clocked. */
    private static final Set<String> ALWAYS_CLOCKED = Set.of("RCC", "FLASH", "IWDG", "EXTI", "DBGMCU");

    /** An enable or reset register whose bits are named PERIPHERAL + EN / RST (RM0090 6.3.5-6.3.14). */
    private void defineEnable(int offset, String registerName, int reset, Object... namesAndBits) {
        boolean isReset = registerName.endsWith("RSTR");
        Register r = define(offset, registerName, reset);
        for (int i = 0; i < namesAndBits.length; i += 2) {
            String p = (String) namesAndBits[i];
            int bit = (Integer) namesAndBits[i + 1];
            r.bit(bit, p + (isReset ? "RST" : "EN"), Access.RW);
            if (!isReset) {
                enables.put(p, new int[] {offset, bit});
            }
        }
        if (!isReset) {
            r.onWrite((w, prev) -> {
                if (w != prev) {
                    notifyListeners();
                }
            });
        }
    }

    // ------------------------------------------------------------------ oscillators and switch

    private void crWritten(int previous) {
        // RM0090 6.3.1: the clock used as system clock (directly or through the PLL) cannot be stopped
        int source = sws.get();
        boolean pllFromHse = pllsrc.isSet();
        boolean pllUsed = source == 2;
        if (source == 0 || (pllUsed && !pllFromHse)) {
            hsion.set();
        }
        if (source == 1 || (pllUsed && pllFromHse)) {
            hseon.set();
        }
        if (pllUsed) {
            pllon.set();
        }
        int v = cr.get();
        oscillator(hsion, hsirdy, hsiReady, startup.hsi());
        oscillator(hseon, hserdy, hseReady, startup.hse());
        oscillator(pllon, pllrdy, pllReady, startup.pll());
        oscillator(plli2son, plli2srdy, pllI2sReady, startup.pll());
        if ((v ^ previous) != 0) {
            switchClock();
        }
    }

    /** Starts an oscillator's start-up when turned on; an oscillator turned off is not ready at once. */
    private void oscillator(Flag on, Flag rdy, Event readyEvent, long delay) {
        if (on.isSet()) {
            if (!rdy.isSet() && !readyEvent.isScheduled()) {
                events.scheduleIn(readyEvent, delay);
            }
        } else {
            events.cancel(readyEvent);
            rdy.clear();
        }
    }

    private void ready(Flag on, Flag rdy, int oscillator) {
        if (!on.isSet()) {
            return;
        }
        rdy.set();
        if (rdyie[oscillator].isSet()) { // RM0090 6.3.4: the flag is set only when its interrupt is enabled
            rdyf[oscillator].set();
            updateIrq();
        }
        switchClock();
    }

    private void updateIrq() {
        boolean level = false;
        for (int i = 0; i < rdyf.length; i++) {
            level |= rdyf[i].isSet() && rdyie[i].isSet();
        }
        irq.set(level);
    }

    /** SWS follows SW once the selected oscillator is ready (RM0090 6.2.6, clock switch). */
    private void switchClock() {
        int selected = sw.get();
        boolean ready = switch (selected) {
            case 0 -> hsirdy.isSet();
            case 1 -> hserdy.isSet();
            case 2 -> pllrdy.isSet();
            default -> false; // 11: not allowed
        };
        if (ready && selected != sws.get()) {
            sws.set(selected);
        }
        clocksMayHaveChanged();
    }

    // ------------------------------------------------------------------ frequencies

    /** SYSCLK from SWS (RM0090 6.2). */
    public long sysclk() {
        return switch (sws.get()) {
            case 1 -> hseHz;
            case 2 -> pllclk();
            default -> HSI_HZ;
        };
    }

    /** The main PLL output: input / PLLM * PLLN / PLLP (RM0090 6.3.2). */
    public long pllclk() {
        long in = pllsrc.isSet() ? hseHz : HSI_HZ;
        int m = pllm.get();
        int n = plln.get();
        int p = 2 * (pllp.get() + 1);
        if (m < 2 || n < 2) {
            return in; // forbidden settings: keep a nonzero clock rather than stop time
        }
        return in * n / m / p;
    }

    public long hclk() {
        int prescaler = hpre.get();
        if (prescaler < 8) {
            return sysclk();
        }
        // 1000: /2, 1001: /4, 1010: /8, 1011: /16, 1100: /64, 1101: /128, 1110: /256, 1111: /512
        int[] shift = {1, 2, 3, 4, 6, 7, 8, 9};
        return sysclk() >> shift[prescaler - 8];
    }

    private static int apbShift(int ppre) {
        return ppre < 4 ? 0 : ppre - 3; // 100: /2, 101: /4, 110: /8, 111: /16
    }

    public long pclk1() {
        return hclk() >> apbShift(ppre1.get());
    }

    public long pclk2() {
        return hclk() >> apbShift(ppre2.get());
    }

    @Override
    public long frequency(Domain domain) {
        return switch (domain) {
            case AHB -> hclk();
            case APB1 -> pclk1();
            case APB2 -> pclk2();
            // RM0090 6.2: timers run at PCLK when the APB prescaler is 1, else at twice PCLK
            case APB1_TIMER -> apbShift(ppre1.get()) == 0 ? pclk1() : 2 * pclk1();
            case APB2_TIMER -> apbShift(ppre2.get()) == 0 ? pclk2() : 2 * pclk2();
            case LSI -> LSI_HZ;
            case RTC -> rtcclk();
        };
    }

    /** RTCCLK from BDCR.RTCSEL (RM0090 6.2.8): none, LSE, LSI or HSE / RTCPRE (RTCPRE 0 and 1: no clock). */
    private long rtcclk() {
        return switch (rtcsel.get()) {
            case 1 -> LSE_HZ;
            case 2 -> LSI_HZ;
            case 3 -> {
                int pre = rtcpre.get();
                yield pre < 2 ? 0 : hseHz / pre;
            }
            default -> 0;
        };
    }

    private void clocksMayHaveChanged() {
        long[] now = new long[Domain.values().length];
        for (Domain d : Domain.values()) {
            now[d.ordinal()] = frequency(d);
        }
        if (Arrays.equals(now, lastFrequencies)) {
            return;
        }
        boolean coreChanged = lastFrequencies.length == 0 || now[Domain.AHB.ordinal()] != lastFrequencies[Domain.AHB.ordinal()];
        lastFrequencies = now;
        if (coreChanged && cpu != null && cpu.clockHz() != now[Domain.AHB.ordinal()]) {
            cpu.setClockHz(now[Domain.AHB.ordinal()]);
        }
        notifyListeners();
    }

    private void notifyListeners() {
        for (Runnable l : List.copyOf(listeners)) {
            l.run();
        }
    }

    @Override
    public boolean isEnabled(String peripheral) {
        int[] where = enables.get(peripheral);
        if (where == null) {
            if (!ALWAYS_CLOCKED.contains(peripheral)) {
                logOnce("isEnabled(" + peripheral + "): no such clock enable bit in RM0090 6.3; answering true");
            }
            return true;
        }
        return (register(where[0]).get() & (1 << where[1])) != 0;
    }

    @Override
    public void addListener(Runnable changed) {
        listeners.add(changed);
    }

    // ------------------------------------------------------------------ backup domain and reset flags

    private void bdcrWritten(int written, int previous) {
        if (bdrst.in(written)) {
            // RM0090 6.3.20: BDRST resets the whole backup domain while set
            bdcr.set(bdrst.mask());
            events.cancel(lseReady);
        } else {
            // RTCSEL can be written once; only a backup domain reset changes it again
            int oldSel = rtcsel.in(previous);
            if (oldSel != 0) {
                rtcsel.set(oldSel);
            }
            oscillator(lseon, lserdy, lseReady, startup.lse());
        }
        clocksMayHaveChanged();
    }

    private void csrWritten(int written, int previous) {
        if (rmvf.in(written)) {
            csr.clearBits(resetFlags);
        }
        rmvf.clear();
        oscillator(lsion, lsirdy, lsiReady, startup.lsi());
    }

    /** The reset flag a cause sets, besides PINRSTF (RM0090 6.3.21; every reset drives NRST low). */
    private int flagOf(ResetCause cause) {
        return switch (cause) {
            case POWER_ON -> porrstf.mask() | borrstf.mask();
            case PIN -> 0;
            case SOFTWARE -> sftrstf.mask();
            case INDEPENDENT_WATCHDOG -> iwdgrstf.mask();
            case WINDOW_WATCHDOG -> wwdgrstf.mask();
            case LOW_POWER -> lpwrrstf.mask();
        };
    }

    /** The supplies of the backup domain; without them a power-on reset always clears BDCR. */
    void setBackupSupply(BackupSupply supply) {
        this.backupSupply = supply;
    }

    @Override
    public void reset(ResetCause cause) {
        int flags = csr.get() & resetFlags;
        int backup = bdcr.get();
        super.reset();
        for (Event e : new Event[] {hsiReady, hseReady, pllReady, pllI2sReady, lsiReady}) {
            events.cancel(e);
        }
        boolean backupLost = cause == ResetCause.POWER_ON && (backupSupply == null || backupSupply.takeLoss());
        if (cause == ResetCause.POWER_ON) {
            flags = 0;
        }
        if (backupLost) {
            events.cancel(lseReady);
        } else {
            bdcr.set(backup); // the backup domain keeps its state and the LSE keeps running
        }
        csr.set((csr.get() & ~resetFlags) | flags | flagOf(cause) | pinrstf.mask());
        updateIrq();
        lastFrequencies = new long[0];
        clocksMayHaveChanged(); // back on the HSI
    }

    @Override
    public void reset() {
        reset(ResetCause.PIN);
    }

    private void cirWritten(int written) {
        for (int i = 0; i < rdyf.length; i++) { // xxxRDYC and CSSC clear their flags
            if (rdyc[i].in(written)) {
                rdyf[i].clear();
            }
        }
        if (cssc.in(written)) {
            cssf.clear();
        }
        updateIrq();
    }

    /** {@code stm32f4-rcc}; property {@code hse}: the HSE crystal frequency (Netduino Plus 2: 25 MHz). */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-rcc";
        }

        public String description() {
            return "STM32F4 reset and clock control (RM0090 6): oscillators, PLL, clock switch, enables, reset flags";
        }

        public Object create(DeviceContext c) throws MachineException {
            long hse = c.frequency("hse", 25_000_000);
            if (hse < 4_000_000 || hse > 26_000_000) {
                throw c.error("properties.hse", "the HSE crystal runs at 4 to 26 MHz (DS8626 6.3.6), got " + hse + " Hz");
            }
            Rcc rcc = new Rcc(c.name(), c.size(), c.cpu(), c.events(), c.optionalIrq(0), hse, Startup.DATASHEET);
            rcc.setBackupSupply(new BackupSupply(c.analog("vdd", 3.3), c.analog("vbat", 3.0)));
            return rcc;
        }
    }
}
