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
    private final Flag pe, start, stop, ack, pos, swrst;
    // CR2 (RM0090 27.6.2)
    private final Flag iterren, itevten, itbufen;
    // SR1 (RM0090 27.6.6)
    private final Flag sb, addr, btf, rxne, txe, af;
    /** SR1's event flags (with ITEVTEN), buffer flags (with ITBUFEN) and error flags (with ITERREN). */
    private final int eventFlags, bufferFlags, errorFlags;
    // SR2 (RM0090 27.6.7)
    private final Flag msl, busy, tra;
    // CCR (RM0090 27.6.8)
    private final Field ccrValue;
    private final Flag duty, fastMode;

    private enum Op { NONE, START, ADDRESS, TX, RX, STOP }

    private final Stm32Clocks clocks;
    private final InterruptLine eventIrq;
    private final InterruptLine errorIrq;
    private final EventQueue events;
    private final List<I2cTarget> targets = new ArrayList<>();
    private final Event busEvent;

    private final Register cr1;
    private final Register sr1;
    private final Register sr2;

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
        cr1 = define(0x00, "CR1");
        pe = cr1.flag(0, "PE");
        cr1.bit(1, "SMBUS", Access.RW).bit(3, "SMBTYPE", Access.RW).bit(4, "ENARP", Access.RW)
                .bit(5, "ENPEC", Access.RW).bit(6, "ENGC", Access.RW).bit(7, "NOSTRETCH", Access.RW);
        start = cr1.flag(8, "START");
        stop = cr1.flag(9, "STOP");
        ack = cr1.flag(10, "ACK");
        pos = cr1.flag(11, "POS");
        cr1.bit(12, "PEC", Access.RW).bit(13, "ALERT", Access.RW);
        swrst = cr1.flag(15, "SWRST");
        cr1.onWrite(this::controlWritten);
        Register cr2 = define(0x04, "CR2").field(0, 6, "FREQ", Access.RW);
        iterren = cr2.flag(8, "ITERREN");
        itevten = cr2.flag(9, "ITEVTEN");
        itbufen = cr2.flag(10, "ITBUFEN");
        cr2.tagged(11, 1, "DMAEN").bit(12, "LAST", Access.RW).onWrite((w, p) -> update());
        define(0x08, "OAR1", 0).field(0, 10, "ADD", Access.RW).bit(14, "Reserved14", Access.RW)
                .bit(15, "ADDMODE", Access.RW);
        define(0x0C, "OAR2", 0).bit(0, "ENDUAL", Access.RW).field(1, 7, "ADD2", Access.RW);
        define(0x10, "DR", 0).field(0, 8, "DR", Access.RW).readAs(() -> dr)
                .onRead(this::dataRead)
                .onWrite((w, p) -> dataWritten(w & 0xFF));
        sr1 = define(0x14, "SR1");
        sb = sr1.flag(0, "SB", Access.R);
        addr = sr1.flag(1, "ADDR", Access.R);
        btf = sr1.flag(2, "BTF", Access.R);
        Flag add10 = sr1.flag(3, "ADD10", Access.R);
        Flag stopf = sr1.flag(4, "STOPF", Access.R);
        rxne = sr1.flag(6, "RxNE", Access.R);
        txe = sr1.flag(7, "TxE", Access.R);
        Flag berr = sr1.flag(8, "BERR", Access.RC_W0);
        Flag arlo = sr1.flag(9, "ARLO", Access.RC_W0);
        af = sr1.flag(10, "AF", Access.RC_W0);
        Flag ovr = sr1.flag(11, "OVR", Access.RC_W0);
        Flag pecerr = sr1.flag(12, "PECERR", Access.RC_W0);
        Flag timeout = sr1.flag(14, "TIMEOUT", Access.RC_W0);
        Flag smbalert = sr1.flag(15, "SMBALERT", Access.RC_W0);
        sr1.onRead(() -> sr1Read = true).onWrite((w, p) -> update());
        eventFlags = sb.mask() | addr.mask() | add10.mask() | stopf.mask() | btf.mask();
        bufferFlags = txe.mask() | rxne.mask();
        errorFlags = berr.mask() | arlo.mask() | af.mask() | ovr.mask() | pecerr.mask() | timeout.mask()
                | smbalert.mask();
        sr2 = define(0x18, "SR2");
        msl = sr2.flag(0, "MSL", Access.R);
        busy = sr2.flag(1, "BUSY", Access.R);
        tra = sr2.flag(2, "TRA", Access.R);
        sr2.bit(4, "GENCALL", Access.R).bit(5, "SMBDEFAULT", Access.R).bit(6, "SMBHOST", Access.R)
                .bit(7, "DUALF", Access.R).field(8, 8, "PEC", Access.R)
                .onRead(this::status2Read);
        Register ccr = define(0x1C, "CCR");
        ccrValue = ccr.valueField(0, 12, "CCR");
        duty = ccr.flag(14, "DUTY");
        fastMode = ccr.flag(15, "F/S");
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
        long n = ccrValue.get();
        if (n == 0) {
            logOnce("CCR is 0 (no valid SCL clock); using CCR = 4");
            n = 4;
        }
        long periods = !fastMode.isSet() ? 2 * n : !duty.isSet() ? 3 * n : 25 * n;
        long hz = clocks.frequency(Stm32Clocks.Domain.APB1);
        return (periods * 1_000_000_000L + hz - 1) / hz;
    }

    private void schedule(Op next, int bits) {
        op = next;
        events.scheduleIn(busEvent, bits * bitNanos());
    }

    private void controlWritten(int written, int previous) {
        if (swrst.isSet()) { // under reset: every register and the state machine back to reset
            clearState();
            super.reset();
            cr1.set(swrst.mask());
            update();
            return;
        }
        if (!pe.isSet()) {
            if (pe.in(previous)) {
                clearState();
                sr1.set(0);
                sr2.set(0);
                cr1.clearBits(start.mask() | stop.mask() | ack.mask() | pos.mask());
            }
            update();
            return;
        }
        if (start.isSet() && !startRequested) {
            startRequested = true;
            if (op == Op.NONE) {
                schedule(Op.START, 1);
            }
        }
        if (stop.isSet() && !stopRequested && msl.isSet()) {
            stopRequested = true;
            if (op == Op.NONE) {
                schedule(Op.STOP, 1);
            }
        }
        update();
    }

    private void dataWritten(int value) {
        if (sb.isSet()) {
            if (sr1Read) { // SB clears on reading SR1 then writing DR with the address (RM0090 27.3.3)
                sb.clear();
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
        if (tra.isSet()) {
            txFull = true;
            txe.clear();
            btf.clear();
            transmitIfReady();
        }
        update();
    }

    private void dataRead() {
        sr1Read = false;
        rxne.clear();
        if (rxHeld) { // the byte waiting in the shift register moves to DR; the bus runs again
            rxHeld = false;
            dr = shift;
            rxne.set();
            btf.clear();
            receiveIfReady();
        }
        update();
    }

    private void status2Read() {
        if (sr1Read && addr.isSet()) { // ADDR clears on reading SR1 then SR2 (RM0090 27.6.6)
            addr.clear();
            if (tra.isSet()) {
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
        if (op != Op.NONE || !txFull || addr.isSet() || af.isSet() || !msl.isSet() || !tra.isSet()) {
            return;
        }
        shift = dr;
        txFull = false;
        txe.set(); // DR is empty again while the byte shifts out
        schedule(Op.TX, 9);
    }

    private void receiveIfReady() {
        if (op != Op.NONE || rxHeld || !lastAcked || stopRequested || startRequested
                || addr.isSet() || !msl.isSet() || tra.isSet()) {
            return;
        }
        ackAtStart = ack.isSet();
        schedule(Op.RX, 9);
    }

    private void busStep(long when) {
        Op done = op;
        op = Op.NONE;
        switch (done) {
            case START -> {
                startRequested = false;
                start.clear();
                sb.set();
                txe.clear();
                btf.clear();
                msl.set();
                busy.set();
                tra.clear();
            }
            case ADDRESS -> addressDone();
            case TX -> {
                boolean acked = target != null && target.write(shift);
                if (!acked) {
                    af.set(); // the master holds the bus until software sets STOP or START
                } else if (!txFull) {
                    btf.set();
                }
            }
            case RX -> {
                boolean masterAcks = pos.isSet() ? ackAtStart : ack.isSet();
                int b = target == null ? 0xFF : target.read(masterAcks) & 0xFF;
                lastAcked = masterAcks;
                if (!rxne.isSet()) {
                    dr = b;
                    rxne.set();
                } else {
                    shift = b;
                    rxHeld = true;
                    btf.set();
                }
            }
            case STOP -> {
                stopRequested = false;
                stop.clear();
                if (target != null) {
                    target.stop();
                    target = null;
                }
                msl.clear();
                busy.clear();
                tra.clear();
                txe.clear();
                btf.clear();
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
            af.set();
            return;
        }
        addr.set();
        if (read) {
            tra.clear();
        } else {
            tra.set();
            txe.set();
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
        eventIrq.set(itevten.isSet() && (sr1.isSet(eventFlags) || itbufen.isSet() && sr1.isSet(bufferFlags)));
        errorIrq.set(iterren.isSet() && sr1.isSet(errorFlags));
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
