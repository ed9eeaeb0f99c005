package org.metertwin.peripherals.stm32;

import java.util.ArrayList;
import java.util.List;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
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
    // CR1 (RM0090 28.5.1)
    static final int CPHA = 1, CPOL = 1 << 1, MSTR = 1 << 2, SPE = 1 << 6, LSBFIRST = 1 << 7, SSI = 1 << 8,
            SSM = 1 << 9, RXONLY = 1 << 10, DFF = 1 << 11, CRCNEXT = 1 << 12, CRCEN = 1 << 13, BIDIMODE = 1 << 15;
    // CR2 (RM0090 28.5.2)
    static final int ERRIE = 1 << 5, RXNEIE = 1 << 6, TXEIE = 1 << 7;
    // SR (RM0090 28.5.3)
    static final int RXNE = 1, TXE = 1 << 1, CRCERR = 1 << 4, MODF = 1 << 5, OVR = 1 << 6, BSY = 1 << 7;

    private final Stm32Clocks clocks;
    private final Stm32Clocks.Domain domain;
    private final InterruptLine irq;
    private final EventQueue events;
    private final boolean loopback;
    private final List<SpiTarget> targets = new ArrayList<>();
    private final Event wordDone;

    private final Register cr1;
    private final Register cr2;
    private final Register sr;
    private final Register crcpr;
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
        cr1 = define(0x00, "CR1", 0).bit(0, "CPHA", Access.RW).bit(1, "CPOL", Access.RW).bit(2, "MSTR", Access.RW)
                .field(3, 3, "BR", Access.RW).bit(6, "SPE", Access.RW).bit(7, "LSBFIRST", Access.RW)
                .bit(8, "SSI", Access.RW).bit(9, "SSM", Access.RW).bit(10, "RXONLY", Access.RW)
                .bit(11, "DFF", Access.RW).bit(12, "CRCNEXT", Access.RW).bit(13, "CRCEN", Access.RW)
                .bit(14, "BIDIOE", Access.RW).bit(15, "BIDIMODE", Access.RW)
                .onWrite(this::controlWritten);
        cr2 = define(0x04, "CR2", 0).bit(0, "RXDMAEN", Access.RW).bit(1, "TXDMAEN", Access.RW)
                .bit(2, "SSOE", Access.RW).bit(4, "FRF", Access.RW).bit(5, "ERRIE", Access.RW)
                .bit(6, "RXNEIE", Access.RW).bit(7, "TXEIE", Access.RW)
                .onWrite((w, p) -> {
                    if ((w & 0x13) != 0) {
                        logOnce("CR2: DMA and the TI frame format are not modelled");
                    }
                    update();
                });
        sr = define(0x08, "SR", TXE).bit(0, "RXNE", Access.R).bit(1, "TXE", Access.R).bit(2, "CHSIDE", Access.R)
                .bit(3, "UDR", Access.R).bit(4, "CRCERR", Access.RC_W0).bit(5, "MODF", Access.R)
                .bit(6, "OVR", Access.R).bit(7, "BSY", Access.R).bit(8, "FRE", Access.R)
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
                .field(8, 2, "I2SCFG", Access.RW).bit(10, "I2SE", Access.RW).bit(11, "I2SMOD", Access.RW)
                .onWrite((w, p) -> {
                    if ((w & (1 << 11)) != 0) {
                        logOnce("I2SCFGR: I2S mode is not modelled (registers are stored)");
                    }
                });
        define(0x20, "I2SPR", 2).field(0, 8, "I2SDIV", Access.RW).bit(8, "ODD", Access.RW).bit(9, "MCKOE", Access.RW);
    }

    @Override
    public void attach(SpiTarget target) {
        targets.add(target);
    }

    private void controlWritten(int written, int previous) {
        if (srAccessed) { // MODF clears on an SR access followed by a CR1 write (RM0090 28.4.8)
            sr.clearBits(MODF);
            srAccessed = false;
        }
        int c = cr1.get();
        if ((c & (MSTR | SSM | SSI)) == (MSTR | SSM)) {
            // NSS (internally SSI) low in master mode is a mode fault: SPE and MSTR are cleared
            sr.setBits(MODF);
            cr1.clearBits(SPE | MSTR);
            c = cr1.get();
        }
        if ((c & SPE) != 0 && (c & MSTR) == 0) {
            logOnce("slave mode is not modelled");
        }
        if ((c & SPE) != 0 && ((c & RXONLY) != 0 || (c & BIDIMODE) != 0)) {
            logOnce("CR1: receive-only and bidirectional modes are not modelled (full duplex is used)");
        }
        if ((c & CRCEN) != 0 && (previous & CRCEN) == 0) {
            rxcrcr.set(0); // enabling CRCEN clears both CRC registers (RM0090 28.4.7)
            txcrcr.set(0);
        }
        if ((c & SPE) == 0) {
            events.cancel(wordDone);
            sr.clearBits(BSY);
        }
        startIfReady();
        update();
    }

    private void statusRead() {
        srAccessed = true;
        if (drReadAfterOvr) { // OVR clears on reading DR then SR (RM0090 28.4.8)
            sr.clearBits(OVR);
            drReadAfterOvr = false;
            update();
        }
    }

    private void dataWritten(int value) {
        txBuffer = (cr1.get() & DFF) != 0 ? value : value & 0xFF;
        txFull = true;
        sr.clearBits(TXE);
        startIfReady();
        update();
    }

    private void dataRead() {
        if ((sr.get() & OVR) != 0) {
            drReadAfterOvr = true;
        }
        sr.clearBits(RXNE);
        update();
    }

    private int bits() {
        return (cr1.get() & DFF) != 0 ? 16 : 8;
    }

    /** One bit time at f_PCLK / 2^(BR+1), in nanoseconds times bits, rounded up. */
    long wordNanos() {
        long divider = 2L << ((cr1.get() >>> 3) & 7);
        long hz = clocks.frequency(domain);
        return (bits() * divider * 1_000_000_000L + hz - 1) / hz;
    }

    private void startIfReady() {
        int c = cr1.get();
        if (wordDone.isScheduled() || (c & (SPE | MSTR)) != (SPE | MSTR)) {
            return;
        }
        if (txFull) {
            shifting = txBuffer;
            shiftingCrc = false;
            txFull = false;
            sr.setBits(TXE);
        } else {
            return;
        }
        sr.setBits(BSY);
        events.scheduleIn(wordDone, wordNanos());
    }

    private void wordDone(long when) {
        int c = cr1.get();
        int bits = bits();
        int mask = (1 << bits) - 1;
        boolean cpol = (c & CPOL) != 0, cpha = (c & CPHA) != 0, lsb = (c & LSBFIRST) != 0;
        int miso = loopback ? shifting : mask;
        for (int i = 0; i < targets.size(); i++) {
            miso &= targets.get(i).exchange(shifting, bits, cpol, cpha, lsb);
        }
        miso &= mask;
        if (shiftingCrc) {
            if (miso != (rxcrcr.get() & mask)) { // received CRC differs from the computed one (RM0090 28.4.7)
                sr.setBits(CRCERR);
            }
        } else {
            if ((c & CRCEN) != 0) {
                txcrcr.set(crc(txcrcr.get(), shifting, bits));
                rxcrcr.set(crc(rxcrcr.get(), miso, bits));
            }
            if ((sr.get() & RXNE) != 0) {
                sr.setBits(OVR); // DR keeps the unread word; this one is lost (RM0090 28.4.8)
            } else {
                rxBuffer = miso;
                sr.setBits(RXNE);
            }
        }
        sr.clearBits(BSY);
        if (!shiftingCrc && (c & CRCNEXT) != 0 && (c & CRCEN) != 0 && !txFull) {
            // the CRC goes out right after the last data word (RM0090 28.4.7)
            cr1.clearBits(CRCNEXT);
            shifting = txcrcr.get() & mask;
            shiftingCrc = true;
            sr.setBits(BSY);
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
        int s = sr.get();
        int c2 = cr2.get();
        return (s & TXE) != 0 && (c2 & TXEIE) != 0
                || (s & RXNE) != 0 && (c2 & RXNEIE) != 0
                || (s & (CRCERR | MODF | OVR)) != 0 && (c2 & ERRIE) != 0;
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
