package org.metertwin.peripherals.meter.lcd;

import java.io.IOException;
import java.nio.file.Path;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.TextDisplay;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.signal.Pin;

/**
 * Holtek HT1621 RAM-mapped 32x4 LCD controller (HT1621 datasheet, sections "Command format", "Interfacing",
 * "Timing diagrams" and "Command summary"), driving the meter's glass.
 *
 * <p>Serial interface: a falling CS starts a transfer and a high CS ends it and resets the interface; DATA is
 * sampled on each rising edge of WR. The first three bits are the mode ID, MSB first: {@code 100} command,
 * {@code 101} write (or read-modify-write), {@code 110} read. Commands are 9 bits C8..C0 (C0 is "don't care")
 * and may follow one another without repeating the ID. Write and read give a 6-bit address A5..A0, MSB first,
 * then 4-bit nibbles sent D0 first (the "Write mode" timing diagram: {@code 1 0 1 A5..A0 D0 D1 D2 D3}); the
 * address increments after each nibble ("successive address" writing). In read and read-modify-write, each
 * falling edge of RD puts the next bit, D0 first, on DATA (the datasheet advises the host to read it between
 * the rising edge of RD and the next falling edge).
 *
 * <p>Commands modelled: SYS DIS/SYS EN (system oscillator; SYS DIS also turns off the LCD bias generator),
 * LCD OFF/LCD ON, BIAS with 2/3/4 commons (segments on unused commons are not shown). The power-on defaults
 * are SYS DIS and LCD OFF (command summary "Def." column). Timer, WDT, tone, IRQ, clock-source and test
 * commands are accepted and ignored: no tone, IRQ or time-base output is modelled.
 *
 * <p>Not verified in the datasheet: the HT1621 has 32 RAM addresses yet a 6-bit address; we use A4..A0 and
 * wrap the auto-increment from 31 to 0. The number of commons before any BIAS command is not stated; we
 * assume 4.
 */
public final class Ht1621 implements TextDisplay {
    public static final int RAM_SIZE = 32;

    private enum Mode { ID, COMMAND, ADDRESS, WRITE, READ, IGNORE }

    private final String name;
    private final Pin cs, wr, data;
    private final SegmentMap map;
    private final byte[] ram = new byte[RAM_SIZE];
    private Mode mode = Mode.ID;
    /** Mode ID 101 (write, read-modify-write) rather than 110 (read) for the address that follows. */
    private boolean writing;
    private int shift, bits, address, readBit;
    private boolean systemEnabled, lcdOn;
    private int commons = 4;
    private final java.util.List<java.util.function.Consumer<String>> listeners = new java.util.ArrayList<>(1);
    private String announced = "";

    public Ht1621(String name, Pin cs, Pin wr, Pin data, Pin rd, SegmentMap map) {
        this.name = name;
        this.cs = cs;
        this.wr = wr;
        this.data = data;
        this.map = map;
        cs.listen((p, high) -> {
            restart();
            if (high) {
                announce();
            }
        });
        wr.listen((p, high) -> {
            if (high && !cs.level()) {
                clockIn(data.level());
            }
        });
        rd.listen((p, high) -> {
            if (!high && !cs.level()) {
                clockOut();
            }
        });
    }

    public String name() {
        return name;
    }

    /** The glass: digits with decimal points, then the lit icons; empty when SYS DIS or LCD OFF. */
    public String text() {
        return isDisplaying() ? map.decode(ram, commons) : "";
    }

    /** The oscillator runs and the bias generator is on: segments are visible. */
    public boolean isDisplaying() {
        return systemEnabled && lcdOn;
    }

    public boolean isSystemEnabled() {
        return systemEnabled;
    }

    public boolean isLcdOn() {
        return lcdOn;
    }

    public int commons() {
        return commons;
    }

    /** One RAM nibble (D3..D0), for tests and a front panel view. */
    public int ram(int address) {
        return ram[address] & 0xF;
    }

    @Override
    public void listen(java.util.function.Consumer<String> changed) {
        listeners.add(changed);
    }

