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

    // CR bits (RM0090 6.3.1)
    static final int HSION = 1, HSIRDY = 1 << 1, HSEON = 1 << 16, HSERDY = 1 << 17, HSEBYP = 1 << 18,
            PLLON = 1 << 24, PLLRDY = 1 << 25, PLLI2SON = 1 << 26, PLLI2SRDY = 1 << 27;
    // BDCR (6.3.20) and CSR (6.3.21)
    static final int LSEON = 1, LSERDY = 1 << 1, LSEBYP = 1 << 2, RTCEN = 1 << 15, BDRST = 1 << 16;
    static final int LSION = 1, LSIRDY = 1 << 1, RMVF = 1 << 24, BORRSTF = 1 << 25, PINRSTF = 1 << 26,
            PORRSTF = 1 << 27, SFTRSTF = 1 << 28, IWDGRSTF = 1 << 29, WWDGRSTF = 1 << 30, LPWRRSTF = 1 << 31;
    // CIR ready flags, in the order of their bits (6.3.4)
    static final int LSIRDYF = 1, LSERDYF = 2, HSIRDYF = 4, HSERDYF = 8, PLLRDYF = 16, PLLI2SRDYF = 32;

    private static final int RESET_FLAGS = 0xFE000000;

    private final CortexM4 cpu;
    private final EventQueue events;
    private final InterruptLine irq;
    private final long hseHz;
    private final Startup startup;
    private final List<Runnable> listeners = new ArrayList<>();
    /** Peripheral name to (register offset, bit). */
    private final Map<String, int[]> enables = new HashMap<>();

    private final Register cr, pllcfgr, cfgr, cir, bdcr, csr;
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

        cr = define(0x00, "CR", 0x0000_0083)
                .bit(0, "HSION", Access.RW).bit(1, "HSIRDY", Access.R).field(3, 5, "HSITRIM", Access.RW)
                .field(8, 8, "HSICAL", Access.R).bit(16, "HSEON", Access.RW).bit(17, "HSERDY", Access.R)
                .bit(18, "HSEBYP", Access.RW).bit(19, "CSSON", Access.RW).bit(24, "PLLON", Access.RW)
                .bit(25, "PLLRDY", Access.R).bit(26, "PLLI2SON", Access.RW).bit(27, "PLLI2SRDY", Access.R)
                .onWrite((w, prev) -> crWritten(prev));
        pllcfgr = define(0x04, "PLLCFGR", 0x2400_3010)
                .field(0, 6, "PLLM", Access.RW).field(6, 9, "PLLN", Access.RW).field(16, 2, "PLLP", Access.RW)
                .bit(22, "PLLSRC", Access.RW).field(24, 4, "PLLQ", Access.RW)
                .onWrite((w, prev) -> clocksMayHaveChanged());
        cfgr = define(0x08, "CFGR", 0)
                .field(0, 2, "SW", Access.RW).field(2, 2, "SWS", Access.R).field(4, 4, "HPRE", Access.RW)
                .field(10, 3, "PPRE1", Access.RW).field(13, 3, "PPRE2", Access.RW).field(16, 5, "RTCPRE", Access.RW)
                .field(21, 2, "MCO1", Access.RW).bit(23, "I2SSRC", Access.RW).field(24, 3, "MCO1PRE", Access.RW)
                .field(27, 3, "MCO2PRE", Access.RW).field(30, 2, "MCO2", Access.RW)
                .onWrite((w, prev) -> switchClock());
        cir = define(0x0C, "CIR", 0)
                .bit(0, "LSIRDYF", Access.R).bit(1, "LSERDYF", Access.R).bit(2, "HSIRDYF", Access.R)
                .bit(3, "HSERDYF", Access.R).bit(4, "PLLRDYF", Access.R).bit(5, "PLLI2SRDYF", Access.R)
                .bit(7, "CSSF", Access.R)
                .bit(8, "LSIRDYIE", Access.RW).bit(9, "LSERDYIE", Access.RW).bit(10, "HSIRDYIE", Access.RW)
                .bit(11, "HSERDYIE", Access.RW).bit(12, "PLLRDYIE", Access.RW).bit(13, "PLLI2SRDYIE", Access.RW)
                .bit(16, "LSIRDYC", Access.W).bit(17, "LSERDYC", Access.W).bit(18, "HSIRDYC", Access.W)
                .bit(19, "HSERDYC", Access.W).bit(20, "PLLRDYC", Access.W).bit(21, "PLLI2SRDYC", Access.W)
                .bit(23, "CSSC", Access.W)
                .onWrite((w, prev) -> cirWritten(w));

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
        bdcr = define(0x70, "BDCR", 0)
                .bit(0, "LSEON", Access.RW).bit(1, "LSERDY", Access.R).bit(2, "LSEBYP", Access.RW)
                .field(8, 2, "RTCSEL", Access.RW).bit(15, "RTCEN", Access.RW).bit(16, "BDRST", Access.RW)
                .onWrite((w, prev) -> bdcrWritten(w, prev));
        csr = define(0x74, "CSR", 0x0E00_0000)
                .bit(0, "LSION", Access.RW).bit(1, "LSIRDY", Access.R).bit(24, "RMVF", Access.W)
                .bit(25, "BORRSTF", Access.R).bit(26, "PINRSTF", Access.R).bit(27, "PORRSTF", Access.R)
                .bit(28, "SFTRSTF", Access.R).bit(29, "IWDGRSTF", Access.R).bit(30, "WWDGRSTF", Access.R)
                .bit(31, "LPWRRSTF", Access.R)
                .onWrite((w, prev) -> csrWritten(w, prev));
        define(0x80, "SSCGR", 0).field(0, 32, "SSCGR", Access.RW);
        define(0x84, "PLLI2SCFGR", 0x2000_3000).field(6, 9, "PLLI2SN", Access.RW).field(28, 3, "PLLI2SR", Access.RW);
        enables.put("RTC", new int[] {0x70, 15});

        hsiReady = events.event(name + " HSI ready", t -> ready(cr, HSION, HSIRDY, HSIRDYF));
        hseReady = events.event(name + " HSE ready", t -> ready(cr, HSEON, HSERDY, HSERDYF));
        pllReady = events.event(name + " PLL locked", t -> ready(cr, PLLON, PLLRDY, PLLRDYF));
        pllI2sReady = events.event(name + " PLLI2S locked", t -> ready(cr, PLLI2SON, PLLI2SRDY, PLLI2SRDYF));
        lsiReady = events.event(name + " LSI ready", t -> ready(csr, LSION, LSIRDY, LSIRDYF));
        lseReady = events.event(name + " LSE ready", t -> ready(bdcr, LSEON, LSERDY, LSERDYF));
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
        int v = cr.get();
        // RM0090 6.3.1: the clock used as system clock (directly or through the PLL) cannot be stopped
        int sws = (cfgr.get() >>> 2) & 3;
        boolean pllFromHse = (pllcfgr.get() & (1 << 22)) != 0;
        boolean pllUsed = sws == 2;
        if (sws == 0 || (pllUsed && !pllFromHse)) {
            v |= HSION;
        }
        if (sws == 1 || (pllUsed && pllFromHse)) {
            v |= HSEON;
        }
        if (pllUsed) {
            v |= PLLON;
        }
        cr.set(v);
        oscillator(cr, HSION, HSIRDY, hsiReady, startup.hsi());
        oscillator(cr, HSEON, HSERDY, hseReady, startup.hse());
        oscillator(cr, PLLON, PLLRDY, pllReady, startup.pll());
        oscillator(cr, PLLI2SON, PLLI2SRDY, pllI2sReady, startup.pll());
        if ((v ^ previous) != 0) {
            switchClock();
        }
    }

    /** Starts an oscillator's start-up when turned on; an oscillator turned off is not ready at once. */
    private void oscillator(Register r, int on, int rdy, Event readyEvent, long delay) {
        if (r.isSet(on)) {
            if (!r.isSet(rdy) && !readyEvent.isScheduled()) {
                events.scheduleIn(readyEvent, delay);
            }
        } else {
            events.cancel(readyEvent);
            r.clearBits(rdy);
        }
    }

    private void ready(Register r, int on, int rdy, int cirFlag) {
        if (!r.isSet(on)) {
            return;
        }
        r.setBits(rdy);
        if ((cir.get() & (cirFlag << 8)) != 0) { // RM0090 6.3.4: the flag is set only when its interrupt is enabled
            cir.setBits(cirFlag);
            updateIrq();
        }
        switchClock();
    }

    private void updateIrq() {
        irq.set((cir.get() & 0x3F & (cir.get() >>> 8)) != 0);
    }

    /** SWS follows SW once the selected oscillator is ready (RM0090 6.2.6, clock switch). */
    private void switchClock() {
        int sw = cfgr.get() & 3;
        int sws = (cfgr.get() >>> 2) & 3;
        boolean ready = switch (sw) {
            case 0 -> cr.isSet(HSIRDY);
            case 1 -> cr.isSet(HSERDY);
            case 2 -> cr.isSet(PLLRDY);
            default -> false; // 11: not allowed
        };
        if (ready && sw != sws) {
            cfgr.set((cfgr.get() & ~0xC) | (sw << 2));
        }
        clocksMayHaveChanged();
    }

    // ------------------------------------------------------------------ frequencies

    /** SYSCLK from SWS (RM0090 6.2). */
    public long sysclk() {
        return switch ((cfgr.get() >>> 2) & 3) {
            case 1 -> hseHz;
            case 2 -> pllclk();
            default -> HSI_HZ;
        };
    }

    /** The main PLL output: input / PLLM * PLLN / PLLP (RM0090 6.3.2). */
    public long pllclk() {
        int v = pllcfgr.get();
        long in = (v & (1 << 22)) != 0 ? hseHz : HSI_HZ;
        int m = v & 0x3F;
        int n = (v >>> 6) & 0x1FF;
        int p = 2 * (((v >>> 16) & 3) + 1);
        if (m < 2 || n < 2) {
            return in; // forbidden settings: keep a nonzero clock rather than stop time
        }
        return in * n / m / p;
    }

    public long hclk() {
        int hpre = (cfgr.get() >>> 4) & 0xF;
        if (hpre < 8) {
            return sysclk();
        }
        // 1000: /2, 1001: /4, 1010: /8, 1011: /16, 1100: /64, 1101: /128, 1110: /256, 1111: /512
        int[] shift = {1, 2, 3, 4, 6, 7, 8, 9};
        return sysclk() >> shift[hpre - 8];
    }

    private static int apbShift(int ppre) {
        return ppre < 4 ? 0 : ppre - 3; // 100: /2, 101: /4, 110: /8, 111: /16
    }

    public long pclk1() {
        return hclk() >> apbShift((cfgr.get() >>> 10) & 7);
    }

    public long pclk2() {
        return hclk() >> apbShift((cfgr.get() >>> 13) & 7);
    }

    @Override
    public long frequency(Domain domain) {
        return switch (domain) {
            case AHB -> hclk();
            case APB1 -> pclk1();
            case APB2 -> pclk2();
            // RM0090 6.2: timers run at PCLK when the APB prescaler is 1, else at twice PCLK
            case APB1_TIMER -> apbShift((cfgr.get() >>> 10) & 7) == 0 ? pclk1() : 2 * pclk1();
            case APB2_TIMER -> apbShift((cfgr.get() >>> 13) & 7) == 0 ? pclk2() : 2 * pclk2();
            case LSI -> LSI_HZ;
            case RTC -> rtcclk();
        };
    }

    /** RTCCLK from BDCR.RTCSEL (RM0090 6.2.8): none, LSE, LSI or HSE / RTCPRE (RTCPRE 0 and 1: no clock). */
    private long rtcclk() {
        return switch ((bdcr.get() >>> 8) & 3) {
            case 1 -> LSE_HZ;
            case 2 -> LSI_HZ;
            case 3 -> {
                int pre = (cfgr.get() >>> 16) & 0x1F;
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
        if ((written & BDRST) != 0) {
            // RM0090 6.3.20: BDRST resets the whole backup domain while set
            bdcr.set(BDRST);
            events.cancel(lseReady);
        } else {
            // RTCSEL can be written once; only a backup domain reset changes it again
            int oldSel = previous & 0x300;
            if (oldSel != 0) {
                bdcr.set((bdcr.get() & ~0x300) | oldSel);
            }
            oscillator(bdcr, LSEON, LSERDY, lseReady, startup.lse());
        }
        clocksMayHaveChanged();
    }

    private void csrWritten(int written, int previous) {
        if ((written & RMVF) != 0) {
            csr.clearBits(RESET_FLAGS);
        }
        csr.clearBits(RMVF);
        oscillator(csr, LSION, LSIRDY, lsiReady, startup.lsi());
    }

    /** The reset flag a cause sets, besides PINRSTF (RM0090 6.3.21; every reset drives NRST low). */
    private static int flagOf(ResetCause cause) {
        return switch (cause) {
            case POWER_ON -> PORRSTF | BORRSTF;
            case PIN -> 0;
            case SOFTWARE -> SFTRSTF;
            case INDEPENDENT_WATCHDOG -> IWDGRSTF;
            case WINDOW_WATCHDOG -> WWDGRSTF;
            case LOW_POWER -> LPWRRSTF;
        };
    }

    /** The supplies of the backup domain; without them a power-on reset always clears BDCR. */
    void setBackupSupply(BackupSupply supply) {
        this.backupSupply = supply;
    }

    @Override
    public void reset(ResetCause cause) {
        int flags = csr.get() & RESET_FLAGS;
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
        csr.set((csr.get() & ~RESET_FLAGS) | flags | flagOf(cause) | PINRSTF);
        updateIrq();
        lastFrequencies = new long[0];
        clocksMayHaveChanged(); // back on the HSI
    }

    @Override
    public void reset() {
        reset(ResetCause.PIN);
    }

    private void cirWritten(int written) {
        cir.clearBits(((written >>> 16) & 0x3F) | ((written >>> 16) & 0x80)); // xxxRDYC and CSSC clear their flags
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
