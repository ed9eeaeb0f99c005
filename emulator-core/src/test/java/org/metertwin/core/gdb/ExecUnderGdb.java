package org.metertwin.core.gdb;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * An ELF run on a built-in machine with semihosting on a thread of its own, halted at reset for a gdb client
 * on a free loopback port (what {@code metertwin exec --machine M --semihosting --gdb 0 --gdb-wait} does).
 * Shared with management-core's differential test through emulator-core's test-jar.
 */
public record ExecUnderGdb(CompletableFuture<ExecResult> run, InetSocketAddress address) {
    static ExecUnderGdb start(Path elf) throws Exception {
        return start("mps2-an386", elf);
    }

    public static ExecUnderGdb start(String machine, Path elf) throws Exception {
        CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.gdbPort = 0;
        o.gdbWait = true;
        o.gdbListening = listening::complete;
        o.console = new ByteArrayOutputStream();
        o.errorConsole = new ByteArrayOutputStream();
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Exec.run(machine, elf, o);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        run.whenComplete((r, e) -> {
            if (e != null) {
                listening.completeExceptionally(e); // a run that fails before it listens
            }
        });
        return new ExecUnderGdb(run, listening.get(10, TimeUnit.SECONDS));
    }

    public int port() {
        return address.getPort();
    }
}
