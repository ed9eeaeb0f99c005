package org.metertwin.core.machine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.semihosting.Semihosting;

/**
 * {@code exec --self-check}: runs a program on two identical boards, one interpreting every instruction, the
 * other compiling every block at its first execution, and compares them (registers, flags, FP registers,
 * cycles, every byte of memory, the console) after each slice of virtual time. On the first difference it
 * narrows it down by replaying both boards from reset, which gives the same run again because runs are
 * deterministic: to a smaller slice, then to one block, then to the first instruction of that block whose
 * compiled prefix leaves a state the interpreter does not.
 *
 * <p>The two boards are driven with the same sequence of run budgets, so they stop at the same points; a
 * compiled block only runs where it fits before the budget's end, as in any run.
 */
public final class SelfCheck {
    /** Cycles per comparison while both agree; then the finer slices a difference is narrowed to. */
    private static final long[] SLICES = {1L << 20, 1L << 14, 1L << 8};
    private static final int MAX_DIFFERENCES_SHOWN = 8;

    /** The interpreted run's result, and the first difference (null when the two agree throughout). */
    public record Result(ExecResult exec, String difference) {
    }

    private final String machine;
    private final MachineDescription description;
    private final ElfFile elf;
    private final ExecOptions options;
    /** Host input the interpreted run read, fed again to the compiled run and to every replay. */
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();

    private SelfCheck(String machine, MachineDescription description, ElfFile elf, ExecOptions options) {
        this.machine = machine;
        this.description = description;
        this.elf = elf;
        this.options = options;
    }

    public static Result run(String machine, Path elfPath, ExecOptions o) throws IOException, MachineException {
        if (o.gdbPort >= 0 || o.trace != null || o.coverage != null || !o.uarts.isEmpty() || o.realtime) {
            throw new MachineException("--self-check: runs alone (not with --gdb, --trace, --coverage, --uart or"
                    + " --realtime)");
        }
        if (o.hostDir != null) {
            throw new MachineException("--self-check: not with --host-dir (both runs would write the same files)");
        }
        SelfCheck check = new SelfCheck(machine, MachineDescriptions.load(machine), ElfFile.read(elfPath), o);
        return check.run();
    }

    // ------------------------------------------------------------------ one board of the pair

    /** A board of the pair, its console captured. */
    private final class Twin {
        final Board board;
        final CortexM4 cpu;
        final Semihosting semihosting;
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        StopReason lastStop = StopReason.BUDGET;

        Twin(ExecOptions.CodeMode mode, InputStream stdin) throws MachineException, IOException {
            Exec.Prepared p = Exec.prepare(machine, description, elf, options, mode, console, stdin);
            board = p.board();
            cpu = board.cpu();
            semihosting = p.semihosting();
        }

        void run(long cycles) {
            lastStop = cpu.run(cycles);
        }

        Outcome ended() {
            return Exec.ended(lastStop, cpu, semihosting, false);
        }
    }

    /** The pair, interpreted and compiled, after replaying {@code steps} budgets from reset. */
    private Twin[] replay(long[] steps, int count) throws MachineException, IOException {
        Twin a = new Twin(ExecOptions.CodeMode.INTERPRETED, new java.io.ByteArrayInputStream(input.toByteArray()));
        Twin b = new Twin(ExecOptions.CodeMode.COMPILED, new java.io.ByteArrayInputStream(input.toByteArray()));
        for (int i = 0; i < count; i++) {
            a.run(steps[i]);
            b.run(steps[i]);
        }
        return new Twin[] {a, b};
    }

    // ------------------------------------------------------------------ the check

    private Result run() throws MachineException, IOException {
        InputStream recorded = new RecordingInput(options.stdin, input);
        Twin a = new Twin(ExecOptions.CodeMode.INTERPRETED, recorded);
        Twin b = new Twin(ExecOptions.CodeMode.COMPILED, new ReplayInput(input));
        Steps steps = new Steps();
        long start = System.nanoTime(); // wall time for the statistics only
        int forwarded = 0;
        Outcome outcome;
        while (true) {
            long slice = SLICES[0];
            if (options.maxInstructions > 0) {
                long left = options.maxInstructions - a.cpu.instructions();
                if (left <= 0) {
                    outcome = Outcome.INSTRUCTION_LIMIT;
                    break;
                }
                slice = Math.min(slice, left);
            }
            a.run(slice);
            b.run(slice);
            steps.add(slice);
            byte[] out = a.console.toByteArray();
            options.console.write(out, forwarded, out.length - forwarded);
            forwarded = out.length;
            List<String> differences = compare(a, b);
            if (!differences.isEmpty()) {
                options.console.flush();
                String where = narrow(steps.values, steps.count - 1);
                ExecResult exec = Exec.finish(a.board, elf, a.semihosting, options, Outcome.INSTRUCTION_LIMIT,
                        (System.nanoTime() - start) / 1_000_000L);
                return new Result(exec, where);
            }
            outcome = a.ended();
            if (outcome != null) {
                break;
            }
        }
        ExecResult exec = Exec.finish(a.board, elf, a.semihosting, options, outcome,
                (System.nanoTime() - start) / 1_000_000L);
        return new Result(exec, null);
    }

