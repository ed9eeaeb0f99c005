package org.metertwin.peripherals.stm32;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;
import org.metertwin.peripherals.spi.SpiBus;
import org.metertwin.peripherals.spi.SpiTarget;

/**
 * STM32F4 SPI (RM0090 section 28) in full-duplex master mode, timed in virtual time. A DR write moves the
 * word to the shift register (TXE sets again at once if it was idle); the word takes 8 or 16 bit times at
 * f_PCLK / 2^(BR+1); at its end every attached {@link SpiTarget} exchanges it (their MISO outputs are ANDed,
 * all ones when none answers), RXNE sets (or OVR when RXNE was still set: the new word is lost) and the
 * next TX buffer word starts. Hardware CRC (CRCEN, CRCNEXT) is computed over the words as DR holds them.
 * Not modelled: slave mode, receive-only and bidirectional modes, TI frame format, I2S (registers stored),
 * DMA, and MODF from the NSS pin (only the SSM=1, SSI=0 case is detected).
 */
public final class Stm32Spi extends RegisterDevice implements SpiBus {
    private final Stm32Clocks clocks;
    private final Stm32Clocks.Domain domain;
    private final InterruptLine irq;
    private final EventQueue events;
    private final boolean loopback;
    private final List<SpiTarget> targets = new ArrayList<>();
    private final Event wordDone;

    private final Register cr1;
    private final Register sr;
    private final Register crcpr;
    // CR1 (RM0090 28.5.1)
    private final Flag cpha, cpol, mstr, spe, lsbFirst, ssi, ssm, rxOnly, dff, crcNext, crcEn, bidiMode;
    private final Field br;
    // CR2 (RM0090 28.5.2)
    private final Flag errie, rxneie, txeie;
    // SR (RM0090 28.5.3)
    private final Flag rxne, txe, crcErr, modf, ovr, bsy;
    private final Register rxcrcr;
    private final Register txcrcr;

    private int txBuffer;
    private boolean txFull;
    private int shifting;
    /** Whether the word on the bus is the CRC (CRCNEXT phase), whose received word is checked, not stored. */
    private boolean shiftingCrc;
    private int rxBuffer;
    private boolean srAccessed;
    private boolean drReadAfterOvr;

