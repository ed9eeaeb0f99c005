package org.metertwin.peripherals.meter.stpm34;

import java.util.Set;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.LogOnce;
import org.metertwin.core.registers.RegisterBank;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.serial.SerialSink;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.meter.mains.Mains;
import org.metertwin.peripherals.spi.SpiBus;
import org.metertwin.peripherals.spi.SpiTarget;

/**
 * The STPM34 metering IC as the host sees it: its 70 registers (16-bit rows, {@link Stpm34Map}), the SPI or
 * UART frame interface ({@link Stpm34Protocol}), latching, resets, status and interrupt pins, and power-up.
 * The measurement itself is {@link Stpm34Dsp}'s: this class calls it before and after configuration writes,
 * at every latch and at a global reset, and routes what it reports to DSP_SR1/2, INT1/2, LED1/2 and ZCR.
 *
 * <ul>
 * <li>Power: EN low holds the chip off (no answer: MISO all ones, UART silent). When EN rises the level of SCS
 * picks the interface, high for UART and low for SPI (ST metrology_hal.c, Metro_HAL_power_up_device), and the
 * chip answers after its start-up time. An EN net nobody wires is taken as tied high.</li>
 * <li>Latch: DSP_CR3 SW_Latch1/SW_Latch2 (bits 21/22, self-clearing), SW_Auto_Latch (bit 23: every DSP
 * sample, 16 MHz / 2048), and a low pulse on SYN (both channels).</li>
 * <li>Global reset: DSP_CR3 SW_Reset (bit 20) or three SYN pulses in a row: registers back to reset values and
 * the DSP reset. A low pulse on SCS resets the interface (drops a partial frame).</li>
 * <li>Writes change only a register's writable bits ({@link Stpm34Map#writeMask}); data registers are
 * read-only. DSP_SR1/2 and US_REG3's status bits are cleared by writing 1.</li>
 * <li>INT1 is high while DSP_SR1 AND DSP_IRQ1 is non-zero, INT2 likewise with SR2/IRQ2; both also signal an
 * unmasked US_REG3 error.</li>
 * </ul>
 * Sources and what stayed unverified: docs/meter-devices.md ("STPM34: device").
 */
public final class Stpm34 implements Stpm34Dsp.Outputs, SerialPort {

    /** Time from EN rising to the first frame the chip answers (Carton32 stpm3x_internals.h: 35 ms). */
    static final long STARTUP_NANOS = 35_000_000L;
    /** One DSP sample, 2048 cycles of the 16 MHz clock (7.8125 kHz): the auto-latch period. */
    static final long SAMPLE_NANOS = 128_000L;
    /** Consecutive SYN pulses count towards a reset when each starts within this of the previous one. */
    static final long SYN_TRAIN_NANOS = 1_000_000L;

    // DSP_CR3 (DS10272 via Carton32 STPM3X_MASK_SW_*)
    static final int SW_RESET = 1 << 20, SW_LATCH1 = 1 << 21, SW_LATCH2 = 1 << 22, SW_AUTO_LATCH = 1 << 23;
    // US_REG1
    static final int CRC_EN = 1 << 14;
    // US_REG3 status bits (UART group 16-22, SPI group 24-30, Carton32 STPM3X_MASK_STATUS_*)
    static final int UART_CRC_ERR = 1 << 17, UART_TIMEOUT_ERR = 1 << 18, UART_FRAME_ERR = 1 << 19,
            UART_TX_OVR = 1 << 22, SPI_CRC_ERR = 1 << 28;
    /** Pairs of (US_REG3 status bit, its interrupt mask bit), per Carton32's CR/STATUS masks. */
    private static final int[] US_IRQ = {UART_CRC_ERR, 1 << 1, UART_TIMEOUT_ERR, 1 << 2, UART_FRAME_ERR, 1 << 3,
        UART_TX_OVR, 1 << 6, SPI_CRC_ERR, 1 << 13};

    /** The interface the chip talks on, chosen at power-up. */
    public enum Interface { SPI, UART }

    /** The chip's pins. {@code en} null means EN is tied high (the chip is powered from the start). */
    public record Pins(Pin en, Pin scs, Pin syn, Pin int1, Pin int2, Pin led1, Pin led2, Pin zcr) {
    }