    /**
     * The slice {@code steps[failing]} made the pair differ, after {@code steps[0..failing)} left them alike.
     * Replays and splits it into finer slices, then blocks, then a block's first instructions.
     */
    private String narrow(long[] stepsSoFar, int failing) throws MachineException, IOException {
        Steps prefix = new Steps();
        for (int i = 0; i < failing; i++) {
            prefix.add(stepsSoFar[i]);
        }
        long budget = stepsSoFar[failing];
        List<String> coarse = null;
        for (int level = 1; level < SLICES.length && budget > SLICES[level]; level++) {
            Twin[] pair = replay(prefix.values, prefix.count);
            long done = 0;
            boolean found = false;
            while (done < budget) {
                long step = Math.min(SLICES[level], budget - done);
                pair[0].run(step);
                pair[1].run(step);
                List<String> d = compare(pair[0], pair[1]);
                if (!d.isEmpty()) {
                    budget = step;
                    coarse = d;
                    found = true;
                    break;
                }
                prefix.add(step);
                done += step;
            }
            if (!found) { // the difference needs the longer slice (a compiled region that loops): report that
                return describe(prefix, pair[0], "in a slice of " + budget + " cycles only", coarse);
            }
        }
        // one block at a time
        Twin[] pair = replay(prefix.values, prefix.count);
        long done = 0;
        while (done < budget) {
            int pc = pair[1].cpu.reg(15);
            long before = pair[1].cpu.instructions();
            int n = pair[1].cpu.nextBlockLength();
            pair[0].run(n);
            pair[1].run(n);
            List<String> d = compare(pair[0], pair[1]);
            if (!d.isEmpty()) {
                return firstInstruction(prefix, pc, n, before);
            }
            prefix.add(n);
            done += n;
        }
        return describe(prefix, pair[0], "only when blocks run in longer slices", coarse);
    }

    /** The block of {@code n} instructions at {@code pc} made the pair differ: find its first such instruction. */
    private String firstInstruction(Steps prefix, int pc, int n, long instructionsBefore)
            throws MachineException, IOException {
        int at = pc;
        for (int k = 1; k <= n; k++) {
            Twin[] pair = replay(prefix.values, prefix.count);
            for (Twin t : pair) {
                t.cpu.setMaxBlockLength(k);
            }
            pair[0].run(k);
            pair[1].run(k);
            List<String> d = compare(pair[0], pair[1]);
            if (!d.isEmpty()) {
                SystemBus bus = pair[0].board.bus();
                int hw1 = bus.peek8(at) | bus.peek8(at + 1) << 8;
                String encoding = String.format("%04x", hw1);
                if ((hw1 & 0xF800) >= 0xE800) {
                    encoding += String.format(" %04x", bus.peek8(at + 2) | bus.peek8(at + 3) << 8);
                }
                StringBuilder sb = new StringBuilder(String.format(
                        "interpreted and compiled code differ at instruction %d: pc=0x%08x (%s), encoding %s;"
                                + " instruction %d of the block at 0x%08x (%d instructions)",
                        instructionsBefore + k, at, elf.symbols().nearest(at), encoding, k, pc, n));
                appendDifferences(sb, d);
                return sb.toString();
            }
            at = nextInstruction(pair[0].board.bus(), at);
        }
        // every prefix agrees but the whole block does not (an exit of the compiled block): report the block
        Twin[] pair = replay(prefix.values, prefix.count);
        pair[0].run(n);
        pair[1].run(n);
        StringBuilder sb = new StringBuilder(String.format(
                "interpreted and compiled code differ after the block at 0x%08x (%s, %d instructions), though each"
                        + " of its prefixes agrees", pc, elf.symbols().nearest(pc), n));
        appendDifferences(sb, compare(pair[0], pair[1]));
        return sb.toString();
    }

    private static int nextInstruction(SystemBus bus, int pc) {
        int hw1 = bus.peek8(pc) | bus.peek8(pc + 1) << 8;
        return pc + ((hw1 & 0xF800) >= 0xE800 ? 4 : 2);
    }

    private String describe(Steps prefix, Twin a, String how, List<String> differences) {
        StringBuilder sb = new StringBuilder(String.format(
                "interpreted and compiled code differ %s, after %d instructions (pc=0x%08x, %s)", how,
                a.cpu.instructions(), a.cpu.reg(15), elf.symbols().nearest(a.cpu.reg(15))));
        if (differences != null) {
            appendDifferences(sb, differences);
        }
        return sb.toString();
    }

