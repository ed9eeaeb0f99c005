package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.signal.SignalNets;

/**
 * STM32F4 external interrupt/event controller (RM0090 10), 23 lines. Lines 0-15 watch the GPIO net that
 * SYSCFG_EXTICR selects (GPIOx.n); lines 16 (PVD), 17 (RTC alarm), 18 (USB OTG FS wakeup), 21 (tamper and
 * time stamp) and 22 (RTC wakeup) watch the nets {@code line16} ... of this device, which other devices drive.
 * Lines 19 and 20 (Ethernet, USB HS wakeup) have no source on the F405.
 *
 * <p>An edge enabled in RTSR/FTSR, or a 0-to-1 write of SWIER, sets the line's PR bit (RM0090 10.3.5, 10.3.6);
 * the interrupt outputs are level-sensitive, high while any (PR &amp; IMR) bit of their group is set. Events
 * (EMR) only wake from WFE, which the core does not distinguish: they are stored only. Changing EXTICR takes the
 * new pin's level without an edge.
 */
public final class Stm32Exti extends RegisterDevice {
    static final int LINES = 23;
    static final int LINE_MASK = (1 << LINES) - 1;
    /** Interrupt output index per line, in the order of the description's irqs (-1: none). */
    private static final int[] GROUP = {0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7, 8, 9, -1, -1, 10, 11};
    static final String[] IRQ_NAMES = {"EXTI0", "EXTI1", "EXTI2", "EXTI3", "EXTI4", "EXTI9_5", "EXTI15_10",
        "PVD (EXTI16)", "RTC_Alarm (EXTI17)", "OTG_FS_WKUP (EXTI18)", "TAMP_STAMP (EXTI21)", "RTC_WKUP (EXTI22)"};

    private final Register imr, rtsr, ftsr, swier, pr;
    private final InterruptLine[] outputs;
    private final boolean[] outputLevel = new boolean[IRQ_NAMES.length];
    /** The level each line saw last. */
    private int levels;
    private final Stm32Syscfg syscfg;
    private final SignalNets nets;
    private final Pin[] sources = new Pin[LINES];

    /**
     * @param outputs the interrupt outputs in {@link #IRQ_NAMES} order (fewer means the rest are not connected)
     * @param specialLines nets of lines 16-22 (index = line - 16; null = no source)
     */
    public Stm32Exti(String name, Stm32Syscfg syscfg, SignalNets nets, InterruptLine[] outputs, Pin[] specialLines) {
        super(name, 0x400);
        this.syscfg = syscfg;
        this.nets = nets;
        this.outputs = outputs;
        imr = define(0x00, "IMR", 0).field(0, LINES, "MR", Access.RW).onWrite((w, p) -> update());
        define(0x04, "EMR", 0).field(0, LINES, "MR", Access.RW);
        rtsr = define(0x08, "RTSR", 0).field(0, LINES, "TR", Access.RW);
        ftsr = define(0x0C, "FTSR", 0).field(0, LINES, "TR", Access.RW);
        swier = define(0x10, "SWIER", 0).field(0, LINES, "SWIER", Access.RW).onWrite((w, previous) -> {
            int rising = w & ~previous & LINE_MASK;
            pending(rising);
            update();
        });
        pr = define(0x14, "PR", 0).field(0, LINES, "PR", Access.RC_W1).onWrite((w, p) -> {
            swier.clearBits(w & LINE_MASK); // clearing PR clears SWIER (RM0090 10.3.5)
            update();
        });
        for (int port = 0; port < 9; port++) {
            for (int n = 0; n < 16; n++) {
                int p = port, line = n;
                nets.pin(portName(port) + "." + n).listen((pin, level) -> {
                    if (syscfg.exticrPort(line) == p) {
                        input(line, level);
                    }
                });
            }
        }
        for (int i = 0; i < specialLines.length; i++) {
            if (specialLines[i] != null) {
                int line = 16 + i;
                sources[line] = specialLines[i];
                specialLines[i].listen((pin, level) -> input(line, level));
            }
        }
        syscfg.addListener(this::resample);
        resample();
    }

    static String portName(int port) {
        return "GPIO" + (char) ('A' + port);
    }

    /** Takes the current level of every line's source without edges (after reset or a multiplexer change). */
    private void resample() {
        for (int line = 0; line < 16; line++) {
            sources[line] = nets.pin(portName(Math.min(syscfg.exticrPort(line), 8)) + "." + line);
        }
        levels = 0;
        for (int line = 0; line < LINES; line++) {
            if (sources[line] != null && sources[line].level()) {
                levels |= 1 << line;
            }
        }
    }

    /** A line's source changed level. */
    void input(int line, boolean level) {
        int bit = 1 << line;
        boolean was = (levels & bit) != 0;
        if (was == level) {
            return;
        }
        levels ^= bit;
        int triggers = level ? rtsr.get() : ftsr.get();
        if ((triggers & bit) != 0) {
            pr.setBits(bit);
            update();
        }
    }

    private void pending(int lines) {
        register(0x14).setBits(lines);
    }

    /** Pending lines (PR). */
    public int pending() {
        return pr.get();
    }

    private void update() {
        int active = pr.get() & imr.get();
        boolean[] level = new boolean[outputLevel.length];
        for (int line = 0; line < LINES; line++) {
            if ((active >>> line & 1) != 0 && GROUP[line] >= 0) {
                level[GROUP[line]] = true;
            }
        }
        for (int i = 0; i < outputs.length; i++) {
            if (level[i] != outputLevel[i]) {
                outputLevel[i] = level[i];
                outputs[i].set(level[i]);
            }
        }
    }

    @Override
    public void reset() {
        super.reset();
        update();
        resample();
    }

    /**
     * {@code stm32f4-exti}: {@code irqs} in {@link #IRQ_NAMES} order; property {@code syscfg} names the SYSCFG;
     * pins {@code line16}, {@code line17}, {@code line18}, {@code line21}, {@code line22} are the special lines.
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-exti";
        }

        public String description() {
            return "STM32F4 EXTI (RM0090 10): 23 lines from GPIO nets (via SYSCFG) and PVD/RTC/USB nets";
        }

        public Object create(DeviceContext c) throws MachineException {
            Stm32Syscfg syscfg = c.device(c.string("syscfg", "SYSCFG"), Stm32Syscfg.class, "properties.syscfg");
            InterruptLine[] outputs = new InterruptLine[IRQ_NAMES.length];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = i < 7 ? c.irq(i, IRQ_NAMES[i]) : c.optionalIrq(i);
            }
            Pin[] special = new Pin[LINES - 16];
            for (int line : new int[] {16, 17, 18, 21, 22}) {
                special[line - 16] = c.pin("line" + line);
            }
            return new Stm32Exti(c.name(), syscfg, c.nets(), outputs, special);
        }
    }
}
