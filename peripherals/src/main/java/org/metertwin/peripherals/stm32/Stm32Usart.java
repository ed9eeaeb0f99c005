package org.metertwin.peripherals.stm32;

import java.io.IOException;
import java.io.OutputStream;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Field;
import org.metertwin.core.registers.Flag;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.serial.SerialSink;
import org.metertwin.core.signal.InterruptLine;
import org.metertwin.core.time.Event;
import org.metertwin.core.time.EventQueue;

/**
 * STM32F4 USART/UART (RM0090 section 30) in asynchronous mode, timed in virtual time.
 *
 * <p>Transmitter: DR is the TDR; a character written while the shift register is idle moves there at
 * once (TXE sets again) and occupies the line for {@link SerialFormat#frameNanos()}; at the end of its stop
 * bit it goes to the connected {@link SerialSink} and either the next TDR character starts or TC sets.
 *
 * <p>Receiver: {@link #receiver()} takes characters at the end of their stop bit. The receiver samples the
 * sender's waveform (start bit, data LSB first, parity, stop bits, then idle-high line) at the centres of
 * its own bit times, as a 16x oversampling receiver does: with matching formats that yields the character;
 * with a different baud rate, word length or parity it yields what the wire would give (usually garbage
 * data with FE and/or PE). A character arriving while RXNE is set is lost and sets ORE (RM0090 30.6.1).
 * Not modelled: synchronous, smartcard, IrDA, LIN, half-duplex, hardware flow control, DMA, noise (NF).
 */
public final class Stm32Usart extends RegisterDevice implements SerialPort {
    private final Stm32Clocks clocks;
    private final Stm32Clocks.Domain domain;
    private final InterruptLine irq;
    private final EventQueue events;
    private final Event txDone;
    private final Event idleDetect;
    private final SerialSink defaultSink;
    private SerialSink transmitter;

    private final Register sr;
    private final Register brr;
    private final Register cr1;
    // SR (RM0090 30.6.1)
    private final Flag pe, fe, nf, ore, idle, rxne, tc, txe;
    /** The flags a read of SR then DR clears. */
    private final int errors;
    // CR1 (RM0090 30.6.4)
    private final Flag sbk, rwu, re, te, idleie, rxneie, tcie, txeie, peie, ps, pce, m, ue, over8;
    private final Field stop;
    private final Flag eie, dmar;

    /** The TDR's content and whether TDR holds a character not yet moved to the shift register. */
    private int tdr;
    private boolean tdrFull;
    /** The character on the line and its format, while the shift register is busy. */
    private int shifting;
    private SerialFormat shiftingFormat;
    private int rdr;
    /** SR flags seen by the last SR read: the first half of the read-SR-then-DR clearing sequence. */
    private int srSeen;
    private boolean srReadBeforeDr;
    /** IDLE may set once after each received character (RM0090: not again until RXNE has been set). */
    private boolean idleArmed;

