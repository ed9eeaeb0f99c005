package org.metertwin.metering;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.SymbolTable;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * What one virtual second of steady load costs on the metering core (issue 15, part 5): the guest
 * instructions per firmware function, the device accesses per register, and the host time per virtual
 * second once the JIT has warmed up. Not a test; docs/bench/metrology-budget.sh runs it and
 * docs/performance.md quotes it.
 *
 * <p>Two runs of the same scenario (230 V, 10 A, pf 1): one with an instruction trace and a bus access
 * watcher for the counts (both slow the core down, so that run is not timed), and one untouched, warmed up
 * for {@code WARM_HOURS} and then timed over {@code TIMED_HOURS}. Counts are exact and reproducible;
 * the host time is not (JIT, machine load).
 */
public final class MetrologyBudget {
    private static final long SECOND = 1_000_000_000L, HOUR = 3600 * SECOND;
    private static final long COUNT_FROM = 10 * SECOND, COUNT_SECONDS = 60;
    private static final int WARM_HOURS = 4, TIMED_HOURS = 6;

    private MetrologyBudget() {
    }

    public static void main(String[] args) throws Exception {
        counts();
        timing();
    }

    private static MetrologyMeter steadyLoad() throws Exception {
        MetrologyMeter m = MetrologyMeter.create();
        m.mains().set(MainsState.sinusoidal(50, 230, 10, 0), m.now());
        return m;
    }

    private static void counts() throws Exception {
        MetrologyMeter m = steadyLoad();
        m.runUntil(COUNT_FROM);
        SymbolTable symbols = bundledSymbols();
        Map<Integer, long[]> byPc = new HashMap<>();
        m.board().cpu().setInstructionTrace(pc -> byPc.computeIfAbsent(pc, k -> new long[1])[0]++);
        SystemBus bus = m.board().bus();
        Map<String, long[]> byRegister = new HashMap<>();
        bus.setAccessWatcher((address, size, write) ->
                byRegister.computeIfAbsent(registerName(bus, address) + (write ? " write" : " read"),
                        k -> new long[1])[0]++);
        long instructions0 = m.board().cpu().instructions();
        m.runUntil(COUNT_FROM + COUNT_SECONDS * SECOND);
        bus.setAccessWatcher(null);
        m.board().cpu().setInstructionTrace(null);
        long instructions = m.board().cpu().instructions() - instructions0;

        Map<String, long[]> byFunction = new HashMap<>();
        byPc.forEach((pc, n) -> {
            String name = symbols.nearest(pc);
            String function = name == null ? String.format("0x%08x", pc) : name.replaceFirst("\\+0x.*", "");
            byFunction.computeIfAbsent(function, k -> new long[1])[0] += n[0];
        });
        System.out.printf("per virtual second (%d s of steady load from t = %d s):%n", COUNT_SECONDS,
                COUNT_FROM / SECOND);
        System.out.printf("instructions %.1f%n", instructions / (double) COUNT_SECONDS);
        print(byFunction, instructions, 12);
        long accesses = byRegister.values().stream().mapToLong(a -> a[0]).sum();
        System.out.printf("device accesses %.1f%n", accesses / (double) COUNT_SECONDS);
        print(byRegister, accesses, 12);
    }

    private static void timing() throws Exception {
        MetrologyMeter m = steadyLoad();
        m.runUntil(WARM_HOURS * HOUR);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime(); // host time for the figure only
        m.runUntil((WARM_HOURS + TIMED_HOURS) * HOUR);
        long wall = System.nanoTime() - wall0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        double virtualSeconds = TIMED_HOURS * 3600.0;
        System.out.printf("steady state (hours %d-%d): %.1f us of wall time, %.1f us of thread CPU time per"
                + " virtual second (a day at this rate: %.2f s)%n", WARM_HOURS, WARM_HOURS + TIMED_HOURS,
                wall / 1000.0 / virtualSeconds, cpu / 1000.0 / virtualSeconds, wall / virtualSeconds * 86400 / 1e9);
    }

    private static void print(Map<String, long[]> counts, long total, int rows) {
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (int i = 0; i < Math.min(rows, sorted.size()); i++) {
            long n = sorted.get(i).getValue()[0];
            System.out.printf("  %9.1f %5.1f %%  %s%n", n / (double) COUNT_SECONDS, 100.0 * n / total,
                    sorted.get(i).getKey());
        }
    }

    /** "SPI1.SR" for a device register, the mapping's name and offset otherwise. */
    private static String registerName(SystemBus bus, int address) {
        SystemBus.Mapping mapping = bus.mappingAt(address);
        if (mapping == null) {
            return String.format("0x%08x", address);
        }
        int offset = address - mapping.base();
        if (mapping.device() instanceof RegisterDevice d) {
            Register r = d.register(offset);
            if (r != null) {
                return mapping.name() + "." + r.name();
            }
        }
        return String.format("%s+0x%x", mapping.name(), offset);
    }

    private static SymbolTable bundledSymbols() throws Exception {
        try (InputStream in = MetrologyMeter.class.getResourceAsStream("/firmware/metrology.elf")) {
            return ElfFile.parse("metrology.elf", in.readAllBytes()).symbols();
        }
    }
}
