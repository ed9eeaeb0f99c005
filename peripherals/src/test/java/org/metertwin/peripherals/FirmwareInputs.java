package org.metertwin.peripherals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.MachineException;
import org.metertwin.peripherals.host.HostBridges;
import org.metertwin.peripherals.host.StreamBridge;

/**
 * Connects a test program's USART1 to its input file, when it has one, and to the console, as QEMU's
 * {@code -serial stdio} does with the file on stdin: the guest's USART1 output lands in the console with
 * the semihosting output, in the order written. The whole file is queued when the bridge opens, so it
 * reaches the guest at the same virtual times on every run, one character per frame and held while
 * USART1 cannot take it (receiver off or RXNE set), as QEMU holds stdin while the USART cannot receive.
 */
final class FirmwareInputs {
    static final String UART = "USART1";

    private FirmwareInputs() {
    }

    static void attach(ExecOptions o, Path input, OutputStream console) {
        if (!Files.exists(input)) {
            return;
        }
        o.uarts.add(board -> {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(input);
            } catch (IOException e) {
                throw new MachineException(input + ": cannot be read: " + e.getMessage());
            }
            return StreamBridge.preloaded(HostBridges.uart(board, UART, input.getFileName() + " (USART1 input)"),
                    board.cpu().events(), bytes, console);
        });
    }

    /**
     * Schedules the supply voltage changes of NAME.vdd (lines "MILLISECONDS VOLTS [NET]", NET defaulting to
     * the board's VDD net; VBAT is the RTC battery) as a scenario would drive the mains supply.
     */
    static void supply(ExecOptions o, Path vdd) throws java.io.IOException {
        if (!Files.exists(vdd)) {
            return;
        }
        java.util.List<String> lines = Files.readAllLines(vdd);
        o.setups.add(board -> {
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                double volts = Double.parseDouble(f[1]);
                org.metertwin.core.signal.AnalogLine net = board.nets().analog(f.length > 2 ? f[2] : "VDD", 3.3);
                org.metertwin.core.time.EventQueue q = board.cpu().events();
                q.schedule(q.event(net.name() + " " + volts + " V", when -> net.set(volts)),
                        Long.parseLong(f[0]) * 1_000_000L);
            }
        });
    }
}
