package org.metertwin.core.trace;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.InstructionTrace;
import org.metertwin.core.elf.SymbolTable;

/**
 * Writes the executed PCs as text (format in docs/trace-coverage.md). Without registers, one line per run of
 * straight-line instructions: {@code first-pc count symbol+offset}, and a run repeated back to back (a tight
 * loop) is one line with {@code *N}. With registers, one line per instruction with the registers that changed
 * since the previous line, all of them on the first.
 */
public final class ExecutionTraceWriter implements InstructionTrace, Closeable {
    private static final String[] NAMES = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10",
            "r11", "r12", "sp", "lr", "xpsr"};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final CortexM4 cpu;
    private final SystemBus bus;
    private final SymbolTable symbols;
    private final boolean registers;
    private final int[] lastRegs = new int[16];
    private boolean first = true;
    // the run being extended, and the run before it, written once we know how often it repeats
    private int runStart;
    private long runCount;
    private int expectedNext;
    private int shownStart;
    private long shownCount;
    private long shownRepeats;
    // symbol names of recent addresses, direct-mapped (traces revisit the same few thousand run starts)
    private final int[] cachedAddress = new int[4096];
    private final String[] cachedName = new String[4096];
    private final byte[] line = new byte[4096];
    private int len;

    public ExecutionTraceWriter(OutputStream sink, CortexM4 cpu, SymbolTable symbols, boolean registers,
                                String elfName) {
        this.out = new BufferedOutputStream(sink, 1 << 16);
        this.cpu = cpu;
        this.bus = cpu.bus();
        this.symbols = symbols;
        this.registers = registers;
        java.util.Arrays.fill(cachedAddress, 1); // odd: never a Thumb instruction address
        header("# metertwin trace 1 of " + elfName + "\n");
        header(registers ? "# pc symbol+offset changed-registers (each instruction)\n"
                : "# first-pc instruction-count symbol+offset [*repeats] (each run of straight-line code)\n");
    }

    private void header(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void executed(int pc) {
        if (registers) {
            writeInstruction(pc);
            return;
        }
        if (runCount > 0 && pc == expectedNext) {
            runCount++;
        } else {
            endRun();
            runStart = pc;
            runCount = 1;
        }
        expectedNext = pc + size(pc);
    }

    /** 2 or 4: the instruction's size from its first halfword, read without side effects. */
    private int size(int pc) {
        try {
            int top = bus.peek8(pc + 1);
            return (top >>> 3) >= 0x1D ? 4 : 2;
        } catch (RuntimeException notMemory) { // the fetch is about to fault; the core reports that, not us
            return 2;
        }
    }

    private void endRun() {
        if (runCount == 0) {
            return;
        }
        if (shownRepeats > 0 && runStart == shownStart && runCount == shownCount) {
            shownRepeats++;
        } else {
            writeShownRun();
            shownStart = runStart;
            shownCount = runCount;
            shownRepeats = 1;
        }
        runCount = 0;
    }

    private void writeShownRun() {
        if (shownRepeats == 0) {
            return;
        }
        len = 0;
        hex(shownStart);
        put(' ');
        text(Long.toString(shownCount));
        put(' ');
        text(name(shownStart));
        if (shownRepeats > 1) {
            put(' ');
            put('*');
            text(Long.toString(shownRepeats));
        }
        put('\n');
        flushLine();
        shownRepeats = 0;
    }

    private void writeInstruction(int pc) {
        len = 0;
        hex(pc);
        put(' ');
        text(name(pc));
        for (int i = 0; i < 16; i++) {
            int v = i == 15 ? cpu.xpsr() : cpu.reg(i);
            if (first || v != lastRegs[i]) {
                put(' ');
                text(NAMES[i]);
                put('=');
                hex(v);
                lastRegs[i] = v;
            }
        }
        first = false;
        put('\n');
        flushLine();
    }

    private String name(int address) {
        int slot = (address >>> 1) & (cachedAddress.length - 1);
        if (cachedAddress[slot] != address) {
            String n = symbols.nearest(address);
            cachedName[slot] = n == null ? "?" : n;
            cachedAddress[slot] = address;
        }
        return cachedName[slot];
    }

    private void hex(int v) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            line[len++] = HEX[(v >>> shift) & 15];
        }
    }

    private void put(char c) {
        line[len++] = (byte) c;
    }

    private void text(String s) {
        int n = Math.min(s.length(), 1024); // symbol names are ASCII; absurdly long ones are cut
        for (int i = 0; i < n; i++) {
            line[len++] = (byte) s.charAt(i);
        }
    }

    private void flushLine() {
        try {
            out.write(line, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the run in progress and flushes; the run may go on afterwards (the trace stays usable). */
    public void flush() throws IOException {
        if (!registers) {
            endRun();
            writeShownRun();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