    /** Hears every latch (package-private hook for tests until the DSP writes data registers). */
    interface LatchHook {
        void latched(boolean channel1, boolean channel2);
    }

    private final String name;
    private final EventQueue events;
    private final Pins pins;
    /** The map's registers; {@link #registers} is its storage, which the DSP reads and writes directly. */
    private final RegisterBank bank;
    private final int[] registers;
    private final Stpm34Protocol protocol;
    private final Stpm34Uart uart;
    private final Stpm34SpiPort spi;
    private final Stpm34Dsp dsp;
    private final Event startupDone;
    private final Event autoLatch;
    private final LogOnce log;
    private final SerialSink receiver;
    private LatchHook latchHook = (a, b) -> { };

    private boolean powered;
    private boolean ready;
    private Interface selected = Interface.SPI;
    private int synPulses;
    private long lastSynPulse;

    /**
     * @param strap the interface when EN is tied high ({@code pins.en() == null}); otherwise SCS decides at
     *     each rising edge of EN
     */
    public Stpm34(String name, EventQueue events, Mains mains, SensorNetwork sensors, Pins pins, Interface strap) {
        this.name = name;
        this.log = new LogOnce(name);
        this.events = events;
        this.pins = pins;
        this.bank = Stpm34Map.declare(new RegisterBank(Stpm34Map.COUNT, log));
        this.registers = bank.values();
        this.protocol = new Stpm34Protocol(new Stpm34Protocol.Chip() {
            public int read32(int row) {
                if (powered && (row >> 1 == Stpm34Map.DSP_SR1 || row >> 1 == Stpm34Map.DSP_SR2)) {
                    dsp.advance(); // status the DSP owes (an energy wrap) is raised before the read
                }
                return rowValue(row) | rowValue((row + 1) & 0xFF) << 16;
            }

            public void writeRow(int row, int value) {
                Stpm34.this.writeRow(row, value);
            }

            public int usReg1() {
                return registers[Stpm34Map.US_REG1];
            }

            public void crcError() {
                usError(selected == Interface.UART ? UART_CRC_ERR : SPI_CRC_ERR);
            }
        });
        this.uart = new Stpm34Uart(name, this, protocol, events);
        this.receiver = uart::receive;
        this.spi = new Stpm34SpiPort(this, protocol, pins.scs());
        this.startupDone = events.event(name + " start-up", when -> ready = powered);
        this.autoLatch = events.event(name + " auto-latch", this::autoLatchTick);
        this.dsp = new Stpm34Dsp(name, events, mains, sensors, registers, this);
        if (pins.en() == null) {
            powerUp(strap);
        } else {
            pins.en().listen((p, level) -> {
                if (level) {
                    powerUp(pins.scs().level() ? Interface.UART : Interface.SPI);
                } else {
                    powerDown();
                }
            });
            if (pins.en().level()) {
                powerUp(pins.scs().level() ? Interface.UART : Interface.SPI);
            }
        }
        pins.scs().listen((p, level) -> chipSelect(level));
        pins.syn().listen((p, level) -> {
            if (!level) {
                synPulse();
            }
        });
    }

    public String name() {
        return name;
    }

    /** The SPI face, to attach to the SPI bus the chip sits on. */
    public SpiTarget spiTarget() {
        return spi;
    }

    /** The interface chosen at the last power-up. */
    public Interface selectedInterface() {
        return selected;
    }

    /** Whether the chip is powered and past its start-up time. */
    public boolean ready() {
        return ready;
    }

    /** A register's present value (test and debugger view; no side effects). */
    public int register(int register) {
        return registers[register];
    }

    void setLatchHook(LatchHook hook) {
        latchHook = hook;
    }

    boolean spiActive() {
        return ready && selected == Interface.SPI;
    }

    boolean uartActive() {
        return ready && selected == Interface.UART;
    }

    // ---- power ----

    private void powerUp(Interface chosen) {
        selected = chosen;
        powered = true;
        ready = false;
        protocol.setUart(chosen == Interface.UART);
        protocol.reset();
        resetRegisters();
        events.schedule(startupDone, events.now() + STARTUP_NANOS);
    }

