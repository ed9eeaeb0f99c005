package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.Pin;

/**
 * One STM32F4 GPIO port (RM0090 8). Each of its 16 pins is the net {@code NAME.n} (GPIOA.5):
 * <ul>
 * <li>output mode (MODER=01) drives the net from ODR (push-pull and open-drain alike: a net has no
 * resistance model, so open-drain "1" drives 1 too);</li>
 * <li>input mode reads the net's level into IDR. The pull-up or pull-down acts as a weak driver applied when the
 * pin's configuration changes (a pull-up on an undriven net reads 1); any other device driving the net afterwards
 * wins, since nets keep the level of their last driver;</li>
 * <li>alternate-function mode records the AF number (AFRL/AFRH) but does not drive the net: UART/SPI data do not
 * travel through pins in this model;</li>
 * <li>analog mode reads 0 in IDR (RM0090 8.3.12).</li>
 * </ul>
 * The EXTI sees the net, so it sees an output pin's own level as on the chip. The RCC clock gate (GPIOxEN) is not
 * modelled: registers answer with the clock off.
 *
 * <p>The port drives each net through its own {@link Pin.Driver}. A reset puts every pin in input (or the debug
 * pins in alternate function) mode, so the port lets go of all its nets; while the core is unpowered
 * ({@link #supplyLost}) it drives nothing, not even pulls, and the nets fall back to their other drivers.
 */
public final class Stm32Gpio extends RegisterDevice implements CoreSupplied {
    static final int MODE_INPUT = 0, MODE_OUTPUT = 1, MODE_ALTERNATE = 2, MODE_ANALOG = 3;

    private final Pin[] pins = new Pin[16];
    private final Pin.Driver[] drivers = new Pin.Driver[16];
    /** True from a loss of the core supply until the power-on reset: the port drives nothing. */
    private boolean unpowered;
    private final Register moder, otyper, ospeedr, pupdr, idr, odr, lckr, afrl, afrh;
    /** Pins whose configuration LCKR froze until the next reset (RM0090 8.4.8). */
    private int locked;
    /** Position in the lock key sequence: 0 idle, 1 after W(LCKK=1), 2 after W(LCKK=0). */
    private int lockStep;
    private int lockValue;
    /** Mode and pull of each pin as last applied to its net (-1: never). */
    private final int[] applied = new int[16];

    public Stm32Gpio(String name, int port, DeviceContextNets nets) {
        super(name, 0x400);
        // reset values of ports A and B carry the debug pins (JTAG/SWD) in alternate function (RM0090 8.4.1-8.4.4)
        int moderReset = port == 0 ? 0xA8000000 : port == 1 ? 0x00000280 : 0;
        int ospeedrReset = port == 0 ? 0x0C000000 : port == 1 ? 0x000000C0 : 0;
        int pupdrReset = port == 0 ? 0x64000000 : port == 1 ? 0x00000100 : 0;
        for (int n = 0; n < 16; n++) {
            pins[n] = nets.pin(name + "." + n);
            drivers[n] = pins[n].driver();
            applied[n] = -1;
        }
        moder = config(define(0x00, "MODER", moderReset), 2, "MODER");
        otyper = config(define(0x04, "OTYPER", 0), 1, "OT");
        ospeedr = config(define(0x08, "OSPEEDR", ospeedrReset), 2, "OSPEEDR");
        pupdr = config(define(0x0C, "PUPDR", pupdrReset), 2, "PUPDR");
        idr = define(0x10, "IDR", 0).field(0, 16, "IDR", Access.R).readAs(this::inputs);
        odr = define(0x14, "ODR", 0).field(0, 16, "ODR", Access.RW).onWrite((w, p) -> drive());
        define(0x18, "BSRR", 0).field(0, 16, "BS", Access.W).field(16, 16, "BR", Access.W)
                .onWrite((w, p) -> {
                    // BSx has priority over BRx when both are set (RM0090 8.4.7)
                    odr.set((odr.get() & ~(w >>> 16) | w) & 0xFFFF);
                    drive();
                });
        lckr = define(0x1C, "LCKR", 0).field(0, 16, "LCK", Access.RW).bit(16, "LCKK", Access.RW)
                .onWrite(this::lockWrite);
        afrl = config(define(0x20, "AFRL", 0), 4, "AFRL");
        afrh = config(define(0x24, "AFRH", 0), 4, "AFRH");
        applyConfiguration();
    }

    /** The nets a port connects to (the machine's {@code SignalNets}, or a test's). */
    @FunctionalInterface
    public interface DeviceContextNets {
        Pin pin(String name);
    }

