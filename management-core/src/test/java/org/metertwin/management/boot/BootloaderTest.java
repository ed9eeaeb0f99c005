package org.metertwin.management.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Outcome;

/** The bootloader on the management board: boot, install, restore (docs/firmware-update.md, "The bootloader"). */
class BootloaderTest {
    static byte[] appBody(int padding) throws Exception {
        byte[] app = Files.readAllBytes(BootBoard.APP_BODY);
        return Arrays.copyOf(app, app.length + padding); // the padding makes the bodies of two versions differ
    }

    @Test
    void theImageBuilderMakesTheDocumentsWorkedExample() {
        byte[] body = new byte[16];
        for (int i = 0; i < 16; i++) {
            body[i] = (byte) i;
        }
        byte[] image = new SignedImage().version(1, 2, 3, 4).counter(5).body(body).bytes();
        assertThat(image).hasSize(672);
        // docs/firmware-update.md: made there with Python's hashlib and OpenSSL
        assertThat(HexFormat.of().formatHex(SignedImage.sha256(image, image.length)))
                .isEqualTo("a61d954556325a53184191a76c634364593feb302e87411ec1ae1d87335e423d");
    }

    @Test
    void aSignedImageBoots() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes()).run();
        assertThat(run.console()).as(run.exec().message()).contains(
                "boot: application 1.0.0+1 counter 1: valid\n",
                "boot: starting 1.0.0+1 counter 1\n",
                "app: running 1.0.0+1 counter 1 body " + appBody(0).length + "\n",
                "app: no result record\n");
        assertThat(run.exec().outcome()).isEqualTo(Outcome.EXITED);
        assertThat(run.exec().exitStatus()).isZero();
        System.out.printf("boot of a %d-byte image: %d instructions, %.1f ms virtual%n", v1.bytes().length,
                run.exec().instructions(), run.exec().virtualNanos() / 1e6);
    }

    @Test
    void anUpdateIsInstalledAndTheNewVersionRuns() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v2 = new SignedImage().version(2, 1, 300, 70000).counter(2).body(appBody(4000));
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(7))
                .run();
        assertThat(run.console()).as(run.exec().message()).contains(
                "boot: application 1.0.0+1 counter 1: valid\n",
                "boot: request 7\n", "boot: download 2.1.300+70000 counter 2: valid\n",
                "boot: result 7 installed\n",
                "boot: starting 2.1.300+70000 counter 2\n",
                "app: running 2.1.300+70000 counter 2 body " + appBody(4000).length + "\n",
                "app: result 7 installed installed candidate 2.1.300+70000 counter 2 installed-counter 1\n");
        assertThat(run.exec().exitStatus()).isZero();
        // the slot holds v2 byte for byte, the backup slot v1, and the record says so (read here, not by the app)
        assertThat(run.flash(SignedImage.APPLICATION_SLOT, v2.bytes().length)).isEqualTo(v2.bytes());
        assertThat(run.nor(UpdateRecords.BACKUP_SLOT, v1.bytes().length)).isEqualTo(v1.bytes());
        assertThat(run.record()).isEqualTo(new UpdateRecords.Result(7, "installed", 0, "2.1.300+70000 counter 2", 1,
                "installed"));
        System.out.printf("install of a %d-byte image: %d instructions, %.1f ms virtual%n", v2.bytes().length,
                run.exec().instructions(), run.exec().virtualNanos() / 1e6);

        // v2 was on trial and confirmed itself (the confirm record in the NOR)
        assertThat(run.console()).contains("boot: trial: confirm within 8.2 s\n", "app: confirmed 7\n");
        assertThat(UpdateRecords.numbered(run.nor(UpdateRecords.CONFIRM_ADDRESS, 12), 0x4B4F_544D)).isEqualTo(7);

        // the next reset finds the confirm: v2 stays, and nothing is installed again
        BootBoard.Run second = BootBoard.after(run).run();
        assertThat(second.console()).as(second.exec().message()).contains("boot: trial 7 confirmed\n",
                "boot: application 2.1.300+70000 counter 2: valid\n", "app: running 2.1.300+70000 counter 2")
                .doesNotContain("boot: request", "boot: trial: confirm", "app: confirmed");
        assertThat(second.flash(SignedImage.APPLICATION_SLOT, v2.bytes().length)).isEqualTo(v2.bytes());
        // and the one after: no trial left, not a byte changed
        BootBoard.Run third = BootBoard.after(second).run();
        assertThat(third.console()).contains("app: running 2.1.300+70000 counter 2").doesNotContain("boot: trial");
        assertThat(third.flash()).isEqualTo(second.flash());
        assertThat(third.nor()).isEqualTo(second.nor());
    }

    @Test
    void anUpdateThatNeverConfirmsIsRevertedAfterTheDeadline() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v2 = new SignedImage().version(2, 99, 0, 1).counter(2).body(appBody(64)); // minor 99: no confirm
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(9))
                .run();
        String console = run.console();
        assertThat(console).as(run.exec().message()).contains("boot: result 9 installed\n",
                "app: running 2.99.0+1 counter 2", "app: not confirming\n",
                // the watchdog's reset, then the bootloader again
                "boot: trial 9 not confirmed\n", "boot: backup 1.0.0+1 counter 1: valid\n",
                "boot: result 9 no-confirm\n", "boot: starting 1.0.0+1 counter 1\n",
                "app: result 9 reverted no-confirm candidate 1.0.0+1 counter 1 installed-counter 2\n");
        assertThat(console.indexOf("app: not confirming")).isLessThan(console.indexOf("boot: trial 9 not confirmed"));
        assertThat(run.exec().exitStatus()).isZero();
        // the deadline: 4096 x 64 / 32 kHz = 8.19 s after the start, plus the install before it
        assertThat(run.exec().virtualNanos()).isGreaterThan(8_192_000_000L);
        assertThat(run.flash(SignedImage.APPLICATION_SLOT, v1.bytes().length)).isEqualTo(v1.bytes());
        // the next reset: v1, no trial, no second install
        BootBoard.Run again = BootBoard.after(run).run();
        assertThat(again.console()).contains("app: running 1.0.0+1 counter 1").doesNotContain("boot: trial",
                "boot: request");
    }

    @Test
    void aConfirmedCounterIsAFloorEvenWhenTheApplicationSlotIsLost() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v3 = new SignedImage().version(3, 0, 0, 1).counter(3).body(appBody(16));
        SignedImage old = new SignedImage().version(1, 5, 0, 1).counter(2).body(appBody(32)); // signed, but older
        BootBoard.Run installed = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v3.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(1))
                .run();
        BootBoard.Run confirmed = BootBoard.after(installed).run();
        assertThat(confirmed.console()).as(confirmed.exec().message()).contains("boot: trial 1 confirmed\n",
                "app: running 3.0.0+1 counter 3");
        // the application slot is lost (a torn or corrupted slot), and an older signed image is offered
        byte[] torn = v3.bytes();
        Arrays.fill(torn, 1000, torn.length, (byte) 0xFF);
        BootBoard.Run offered = BootBoard.after(confirmed).flash(SignedImage.APPLICATION_SLOT, torn)
                .nor(UpdateRecords.DOWNLOAD_SLOT, old.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(2))
                .run();
        assertThat(offered.console()).as(offered.exec().message()).contains(
                "boot: request 2\n", "boot: download 1.5.0+1 counter 2: rollback\n", "boot: result 2 rollback\n")
                .doesNotContain("app: running 1.5.0+1");
        assertThat(offered.record().reason()).isEqualTo("rollback");
        assertThat(offered.record().installedCounter()).as("compared with the floor").isEqualTo(3);
    }

    @Test
    void theSameRunGivesTheSameBytesAndTheSameTime() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v2 = new SignedImage().version(1, 1, 0, 1).counter(1).body(appBody(8));
        BootBoard board = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(1));
        BootBoard.Run a = board.run();
        BootBoard.Run b = board.run();
        assertThat(a.console()).contains("app: running 1.1.0+1 counter 1").isEqualTo(b.console()); // equal counter: accepted
        assertThat(a.exec().instructions()).isEqualTo(b.exec().instructions());
        assertThat(a.exec().virtualNanos()).isEqualTo(b.exec().virtualNanos());
        assertThat(a.flash()).isEqualTo(b.flash());
        assertThat(a.nor()).isEqualTo(b.nor());
    }

    @Test
    void anInvalidApplicationSlotIsRestoredFromTheBackup() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v3 = new SignedImage().version(3, 0, 0, 1).counter(3).body(appBody(16));
        byte[] torn = v3.bytes();
        Arrays.fill(torn, 1000, torn.length, (byte) 0xFF); // as an interrupted programming would leave it
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, torn)
                .nor(UpdateRecords.BACKUP_SLOT, v1.bytes()).run();
        assertThat(run.console()).as(run.exec().message()).contains(
                "boot: application 3.0.0+1 counter 3: bad-trailer\n",
                "boot: backup 1.0.0+1 counter 1: valid\n",
                "boot: restored 1.0.0+1 counter 1: valid\n",
                "boot: result 0 restored-backup\n",
                "app: running 1.0.0+1 counter 1",
                "app: result 0 restored restored-backup candidate 1.0.0+1 counter 1 installed-counter 0\n");
        assertThat(run.flash(SignedImage.APPLICATION_SLOT, v1.bytes().length)).isEqualTo(v1.bytes());
    }

    @Test
    void withNoValidImageTheCoreStops() throws Exception {
        byte[] other = new SignedImage().signedBy(SignedImage.TEST2, SignedImage.TEST2).body(appBody(0)).bytes();
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, other).run();
        assertThat(run.console()).contains("boot: application 1.0.0+1 counter 1: wrong-key\n",
                "boot: backup 255.255.65535+4294967295 counter 4294967295: bad-header\n",
                "boot: no valid image\n").doesNotContain("app:");
        assertThat(run.exec().outcome()).isEqualTo(Outcome.DEADLOCK); // asleep in WFI, nothing to wake it
        assertThat(run.record()).isNull();
    }

    @Test
    void aLargeUpdateSpansFlashSectorsAndNorBlocks() throws Exception {
        // v1 over two 64 KiB NOR blocks of the backup slot, v2 over two 128 KiB application sectors (5 and 6)
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(70_000));
        SignedImage v2 = new SignedImage().version(2, 0, 0, 1).counter(2).body(appBody(140_000));
        BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(2))
                .run();
        assertThat(run.console()).as(run.exec().message()).contains("boot: result 2 installed\n",
                "app: running 2.0.0+1 counter 2 body " + appBody(140_000).length + "\n");
        assertThat(run.flash(SignedImage.APPLICATION_SLOT, v2.bytes().length)).isEqualTo(v2.bytes());
        assertThat(run.nor(UpdateRecords.BACKUP_SLOT, v1.bytes().length)).isEqualTo(v1.bytes());
        System.out.printf("install of a %d-byte image over a %d-byte one: %d instructions, %.1f ms virtual%n",
                v2.bytes().length, v1.bytes().length, run.exec().instructions(), run.exec().virtualNanos() / 1e6);
    }

    /** A journal entry as docs/firmware-update.md lays it out. */
    static byte[] journalEntry(int sequence, int state, int request, int counter, int floor) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putInt(0x524A_544D).putInt(sequence)
                .put((byte) state).put(new byte[3]).putInt(request).putInt(counter).putInt(floor);
        return b.putInt(28, UpdateRecords.crc(b.array(), 28)).array();
    }

    static final int SECTOR_2 = 0x0800_8000, SECTOR_3 = 0x0800_C000;

    @Test
    void aFullJournalSectorMovesTheJournalToTheOtherOne() throws Exception {
        // sector 2 full of confirmed entries 1-512 (floor 0, as an earlier bootloader wrote them), the last one torn
        // (bad CRC); sector 3 holding stale bytes
        byte[] full = new byte[0x4000];
        for (int i = 0; i < 512; i++) {
            System.arraycopy(journalEntry(i + 1, 2, i + 1, 1, 0), 0, full, 32 * i, 32);
        }
        full[0x4000 - 1] ^= 1;
        byte[] stale = new byte[0x4000];
        Arrays.fill(stale, (byte) 0x5A);
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v2 = new SignedImage().version(2, 0, 0, 1).counter(2).body(appBody(32));
        BootBoard.Run run = new BootBoard().flash(SECTOR_2, full).flash(SECTOR_3, stale)
                .flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(600))
                .run();
        assertThat(run.console()).as(run.exec().message()).contains("boot: result 600 installed\n", "app: confirmed 600\n");
        // the newest valid entry was 511: the copying entry is 512, at the start of sector 3, erased first, and
        // the trial 513 after it; neither raises the floor
        byte[] sector3 = run.flash(SECTOR_3, 0x4000);
        assertThat(Arrays.copyOf(sector3, 32)).isEqualTo(journalEntry(512, 5, 600, 2, 0));
        assertThat(Arrays.copyOfRange(sector3, 32, 64)).isEqualTo(journalEntry(513, 1, 600, 2, 0));
        assertThat(Arrays.copyOfRange(sector3, 64, 0x4000)).containsOnly((byte) 0xFF);
        assertThat(run.flash(SECTOR_2, 0x4000)).isEqualTo(full);
        // the next boot finds the trial there and confirms it right after it
        BootBoard.Run again = BootBoard.after(run).run();
        assertThat(again.console()).contains("boot: trial 600 confirmed\n");
        assertThat(Arrays.copyOfRange(again.flash(SECTOR_3, 96), 64, 96)).isEqualTo(journalEntry(514, 2, 600, 2, 2)); // the confirm does
    }

    /**
     * The result log keeps what came before: a refused request (one flipped signature bit), then a good one;
     * the application sees both. A log whose first sector is full (records 1-64) goes on in the second,
     * erased first, and the first is kept.
     */
    @Test
    void theResultLogKeepsEarlierResultsAndMovesToItsOtherSector() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(appBody(0));
        SignedImage v2 = new SignedImage().version(2, 0, 0, 1).counter(2).body(appBody(8));
        byte[] bad = v2.bytes().clone();
        bad[bad.length - 1] ^= 1; // the signature's last byte
        BootBoard.Run refused = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, bad).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(1)).run();
        assertThat(refused.console()).contains("app: result 1 refused bad-signature").doesNotContain("app: earlier result");
        byte[] nor = refused.nor(); // the application downloads v2 and asks for it; the log stays
        System.arraycopy(v2.bytes(), 0, nor, UpdateRecords.DOWNLOAD_SLOT, v2.bytes().length);
        Arrays.fill(nor, UpdateRecords.DOWNLOAD_SLOT + v2.bytes().length, UpdateRecords.DOWNLOAD_SLOT + bad.length, (byte) 0xFF);
        System.arraycopy(UpdateRecords.request(2), 0, nor, UpdateRecords.REQUEST_ADDRESS, 12);
        BootBoard.Run installed = new BootBoard().flash(BootBoard.FLASH_FROM, refused.flash()).nor(0, nor).run();
        assertThat(installed.console()).contains("app: result 2 installed installed",
                "app: earlier result 1 refused bad-signature\n", "app: confirmed 2\n");
        List<byte[]> log = UpdateRecords.log(installed.nor(UpdateRecords.RESULT_ADDRESS, UpdateRecords.RESULT_LOG_SIZE));
        assertThat(log).extracting(UpdateRecords::number).containsExactly(2, 1);

        // sector 0 full of records 1-64, sector 1 stale: the next result is record 65, at the start of sector 1
        byte[] full = new byte[0x1000];
        for (int n = 1; n <= 64; n++) {
            System.arraycopy(UpdateRecords.resultRecord(n, n, 1, "bad-hash"), 0, full, 64 * (n - 1), 64);
        }
        byte[] stale = new byte[0x1000];
        Arrays.fill(stale, (byte) 0x5A);
        BootBoard.Run moved = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.RESULT_ADDRESS, full).nor(UpdateRecords.RESULT_ADDRESS + 0x1000, stale)
                .nor(UpdateRecords.DOWNLOAD_SLOT, bad).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(65)).run();
        assertThat(moved.console()).contains("app: result 65 refused bad-signature", "app: earlier result 64 refused bad-hash\n",
                "app: earlier result 63 refused bad-hash\n", "app: earlier result 62 refused bad-hash\n");
        assertThat(moved.nor(UpdateRecords.RESULT_ADDRESS, 0x1000)).isEqualTo(full);
        byte[] second = moved.nor(UpdateRecords.RESULT_ADDRESS + 0x1000, 0x1000);
        assertThat(UpdateRecords.number(Arrays.copyOf(second, 64))).isEqualTo(65);
        assertThat(Arrays.copyOfRange(second, 64, 0x1000)).containsOnly((byte) 0xFF);
    }
}
