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
import org.metertwin.peripherals.i2c.I2cBus;
import org.metertwin.peripherals.i2c.I2cTarget;

/**
 * STM32F4 I2C (RM0090 section 27) as a master transmitter and receiver with 7-bit addresses (RM0090
 * 27.3.3), timed in virtual time: a START or STOP takes one SCL period, the address and each byte nine,
 * where the SCL period follows CCR, DUTY and F/S with the APB1 clock (RM0090 27.6.8). An address no
 * attached {@link I2cTarget} acknowledges sets AF, as does a data byte the target does not acknowledge;
 * the master then holds the bus until software sets STOP or START. Clock stretching: a byte received while
 * DR is full waits in the shift register with BTF set, and the bus stalls until DR is read.
 * Not modelled: slave mode, 10-bit addresses, SMBus, PEC, DMA, bus errors and arbitration loss.
 */
public final class Stm32I2c extends RegisterDevice implements I2cBus {
    // CR1 (RM0090 27.6.1)
    static final int PE = 1, START = 1 << 8, STOP = 1 << 9, ACK = 1 << 10, POS = 1 << 11, SWRST = 1 << 15;
    // CR2 (RM0090 27.6.2)
    static final int ITERREN = 1 << 8, ITEVTEN = 1 << 9, ITBUFEN = 1 << 10;
    // SR1 (RM0090 27.6.6)
    static final int SB = 1, ADDR = 1 << 1, BTF = 1 << 2, ADD10 = 1 << 3, STOPF = 1 << 4, RXNE = 1 << 6,
            TXE = 1 << 7, BERR = 1 << 8, ARLO = 1 << 9, AF = 1 << 10, OVR = 1 << 11, PECERR = 1 << 12,
            TIMEOUT = 1 << 14, SMBALERT = 1 << 15;
    private static final int ERRORS = BERR | ARLO | AF | OVR | PECERR | TIMEOUT | SMBALERT;
    // SR2 (RM0090 27.6.7)
    static final int MSL = 1, BUSY = 1 << 1, TRA = 1 << 2;

    private enum Op { NONE, START, ADDRESS, TX, RX, STOP }

    private final Stm32Clocks clocks;
    private final InterruptLine eventIrq;
    private final InterruptLine errorIrq;
    private final EventQueue events;
    private final List<I2cTarget> targets = new ArrayList<>();
    private final Event busEvent;

    private final Register cr1;
    private final Register cr2;
    private final Register sr1;
    private final Register sr2;
    private final Register ccr;

    private Op op = Op.NONE;
    private I2cTarget target;
    private int dr;
    /** DR holds a byte to transmit that has not moved to the shift register. */
    private boolean txFull;
    private int shift;
    /** A received byte waits in the shift register because DR was full (BTF). */
    private boolean rxHeld;
    /** The acknowledge the master sent for the last byte received: more bytes follow only after ACK. */
    private boolean lastAcked;
    /** ACK as it was when the byte being received started (used with POS=1). */
    private boolean ackAtStart;
    private boolean startRequested;
    private boolean stopRequested;
    private boolean sr1Read;