    private Register config(Register r, int bitsPerPin, String field) {
        for (int i = 0; i < Math.min(16, 32 / bitsPerPin); i++) {
            r.field(i * bitsPerPin, bitsPerPin, field + i, Access.RW);
        }
        int firstPin = field.equals("AFRH") ? 8 : 0;
        return r.onWrite((w, previous) -> {
            int lockedBits = lockedMask(bitsPerPin, firstPin);
            if (lockedBits != 0) {
                r.set(r.get() & ~lockedBits | previous & lockedBits);
            }
            applyConfiguration();
        });
    }

    /** The register bits of locked pins, for a register with {@code bitsPerPin} bits per pin from {@code first}. */
    private int lockedMask(int bitsPerPin, int first) {
        int mask = 0;
        int perPin = (1 << bitsPerPin) - 1;
        for (int i = 0; i < Math.min(16, 32 / bitsPerPin); i++) {
            if ((locked >>> (first + i) & 1) != 0) {
                mask |= perPin << (i * bitsPerPin);
            }
        }
        return mask;
    }

    private void lockWrite(int written, int previous) {
        if ((previous & 0x10000) != 0 && lockStep == 3) {
            lckr.set(previous); // locked: LCKR itself is frozen until reset
            return;
        }
        int lck = written & 0xFFFF;
        boolean lckk = (written & 0x10000) != 0;
        // key sequence W1, W0, W1 with the same LCK[15:0] (RM0090 8.4.8); any deviation aborts it
        if (lockStep == 0 && lckk) {
            lockStep = 1;
            lockValue = lck;
        } else if (lockStep == 1 && !lckk && lck == lockValue) {
            lockStep = 2;
        } else if (lockStep == 2 && lckk && lck == lockValue) {
            lockStep = 3;
            locked = lck;
        } else {
            lockStep = lckk ? 1 : 0;
            lockValue = lck;
        }
        if (lockStep != 3) {
            lckr.set(lck); // LCKK reads 1 only once the lock is active
        }
    }

    public int mode(int pin) {
        return moder.get() >>> (2 * pin) & 3;
    }

    public int pull(int pin) {
        return pupdr.get() >>> (2 * pin) & 3;
    }

    /** The alternate function number selected for a pin (AFRL/AFRH). */
    public int alternateFunction(int pin) {
        return (pin < 8 ? afrl.get() >>> (4 * pin) : afrh.get() >>> (4 * (pin - 8))) & 0xF;
    }

    public Pin pin(int n) {
        return pins[n];
    }

    /** Whether the lock sequence froze the configuration of a pin. */
    public boolean isLocked(int pin) {
        return (locked >>> pin & 1) != 0;
    }

    private int inputs() {
        int v = 0;
        for (int n = 0; n < 16; n++) {
            if (mode(n) != MODE_ANALOG && pins[n].level()) {
                v |= 1 << n;
            }
        }
        return v;
    }

    /** Applies the pulls of pins whose mode or pull just changed, then the outputs. */
    private void applyConfiguration() {
        if (unpowered) {
            return;
        }
        for (int n = 0; n < 16; n++) {
            int config = mode(n) << 2 | pull(n);
            if (config == applied[n]) {
                continue;
            }
            applied[n] = config;
            if (mode(n) == MODE_INPUT) {
                int pull = pull(n);
                if (pull == 1) {
                    drivers[n].drive(true);
                } else if (pull == 2) {
                    drivers[n].drive(false);
                }
            }
        }
        drive();
    }

    private void drive() {
        if (unpowered) {
            return;
        }
        int out = odr.get();
        for (int n = 0; n < 16; n++) {
            if (mode(n) == MODE_OUTPUT) {
                drivers[n].drive((out >>> n & 1) != 0);
            }
        }
    }

    /** Lets go of every net (RM0090 8.3.1: after reset the I/Os are floating inputs). */
    private void releaseAll() {
        for (Pin.Driver d : drivers) {
            d.release();
        }
    }

    /** Whether the port drives pin {@code n}'s net now (an output, or a pulled input). */
    public boolean isDriving(int n) {
        return drivers[n].isActive();
    }

    @Override
    public void supplyLost() {
        unpowered = true;
        releaseAll();
    }

    @Override
    public void reset() {
        super.reset();
        unpowered = false;
        locked = 0;
        lockStep = 0;
        java.util.Arrays.fill(applied, -1);
        releaseAll();
        applyConfiguration();
    }

    /** {@code stm32f4-gpio}: port A-I; the port letter is the last letter of the name unless {@code port} says. */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-gpio";
        }

        public String description() {
            return "STM32F4 GPIO port (RM0090 8): pins are nets NAME.0-NAME.15";
        }

        public Object create(DeviceContext c) throws MachineException {
            String name = c.name();
            String letter = c.string("port", name.substring(name.length() - 1));
            if (letter.length() != 1 || letter.charAt(0) < 'A' || letter.charAt(0) > 'K') {
                throw c.error("properties.port", "expected a port letter A-K, got '" + letter + "'");
            }
            return new Stm32Gpio(name, letter.charAt(0) - 'A', c.nets()::pin);
        }
    }
}
