package org.metertwin.peripherals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.metertwin.core.machine.ExecOptions;

/** Connects a test program's USART1 input file, when it has one, as QEMU's -serial stdio would. */
final class FirmwareInputs {
    private FirmwareInputs() {
    }

    static void attach(ExecOptions o, Path input, OutputStream console) {
        if (!Files.exists(input)) {
            return;
        }
        throw new UnsupportedOperationException("USART1 input needs the host bridges: " + input);
    }
}
