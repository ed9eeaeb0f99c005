package org.metertwin.management;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;

/** A test program of management-core/firmware run to its semihosting exit: what it printed and how it ended. */
record FirmwareRun(String output, ExecResult result) {
    static final Path DIR = Path.of("src/test/resources/firmware");

    static FirmwareRun on(String machine, String elf, ExecOptions.CodeMode mode) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecOptions o = ExecOptions.semihosted(out, 2_000_000_000L);
        o.codeMode = mode;
        ExecResult r = Exec.run(machine, DIR.resolve(elf), o);
        return new FirmwareRun(out.toString(StandardCharsets.ISO_8859_1), r);
    }
}
