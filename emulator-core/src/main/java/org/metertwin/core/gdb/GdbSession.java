package org.metertwin.core.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.DebugControl;

/**
 * The protocol state of one debugged core, on the thread that runs it: answers packets, and says whether
 * the client resumed, stepped or killed the core. Register numbers are those of {@code target.xml}.
 */
final class GdbSession {
    /** gdb register numbers of target.xml: r0-r15, xpsr, the m-system registers, d0-d15, fpscr. */
    static final int XPSR = 16, MSP = 17, PSP = 18, PRIMASK = 19, BASEPRI = 20, FAULTMASK = 21, CONTROL = 22,
            D0 = 23, FPSCR = 39, REGISTERS = 40;
    private static final String TARGET_XML = loadTargetXml();

    private final CortexM4 cpu;
    private final Runnable systemReset;
    private final MonitorCommands monitor;
    private DebugControl debug;
    private boolean resumed;
    private boolean stepRequested;
    private boolean stepBeforeContinuing;
    private boolean killed;

    GdbSession(CortexM4 cpu, Runnable systemReset) {
        this.cpu = cpu;
        this.systemReset = systemReset;
        this.monitor = new MonitorCommands(cpu, systemReset);
    }

    CortexM4 cpu() {
        return cpu;
    }

    void attached() {
        debug = cpu.attachDebugger();
    }

    /** The client detached ({@code D}) or the server closes: breakpoints and watchpoints go (a guest BKPT faults again). */
    void detached() {
        cpu.detachDebugger();
        debug = null;
    }

    void detachedForGood() {
        detached();
    }

    boolean killed() {
        return killed;
    }

    void kill() {
        killed = true;
    }

    /** True (once) when the last packet resumed the core. */
    boolean resumed() {
        boolean r = resumed;
        resumed = false;
        return r;
    }

    /**
     * True (once) after a continue from a breakpoint's address or from a watchpoint halt: that instruction
     * runs first, by itself, so the continue does not stop at once where it started (as gdb does itself).
     */
    boolean takeStepBeforeContinuing() {
        boolean s = stepBeforeContinuing;
        stepBeforeContinuing = false;
        return s;
    }

    /** A monitor command ran the firmware to its end (exit, lockup): the run loop must look. */
    boolean takeRunEnded() {
        return monitor.takeRunEnded();
    }

    boolean takeStepRequest() {
        boolean s = stepRequested;
        stepRequested = false;
        return s;
    }

    /** The stop reply for the current halt: why the core stopped, as gdb's stop-reply packets say it. */
    String stopReply(boolean interrupted) {
        if (interrupted) {
            if (debug != null) {
                debug.takeHaltKind();
            }
            return "T02thread:1;";
        }
        DebugControl.HaltKind kind = debug == null ? DebugControl.HaltKind.NONE : debug.takeHaltKind();
        return switch (kind) {
            case BREAKPOINT -> debug.isHardwareBreakpoint(debug.haltAddress()) ? "T05hwbreak:;thread:1;"
                    : "T05swbreak:;thread:1;";
            case WATCH_WRITE -> String.format("T05watch:%08x;thread:1;", debug.haltAddress());
            case WATCH_READ -> String.format("T05rwatch:%08x;thread:1;", debug.haltAddress());
            case WATCH_ACCESS -> String.format("T05awatch:%08x;thread:1;", debug.haltAddress());
            default -> "T05thread:1;";
        };
    }

    /** Answers one packet; null when the answer comes later (a stop reply after c or s) or never (k). */
    String execute(String p) {
        if (debug == null) {
            attached();
        }
        try {
            return dispatch(p);
        } catch (Rsp.BadPacket e) {
            return "E01";
        } catch (BusFault e) {
            return "E14";
        } catch (RuntimeException e) { // never into the emulation
            return "E01";
        }
    }