    public Stm32Usart(String name, int size, Stm32Clocks clocks, Stm32Clocks.Domain domain, InterruptLine irq,
            EventQueue events, OutputStream console) {
        super(name, size);
        this.clocks = clocks;
        this.domain = domain;
        this.irq = irq;
        this.events = events;
        this.txDone = events.event(name + " tx", this::frameSent);
        this.idleDetect = events.event(name + " idle", this::lineIdle);
        this.defaultSink = console == null ? SerialSink.NONE : (data, format) -> {
            try {
                console.write(data & 0xFF);
                console.flush();
            } catch (IOException e) {
                logOnce("console write failed: " + e.getMessage());
            }
        };
        this.transmitter = defaultSink;

        sr = define(0x00, "SR");
        pe = sr.flag(0, "PE", Access.R);
        fe = sr.flag(1, "FE", Access.R);
        nf = sr.flag(2, "NF", Access.R);
        ore = sr.flag(3, "ORE", Access.R);
        idle = sr.flag(4, "IDLE", Access.R);
        rxne = sr.flag(5, "RXNE", Access.RC_W0);
        tc = sr.flag(6, "TC", Access.RC_W0, true);
        txe = sr.flag(7, "TXE", Access.R, true);
        sr.bit(8, "LBD", Access.RC_W0).bit(9, "CTS", Access.RC_W0)
                .onRead(this::statusRead)
                .onWrite((w, p) -> update());
        errors = pe.mask() | fe.mask() | nf.mask() | ore.mask() | idle.mask();
        define(0x04, "DR").field(0, 9, "DR", Access.RW)
                .readAs(() -> rdr)
                .onRead(this::dataRead)
                .onWrite((w, p) -> dataWritten(w & 0x1FF));
        brr = define(0x08, "BRR").field(0, 4, "DIV_Fraction", Access.RW).field(4, 12, "DIV_Mantissa", Access.RW);
        cr1 = define(0x0C, "CR1");
        sbk = cr1.flag(0, "SBK");
        rwu = cr1.flag(1, "RWU");
        re = cr1.flag(2, "RE");
        te = cr1.flag(3, "TE");
        idleie = cr1.flag(4, "IDLEIE");
        rxneie = cr1.flag(5, "RXNEIE");
        tcie = cr1.flag(6, "TCIE");
        txeie = cr1.flag(7, "TXEIE");
        peie = cr1.flag(8, "PEIE");
        ps = cr1.flag(9, "PS");
        pce = cr1.flag(10, "PCE");
        cr1.bit(11, "WAKE", Access.RW);
        m = cr1.flag(12, "M");
        ue = cr1.flag(13, "UE");
        over8 = cr1.flag(15, "OVER8");
        cr1.onWrite((w, p) -> controlWritten(w));
        Register cr2 = define(0x10, "CR2").field(0, 4, "ADD", Access.RW).bit(5, "LBDL", Access.RW)
                .bit(6, "LBDIE", Access.RW).bit(8, "LBCL", Access.RW).bit(9, "CPHA", Access.RW)
                .bit(10, "CPOL", Access.RW).tagged(11, 1, "CLKEN").tagged(14, 1, "LINEN"); // synchronous, LIN
        stop = cr2.valueField(12, 2, "STOP");
        Register cr3 = define(0x14, "CR3");
        eie = cr3.flag(0, "EIE");
        dmar = cr3.flag(6, "DMAR");
        // IrDA, half-duplex, smartcard, DMA transmit and flow control
        cr3.tagged(1, 1, "IREN").tagged(2, 1, "IRLP").tagged(3, 1, "HDSEL").tagged(4, 1, "NACK")
                .tagged(5, 1, "SCEN").tagged(7, 1, "DMAT").tagged(8, 1, "RTSE").tagged(9, 1, "CTSE")
                .bit(10, "CTSIE", Access.RW).bit(11, "ONEBIT", Access.RW)
                .onWrite((w, p) -> update());
        define(0x18, "GTPR", 0).field(0, 8, "PSC", Access.RW).field(8, 8, "GT", Access.RW);
    }

    // ---- SerialPort ----

    @Override
    public void connectTransmitter(SerialSink sink) {
        transmitter = sink == null ? defaultSink : sink;
    }

    @Override
    public SerialSink receiver() {
        return this::characterArrived;
    }

    /** The format the registers select now: baud from BRR and the APB clock, M, PCE/PS, STOP. */
    @Override
    public SerialFormat format() {
        int word = m.isSet() ? 9 : 8;
        boolean parity = pce.isSet();
        SerialFormat.Parity p = !parity ? SerialFormat.Parity.NONE
                : ps.isSet() ? SerialFormat.Parity.ODD : SerialFormat.Parity.EVEN;
        int stopHalf = switch (stop.get()) {
            case 0 -> 2;
            case 1 -> 1;
            case 2 -> 4;
            default -> 3;
        };
        return new SerialFormat(baud(), parity ? word - 1 : word, p, stopHalf);
    }