    private void powerDown() {
        powered = false;
        ready = false;
        events.cancel(startupDone);
        events.cancel(autoLatch);
        uart.powerDown();
        protocol.reset();
        resetRegisters();
        driveOutputsLow();
    }

    private void resetRegisters() {
        bank.reset();
        dsp.reset();
        updateInterrupts();
    }

    private void driveOutputsLow() {
        pins.int1().drive(false);
        pins.int2().drive(false);
        pins.led1().drive(false);
        pins.led2().drive(false);
        pins.zcr().drive(false);
    }

    /** Global reset (SW_Reset, three SYN pulses): registers to reset values, DSP reset, auto-latch stopped. */
    private void globalReset() {
        events.cancel(autoLatch);
        resetRegisters();
        pins.led1().drive(false);
        pins.led2().drive(false);
        pins.zcr().drive(false);
    }

    // ---- pins ----

    private void chipSelect(boolean level) {
        if (!ready) {
            return;
        }
        if (!level) {
            // SPI: a new frame starts; UART: the SCS low pulse resets the interface (ST Metro_HAL_init_device)
            if (selected == Interface.UART) {
                uart.resync();
            } else {
                protocol.resync();
            }
        } else if (selected == Interface.SPI && protocol.midFrame()) {
            protocol.resync(); // a frame cut short by SCS rising is dropped
        }
    }

    private void synPulse() {
        if (!ready) {
            return;
        }
        long now = events.now();
        synPulses = synPulses > 0 && now - lastSynPulse <= SYN_TRAIN_NANOS ? synPulses + 1 : 1;
        lastSynPulse = now;
        if (synPulses == 3) {
            synPulses = 0;
            globalReset();
        } else {
            latch(true, true);
        }
    }

    // ---- registers ----

    /** A 16-bit row as the frames read it; rows past the map read 0. */
    private int rowValue(int row) {
        return bank.readRow(row);
    }

    /** A frame's 16-bit write: only writable bits change (the map's fields); data rows are read-only. */
    void writeRow(int row, int value) {
        if (row >= 2 * Stpm34Map.FIRST_DATA) {
            logOnce("writes to data rows (0x2A and above) are ignored: they are read-only");
            return;
        }
        int reg = row >> 1;
        switch (reg) {
            case Stpm34Map.DSP_SR1, Stpm34Map.DSP_SR2, Stpm34Map.US_REG3, Stpm34Map.US_REG1, Stpm34Map.US_REG2 -> {
                bank.writeRow(row, value);
                updateInterrupts();
            }
            case Stpm34Map.DSP_IRQ1, Stpm34Map.DSP_IRQ2 -> {
                bank.writeRow(row, value);
                dsp.interruptMasksChanged();
                updateInterrupts();
            }
            default -> {
                dsp.advance(); // the DSP runs up to now under the old configuration
                bank.writeRow(row, value);
                if (reg == Stpm34Map.DSP_CR3) {
                    controlRegister3();
                } else {
                    dsp.configChanged(reg);
                }
            }
        }
    }

    /** DSP_CR3's command bits: SW_Reset, SW_Latch1/2 (self-clearing) and SW_Auto_Latch. */
    private void controlRegister3() {
        int cr3 = registers[Stpm34Map.DSP_CR3];
        if ((cr3 & SW_RESET) != 0) {
            globalReset();
            return;
        }
        registers[Stpm34Map.DSP_CR3] = cr3 & ~(SW_LATCH1 | SW_LATCH2);
        dsp.configChanged(Stpm34Map.DSP_CR3);
        if ((cr3 & (SW_LATCH1 | SW_LATCH2)) != 0) {
            latch((cr3 & SW_LATCH1) != 0, (cr3 & SW_LATCH2) != 0);
        }
        if ((cr3 & SW_AUTO_LATCH) == 0) {
            events.cancel(autoLatch);
        } else if (!autoLatch.isScheduled()) {
            events.schedule(autoLatch, events.now() + SAMPLE_NANOS);
        }
    }

    private void autoLatchTick(long when) {
        latch(true, true);
        events.schedule(autoLatch, when + SAMPLE_NANOS);
    }

