package org.metertwin.peripherals.meter.memory;

import java.util.SplittableRandom;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.spi.SpiTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SPI EEPROMs and serial NOR flashes share: a chip select that frames each instruction (falling edge
 * starts one, rising edge ends it and is where writes are committed), SPI mode 0 or 3 with 8-bit words, a
 * self-timed write cycle during which the chip is busy, and a supply it watches. Below the part's minimum
 * operating voltage the chip does not answer (MISO released: all ones), a write cycle in progress is torn,
 * and on the way back up its volatile state (write enable latch, busy) starts afresh.
 *
 * <p>Subclasses decode the instruction bytes ({@link #onByte}), act at the end of the frame
 * ({@link #onDeselect}), and say what a completed or torn cycle does to the cells.
 */
public abstract class SpiMemory implements SpiTarget {
    private static final Logger LOG = LoggerFactory.getLogger(SpiMemory.class);

    protected final String name;
    protected final EventQueue events;
    protected final MemoryImage image;
    private final AnalogLine vcc;
    private final double vccMin;
    private final Event cycleEnd;
    /** Decides torn states: seeded, so the same seed and history give the same torn cells. */
    private final SplittableRandom tearing;

    private boolean powered;
    private boolean selected;
    /** Bytes exchanged since chip select fell. */
    private int count;
    /** The frame saw something the chip cannot decode (a supply drop, an unsupported SPI mode). */
    private boolean garbled;
    private boolean modeLogged;
    private long cycleStart;
    private long cycleLength;
    private TornWrite lastTorn;

    protected SpiMemory(String name, EventQueue events, Pin cs, AnalogLine vcc, double vccMin, MemoryImage image,
            long seed) {
        this.name = name;
        this.events = events;
        this.image = image;
        this.vcc = vcc;
        this.vccMin = vccMin;
        this.tearing = new SplittableRandom(seed);
        this.cycleEnd = events.event(name + ".write-cycle", when -> endCycle());
        this.powered = vcc.value() >= vccMin;
        this.selected = !cs.level();
        cs.listen((pin, level) -> {
            if (level) {
                deselect();
            } else {
                select();
            }
        });
        vcc.listen(v -> supplyChanged());
    }

    @Override
    public final int exchange(int mosi, int bits, boolean cpol, boolean cpha, boolean lsbFirst) {
        int released = (1 << bits) - 1;
        if (!selected || !powered) {
            return released;
        }
        // Both datasheets: SPI modes 0 and 3 (clock idles at the same level it is sampled on), MSB first.
        if (bits != 8 || cpol != cpha || lsbFirst) {
            if (!modeLogged) {
                modeLogged = true;
                LOG.warn("{}: SPI {}-bit words, CPOL={} CPHA={}{} not supported (mode 0 or 3, 8-bit, MSB first);"
                        + " answering all ones", name, bits, cpol ? 1 : 0, cpha ? 1 : 0, lsbFirst ? " LSB first" : "");
            }
            garbled = true;
            return released;
        }
        if (garbled) {
            return 0xFF;
        }
        return onByte(count++, mosi & 0xFF) & 0xFF;
    }

    private void select() {
        selected = true;
        count = 0;
        garbled = false;
    }

    private void deselect() {
        if (!selected) {
            return;
        }
        selected = false;
        if (powered && !garbled && count > 0) {
            onDeselect(count);
        }
        count = 0;
    }

    private void supplyChanged() {
        boolean now = vcc.value() >= vccMin;
        if (now == powered) {
            return;
        }
        powered = now;
        garbled = true; // the instruction being shifted in is lost
        if (!now && cycleEnd.isScheduled()) {
            events.cancel(cycleEnd);
            long at = events.now();
            double fraction = cycleLength == 0 ? 1 : Math.min(1, (double) (at - cycleStart) / cycleLength);
            lastTorn = tear(fraction, tearing, at);
        }
        if (now) {
            powerUp();
        } else {
            powerDown();
        }
    }

    private void endCycle() {
        completeCycle();
    }

    /** Starts the self-timed cycle; the chip is busy until it ends, {@code nanos} from now. */
    protected final void startCycle(long nanos) {
        cycleStart = events.now();
        cycleLength = nanos;
        events.schedule(cycleEnd, cycleStart + nanos);
    }

    /** A write or erase cycle is in progress (the WIP or BUSY status bit). */
    public final boolean busy() {
        return cycleEnd.isScheduled();
    }

    /** The supply is at or above the part's minimum operating voltage. */
    public final boolean powered() {
        return powered;
    }

    /** The last cycle a supply drop interrupted, or null. */
    public final TornWrite lastTornWrite() {
        return lastTorn;
    }

    /** The cells, for tests and scenarios: {@code length} bytes from {@code address} (no wrap). */
    public final byte[] read(int address, int length) {
        return image.copy(address, length);
    }

    public final int size() {
        return image.size();
    }

    /**
     * Sets cells from {@code address} to {@code bytes} at once, as a programmer fills the chip before it is
     * soldered in: no instruction, no busy time (for tests and scenarios; written through to the file).
     */
    public final void preload(int address, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            image.set(address + i, bytes[i] & 0xFF);
        }
        image.persist(address, bytes.length);
    }

    /** Byte {@code index} of the frame (0 is the instruction) arrived; returns what the chip drives on MISO. */
    protected abstract int onByte(int index, int mosi);

    /** Chip select rose after {@code bytes} whole bytes: instructions that act at the end of the frame do so here. */
    protected abstract void onDeselect(int bytes);

    /** The self-timed cycle ended normally: commit it to the cells (and the file). */
    protected abstract void completeCycle();

    /**
     * The supply dropped {@code fraction} of the way through the cycle: leave the cells in the torn state the
     * generator picks, persist them, and say what happened.
     */
    protected abstract TornWrite tear(double fraction, SplittableRandom random, long atNanos);

    /** The supply fell below the minimum: the chip stops (volatile state is lost). */
    protected abstract void powerDown();

    /** The supply came back: volatile status bits take their power-up values. */
    protected abstract void powerUp();
}
