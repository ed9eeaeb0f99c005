package org.metertwin.management.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.management.ManagementFirmware;
import org.metertwin.management.image.ImageVersion;
import org.metertwin.management.image.ImageWriter;
import org.metertwin.management.image.SigningKey;

/**
 * Platform management's downloads (services/platform.c, docs/firmware-update.md "Platform management"): the
 * product image's variant rtos_feeder.bin has a feeder process, a stand-in for the protocol handler, that
 * drives /pipe/platform with an image the test staged in internal flash sector 4 (begin, 248-byte blocks, end,
 * activate). The platform process writes the NOR download slot, checks the image with the bootloader's own
 * image_check, writes the update request and resets; the bootloader installs the image on trial, and the new
 * image's platform confirms it once vbus and measurement have beaten. A bad signature is refused with the
 * bootloader's reason and nothing is requested.
 */
class PlatformDownloadTest {
    static final Path FEEDER = Path.of("src/test/resources/firmware/rtos/rtos_feeder.bin");
    static final Path RTOS = Path.of("src/main/resources/firmware/rtos.bin");
    static final int STAGING = 0x0801_0000, STAGING_MAGIC = 0x5453_544D;
    static final ImageVersion V2 = new ImageVersion(0, 4, 0, 2);

    /** The feeder's staging area: "MTST", the image's size, the image. */
    static byte[] staging(byte[] image) {
        ByteBuffer b = ByteBuffer.allocate(8 + image.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(STAGING_MAGIC).putInt(image.length).put(image);
        return b.array();
    }

    static byte[] v1() throws Exception {
        return ManagementFirmware.sign(Files.readAllBytes(FEEDER));
    }

    static byte[] v2() throws Exception {
        return ImageWriter.write(Files.readAllBytes(RTOS), V2, 2, SigningKey.testKey());
    }

    static long at(BootBoard.Run run, String prefix) {
        return run.lines().stream().filter(l -> l.text().startsWith(prefix)).mapToLong(StampedConsole.Line::nanos)
                .findFirst().orElseThrow(() -> new AssertionError("no line " + prefix + ":\n" + run.console()));
    }

    @Test
    void aSignedImageDownloadedThroughThePipeIsInstalledAndConfirmedOnceItsServicesBeat() throws Exception {
        byte[] v1 = v1(), v2 = v2();
        BootBoard.Run run = new BootBoard().flash(ManagementFirmware.APPLICATION_SLOT, v1).flash(STAGING, staging(v2))
                .until(20_000_000_000L).run();
        String console = run.console();
        System.out.print(console);
        int blocks = (v2.length + 247) / 248;
        assertThat(console).contains(
                "platform: download of " + v2.length + " bytes begun: 0.4.0+2\n"
                        + "feeder: ok begin " + v2.length + "\n",
                "feeder: " + blocks + " blocks sent\n",
                "platform: download of " + v2.length + " bytes verified: 0.4.0+2 counter 2\n"
                        + "feeder: ok end " + v2.length + "\n"
                        + "platform: update request 1 for 0.4.0+2, resetting\n",
                "boot: request 1",
                "boot: starting 0.4.0+2 counter 2",
                "platform: trial 1: confirm once these beat: vbus measurement\n");
        assertThat(console).containsPattern("platform: trial 1 confirmed at \\d+ ms, these beat: vbus measurement\n");
        // v2 in the application slot byte for byte, v1 in the backup slot, the confirm record names request 1
        assertThat(run.flash(ManagementFirmware.APPLICATION_SLOT, v2.length)).isEqualTo(v2);
        assertThat(run.nor(UpdateRecords.BACKUP_SLOT, v1.length)).isEqualTo(v1);
        assertThat(UpdateRecords.numbered(run.nor(UpdateRecords.CONFIRM_ADDRESS, 12), 0x4B4F544D)).isEqualTo(1);
        assertThat(run.record().outcome()).isEqualTo("installed");
        long started = at(run, "rtos: MeterTwin management core RTOS 0.3, image 0.4.0");
        long confirmed = at(run, "platform: trial 1 confirmed");
        assertThat(confirmed - started).as("from v2's start to its confirm").isBetween(1L, 2_000_000_000L);
        System.out.printf("download: begun at %.3f s, verified at %.3f s, v2 started at %.3f s, confirmed at %.3f s%n",
                at(run, "platform: download of " + v2.length + " bytes begun") / 1e9,
                at(run, "platform: download of " + v2.length + " bytes verified") / 1e9, started / 1e9, confirmed / 1e9);

        // the next boot records the confirm and keeps v2, installing nothing
        BootBoard.Run next = BootBoard.after(run).until(3_000_000_000L).run();
        assertThat(next.console()).contains("boot: trial 1 confirmed", "boot: starting 0.4.0+2 counter 2")
                .doesNotContain("boot: request").doesNotContain("platform: trial");
    }

    @Test
    void anImageWithABadSignatureIsRefusedWithItsReasonAndNothingIsRequested() throws Exception {
        byte[] v1 = v1(), bad = v2();
        bad[bad.length - 1] ^= 0x01; // the signature's last byte: S changes
        BootBoard.Run run = new BootBoard().flash(ManagementFirmware.APPLICATION_SLOT, v1).flash(STAGING, staging(bad))
                .until(8_000_000_000L).run();
        String console = run.console();
        System.out.print(console);
        assertThat(console).contains("platform: download refused: bad-signature\n"
                + "feeder: refused bad-signature\n", "feeder: status refused bad-signature\n")
                .doesNotContain("update request").doesNotContain("boot: request");
        assertThat(run.flash(ManagementFirmware.APPLICATION_SLOT, v1.length)).isEqualTo(v1);
        assertThat(run.nor(UpdateRecords.REQUEST_ADDRESS, 12)).as("no request record")
                .isEqualTo(filled(12));
        // the slot holds what was downloaded: the platform wrote it, the bootloader was never asked
        assertThat(run.nor(UpdateRecords.DOWNLOAD_SLOT, bad.length)).isEqualTo(bad);
    }

    /**
     * An image whose platform waits for a process that never comes (the variant rtos_noconfirm.bin, waiting for
     * "missing" too): installed on trial, not confirmed within the 8 s window, the supervisor stops feeding the
     * watchdog, the IWDG resets the board and the bootloader puts v1 back (reverted / no-confirm).
     */
    @Test
    void anImageWhoseServicesDoNotComeUpIsNotConfirmedAndTheBootloaderPutsTheOldOneBack() throws Exception {
        byte[] v1 = v1();
        byte[] v2 = ImageWriter.write(Files.readAllBytes(Path.of("src/test/resources/firmware/rtos/rtos_noconfirm.bin")),
                V2, 2, SigningKey.testKey());
        BootBoard.Run run = new BootBoard().flash(ManagementFirmware.APPLICATION_SLOT, v1).flash(STAGING, staging(v2))
                .until(26_000_000_000L).run();
        String console = run.console();
        System.out.print(console);
        assertThat(console).contains("boot: starting 0.4.0+2 counter 2",
                "platform: trial 1: confirm once these beat: vbus measurement missing\n",
                "platform: trial 1 not confirmed: missing has not beaten within the trial window; the watchdog resets\n",
                "boot: trial 1 not confirmed").doesNotContain("platform: trial 1 confirmed");
        long notConfirmed = at(run, "platform: trial 1 not confirmed");
        long v2Started = at(run, "rtos: MeterTwin management core RTOS 0.3, image 0.4.0");
        assertThat(notConfirmed - v2Started).as("the trial window").isBetween(7_500_000_000L, 8_600_000_000L);
        long reverted = at(run, "boot: trial 1 not confirmed");
        assertThat(reverted - notConfirmed).as("the watchdog's 4 s").isBetween(3_000_000_000L, 5_500_000_000L);
        int after = console.indexOf("boot: trial 1 not confirmed");
        assertThat(console.substring(after)).contains("boot: starting 0.3.0+1 counter 1");
        assertThat(UpdateRecords.numbered(run.nor(UpdateRecords.CONFIRM_ADDRESS, 12), 0x4B4F544D)).isZero();
        System.out.printf("no confirm: v2 started at %.3f s, given up at %.3f s, reverted at %.3f s%n",
                v2Started / 1e9, notConfirmed / 1e9, reverted / 1e9);
    }

    static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xFF);
        return b;
    }
}
