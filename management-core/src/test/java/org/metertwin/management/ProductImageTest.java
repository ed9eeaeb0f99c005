package org.metertwin.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Exec;
import org.metertwin.core.machine.ExecOptions;
import org.metertwin.core.machine.ExecResult;
import org.metertwin.core.machine.Outcome;
import org.metertwin.peripherals.meter.memory.W25qFlash;

/**
 * The management board as shipped (ManagementFirmware): the bootloader verifies the signed RTOS image and
 * starts it; the kernel mounts /data (formatting the blank NOR), starts the watchdog's supervisor and the
 * bundled processes, which report on the debug console (USART1); platform management installs the energy app's
 * image into /data/apps at the first boot and loads it at every boot. A second power-on of the same board (its
 * NOR kept) counts boot 2: /data persists.
 */
class ProductImageTest {
    static final int NOR_SIZE = 8 << 20;

    record Boot(String console, ExecResult result, byte[] nor) { }

    static Boot boot(byte[] nor, long seconds) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecOptions o = new ExecOptions();
        o.console = out;
        o.errorConsole = out;
        o.maxVirtualNanos = seconds * 1_000_000_000L;
        W25qFlash[] chip = new W25qFlash[1];
        o.setups.add(ManagementFirmware.install(ManagementFirmware.rtosImage()));
        o.setups.add(b -> {
            chip[0] = (W25qFlash) b.deviceObject("nor");
            if (nor != null) {
                chip[0].preload(0, nor);
            }
        });
        ExecResult r = Exec.run("management", ManagementFirmware.bootloader(), o);
        return new Boot(out.toString(StandardCharsets.ISO_8859_1), r, chip[0].read(0, NOR_SIZE));
    }

    static String expected(int boot, int clockLines) {
        StringBuilder s = new StringBuilder(String.join("\n",
                "boot: MeterTwin bootloader",
                "boot: application 0.3.0+1 counter 1: valid",
                "boot: starting 0.3.0+1 counter 1",
                "rtos: MeterTwin management core RTOS 0.3, image 0.3.0",
                "rtos: kernel started",
                // the snapshot and boot-count's one data block, of NOR 0x200000-0x7FFFFF; from the second boot on
                // also the energy app's image, which the first boot installs (then loads, as every later one)
                "platform: boot " + boot + "; /data " + (boot == 1 ? 2 : 3) + " of 1536 blocks used"));
        if (boot == 1) {
            s.append("\nplatform: install apps/energy.app, 1636 bytes");
        }
        s.append("\n").append(String.join("\n",
                "platform: process 1 clock",
                "platform: process 2 platform",
                "platform: process 3 vbus",
                "platform: process 4 measurement",
                "platform: process 5 comm",
                "platform: process 6 energy-app", ""));
        for (int i = 1; i <= clockLines; i++) {
            s.append("clock: ").append(10 * i).append(" s\n");
        }
        return s.toString();
    }

    @Test
    void theBootloaderStartsTheRtosWhoseProcessesRunAndDataPersistsAcrossBoots() throws Exception {
        Boot first = boot(null, 25);
        assertThat(first.result().outcome()).as(first.result().message()).isEqualTo(Outcome.TIME_LIMIT);
        assertThat(first.result().exitStatus()).isZero();
        assertThat(first.console()).isEqualTo(expected(1, 2));
        // the boot (the signature check, the NOR scan of the mount) costs millions of instructions; then a meter
        // that sleeps between its heartbeats, its clock and the watchdog's feeds: 10 s more cost about 38,000 (20
        // wake-ups, and the clock's console line, whose polled USART waits for each character) before the
        // services; measurement management's poll every second (here unanswered: no metering core, two 100 ms
        // reply timeouts, the subscription and the registration of the DIs it serves renewed through the router,
        // communication management's heartbeat) brings it to about 780,000
        Boot shorter = boot(null, 15);
        assertThat(shorter.console()).isEqualTo(expected(1, 1));
        long tenSeconds = first.result().instructions() - shorter.result().instructions();
        assertThat(tenSeconds).as("instructions from 15 s to 25 s").isBetween(1L, 950_000L);
        Boot second = boot(first.nor(), 5);
        assertThat(second.console()).isEqualTo(expected(2, 0));
        System.out.printf("product image: 25 s virtual in %d instructions (%d from 15 s to 25 s), %d ms wall%n",
                first.result().instructions(), tenSeconds, first.result().wallMillis());
    }
}
