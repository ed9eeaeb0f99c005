package org.metertwin.peripherals.stm32;

import java.io.IOException;
import java.io.OutputStream;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
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
    // SR bits (RM0090 30.6.1)
    static final int PE = 1, FE = 1 << 1, NF = 1 << 2, ORE = 1 << 3, IDLE = 1 << 4, RXNE = 1 << 5, TC = 1 << 6,
            TXE = 1 << 7, LBD = 1 << 8, CTS = 1 << 9;
    // CR1 bits (RM0090 30.6.4)
    static final int SBK = 1, RWU = 1 << 1, RE = 1 << 2, TE = 1 << 3, IDLEIE = 1 << 4, RXNEIE = 1 << 5,
            TCIE = 1 << 6, TXEIE = 1 << 7, PEIE = 1 << 8, PS = 1 << 9, PCE = 1 << 10, WAKE = 1 << 11, M = 1 << 12,
            UE = 1 << 13, OVER8 = 1 << 15;
    private static final int EIE = 1, DMAR = 1 << 6;
    private static final int ERRORS = PE | FE | NF | ORE | IDLE;

    private final Stm32Clocks clocks;
    private final Stm32Clocks.Domain domain;
    private final InterruptLine irq;
    private final EventQueue events;
    private final Event txDone;
    private final Event idleDetect;
    private final SerialSink defaultSink;
    private SerialSink transmitter;

    private final Register sr;
    private final Register dr;
    private final Register brr;
    private final Register cr1;
    private final Register cr2;
    private final Register cr3;

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

        sr = define(0x00, "SR", TXE | TC)
                .bit(0, "PE", Access.R).bit(1, "FE", Access.R).bit(2, "NF", Access.R).bit(3, "ORE", Access.R)
                .bit(4, "IDLE", Access.R).bit(5, "RXNE", Access.RC_W0).bit(6, "TC", Access.RC_W0)
                .bit(7, "TXE", Access.R).bit(8, "LBD", Access.RC_W0).bit(9, "CTS", Access.RC_W0)
                .onRead(this::statusRead)
                .onWrite((w, p) -> update());
        dr = define(0x04, "DR", 0).field(0, 9, "DR", Access.RW)
                .readAs(() -> rdr)
                .onRead(this::dataRead)
                .onWrite((w, p) -> dataWritten(w & 0x1FF));
        brr = define(0x08, "BRR", 0).field(0, 4, "DIV_Fraction", Access.RW).field(4, 12, "DIV_Mantissa", Access.RW);
        cr1 = define(0x0C, "CR1", 0)
                .bit(0, "SBK", Access.RW).bit(1, "RWU", Access.RW).bit(2, "RE", Access.RW).bit(3, "TE", Access.RW)
                .bit(4, "IDLEIE", Access.RW).bit(5, "RXNEIE", Access.RW).bit(6, "TCIE", Access.RW)
                .bit(7, "TXEIE", Access.RW).bit(8, "PEIE", Access.RW).bit(9, "PS", Access.RW)
                .bit(10, "PCE", Access.RW).bit(11, "WAKE", Access.RW).bit(12, "M", Access.RW)
                .bit(13, "UE", Access.RW).bit(15, "OVER8", Access.RW)
                .onWrite((w, p) -> controlWritten(w));
        cr2 = define(0x10, "CR2", 0).field(0, 4, "ADD", Access.RW).bit(5, "LBDL", Access.RW)
                .bit(6, "LBDIE", Access.RW).bit(8, "LBCL", Access.RW).bit(9, "CPHA", Access.RW)
                .bit(10, "CPOL", Access.RW).bit(11, "CLKEN", Access.RW).field(12, 2, "STOP", Access.RW)
                .bit(14, "LINEN", Access.RW)
                .onWrite((w, p) -> {
                    if ((w & ((1 << 11) | (1 << 14))) != 0) {
                        logOnce("CR2: synchronous (CLKEN) and LIN modes are not modelled");
                    }
                });
        cr3 = define(0x14, "CR3", 0).bit(0, "EIE", Access.RW).bit(1, "IREN", Access.RW).bit(2, "IRLP", Access.RW)
                .bit(3, "HDSEL", Access.RW).bit(4, "NACK", Access.RW).bit(5, "SCEN", Access.RW)
                .bit(6, "DMAR", Access.RW).bit(7, "DMAT", Access.RW).bit(8, "RTSE", Access.RW)
                .bit(9, "CTSE", Access.RW).bit(10, "CTSIE", Access.RW).bit(11, "ONEBIT", Access.RW)
                .onWrite((w, p) -> {
                    if ((w & 0x3BE) != 0) {
                        logOnce("CR3: IrDA, half-duplex, smartcard, DMA and flow control are not modelled");
                    }
                    update();
                });
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
        int c1 = cr1.get();
        int word = (c1 & M) != 0 ? 9 : 8;
        boolean parity = (c1 & PCE) != 0;
        SerialFormat.Parity p = !parity ? SerialFormat.Parity.NONE
                : (c1 & PS) != 0 ? SerialFormat.Parity.ODD : SerialFormat.Parity.EVEN;
        int stopHalf = switch ((cr2.get() >>> 12) & 3) {
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
        long divisor = (cr1.get() & OVER8) != 0 ? 8L * (b >>> 4) + (b & 7) : b;
        if (divisor == 0) {
            logOnce("BRR is 0 (no valid baud rate); using USARTDIV = 1");
            divisor = (cr1.get() & OVER8) != 0 ? 8 : 16;
        }
        return Math.max(1, (clocks.frequency(domain) + divisor / 2) / divisor);
    }

    @Override
    public boolean canReceive() {
        int c1 = cr1.get();
        return (c1 & UE) != 0 && (c1 & RE) != 0 && (sr.get() & RXNE) == 0;
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
        if ((written & (SBK | RWU)) != 0) {
            logOnce("CR1: send break and mute mode are not modelled");
            cr1.clearBits(SBK);
        }
        startIfReady();
        update();
    }

    /** A frame time of idle line after a character (RM0090 30.6.1, IDLE). */
    private void lineIdle(long when) {
        if (idleArmed) {
            idleArmed = false;
            sr.setBits(IDLE);
            update();
        }
    }

    // ---- transmitter ----

    private void dataWritten(int value) {
        tdr = value;
        tdrFull = true;
        sr.clearBits(TXE);
        if (srReadBeforeDr) { // TC clears on reading SR then writing DR (RM0090 30.6.1)
            sr.clearBits(TC & srSeen);
        }
        srReadBeforeDr = false;
        startIfReady();
        update();
    }

    /** Moves TDR to the shift register when the transmitter is enabled and idle. */
    private void startIfReady() {
        int c1 = cr1.get();
        if (!tdrFull || txDone.isScheduled() || (c1 & UE) == 0 || (c1 & TE) == 0) {
            return;
        }
        SerialFormat f = format();
        int wordBits = (c1 & M) != 0 ? 9 : 8;
        shifting = tdr & ((1 << wordBits) - 1);
        if ((c1 & PCE) != 0) { // the hardware puts the parity bit in the word's MSB
            shifting &= (1 << (wordBits - 1)) - 1;
        }
        shiftingFormat = f;
        tdrFull = false;
        sr.setBits(TXE);
        events.scheduleIn(txDone, f.frameNanos());
    }

    private void frameSent(long when) {
        transmitter.receive(shifting, shiftingFormat);
        if (tdrFull && (cr1.get() & (UE | TE)) == (UE | TE)) {
            startIfReady();
        } else {
            sr.setBits(TC);
        }
        update();
    }

    // ---- receiver ----

    private void characterArrived(int data, SerialFormat sent) {
        int c1 = cr1.get();
        if ((c1 & UE) == 0 || (c1 & RE) == 0) {
            return;
        }
        SerialFormat own = format();
        if ((sr.get() & RXNE) != 0) {
            sr.setBits(ORE); // RDR keeps its character; the new one is lost (RM0090 30.6.1, ORE)
        } else {
            int word = (c1 & M) != 0 ? 9 : 8;
            Sampled s = sample(data, sent == null ? own : sent, own, word);
            rdr = s.word;
            int flags = RXNE | (s.framingError ? FE : 0);
            if ((c1 & PCE) != 0 && parityWrong(s.word, word, (c1 & PS) != 0)) {
                flags |= PE;
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
            sr.clearBits(srSeen & ERRORS);
        }
        srReadBeforeDr = false;
        sr.clearBits(RXNE);
        update();
    }

    // ---- interrupt ----

    private void update() {
        irq.set(interruptLevel());
    }

    /** One line for every source: high while any enabled condition holds (RM0090 30.4, figure 320). */
    boolean interruptLevel() {
        int s = sr.get();
        int c1 = cr1.get();
        int c3 = cr3.get();
        return (s & TXE) != 0 && (c1 & TXEIE) != 0
                || (s & TC) != 0 && (c1 & TCIE) != 0
                || (s & (RXNE | ORE)) != 0 && (c1 & RXNEIE) != 0
                || (s & IDLE) != 0 && (c1 & IDLEIE) != 0
                || (s & PE) != 0 && (c1 & PEIE) != 0
                || (s & (FE | ORE | NF)) != 0 && (c3 & (EIE | DMAR)) == (EIE | DMAR);
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