    public Stm32Spi(String name, int size, Stm32Clocks clocks, Stm32Clocks.Domain domain, InterruptLine irq,
            EventQueue events, boolean loopback) {
        super(name, size);
        this.clocks = clocks;
        this.domain = domain;
        this.irq = irq;
        this.events = events;
        this.loopback = loopback;
        this.wordDone = events.event(name + " word", this::wordDone);
        cr1 = define(0x00, "CR1");
        cpha = cr1.flag(0, "CPHA");
        cpol = cr1.flag(1, "CPOL");
        mstr = cr1.flag(2, "MSTR");
        br = cr1.valueField(3, 3, "BR");
        spe = cr1.flag(6, "SPE");
        lsbFirst = cr1.flag(7, "LSBFIRST");
        ssi = cr1.flag(8, "SSI");
        ssm = cr1.flag(9, "SSM");
        rxOnly = cr1.flag(10, "RXONLY");
        dff = cr1.flag(11, "DFF");
        crcNext = cr1.flag(12, "CRCNEXT");
        crcEn = cr1.flag(13, "CRCEN");
        cr1.bit(14, "BIDIOE", Access.RW);
        bidiMode = cr1.flag(15, "BIDIMODE");
        cr1.onWrite(this::controlWritten);
        // DMA and the TI frame format are not modelled
        Register cr2 = define(0x04, "CR2").tagged(0, 1, "RXDMAEN").tagged(1, 1, "TXDMAEN")
                .bit(2, "SSOE", Access.RW).tagged(4, 1, "FRF");
        errie = cr2.flag(5, "ERRIE");
        rxneie = cr2.flag(6, "RXNEIE");
        txeie = cr2.flag(7, "TXEIE");
        cr2.onWrite((w, p) -> update());
        sr = define(0x08, "SR");
        rxne = sr.flag(0, "RXNE", Access.R);
        txe = sr.flag(1, "TXE", Access.R, true);
        sr.bit(2, "CHSIDE", Access.R).bit(3, "UDR", Access.R);
        crcErr = sr.flag(4, "CRCERR", Access.RC_W0);
        modf = sr.flag(5, "MODF", Access.R);
        ovr = sr.flag(6, "OVR", Access.R);
        bsy = sr.flag(7, "BSY", Access.R);
        sr.bit(8, "FRE", Access.R)
                .onRead(this::statusRead)
                .onWrite((w, p) -> {
                    srAccessed = true;
                    update();
                });
        define(0x0C, "DR", 0).field(0, 16, "DR", Access.RW).readAs(() -> rxBuffer)
                .onRead(this::dataRead)
                .onWrite((w, p) -> dataWritten(w & 0xFFFF));
        crcpr = define(0x10, "CRCPR", 7).field(0, 16, "CRCPOLY", Access.RW);
        rxcrcr = define(0x14, "RXCRCR", 0).field(0, 16, "RxCRC", Access.R);
        txcrcr = define(0x18, "TXCRCR", 0).field(0, 16, "TxCRC", Access.R);
        define(0x1C, "I2SCFGR", 0).field(0, 1, "CHLEN", Access.RW).field(1, 2, "DATLEN", Access.RW)
                .bit(3, "CKPOL", Access.RW).field(4, 2, "I2SSTD", Access.RW).bit(7, "PCMSYNC", Access.RW)
                .field(8, 2, "I2SCFG", Access.RW).bit(10, "I2SE", Access.RW)
                .tagged(11, 1, "I2SMOD"); // I2S mode: its registers are stored
        define(0x20, "I2SPR", 2).field(0, 8, "I2SDIV", Access.RW).bit(8, "ODD", Access.RW).bit(9, "MCKOE", Access.RW);
    }

    @Override
    public void attach(SpiTarget target) {
        targets.add(target);
    }

    private void controlWritten(int written, int previous) {
        if (srAccessed) { // MODF clears on an SR access followed by a CR1 write (RM0090 28.4.8)
            modf.clear();
            srAccessed = false;
        }
        if (mstr.isSet() && ssm.isSet() && !ssi.isSet()) {
            // NSS (internally SSI) low in master mode is a mode fault: SPE and MSTR are cleared
            modf.set();
            spe.clear();
            mstr.clear();
        }
        if (spe.isSet() && !mstr.isSet()) {
            logOnce("slave mode is not modelled");
        }
        if (spe.isSet() && (rxOnly.isSet() || bidiMode.isSet())) {
            logOnce("CR1: receive-only and bidirectional modes are not modelled (full duplex is used)");
        }
        if (crcEn.isSet() && !crcEn.in(previous)) {
            rxcrcr.set(0); // enabling CRCEN clears both CRC registers (RM0090 28.4.7)
            txcrcr.set(0);
        }
        if (!spe.isSet()) {
            events.cancel(wordDone);
            bsy.clear();
        }
        startIfReady();
        update();
    }

    private void statusRead() {
        srAccessed = true;
        if (drReadAfterOvr) { // OVR clears on reading DR then SR (RM0090 28.4.8)
            ovr.clear();
            drReadAfterOvr = false;
            update();
        }
    }

    private void dataWritten(int value) {
        txBuffer = dff.isSet() ? value : value & 0xFF;
        txFull = true;
        txe.clear();
        startIfReady();
        update();
    }

    private void dataRead() {
        if (ovr.isSet()) {
            drReadAfterOvr = true;
        }
        rxne.clear();
        update();
    }

    private int bits() {
        return dff.isSet() ? 16 : 8;
    }

