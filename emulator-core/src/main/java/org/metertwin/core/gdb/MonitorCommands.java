package org.metertwin.core.gdb;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.StopReason;

/** gdb's {@code monitor} commands (qRcmd): reset, virtual time, running for a stretch of virtual time. */
final class MonitorCommands {
    private final CortexM4 cpu;
    private final Runnable systemReset;
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})\\s*(ns|us|ms|s)");
    /** The last run-for ended the firmware's run (it exited): the caller must look. */
    private boolean runEnded;

    MonitorCommands(CortexM4 cpu, Runnable systemReset) {
        this.cpu = cpu;
        this.systemReset = systemReset;
    }

    boolean takeRunEnded() {
        boolean e = runEnded;
        runEnded = false;
        return e;
    }

    /** Runs one command; returns what gdb prints. */
    String run(String command) {
        String c = command.trim();
        if (c.startsWith("run-for")) {
            return runFor(c.substring(7).trim());
        }
        return switch (c) {
            case "reset", "reset halt" -> {
                systemReset.run();
                yield String.format(Locale.ROOT, "system reset, halted at pc=0x%08x (flushregs to refresh gdb)%n",
                        cpu.reg(15));
            }
            case "time" -> String.format(Locale.ROOT, "virtual time %.9f s, %d cycles, %d instructions at %d Hz%n",
                    cpu.virtualNanos() / 1e9, cpu.cycles(), cpu.instructions(), cpu.clockHz());
            case "help", "" -> String.format("monitor reset             system reset, halted at the reset vector%n"
                    + "monitor time              virtual time, cycles and instructions%n"
                    + "monitor run-for DURATION  run for a stretch of virtual time (ns, us, ms, s), then halt%n");
            default -> "unknown monitor command '" + c + "' (try 'monitor help')\n";
        };
    }

    /** Runs the core for a stretch of virtual time and halts it again; a breakpoint or watchpoint ends it early. */
    private String runFor(String duration) {
        Matcher m = DURATION.matcher(duration);
        if (!m.matches()) {
            return "run-for: expected a duration such as 10ms (units ns, us, ms, s), got '" + duration + "'\n";
        }
        long scale = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        long nanos;
        try {
            nanos = Math.multiplyExact(Long.parseLong(m.group(1)), scale);
        } catch (ArithmeticException e) {
            return "run-for: " + duration + " is too long\n";
        }
        long end = cpu.cycleAt(cpu.virtualNanos() + nanos);
        StopReason r = cpu.debugStep(1); // the first instruction by itself: past a breakpoint where it starts
        while (cpu.cycles() < end && (r == StopReason.BUDGET || r == StopReason.SLEEPING)) {
            r = cpu.run(end - cpu.cycles());
        }
        String why = switch (r) {
            case DEBUG_HALT -> "stopped by a breakpoint or watchpoint";
            case LOCKUP -> "the core locked up";
            case STOP_REQUESTED -> "the firmware stopped";
            default -> "halted";
        };
        if (r == StopReason.STOP_REQUESTED || r == StopReason.LOCKUP) {
            runEnded = true;
        }
        return String.format(Locale.ROOT, "%s at pc=0x%08x, virtual time %.9f s (flushregs to refresh gdb)%n", why,
                cpu.reg(15), cpu.virtualNanos() / 1e9);
    }
}
