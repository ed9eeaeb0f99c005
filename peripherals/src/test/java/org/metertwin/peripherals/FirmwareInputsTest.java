package org.metertwin.peripherals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.Board;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.MachineDescriptions;
import org.metertwin.core.serial.HostBridge;
import org.metertwin.core.serial.SerialFormat;
import org.metertwin.peripherals.host.TestUart;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FirmwareInputsTest {
    @TempDir
    Path dir;

    @Test
    void noInputFileMeansNoAttachment() {
        ExecOptions o = new ExecOptions();
        FirmwareInputs.attach(o, dir.resolve("none.input"), OutputStream.nullOutputStream());
        assertThat(o.uarts).isEmpty();
    }

    @Test
    void theInputFileFeedsUsart1AndItsOutputGoesToTheConsole() throws Exception {
        Path input = dir.resolve("echo.input");
        Files.writeString(input, "42\n");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ExecOptions o = new ExecOptions();
        FirmwareInputs.attach(o, input, console);
        assertThat(o.uarts).hasSize(1);

        Board board = new Board("uart-board.yaml",
                MachineDescriptions.load("src/test/resources/host/uart-board.yaml"), console);
        TestUart usart1 = (TestUart) board.serialPort("USART1");
        try (HostBridge bridge = o.uarts.get(0).attach(board)) {
            assertThat(bridge.inputOpen()).isFalse();
            assertThat(bridge.inputWaiting()).isTrue();
            bridge.pump();
            board.cpu().events().runDue(1_000_000_000L);
            long frame = SerialFormat.DEFAULT.frameNanos();
            assertThat(usart1.receivedText()).isEqualTo("42\n");
            assertThat(usart1.received).extracting(TestUart.Received::nanos).containsExactly(frame, 2 * frame,
                    3 * frame);
            console.write("semihosting ".getBytes(StandardCharsets.ISO_8859_1));
            usart1.transmit("usart\n");
        }
        assertThat(console.toString(StandardCharsets.ISO_8859_1)).isEqualTo("semihosting usart\n");
    }
}
