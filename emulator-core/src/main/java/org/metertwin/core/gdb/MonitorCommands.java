package org.metertwin.core.gdb;

import java.util.Locale;
import org.metertwin.core.cpu.CortexM4;

/** gdb's {@code monitor} commands (qRcmd): reset and virtual time. */
final class MonitorCommands {
    private final CortexM4 cpu;
    private final Runnable systemReset;

    MonitorCommands(CortexM4 cpu, Runnable systemReset) {
        this.cpu = cpu;
        this.systemReset = systemReset;
    }

    /** Runs one command; returns what gdb prints. */
    String run(String command) {
        String c = command.trim();
        return switch (c) {
            case "reset", "reset halt" -> {
                systemReset.run();
                yield String.format(Locale.ROOT, "system reset, halted at pc=0x%08x (flushregs to refresh gdb)%n",
                        cpu.reg(15));
            }
            case "time" -> String.format(Locale.ROOT, "virtual time %.9f s, %d cycles, %d instructions at %d Hz%n",
                    cpu.virtualNanos() / 1e9, cpu.cycles(), cpu.instructions(), cpu.clockHz());
            case "help", "" -> String.format("monitor reset   system reset, halted at the reset vector%n"
                    + "monitor time    virtual time, cycles and instructions%n");
            default -> "unknown monitor command '" + c + "' (try 'monitor help')\n";
        };
    }
}