    /** One bit time at f_PCLK / 2^(BR+1), in nanoseconds times bits, rounded up. */
    long wordNanos() {
        long divider = 2L << br.get();
        long hz = clocks.frequency(domain);
        return (bits() * divider * 1_000_000_000L + hz - 1) / hz;
    }

    private void startIfReady() {
        if (wordDone.isScheduled() || !spe.isSet() || !mstr.isSet()) {
            return;
        }
        if (txFull) {
            shifting = txBuffer;
            shiftingCrc = false;
            txFull = false;
            txe.set();
        } else {
            return;
        }
        bsy.set();
        events.scheduleIn(wordDone, wordNanos());
    }

    private void wordDone(long when) {
        int bits = bits();
        int mask = (1 << bits) - 1;
        boolean idleHigh = cpol.isSet(), secondEdge = cpha.isSet(), lsb = lsbFirst.isSet();
        int miso = loopback ? shifting : mask;
        for (int i = 0; i < targets.size(); i++) {
            miso &= targets.get(i).exchange(shifting, bits, idleHigh, secondEdge, lsb);
        }
        miso &= mask;
        if (shiftingCrc) {
            if (miso != (rxcrcr.get() & mask)) { // received CRC differs from the computed one (RM0090 28.4.7)
                crcErr.set();
            }
        } else {
            if (crcEn.isSet()) {
                txcrcr.set(crc(txcrcr.get(), shifting, bits));
                rxcrcr.set(crc(rxcrcr.get(), miso, bits));
            }
            if (rxne.isSet()) {
                ovr.set(); // DR keeps the unread word; this one is lost (RM0090 28.4.8)
            } else {
                rxBuffer = miso;
                rxne.set();
            }
        }
        bsy.clear();
        if (!shiftingCrc && crcNext.isSet() && crcEn.isSet() && !txFull) {
            // the CRC goes out right after the last data word (RM0090 28.4.7)
            crcNext.clear();
            shifting = txcrcr.get() & mask;
            shiftingCrc = true;
            bsy.set();
            events.scheduleIn(wordDone, wordNanos());
        } else {
            startIfReady();
        }
        update();
    }

    /** CRC over one word, MSB first, polynomial CRCPR (RM0090 28.4.7). */
    private int crc(int crc, int word, int bits) {
        int poly = crcpr.get() & 0xFFFF;
        int top = 1 << (bits - 1);
        int mask = (1 << bits) - 1;
        for (int i = bits - 1; i >= 0; i--) {
            boolean feedback = ((crc & top) != 0) ^ (((word >>> i) & 1) != 0);
            crc = (crc << 1) & mask;
            if (feedback) {
                crc ^= poly & mask;
            }
        }
        return crc;
    }

    private void update() {
        irq.set(interruptLevel());
    }

    boolean interruptLevel() {
        return txe.isSet() && txeie.isSet()
                || rxne.isSet() && rxneie.isSet()
                || (crcErr.isSet() || modf.isSet() || ovr.isSet()) && errie.isSet();
    }

    @Override
    public void reset() {
        super.reset();
        events.cancel(wordDone);
        txBuffer = 0;
        txFull = false;
        rxBuffer = 0;
        shiftingCrc = false;
        srAccessed = false;
        drReadAfterOvr = false;
        irq.set(false);
    }

    /** {@code stm32f4-spi}: properties {@code clock: APB1|APB2} (default APB1), {@code loopback: true}. */
    public static final class Type implements DeviceType {
        @Override
        public String type() {
            return "stm32f4-spi";
        }

        @Override
        public String description() {
            return "STM32F4 SPI (RM0090 28), full-duplex master, timed at its bit rate; loopback: true wires MOSI"
                    + " to MISO";
        }

        @Override
        public Object create(DeviceContext c) throws MachineException {
            return new Stm32Spi(c.name(), c.size(), Stm32Clocks.of(c), Stm32Usart.Type.domain(c),
                    c.irq(0, "SPI global"), c.events(), c.flag("loopback", false));
        }
    }
}