    /** At the end of a transfer: tells listeners when the text differs from what they last heard. */
    private void announce() {
        if (listeners.isEmpty()) {
            return;
        }
        String now = text();
        if (!now.equals(announced)) {
            announced = now;
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).accept(now);
            }
        }
    }

    /** A high CS ends the transfer; a falling CS starts a new one: either way the next bits are a mode ID. */
    private void restart() {
        mode = Mode.ID;
        shift = 0;
        bits = 0;
        readBit = 0;
    }

    private void clockIn(boolean bit) {
        int b = bit ? 1 : 0;
        switch (mode) {
            case ID -> {
                shift = shift << 1 | b;
                if (++bits == 3) {
                    mode = switch (shift) {
                        case 0b100 -> Mode.COMMAND;
                        case 0b101, 0b110 -> Mode.ADDRESS;
                        default -> Mode.IGNORE; // not a mode ID: nothing until CS goes high
                    };
                    writing = shift == 0b101;
                    shift = 0;
                    bits = 0;
                }
            }
            case COMMAND -> {
                shift = shift << 1 | b;
                if (++bits == 9) {
                    command(shift >> 1); // C8..C1; C0 is "don't care"
                    shift = 0;
                    bits = 0;
                }
            }
            case ADDRESS -> {
                shift = shift << 1 | b;
                if (++bits == 6) {
                    address = shift & (RAM_SIZE - 1);
                    mode = writing ? Mode.WRITE : Mode.READ;
                    shift = 0;
                    bits = 0;
                    readBit = 0;
                }
            }
            case WRITE -> {
                shift |= b << bits; // D0 first
                if (++bits == 4) {
                    ram[address] = (byte) shift;
                    address = (address + 1) & (RAM_SIZE - 1);
                    shift = 0;
                    bits = 0;
                    readBit = 0;
                }
            }
            case READ, IGNORE -> {
                // read mode takes no data on WR
            }
        }
    }

    /** Puts the next bit of the addressed nibble, D0 first, on DATA (read and read-modify-write). */
    private void clockOut() {
        if (mode != Mode.READ && mode != Mode.WRITE) {
            return;
        }
        if (readBit < 4) {
            data.drive((ram[address] >> readBit & 1) != 0);
            readBit++;
        }
        if (mode == Mode.READ && readBit == 4) {
            address = (address + 1) & (RAM_SIZE - 1); // read mode: successive addresses
            readBit = 0;
        }
    }

    /** Executes command code C8..C1 (the datasheet's "Command summary"). */
    private void command(int code) {
        switch (code) {
            case 0x00 -> { // SYS DIS: oscillator and LCD bias generator off
                systemEnabled = false;
                lcdOn = false;
            }
            case 0x01 -> systemEnabled = true; // SYS EN
            case 0x02 -> lcdOn = false; // LCD OFF
            case 0x03 -> lcdOn = true; // LCD ON
            default -> {
                if ((code & 0xF0) == 0x20) { // BIAS 1/2 or 1/3: 0010-abXc, ab = 00/01/10 for 2/3/4 commons
                    int ab = code >> 2 & 3;
                    if (ab != 3) {
                        commons = 2 + ab;
                    }
                }
                // timer, WDT, tone, IRQ, clock source, time base, TEST/NORMAL: not modelled
            }
        }
    }

    /**
     * {@code ht1621}: pins {@code cs}, {@code wr}, {@code data} and {@code rd} (optional: an unconnected RD net
     * never toggles); property {@code segment-map} (a YAML/JSON file; default: the reference glass).
     */
    public static final class Type implements DeviceType {
        public String type() {
            return "ht1621";
        }

        public String description() {
            return "Holtek HT1621 32x4 segment LCD controller with the meter's 8-digit glass";
        }

        public Object create(DeviceContext c) throws MachineException {
            String file = c.string("segment-map", null);
            SegmentMap map;
            if (file == null) {
                map = SegmentMap.reference();
            } else {
                try {
                    map = SegmentMap.load(Path.of(file));
                } catch (IOException e) {
                    throw c.error("properties.segment-map", e.getMessage());
                }
            }
            return new Ht1621(c.name(), c.pin("cs"), c.pin("wr"), c.pin("data"), c.pin("rd"), map);
        }
    }
}