    private String dispatch(String p) {
        if (p.isEmpty()) {
            return "";
        }
        char c = p.charAt(0);
        String args = p.substring(1);
        switch (c) {
            case '?':
                // gdb asks this when it connects; as QEMU 7.2 does, what an earlier client left set (one that
                // went without detaching) is cleared, so that the new one is not stopped by breakpoints it never set
                debug.clearAll();
                return "T05thread:1;";
            case 'g':
                return readAllRegisters();
            case 'G':
                writeAllRegisters(args);
                return "OK";
            case 'p':
                return readRegister(Rsp.parseHex32(args));
            case 'P': {
                int eq = args.indexOf('=');
                if (eq < 0) {
                    throw new Rsp.BadPacket("P without '='");
                }
                writeRegister(Rsp.parseHex32(args.substring(0, eq)), args.substring(eq + 1));
                return "OK";
            }
            case 'm':
                return readMemory(args);
            case 'M':
                return writeMemory(args, false);
            case 'X':
                return writeMemory(args, true);
            case 'c':
            case 'C':
                resumeAt(c == 'c' ? args : "");
                return null;
            case 's':
            case 'S':
                resumeAt(c == 's' ? args : "");
                stepRequested = true;
                stepBeforeContinuing = false; // the step is that instruction
                return null;
            case 'Z':
            case 'z':
                return breakOrWatch(c == 'Z', args);
            case 'D': // as QEMU: breakpoints and watchpoints go and the core runs on
                detached();
                resumed = true;
                return "OK";
            case 'k':
                killed = true;
                return null;
            case 'H':
            case 'T':
                return "OK"; // one thread
            case 'q':
            case 'Q':
                return query(p);
            case 'v':
                return vPacket(p);
            default:
                return "";
        }
    }

    private void resumeAt(String address) {
        if (!address.isEmpty()) {
            debug.writeRegister(DebugControl.REG_PC, Rsp.parseHex32(address));
        }
        resumed = true;
        stepBeforeContinuing = debug.resumesWatchedAccess() || debug.hasBreakpoint(cpu.reg(15));
    }

    private String vPacket(String p) {
        if (p.equals("vCont?")) {
            return "vCont;c;C;s;S";
        }
        if (p.startsWith("vCont;")) {
            // one thread: the first action decides
            String action = p.substring(6).split("[;:]")[0];
            switch (action.isEmpty() ? ' ' : action.charAt(0)) {
                case 'c', 'C' -> resumeAt("");
                case 's', 'S' -> {
                    resumed = true;
                    stepRequested = true;
                }
                default -> {
                    return "E01";
                }
            }
            return null;
        }
        if (p.startsWith("vKill")) {
            killed = true;
            return "OK";
        }
        return ""; // vMustReplyEmpty, vFile, vRun...: not supported
    }

