package org.metertwin.cli;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.machine.SelfCheck;

/**
 * {@code metertwin exec A.elf B.elf ...} or {@code exec DIR}: a firmware team's unit-test suite, each program
 * on a fresh board in this one JVM (so start-up and warm-up are paid once), its console output under a
 * header line, then a summary table. A program that cannot be loaded (not an ELF, no such machine) is a
 * failed program with status 2 and the reason; the others still run.
 */
final class ExecSuite {
    /** One program of the suite: the name it is reported under and its file. */
    record Program(String name, Path path) {
    }

    /** What one program did: the exit status as {@code exec} alone would give it, and its console output. */
    record Result(String name, int exitStatus, long instructions, long wallMillis, String message, String out,
                  String err) {
    }

    /** A path on the command line that is neither an ELF file nor a directory. */
    static final class BadPath extends Exception {
        BadPath(String message) {
            super(message);
        }
    }

    /** The run options for one program, writing its console to the streams given. */
    @FunctionalInterface
    interface Options {
        ExecOptions create(OutputStream console, OutputStream errorConsole);
    }

    private final String machine;
    private final boolean selfCheck;
    private final Options options;

    ExecSuite(String machine, boolean selfCheck, Options options) {
        this.machine = machine;
        this.selfCheck = selfCheck;
        this.options = options;
    }

    /**
     * The programs the arguments name: a file as given; a directory's {@code *.elf} files at any depth,
     * sorted by their path under it (so the order does not depend on the file system).
     */
    static List<Program> find(List<Path> args) throws BadPath, IOException {
        List<Program> programs = new ArrayList<>();
        for (Path arg : args) {
            if (Files.isDirectory(arg)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(arg)) {
                    found = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".elf"))
                            .sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new BadPath(arg + ": no *.elf files in this directory");
                }
                for (Path p : found) {
                    programs.add(new Program(arg.relativize(p).toString(), p));
                }
            } else if (Files.isRegularFile(arg)) {
                programs.add(new Program(arg.toString(), arg));
            } else {
                throw new BadPath(arg + ": no such file or directory");
            }
        }
        return programs;
    }

    /** Runs every program in order, printing as it goes, and the summary at the end. */
    List<Result> run(List<Program> programs, PrintStream out, PrintStream err) {
        List<Result> results = new ArrayList<>();
        long suiteStart = System.nanoTime(); // wall time for the summary only
        for (Program p : programs) {
            out.println("==> " + p.name() + " <==");
            out.flush();
            results.add(runOne(p, out, err));
        }
        long suiteMillis = (System.nanoTime() - suiteStart) / 1_000_000L;
        printSummary(results, suiteMillis, out);
        out.flush();
        return results;
    }

    private Result runOne(Program p, PrintStream out, PrintStream err) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errorConsole = new ByteArrayOutputStream();
        Tee consoleTee = new Tee(out, console);
        Tee errorTee = new Tee(err, errorConsole);
        ExecOptions o = options.create(consoleTee, errorTee);
        o.commandLine = p.path().getFileName().toString();
        long start = System.nanoTime();
        int status;
        long instructions = 0;
        String message;
        try {
            ExecResult r;
            String difference = null;
            if (selfCheck) {
                SelfCheck.Result check = SelfCheck.run(machine, p.path(), o);
                r = check.exec();
                difference = check.difference();
            } else {
                r = Exec.run(machine, p.path(), o);
            }
            status = difference != null ? ExecResult.STATUS_SELF_CHECK_DIFFERS : r.exitStatus();
            instructions = r.instructions();
            message = difference != null ? "self-check: " + difference : r.message();
        } catch (MachineException | NoSuchFileException | FileNotFoundException e) {
            status = MeterTwin.BAD_INPUT;
            message = e.getMessage();
        } catch (IOException e) { // ElfFormatException names the file and the problem
            status = MeterTwin.BAD_INPUT;
            message = e.getMessage();
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000L;
        consoleTee.flush();
        if (consoleTee.last != '\n' && consoleTee.last != -1) {
            out.println(); // the next header starts on a line of its own
        }
        if (!message.isEmpty()) {
            err.println("metertwin: " + p.name() + ": " + message);
        }
        return new Result(p.name(), status, instructions, wallMillis, message,
                console.toString(StandardCharsets.UTF_8), errorConsole.toString(StandardCharsets.UTF_8));
    }

    private static void printSummary(List<Result> results, long suiteMillis, PrintStream out) {
        int width = Math.max("program".length(), results.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        out.println("==> summary <==");
        String row = "%-" + width + "s  %6s  %14s  %8s%n";
        out.printf(Locale.ROOT, row, "program", "status", "instructions", "wall ms");
        for (Result r : results) {
            out.printf(Locale.ROOT, row, r.name(), r.exitStatus(), r.instructions(), r.wallMillis());
        }
        long passed = results.stream().filter(r -> r.exitStatus() == 0).count();
        out.printf(Locale.ROOT, "%d programs: %d exited 0, %d did not; %d ms in all%n", results.size(), passed,
                results.size() - passed, suiteMillis);
    }

    /** Writes to the user's stream and to the program's record at once, remembering the last byte. */
    private static final class Tee extends OutputStream {
        private final OutputStream user;
        private final OutputStream record;
        int last = -1;

        Tee(OutputStream user, OutputStream record) {
            this.user = user;
            this.record = record;
        }

        @Override
        public void write(int b) throws IOException {
            user.write(b);
            record.write(b);
            last = b & 0xFF;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            user.write(b, off, len);
            record.write(b, off, len);
            if (len > 0) {
                last = b[off + len - 1] & 0xFF;
            }
        }

        @Override
        public void flush() {
            try {
                user.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