    /** baud = f_ck / (8 * (2 - OVER8) * USARTDIV) (RM0090 30.3.4); with OVER8, BRR[3] is not used. */
    long baud() {
        int b = brr.get() & 0xFFFF;
        long divisor = over8.isSet() ? 8L * (b >>> 4) + (b & 7) : b;
        if (divisor == 0) {
            logOnce("BRR is 0 (no valid baud rate); using USARTDIV = 1");
            divisor = over8.isSet() ? 8 : 16;
        }
        return Math.max(1, (clocks.frequency(domain) + divisor / 2) / divisor);
    }

    @Override
    public boolean canReceive() {
        return ue.isSet() && re.isSet() && !rxne.isSet();
    }

    @Override
    public String toString() {
        return name() + " " + format();
    }

    private void statusRead() {
        srSeen = sr.get();
        srReadBeforeDr = true;
    }

    private void controlWritten(int written) {
        if (sbk.in(written) || rwu.in(written)) {
            logOnce("CR1: send break and mute mode are not modelled");
            sbk.clear();
        }
        startIfReady();
        update();
    }

    /** A frame time of idle line after a character (RM0090 30.6.1, IDLE). */
    private void lineIdle(long when) {
        if (idleArmed) {
            idleArmed = false;
            idle.set();
            update();
        }
    }

    // ---- transmitter ----

    private void dataWritten(int value) {
        tdr = value;
        tdrFull = true;
        txe.clear();
        if (srReadBeforeDr && tc.in(srSeen)) { // TC clears on reading SR then writing DR (RM0090 30.6.1)
            tc.clear();
        }
        srReadBeforeDr = false;
        startIfReady();
        update();
    }

    /** Moves TDR to the shift register when the transmitter is enabled and idle. */
    private void startIfReady() {
        if (!tdrFull || txDone.isScheduled() || !ue.isSet() || !te.isSet()) {
            return;
        }
        SerialFormat f = format();
        int wordBits = m.isSet() ? 9 : 8;
        shifting = tdr & ((1 << wordBits) - 1);
        if (pce.isSet()) { // the hardware puts the parity bit in the word's MSB
            shifting &= (1 << (wordBits - 1)) - 1;
        }
        shiftingFormat = f;
        tdrFull = false;
        txe.set();
        events.scheduleIn(txDone, f.frameNanos());
    }

    private void frameSent(long when) {
        transmitter.receive(shifting, shiftingFormat);
        if (tdrFull && ue.isSet() && te.isSet()) {
            startIfReady();
        } else {
            tc.set();
        }
        update();
    }

    // ---- receiver ----

    private void characterArrived(int data, SerialFormat sent) {
        if (!ue.isSet() || !re.isSet()) {
            return;
        }
        SerialFormat own = format();
        if (rxne.isSet()) {
            ore.set(); // RDR keeps its character; the new one is lost (RM0090 30.6.1, ORE)
        } else {
            int word = m.isSet() ? 9 : 8;
            Sampled s = sample(data, sent == null ? own : sent, own, word);
            rdr = s.word;
            int flags = rxne.mask() | (s.framingError ? fe.mask() : 0);
            if (pce.isSet() && parityWrong(s.word, word, ps.isSet())) {
                flags |= pe.mask();
            }
            sr.setBits(flags);
            idleArmed = true;
        }
        events.scheduleIn(idleDetect, own.frameNanos());
        update();
    }

    /** What the receiver read: the data word (with the parity bit as its MSB when PCE) and a bad stop bit. */
    record Sampled(int word, boolean framingError) {
    }

