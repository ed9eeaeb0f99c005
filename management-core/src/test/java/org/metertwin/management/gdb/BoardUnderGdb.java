package org.metertwin.management.gdb;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * An ELF run on the {@code management} board with semihosting on a thread of its own, halted at reset for a
 * gdb client on a free loopback port (what {@code metertwin exec --machine management --semihosting --gdb 0
 * --gdb-wait} does).
 */
record BoardUnderGdb(CompletableFuture<ExecResult> run, InetSocketAddress address, ByteArrayOutputStream console) {
    static BoardUnderGdb start(Path elf) throws Exception {
        CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
        ExecOptions o = new ExecOptions();
        o.semihosting = true;
        o.gdbPort = 0;
        o.gdbWait = true;
        o.gdbListening = listening::complete;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        o.console = console;
        o.errorConsole = new ByteArrayOutputStream();
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Exec.run("management", elf, o);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        run.whenComplete((r, e) -> {
            if (e != null) {
                listening.completeExceptionally(e); // a run that fails before it listens
            }
        });
        return new BoardUnderGdb(run, listening.get(10, TimeUnit.SECONDS), console);
    }

    int port() {
        return address.getPort();
    }
}
