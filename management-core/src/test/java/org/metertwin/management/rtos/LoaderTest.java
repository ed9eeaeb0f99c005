package org.metertwin.management.rtos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/**
 * The loader (loader.c, docs/rtos.md "The loader"): loader_test.elf writes a separately linked,
 * position-independent application (apps/hello.c, packed by apps/pack.c) into /data on the board's NOR and
 * starts it with SYS_PROCESS_LOAD. The application runs from RAM under its own MPU code region, reaches its
 * data through its relocated GOT (r9) and its relocated pointers (a thread started by a function pointer
 * from a constant initialiser), opens what its image's manifest allows; its first run faults and its
 * restart runs with data and bss as in the file. A damaged image, a missing one and a manifest wider than
 * the loading process's are refused.
 */
class LoaderTest {
    @Test
    void aSeparatelyLinkedApplicationIsLoadedFromDataRunsIsolatedAndRestarts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecOptions o = ExecOptions.semihosted(out, 50_000_000L);
        ExecResult r = Exec.run("management", Path.of("src/test/resources/firmware/rtos/loader_test.elf"), o);
        String line = "hello: run 101, bss 0, thread 42, /pipe/hello.out 0, /dev/null -13, arg 3\n";
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).as(r.message()).isEqualTo("rtos loader test\n"
                + line + line
                + "loader: wrote 904, loaded 1, exit 7, first event fault; damaged -22, missing -2,"
                + " wider manifest -13\n");
        assertThat(r.exitStatus()).isZero();
    }
}