    private String query(String p) {
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(RspDecoder.MAX_PAYLOAD)
                    + ";qXfer:features:read+;swbreak+;hwbreak+;vContSupported+";
        }
        if (p.startsWith("qXfer:features:read:")) {
            String[] parts = p.substring("qXfer:features:read:".length()).split(":");
            if (parts.length != 2 || !parts[0].equals("target.xml")) {
                return "E00";
            }
            String[] range = parts[1].split(",");
            if (range.length != 2) {
                throw new Rsp.BadPacket("qXfer range");
            }
            int offset = Rsp.parseHex32(range[0]), length = Rsp.parseHex32(range[1]);
            if (offset < 0 || length < 0) {
                return "E00";
            }
            if (offset >= TARGET_XML.length()) {
                return "l";
            }
            int end = (int) Math.min(TARGET_XML.length(), (long) offset + Math.min(length, RspDecoder.MAX_PAYLOAD - 1));
            return (end == TARGET_XML.length() ? "l" : "m") + TARGET_XML.substring(offset, end);
        }
        if (p.startsWith("qRcmd,")) {
            String command = new String(Rsp.unhex(p.substring(6)), StandardCharsets.UTF_8);
            String out = monitor.run(command);
            if (debug != null) {
                debug.takeHaltKind(); // a halt inside run-for is told in its output, not in a stop reply
            }
            return Rsp.hex(out);
        }
        switch (p) {
            case "qAttached":
                return "1";
            case "qC":
                return "QC1";
            case "qfThreadInfo":
                return "m1";
            case "qsThreadInfo":
                return "l";
            case "qSymbol::":
                return "OK";
            default:
                return "";
        }
    }

    // ---------------------------------------------------------------- registers

    private String readAllRegisters() {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < REGISTERS; n++) {
            sb.append(readRegister(n));
        }
        return sb.toString();
    }

    private void writeAllRegisters(String hex) {
        int at = 0;
        for (int n = 0; n < REGISTERS && at < hex.length(); n++) {
            int width = n >= D0 && n < FPSCR ? 16 : 8;
            if (at + width > hex.length()) {
                throw new Rsp.BadPacket("G packet cut inside a register");
            }
            writeRegister(n, hex.substring(at, at + width));
            at += width;
        }
    }

    String readRegister(int n) {
        if (n >= D0 && n < FPSCR) {
            int s = 2 * (n - D0);
            return Rsp.le32(debug.readRegister(DebugControl.REG_S0 + s))
                    + Rsp.le32(debug.readRegister(DebugControl.REG_S0 + s + 1));
        }
        int special = debug.readRegister(DebugControl.REG_SPECIAL);
        return switch (n) {
            case XPSR -> Rsp.le32(debug.readRegister(DebugControl.REG_XPSR));
            case MSP -> Rsp.le32(debug.readRegister(DebugControl.REG_MSP));
            case PSP -> Rsp.le32(debug.readRegister(DebugControl.REG_PSP));
            case PRIMASK -> Rsp.le32(special & 1);
            case BASEPRI -> Rsp.le32((special >>> 8) & 0xFF);
            case FAULTMASK -> Rsp.le32((special >>> 16) & 1);
            case CONTROL -> Rsp.le32(special >>> 24);
            case FPSCR -> Rsp.le32(debug.readRegister(DebugControl.REG_FPSCR));
            default -> {
                if (n < 0 || n > 15) {
                    yield "E00";
                }
                yield Rsp.le32(debug.readRegister(n));
            }
        };
    }

    private void writeRegister(int n, String hex) {
        if (n >= D0 && n < FPSCR) {
            if (hex.length() != 16) {
                throw new Rsp.BadPacket("a d register has 8 bytes");
            }
            int s = 2 * (n - D0);
            debug.writeRegister(DebugControl.REG_S0 + s, Rsp.parseLe32(hex.substring(0, 8)));
            debug.writeRegister(DebugControl.REG_S0 + s + 1, Rsp.parseLe32(hex.substring(8)));
            return;
        }
        int v = Rsp.parseLe32(hex);
        int special = debug.readRegister(DebugControl.REG_SPECIAL);
        switch (n) {
            case XPSR -> debug.writeRegister(DebugControl.REG_XPSR, v);
            case MSP -> debug.writeRegister(DebugControl.REG_MSP, v);
            case PSP -> debug.writeRegister(DebugControl.REG_PSP, v);
            case PRIMASK -> debug.writeRegister(DebugControl.REG_SPECIAL, (special & ~1) | (v & 1));
            case BASEPRI -> debug.writeRegister(DebugControl.REG_SPECIAL, (special & ~0xFF00) | (v & 0xFF) << 8);
            case FAULTMASK -> debug.writeRegister(DebugControl.REG_SPECIAL, (special & ~0x10000) | (v & 1) << 16);
            case CONTROL -> debug.writeRegister(DebugControl.REG_SPECIAL, (special & 0xFFFFFF) | (v & 7) << 24);
            case FPSCR -> debug.writeRegister(DebugControl.REG_FPSCR, v);
            default -> {
                if (n < 0 || n > 15) {
                    throw new Rsp.BadPacket("no register " + n);
                }
                debug.writeRegister(n, v);
            }
        }
    }

    // ---------------------------------------------------------------- memory

    /** m addr,len: through the bus as the core reads (devices included); E14 when nothing could be read. */
    private String readMemory(String args) {
        int comma = args.indexOf(',');
        if (comma < 0) {
            throw new Rsp.BadPacket("m without ','");
        }
        int addr = Rsp.parseHex32(args.substring(0, comma));
        int len = Math.min(Rsp.parseHex32(args.substring(comma + 1)), (RspDecoder.MAX_PAYLOAD - 4) / 2);
        if (len < 0) {
            len = (RspDecoder.MAX_PAYLOAD - 4) / 2;
        }
        SystemBus bus = cpu.bus();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(len);
        debug.setMuted(true);
        try {
            int i = 0;
            while (i < len) {
                int a = addr + i;
                int size = (a & 3) == 0 && len - i >= 4 ? 4 : (a & 1) == 0 && len - i >= 2 ? 2 : 1;
                int v;
                try {
                    v = size == 4 ? bus.read32(a) : size == 2 ? bus.read16(a) : bus.read8(a);
                } catch (BusFault f) {
                    if (out.size() == 0) {
                        return "E14";
                    }
                    break; // a partial reply: gdb asks for the rest and then gets the error
                }
                for (int k = 0; k < size; k++) {
                    out.write(v >>> (8 * k));
                }
                i += size;
            }
        } finally {
            debug.setMuted(false);
        }
        return Rsp.hex(out.toByteArray());
    }

    /** M addr,len:hex and X addr,len:binary. Memory is written past write protection (as a probe programs flash). */
    private String writeMemory(String args, boolean binary) {
        int comma = args.indexOf(','), colon = args.indexOf(':');
        if (comma < 0 || colon < comma) {
            throw new Rsp.BadPacket("expected addr,len:data");
        }
        int addr = Rsp.parseHex32(args.substring(0, comma));
        int len = Rsp.parseHex32(args.substring(comma + 1, colon));
        String data = args.substring(colon + 1);
        byte[] bytes = binary ? data.getBytes(StandardCharsets.ISO_8859_1) : Rsp.unhex(data);
        if (bytes.length != len) {
            throw new Rsp.BadPacket("length " + len + " but " + bytes.length + " bytes");
        }
        SystemBus bus = cpu.bus();
        debug.setMuted(true);
        try {
            int i = 0;
            while (i < len) {
                int a = addr + i;
                if (bus.isMemory(a)) {
                    bus.load(a, bytes, i, 1);
                    i++;
                    continue;
                }
                int size = (a & 3) == 0 && len - i >= 4 ? 4 : (a & 1) == 0 && len - i >= 2 ? 2 : 1;
                int v = 0;
                for (int k = 0; k < size; k++) {
                    v |= (bytes[i + k] & 0xFF) << (8 * k);
                }
                if (size == 4) {
                    bus.write32(a, v);
                } else if (size == 2) {
                    bus.write16(a, v);
                } else {
                    bus.write8(a, v);
                }
                i += size;
            }
        } finally {
            debug.setMuted(false);
        }
        return "OK";
    }

    // ---------------------------------------------------------------- breakpoints and watchpoints

    private String breakOrWatch(boolean insert, String args) {
        String[] f = args.split("[,;]");
        if (f.length < 3) {
            throw new Rsp.BadPacket("expected type,addr,kind");
        }
        int type = Rsp.parseHex32(f[0]), addr = Rsp.parseHex32(f[1]), kind = Rsp.parseHex32(f[2]);
        switch (type) {
            case 0, 1 -> {
                if (insert) {
                    debug.addBreakpoint(addr, type == 1);
                } else {
                    debug.removeBreakpoint(addr);
                }
            }
            case 2, 3, 4 -> {
                if (kind <= 0 || kind > 0x10000) {
                    return "E01";
                }
                DebugControl.Watchpoint w = new DebugControl.Watchpoint(addr, kind, type != 2, type != 3);
                if (insert) {
                    debug.addWatchpoint(w);
                } else {
                    debug.removeWatchpoint(w);
                }
            }
            default -> {
                return "";
            }
        }
        return "OK";
    }

    private static String loadTargetXml() {
        try (InputStream in = GdbSession.class.getResourceAsStream("target.xml")) {
            if (in == null) {
                throw new IllegalStateException("target.xml missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