    /**
     * Samples the sender's frame at the receiver's bit centres. Times are in units of 1/(baudS*baudR)
     * seconds so that the arithmetic is exact; after the sender's stop bits the line is idle (high).
     */
    static Sampled sample(int data, SerialFormat sent, SerialFormat own, int wordBits) {
        int sentParity = sent.parity() == SerialFormat.Parity.NONE ? 0 : 1;
        int sentDataBits = sent.dataBits();
        long bs = sent.baud(), br = own.baud();
        int word = 0;
        for (int i = 0; i <= wordBits; i++) { // wordBits data/parity bits, then the first stop bit
            // centre of receiver bit i+1 (bit 0 is the start bit), measured from the start edge
            long t2 = (2L * (i + 1) + 1) * bs; // twice the time, in units of 1/(bs*br)
            long senderBit = t2 / (2 * br); // index of the sender's bit at that moment (0 = start)
            int level = senderLevel(data, sentDataBits, sentParity, sent.parity(), senderBit);
            if (i < wordBits) {
                word |= level << i;
            } else {
                return new Sampled(word, level == 0);
            }
        }
        throw new AssertionError();
    }

    private static int senderLevel(int data, int dataBits, int parityBits, SerialFormat.Parity parity, long bit) {
        if (bit == 0) {
            return 0; // start bit
        }
        if (bit <= dataBits) {
            return (data >>> (bit - 1)) & 1;
        }
        if (parityBits == 1 && bit == dataBits + 1) {
            int ones = Integer.bitCount(data & ((1 << dataBits) - 1));
            return parity == SerialFormat.Parity.EVEN ? ones & 1 : (ones & 1) ^ 1;
        }
        return 1; // stop bits, then the idle line
    }

    private static boolean parityWrong(int word, int wordBits, boolean odd) {
        int ones = Integer.bitCount(word & ((1 << wordBits) - 1));
        return odd ? (ones & 1) == 0 : (ones & 1) != 0;
    }

    private void dataRead() {
        if (srReadBeforeDr) { // PE, FE, NF, ORE and IDLE clear on reading SR then DR (RM0090 30.6.1)
            sr.clearBits(srSeen & errors);
        }
        srReadBeforeDr = false;
        rxne.clear();
        update();
    }

    // ---- interrupt ----

    private void update() {
        irq.set(interruptLevel());
    }

    /** One line for every source: high while any enabled condition holds (RM0090 30.4, figure 320). */
    boolean interruptLevel() {
        return txe.isSet() && txeie.isSet()
                || tc.isSet() && tcie.isSet()
                || (rxne.isSet() || ore.isSet()) && rxneie.isSet()
                || idle.isSet() && idleie.isSet()
                || pe.isSet() && peie.isSet()
                || (fe.isSet() || ore.isSet() || nf.isSet()) && eie.isSet() && dmar.isSet();
    }

    @Override
    public void reset() {
        super.reset();
        events.cancel(txDone);
        events.cancel(idleDetect);
        tdr = 0;
        tdrFull = false;
        rdr = 0;
        srSeen = 0;
        srReadBeforeDr = false;
        idleArmed = false;
        irq.set(false);
    }

    /** {@code stm32f4-usart}: properties {@code clock: APB1|APB2} (default APB1), {@code console: true}. */
    public static final class Type implements DeviceType {
        @Override
        public String type() {
            return "stm32f4-usart";
        }

        @Override
        public String description() {
            return "STM32F4 USART/UART (RM0090 30), asynchronous mode, timed at its baud rate";
        }

        @Override
        public Object create(DeviceContext c) throws MachineException {
            boolean console = c.flag("console", false);
            return new Stm32Usart(c.name(), c.size(), Stm32Clocks.of(c), domain(c), c.irq(0, "USART global"),
                    c.events(), console ? c.console() : null);
        }

        /** The {@code clock} property of an APB peripheral: which bus clock feeds it (default APB1). */
        static Stm32Clocks.Domain domain(DeviceContext c) throws MachineException {
            String clock = c.string("clock", "APB1");
            return switch (clock) {
                case "APB1" -> Stm32Clocks.Domain.APB1;
                case "APB2" -> Stm32Clocks.Domain.APB2;
                default -> throw c.error("properties.clock", "expected APB1 or APB2, got '" + clock + "'");
            };
        }
    }
}
