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
 * The supervisor and the watchdog (watchdog_test.elf, docs/rtos.md "Processes"): a supervised process that
 * stops beating is killed as hung exactly one period after its last beat, restarted, killed again and given
 * up on with RTOS_ON_GIVE_UP_RESET; the supervisor then stops feeding the IWDG (400 ms, fed every 100 ms),
 * whose model resets the board: the next boot finds IWDGRSTF.
 */
class WatchdogTest {
    @Test
    void aProcessGivenUpOnResetsTheBoardThroughTheWatchdog() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecOptions o = ExecOptions.semihosted(out, 50_000_000L);
        ExecResult r = Exec.run("management", Path.of("src/test/resources/firmware/rtos/watchdog_test.elf"), o);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).as(r.message()).isEqualTo("""
                watchdog test: first boot
                event hung of process 1 at 83 ms
                event restart of process 1 at 93 ms
                event hung of process 1 at 176 ms
                event gave-up of process 1 at 176 ms
                watchdog test: reset by the watchdog
                """);
        assertThat(r.exitStatus()).isZero();
        // the last feed came at most 100 ms before the give-up; the reset 400 ms after the last feed
        assertThat(r.virtualNanos()).isBetween(176_000_000L + 300_000_000L, 176_000_000L + 420_000_000L);
    }
}