    private void latch(boolean channel1, boolean channel2) {
        dsp.latch(registers, channel1, channel2);
        latchHook.latched(channel1, channel2);
    }

    // ---- status and interrupts ----

    /** Sets a US_REG3 status bit (an interface error). */
    void usError(int statusBit) {
        registers[Stpm34Map.US_REG3] |= statusBit;
        updateInterrupts();
    }

    private void updateInterrupts() {
        if (!powered) {
            return;
        }
        int us = registers[Stpm34Map.US_REG3];
        boolean usIrq = false;
        for (int i = 0; i < US_IRQ.length; i += 2) {
            usIrq |= (us & US_IRQ[i]) != 0 && (us & US_IRQ[i + 1]) != 0;
        }
        pins.int1().drive((registers[Stpm34Map.DSP_SR1] & registers[Stpm34Map.DSP_IRQ1]) != 0 || usIrq);
        pins.int2().drive((registers[Stpm34Map.DSP_SR2] & registers[Stpm34Map.DSP_IRQ2]) != 0 || usIrq);
    }

    // ---- Stpm34Dsp.Outputs ----

    @Override
    public void status(int sr, int bits) {
        if (!powered) {
            return;
        }
        registers[sr == 1 ? Stpm34Map.DSP_SR1 : Stpm34Map.DSP_SR2] |= bits;
        updateInterrupts();
    }

    @Override
    public void led(int led, boolean active) {
        if (powered) {
            (led == 1 ? pins.led1() : pins.led2()).drive(active);
        }
    }

    @Override
    public void zeroCrossing(boolean level) {
        if (powered) {
            pins.zcr().drive(level);
        }
    }

    // ---- SerialPort (the UART face) ----

    @Override
    public void connectTransmitter(SerialSink sink) {
        uart.connectTransmitter(sink);
    }

    @Override
    public SerialSink receiver() {
        return receiver;
    }

    @Override
    public SerialFormat format() {
        return uart.format();
    }

    @Override
    public boolean canReceive() {
        return uartActive();
    }

    void logOnce(String message) {
        log.warn(message);
    }

    /** Messages logged so far (for tests). */
    Set<String> loggedOnce() {
        return log.logged();
    }

    @Override
    public String toString() {
        return name + " (STPM34, " + selected + (ready ? "" : ", not ready") + ")";
    }

    /**
     * {@code stpm34}: properties {@code mains} (the Mains device, default "mains"), {@code spi} (an SPI
     * controller to attach to), {@code uart} (a UART of this machine to connect both ways) and the sensor
     * network's properties ({@link SensorNetwork#from}); pins {@code en, scs, syn, int1, int2, led1, led2, zcr}.
     * With EN not wired the chip is powered from the start, on the UART when only {@code uart} is given,
     * else on SPI.
     */
    public static final class Type implements DeviceType {
        @Override
        public String type() {
            return "stpm34";
        }

        @Override
        public String description() {
            return "STMicroelectronics STPM34 dual-channel metering IC on SPI or UART (DS10272)";
        }

        @Override
        public Object create(DeviceContext c) throws MachineException {
            Mains mains = c.device(c.string("mains", "mains"), Mains.class, "properties.mains");
            String spiName = c.string("spi", null);
            String uartName = c.string("uart", null);
            SpiBus bus = spiName == null ? null : c.device(spiName, SpiBus.class, "properties.spi");
            SerialPort port = uartName == null ? null : c.device(uartName, SerialPort.class, "properties.uart");
            Pin en = c.pin("en");
            boolean enWired = !en.name().equals(c.name() + ".en");
            Pins pins = new Pins(enWired ? en : null, c.pin("scs"), c.pin("syn"), c.pin("int1"), c.pin("int2"),
                    c.pin("led1"), c.pin("led2"), c.pin("zcr"));
            Interface strap = port != null && bus == null ? Interface.UART : Interface.SPI;
            Stpm34 chip = new Stpm34(c.name(), c.events(), mains, SensorNetwork.from(c), pins, strap);
            if (bus != null) {
                bus.attach(chip.spiTarget());
            }
            if (port != null) {
                port.connectTransmitter(chip.receiver());
                chip.connectTransmitter(port.receiver());
            }
            return chip;
        }
    }
}
