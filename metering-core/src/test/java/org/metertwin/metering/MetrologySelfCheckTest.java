package org.metertwin.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.Outcome;
import org.metertwin.core.machine.SelfCheck;

/**
 * The metering firmware on its board (STPM34 over SPI, EEPROM, timers and interrupts) runs the same
 * interpreted and with every block compiled: {@code exec --self-check} over its first 2 million instructions.
 */
class MetrologySelfCheckTest {
    @Test
    void interpretedAndCompiledAgreeOnTheMeteringFirmware(@TempDir Path dir) throws Exception {
        Path elf = dir.resolve("metrology.elf");
        try (InputStream in = MetrologyMeter.class.getResourceAsStream(MetrologyMeter.BUNDLED_ELF)) {
            Files.copy(in, elf);
        }
        ExecOptions o = new ExecOptions();
        o.console = new ByteArrayOutputStream();
        o.maxInstructions = 2_000_000L;
        SelfCheck.Result r = SelfCheck.run("metrology", elf, o);
        assertThat(r.difference()).isNull();
        assertThat(r.exec().outcome()).isEqualTo(Outcome.INSTRUCTION_LIMIT);
        assertThat(r.exec().instructions()).isEqualTo(2_000_000L);
    }
}
