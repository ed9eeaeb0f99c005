package org.metertwin.core.machine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.dwarf.LineTable;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.trace.CoverageCollector;
import org.metertwin.core.trace.ExecutionTraceWriter;
import org.metertwin.core.trace.LcovWriter;

/** The --trace and --coverage observers of one exec run: attached to the core, written out at its end. */
final class Observers {
    private final ExecOptions options;
    private final ElfFile elf;
    private final LineTable lines;
    private final ExecutionTraceWriter trace;
    private final CoverageCollector coverage;

    private Observers(ExecOptions options, ElfFile elf, LineTable lines, ExecutionTraceWriter trace,
                      CoverageCollector coverage) {
        this.options = options;
        this.elf = elf;
        this.lines = lines;
        this.trace = trace;
        this.coverage = coverage;
    }

    /** Reads the line table and opens the trace file before anything runs, so bad input fails early. */
    static Observers open(ExecOptions o, ElfFile elf, CortexM4 cpu) throws IOException, MachineException {
        LineTable lines = null;
        CoverageCollector coverage = null;
        if (o.coverage != null) {
            lines = LineTable.read(elf);
            if (lines.rows().isEmpty()) {
                throw new MachineException("--coverage: " + elf.name()
                        + " has no DWARF line table (.debug_line); build it with -g");
            }
            coverage = new CoverageCollector(lines.rows());
            checkWritable("--coverage", o.coverage);
        }
        ExecutionTraceWriter trace = null;
        if (o.trace != null) {
            checkWritable("--trace", o.trace);
            OutputStream sink;
            try {
                sink = Files.newOutputStream(o.trace);
                if (o.trace.getFileName().toString().endsWith(".gz")) {
                    sink = new GZIPOutputStream(sink, 1 << 16);
                }
            } catch (IOException e) {
                throw new MachineException("--trace " + o.trace + ": cannot write: " + reason(e));
            }
            trace = new ExecutionTraceWriter(sink, cpu, elf.symbols(), o.traceRegisters,
                    Path.of(elf.name()).getFileName().toString());
        }
        if (trace != null && coverage != null) {
            ExecutionTraceWriter t = trace;
            CoverageCollector c = coverage;
            cpu.setInstructionTrace(pc -> {
                t.executed(pc);
                c.executed(pc);
            });
        } else if (trace != null) {
            cpu.setInstructionTrace(trace);
        } else if (coverage != null) {
            cpu.setInstructionTrace(coverage);
        }
        return new Observers(o, elf, lines, trace, coverage);
    }

    private static void checkWritable(String option, Path file) throws MachineException {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new MachineException(option + " " + file + ": is a directory, expected a file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new MachineException(option + " " + file + ": cannot write: no such directory");
        }
        if (!Files.isWritable(dir)) {
            throw new MachineException(option + " " + file + ": cannot write: permission denied");
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage());
    }

    /** Flushes the trace and writes the coverage file. */
    void close() throws IOException, MachineException {
        try {
            if (trace != null) {
                try {
                    trace.close();
                } catch (IOException e) {
                    throw new MachineException("--trace " + options.trace + ": cannot write: " + reason(e));
                }
            }
        } finally {
            if (coverage != null) {
                try (BufferedWriter w = Files.newBufferedWriter(options.coverage, StandardCharsets.UTF_8)) {
                    LcovWriter.write(w, LcovWriter.testName(elf.name()), lines.rows(), elf.symbols(), coverage);
                } catch (IOException e) {
                    throw new MachineException("--coverage " + options.coverage + ": cannot write: " + reason(e));
                }
            }
        }
    }
}