    private static void appendDifferences(StringBuilder sb, List<String> differences) {
        for (int i = 0; i < differences.size() && i < MAX_DIFFERENCES_SHOWN; i++) {
            sb.append(System.lineSeparator()).append("  ").append(differences.get(i));
        }
        if (differences.size() > MAX_DIFFERENCES_SHOWN) {
            sb.append(System.lineSeparator()).append("  ... and ").append(differences.size() - MAX_DIFFERENCES_SHOWN)
                    .append(" more");
        }
    }

    // ------------------------------------------------------------------ comparing the two

    /** Every way the two boards differ, as "what: interpreted X, compiled Y" lines; empty when alike. */
    static List<String> compare(Twin a, Twin b) {
        List<String> d = new ArrayList<>();
        CortexM4 x = a.cpu, y = b.cpu;
        word(d, "instructions", x.instructions(), y.instructions());
        word(d, "cycles", x.cycles(), y.cycles());
        for (int i = 0; i < 16; i++) {
            word(d, i == 13 ? "sp" : i == 14 ? "lr" : i == 15 ? "pc" : "r" + i, x.reg(i), y.reg(i));
        }
        word(d, "xpsr", x.xpsr(), y.xpsr());
        word(d, "msp", x.msp(), y.msp());
        word(d, "psp", x.psp(), y.psp());
        word(d, "control", x.control(), y.control());
        word(d, "primask", x.primask() ? 1 : 0, y.primask() ? 1 : 0);
        word(d, "faultmask", x.faultmask() ? 1 : 0, y.faultmask() ? 1 : 0);
        word(d, "basepri", x.basepri(), y.basepri());
        word(d, "fpscr", x.fpscr(), y.fpscr());
        for (int i = 0; i < 32; i++) {
            word(d, "s" + i, x.sreg(i), y.sreg(i));
        }
        List<SystemBus.Mapping> ma = a.board.bus().mappings(), mb = b.board.bus().mappings();
        for (int i = 0; i < ma.size(); i++) {
            SystemBus.Mapping p = ma.get(i), q = mb.get(i);
            if (p.memory() == null) {
                continue;
            }
            int off = Arrays.mismatch(p.memory(), p.memoryOffset(), p.memoryOffset() + p.size(),
                    q.memory(), q.memoryOffset(), q.memoryOffset() + q.size());
            if (off >= 0) {
                d.add(String.format("memory at 0x%08x (%s): interpreted %s, compiled %s", p.base() + off, p.name(),
                        bytes(p, off), bytes(q, off)));
            }
        }
        byte[] ca = a.console.toByteArray(), cb = b.console.toByteArray();
        int off = Arrays.mismatch(ca, cb);
        if (off >= 0) {
            d.add("console output from byte " + off + ": interpreted "
                    + quote(ca, off) + ", compiled " + quote(cb, off));
        }
        if (a.ended() != b.ended()) {
            d.add("end of the run: interpreted " + a.ended() + ", compiled " + b.ended());
        }
        return d;
    }

    private static void word(List<String> d, String what, long x, long y) {
        if (x != y) {
            d.add(String.format("%s: interpreted 0x%08x, compiled 0x%08x", what, x, y));
        }
    }

    private static String bytes(SystemBus.Mapping m, int off) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + 8 && i < m.size(); i++) {
            sb.append(String.format("%02x", m.memory()[m.memoryOffset() + i] & 0xFF));
        }
        return sb.toString();
    }

    private static String quote(byte[] text, int off) {
        int end = Math.min(text.length, off + 40);
        StringBuilder sb = new StringBuilder("\"");
        for (int i = off; i < end; i++) {
            int c = text[i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf((char) c)
                    : String.format("\\x%02x", c));
        }
        return sb.append(end < text.length ? "...\"" : "\"").toString();
    }

    // ------------------------------------------------------------------ plumbing

    /** The budgets the pair was run with, in order. */
    private static final class Steps {
        long[] values = new long[64];
        int count;

        void add(long v) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = v;
        }
    }

    /** The interpreted run's input: reads the host's and keeps a copy for the compiled run. */
    private static final class RecordingInput extends InputStream {
        private final InputStream in;
        private final ByteArrayOutputStream copy;

        RecordingInput(InputStream in, ByteArrayOutputStream copy) {
            this.in = in;
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                copy.write(c);
            }
            return c;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                copy.write(buf, off, n);
            }
            return n;
        }
    }

    /** The compiled run's input: what the interpreted run has read so far, then end of input. */
    private static final class ReplayInput extends InputStream {
        private final ByteArrayOutputStream source;
        private int position;

        ReplayInput(ByteArrayOutputStream source) {
            this.source = source;
        }

        @Override
        public int read() {
            byte[] all = source.toByteArray();
            return position < all.length ? all[position++] & 0xFF : -1;
        }
    }
}