    public Stm32I2c(String name, int size, Stm32Clocks clocks, InterruptLine eventIrq, InterruptLine errorIrq,
            EventQueue events) {
        super(name, size);
        this.clocks = clocks;
        this.eventIrq = eventIrq;
        this.errorIrq = errorIrq;
        this.events = events;
        this.busEvent = events.event(name + " bus", this::busStep);
        cr1 = define(0x00, "CR1", 0).bit(0, "PE", Access.RW).bit(1, "SMBUS", Access.RW)
                .bit(3, "SMBTYPE", Access.RW).bit(4, "ENARP", Access.RW).bit(5, "ENPEC", Access.RW)
                .bit(6, "ENGC", Access.RW).bit(7, "NOSTRETCH", Access.RW).bit(8, "START", Access.RW)
                .bit(9, "STOP", Access.RW).bit(10, "ACK", Access.RW).bit(11, "POS", Access.RW)
                .bit(12, "PEC", Access.RW).bit(13, "ALERT", Access.RW).bit(15, "SWRST", Access.RW)
                .onWrite(this::controlWritten);
        cr2 = define(0x04, "CR2", 0).field(0, 6, "FREQ", Access.RW).bit(8, "ITERREN", Access.RW)
                .bit(9, "ITEVTEN", Access.RW).bit(10, "ITBUFEN", Access.RW).bit(11, "DMAEN", Access.RW)
                .bit(12, "LAST", Access.RW)
                .onWrite((w, p) -> {
                    if ((w & (1 << 11)) != 0) {
                        logOnce("CR2: DMA is not modelled");
                    }
                    update();
                });
        define(0x08, "OAR1", 0).field(0, 10, "ADD", Access.RW).bit(14, "Reserved14", Access.RW)
                .bit(15, "ADDMODE", Access.RW);
        define(0x0C, "OAR2", 0).bit(0, "ENDUAL", Access.RW).field(1, 7, "ADD2", Access.RW);
        define(0x10, "DR", 0).field(0, 8, "DR", Access.RW).readAs(() -> dr)
                .onRead(this::dataRead)
                .onWrite((w, p) -> dataWritten(w & 0xFF));
        sr1 = define(0x14, "SR1", 0).bit(0, "SB", Access.R).bit(1, "ADDR", Access.R).bit(2, "BTF", Access.R)
                .bit(3, "ADD10", Access.R).bit(4, "STOPF", Access.R).bit(6, "RxNE", Access.R)
                .bit(7, "TxE", Access.R).bit(8, "BERR", Access.RC_W0).bit(9, "ARLO", Access.RC_W0)
                .bit(10, "AF", Access.RC_W0).bit(11, "OVR", Access.RC_W0).bit(12, "PECERR", Access.RC_W0)
                .bit(14, "TIMEOUT", Access.RC_W0).bit(15, "SMBALERT", Access.RC_W0)
                .onRead(() -> sr1Read = true)
                .onWrite((w, p) -> update());
        sr2 = define(0x18, "SR2", 0).bit(0, "MSL", Access.R).bit(1, "BUSY", Access.R).bit(2, "TRA", Access.R)
                .bit(4, "GENCALL", Access.R).bit(5, "SMBDEFAULT", Access.R).bit(6, "SMBHOST", Access.R)
                .bit(7, "DUALF", Access.R).field(8, 8, "PEC", Access.R)
                .onRead(this::status2Read);
        ccr = define(0x1C, "CCR", 0).field(0, 12, "CCR", Access.RW).bit(14, "DUTY", Access.RW)
                .bit(15, "F/S", Access.RW);
        define(0x20, "TRISE", 2).field(0, 6, "TRISE", Access.RW);
    }

    @Override
    public void attach(I2cTarget t) {
        targets.add(t);
    }

    /**
     * One SCL period (RM0090 27.6.8): standard mode 2 x CCR x T_PCLK1; fast mode 3 x CCR (DUTY=0) or
     * 25 x CCR (DUTY=1) periods of PCLK1.
     */
    long bitNanos() {
        int c = ccr.get();
        long n = c & 0xFFF;
        if (n == 0) {
            logOnce("CCR is 0 (no valid SCL clock); using CCR = 4");
            n = 4;
        }
        long periods = (c & (1 << 15)) == 0 ? 2 * n : (c & (1 << 14)) == 0 ? 3 * n : 25 * n;
        long hz = clocks.frequency(Stm32Clocks.Domain.APB1);
        return (periods * 1_000_000_000L + hz - 1) / hz;
    }

    private void schedule(Op next, int bits) {
        op = next;
        events.scheduleIn(busEvent, bits * bitNanos());
    }

    private void controlWritten(int written, int previous) {
        int c = cr1.get();
        if ((c & SWRST) != 0) { // under reset: every register and the state machine back to reset
            clearState();
            super.reset();
            cr1.set(SWRST);
            update();
            return;
        }
        if ((c & PE) == 0) {
            if ((previous & PE) != 0) {
                clearState();
                sr1.set(0);
                sr2.set(0);
                cr1.clearBits(START | STOP | ACK | POS);
            }
            update();
            return;
        }
        if ((c & START) != 0 && !startRequested) {
            startRequested = true;
            if (op == Op.NONE) {
                schedule(Op.START, 1);
            }
        }
        if ((c & STOP) != 0 && !stopRequested && (sr2.get() & MSL) != 0) {
            stopRequested = true;
            if (op == Op.NONE) {
                schedule(Op.STOP, 1);
            }
        }
        update();
    }

    private void dataWritten(int value) {
        if ((sr1.get() & SB) != 0) {
            if (sr1Read) { // SB clears on reading SR1 then writing DR with the address (RM0090 27.3.3)
                sr1.clearBits(SB);
                sr1Read = false;
                dr = value;
                shift = value;
                schedule(Op.ADDRESS, 9);
            }
            update();
            return;
        }
        sr1Read = false;
        dr = value;
        if ((sr2.get() & TRA) != 0) {
            txFull = true;
            sr1.clearBits(TXE | BTF);
            transmitIfReady();
        }
        update();
    }

    private void dataRead() {
        sr1Read = false;
        sr1.clearBits(RXNE);
        if (rxHeld) { // the byte waiting in the shift register moves to DR; the bus runs again
            rxHeld = false;
            dr = shift;
            sr1.setBits(RXNE);
            sr1.clearBits(BTF);
            receiveIfReady();
        }
        update();
    }

