package org.metertwin.management.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's acceptance sweep: an update request for a download-slot image with one flipped bit in its
 * header, body or trailer, signed with the wrong key, with a lower security counter, a wrong load address,
 * or a truncated body. Each must be refused with the reason docs/firmware-update.md's table gives for the
 * field it broke (the expectation comes from the case's construction and that table, not from the
 * bootloader), written in the result record, with both internal flash and the backup slot untouched and
 * the installed image started.
 */
class CorruptionSweepTest {
    static final int SLOT_SIZE = 917_504;
    static final int INSTALLED_COUNTER = 3;

    record Case(String name, byte[] download, String reason) {
    }

    static SignedImage candidate() throws Exception {
        return new SignedImage().version(2, 0, 0, 9).counter(INSTALLED_COUNTER + 1).body(BootloaderTest.appBody(100));
    }

    static byte[] flip(byte[] image, int offset, int bit) {
        byte[] copy = image.clone();
        copy[offset] ^= (byte) (1 << bit);
        return copy;
    }

    /** The reason the table gives for a change to header byte {@code offset} (the image as changed). */
    static String headerReason(byte[] changed, int offset) {
        if (offset < 4 || (offset >= 8 && offset < 12) || (offset >= 16 && offset < 20) || offset >= 32) {
            return "bad-header"; // magic, hdr_size, protect_tlv_size, flags, padding
        }
        if (offset < 8) {
            return "wrong-load-address";
        }
        if (offset < 16) {
            long size = ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN).getInt(12) & 0xFFFF_FFFFL;
            // img_size: too large for the slot, or the trailer is not where it now says
            return size == 0 || 512 + size + 144 > SLOT_SIZE ? "too-large" : "bad-trailer";
        }
        return "bad-hash"; // version and security counter: hashed like every header byte
    }

    /** The reason for a change to trailer byte {@code offset} (in the trailer). */
    static String trailerReason(int offset) {
        if (offset >= 8 && offset < 40) {
            return "wrong-key";    // KEYHASH value
        }
        if (offset >= 44 && offset < 76) {
            return "bad-hash";     // SHA256 value
        }
        if (offset >= 80) {
            return "bad-signature"; // ED25519 value
        }
        return "bad-trailer";      // TLV info, the records' types and lengths
    }

    static List<Case> cases() throws Exception {
        byte[] good = candidate().bytes();
        int body = good.length - 512 - 144;
        SplittableRandom random = new SplittableRandom(16);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            int bit = random.nextInt(8);
            byte[] changed = flip(good, i, bit);
            cases.add(new Case("header byte " + i + " bit " + bit, changed, headerReason(changed, i)));
        }
        for (int i = 0; i < 16; i++) {
            int at = 32 + random.nextInt(480);
            int bit = random.nextInt(8);
            cases.add(new Case("header padding byte " + at + " bit " + bit, flip(good, at, bit), "bad-header"));
        }
        for (int i = 0; i < 70; i++) {
            int at = 512 + random.nextInt(body);
            int bit = random.nextInt(8);
            cases.add(new Case("body byte " + (at - 512) + " bit " + bit, flip(good, at, bit), "bad-hash"));
        }
        for (int t = 0; t < 144; t += 2) {
            int bit = random.nextInt(8);
            cases.add(new Case("trailer byte " + t + " bit " + bit, flip(good, 512 + body + t, bit), trailerReason(t)));
        }
        cases.add(new Case("signed with TEST 2's key", candidate().signedBy(SignedImage.TEST2, SignedImage.TEST2).bytes(),
                "wrong-key"));
        cases.add(new Case("signed with TEST 2's key, TEST 1's key hash",
                candidate().signedBy(SignedImage.TEST2, SignedImage.TEST1).bytes(), "bad-signature"));
        for (int counter = 0; counter < INSTALLED_COUNTER; counter++) {
            cases.add(new Case("security counter " + counter, candidate().counter(counter).bytes(), "rollback"));
        }
        for (int address : new int[] {0x0800_0000, 0x0804_0000, 0x2000_0000, 0x0802_0200}) {
            cases.add(new Case(String.format("load address 0x%08x", address), candidate().loadAddress(address).bytes(),
                    "wrong-load-address"));
        }
        for (int cut : new int[] {1, 4, 100, body / 2, body - 1}) {
            // the body cut short, the trailer right after what is left: img_size still says the full size
            byte[] truncated = new byte[good.length - cut];
            System.arraycopy(good, 0, truncated, 0, 512 + body - cut);
            System.arraycopy(good, 512 + body, truncated, 512 + body - cut, 144);
            cases.add(new Case("body truncated by " + cut, truncated, "bad-trailer"));
        }
        cases.add(new Case("trailer missing", Arrays.copyOf(good, 512 + body), "bad-trailer"));
        return cases;
    }

    @Test
    void everyCorruptionIsRefusedWithItsReasonAndTheOldImageRuns() throws Exception {
        SignedImage installed = new SignedImage().version(1, 0, 0, 1).counter(INSTALLED_COUNTER)
                .body(BootloaderTest.appBody(0));
        byte[] flashBefore = new byte[BootBoard.FLASH_END - BootBoard.FLASH_FROM];
        Arrays.fill(flashBefore, (byte) 0xFF);
        System.arraycopy(installed.bytes(), 0, flashBefore, SignedImage.APPLICATION_SLOT - BootBoard.FLASH_FROM,
                installed.bytes().length);
        byte[] erasedBackup = new byte[0x10000];
        Arrays.fill(erasedBackup, (byte) 0xFF);

        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> byReason = new TreeMap<>();
        long instructions = 0;
        long start = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            int sequence = 1000 + i;
            BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, installed.bytes())
                    .nor(UpdateRecords.DOWNLOAD_SLOT, c.download())
                    .nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(sequence)).run();
            instructions += run.exec().instructions();
            UpdateRecords.Result record = run.record();
            List<String> wrong = new ArrayList<>();
            if (record == null || record.sequence() != sequence || !record.outcome().equals("refused")
                    || !record.reason().equals(c.reason()) || record.installedCounter() != INSTALLED_COUNTER) {
                wrong.add("record " + record);
            }
            if (!run.console().contains("app: running " + installed.versionText() + " body")
                    || !run.console().contains("app: result " + sequence + " refused " + c.reason() + " candidate")) {
                wrong.add("console " + run.console());
            }
            if (!Arrays.equals(run.flash(), flashBefore)) {
                wrong.add("internal flash changed");
            }
            if (!Arrays.equals(run.nor(UpdateRecords.BACKUP_SLOT, erasedBackup.length), erasedBackup)) {
                wrong.add("backup slot written");
            }
            if (!wrong.isEmpty()) {
                failures.add(c.name() + " (expected " + c.reason() + "): " + wrong);
            }
            byReason.merge(c.reason(), 1, Integer::sum);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("corruption sweep: %d cases %s, %d instructions, %d ms%n", cases.size(), byReason,
                instructions, millis);
        assertThat(failures).isEmpty();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        assertThat(byReason.keySet()).containsExactlyInAnyOrder("bad-header", "wrong-load-address", "too-large",
                "bad-trailer", "wrong-key", "bad-hash", "bad-signature", "rollback");
    }
}