    private void status2Read() {
        if (sr1Read && (sr1.get() & ADDR) != 0) { // ADDR clears on reading SR1 then SR2 (RM0090 27.6.6)
            sr1.clearBits(ADDR);
            if ((sr2.get() & TRA) != 0) {
                transmitIfReady();
            } else {
                lastAcked = true;
                receiveIfReady();
            }
        }
        sr1Read = false;
        update();
    }

    private void transmitIfReady() {
        if (op != Op.NONE || !txFull || (sr1.get() & (ADDR | AF)) != 0 || (sr2.get() & (MSL | TRA)) != (MSL | TRA)) {
            return;
        }
        shift = dr;
        txFull = false;
        sr1.setBits(TXE); // DR is empty again while the byte shifts out
        schedule(Op.TX, 9);
    }

    private void receiveIfReady() {
        if (op != Op.NONE || rxHeld || !lastAcked || stopRequested || startRequested
                || (sr1.get() & ADDR) != 0 || (sr2.get() & (MSL | TRA)) != MSL) {
            return;
        }
        ackAtStart = (cr1.get() & ACK) != 0;
        schedule(Op.RX, 9);
    }

    private void busStep(long when) {
        Op done = op;
        op = Op.NONE;
        switch (done) {
            case START -> {
                startRequested = false;
                cr1.clearBits(START);
                sr1.setBits(SB);
                sr1.clearBits(TXE | BTF);
                sr2.setBits(MSL | BUSY);
                sr2.clearBits(TRA);
            }
            case ADDRESS -> addressDone();
            case TX -> {
                boolean ack = target != null && target.write(shift);
                if (!ack) {
                    sr1.setBits(AF); // the master holds the bus until software sets STOP or START
                } else if (!txFull) {
                    sr1.setBits(BTF);
                }
            }
            case RX -> {
                boolean masterAcks = (cr1.get() & POS) != 0 ? ackAtStart : (cr1.get() & ACK) != 0;
                int b = target == null ? 0xFF : target.read(masterAcks) & 0xFF;
                lastAcked = masterAcks;
                if ((sr1.get() & RXNE) == 0) {
                    dr = b;
                    sr1.setBits(RXNE);
                } else {
                    shift = b;
                    rxHeld = true;
                    sr1.setBits(BTF);
                }
            }
            case STOP -> {
                stopRequested = false;
                cr1.clearBits(STOP);
                if (target != null) {
                    target.stop();
                    target = null;
                }
                sr2.clearBits(MSL | BUSY | TRA);
                sr1.clearBits(TXE | BTF);
                txFull = false;
            }
            default -> throw new IllegalStateException("no bus operation was running");
        }
        // what follows the finished step: STOP or a repeated START if software asked, else more data
        if (stopRequested && done != Op.STOP) {
            schedule(Op.STOP, 1);
        } else if (startRequested && done != Op.START) {
            schedule(Op.START, 1);
        } else if (done == Op.TX) {
            transmitIfReady();
        } else if (done == Op.RX) {
            receiveIfReady();
        }
        update();
    }

    private void addressDone() {
        int address7 = (shift >>> 1) & 0x7F;
        boolean read = (shift & 1) != 0;
        target = null;
        for (I2cTarget t : targets) {
            if (t.matches(address7)) {
                target = t;
                break;
            }
        }
        if (target == null || !target.start(read)) {
            target = null;
            sr1.setBits(AF);
            return;
        }
        sr1.setBits(ADDR);
        if (read) {
            sr2.clearBits(TRA);
        } else {
            sr2.setBits(TRA);
            sr1.setBits(TXE);
        }
    }

    private void clearState() {
        events.cancel(busEvent);
        op = Op.NONE;
        if (target != null) {
            target.stop();
        }
        target = null;
        txFull = false;
        rxHeld = false;
        lastAcked = false;
        startRequested = false;
        stopRequested = false;
        sr1Read = false;
        dr = 0;
    }

    private void update() {
        int s = sr1.get();
        int c2 = cr2.get();
        eventIrq.set((c2 & ITEVTEN) != 0 && ((s & (SB | ADDR | ADD10 | STOPF | BTF)) != 0
                || (c2 & ITBUFEN) != 0 && (s & (TXE | RXNE)) != 0));
        errorIrq.set((c2 & ITERREN) != 0 && (s & ERRORS) != 0);
    }

    @Override
    public void reset() {
        clearState();
        super.reset();
        eventIrq.set(false);
        errorIrq.set(false);
    }

    /** {@code stm32f4-i2c}: two interrupts, event then error. */
    public static final class Type implements DeviceType {
        @Override
        public String type() {
            return "stm32f4-i2c";
        }

        @Override
        public String description() {
            return "STM32F4 I2C (RM0090 27), master with 7-bit addresses, timed at its SCL rate";
        }

        @Override
        public Object create(DeviceContext c) throws MachineException {
            return new Stm32I2c(c.name(), c.size(), Stm32Clocks.of(c), c.irq(0, "event"), c.irq(1, "error"),
                    c.events());
        }
    }
}
