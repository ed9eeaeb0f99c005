package org.metertwin.management.boot;

import org.metertwin.management.PowerCutSweep;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.core.machine.Outcome;
import org.metertwin.peripherals.meter.memory.TornWrite;

/**
 * Power cuts during a whole update that starts with the download write (issue 16; docs/firmware-update.md,
 * "Power cuts, case by case"): v1 runs the downloading test application (firmware/test/app_download.c), which
 * takes v2 from the staging area in flash sector 4 (a test stand-in for the protocol), writes it into the NOR
 * download slot, writes the request and resets; the bootloader installs v2 on trial and v2 confirms. The mains
 * is cut at instants spread evenly over that whole run, from v1's boot to v2's confirm, and comes back a
 * second later. After each: a verified image runs, old or new, whose bytes are the application slot's; at most
 * two more boots end on v2, installed and confirmed; and a boot after that installs nothing.
 */
class DownloadPowerCutSweepTest {
    static final int CUTS = Integer.getInteger("powercut.cuts", 200);
    /** Threads the cases run on (each its own board): the machine's two cores by default. */
    static final Path DOWNLOADER = Path.of("src/test/resources/firmware/app_download.bin");
    /** The staging area app_download.c reads: flash sector 4, a 16-byte header and the image. */
    static final int STAGING = 0x0801_0000, STAGING_MAGIC = 0x5453_544D;
    static final int FIRST_REQUEST = 5, ATTEMPTS = 3;
    static final int CONFIRM_MAGIC = 0x4B4F_544D;

    static SignedImage v1, v2;
    static byte[] staging;

    @BeforeAll
    static void images() throws Exception {
        byte[] app = Files.readAllBytes(DOWNLOADER);
        v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(app);
        v2 = new SignedImage().version(2, 0, 0, 1).counter(2).body(Arrays.copyOf(app, app.length + 200));
        staging = staging(v2.bytes(), FIRST_REQUEST, ATTEMPTS);
    }

    /** app_download.c's staging area: magic, size, first request's sequence number, attempts; the image. */
    static byte[] staging(byte[] image, int first, int attempts) {
        return ByteBuffer.allocate(16 + image.length).order(ByteOrder.LITTLE_ENDIAN).putInt(STAGING_MAGIC)
                .putInt(image.length).putInt(first).putInt(attempts).put(image).array();
    }

    /** v1 in the application slot, v2 staged; the NOR erased (no request, no result, no backup). */
    static BootBoard meter() {
        return new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes()).flash(STAGING, staging);
    }

    static int count(String console, String text) {
        int n = 0;
        for (int at = console.indexOf(text); at >= 0; at = console.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }

    static long stamp(BootBoard.Run run, String prefix, int occurrence) {
        int seen = 0;
        for (StampedConsole.Line l : run.lines()) {
            if (l.text().startsWith(prefix) && ++seen == occurrence) {
                return l.nanos();
            }
        }
        throw new AssertionError("no line " + prefix + " (" + occurrence + ") in\n" + run.console());
    }

    /** The uncut run's phases, each from the console line that starts it (virtual time of its newline). */
    record Phases(long downloadStart, long downloadEnd, long verifyEnd, long installed, long trialStart, long end) {
        static Phases of(BootBoard.Run run) {
            return new Phases(stamp(run, "app: download " + FIRST_REQUEST + ":", 1),
                    stamp(run, "app: downloaded ", 1), stamp(run, "boot: download ", 1),
                    stamp(run, "boot: result " + FIRST_REQUEST + " installed", 1),
                    stamp(run, "app: running " + v2.versionText(), 1), run.exec().virtualNanos());
        }

        String of(long nanos) {
            if (nanos < 0 || nanos >= end) {
                return "after the end";
            }
            if (nanos < downloadStart) {
                return "v1's boot";
            }
            if (nanos <= downloadEnd) {
                return "download write";
            }
            if (nanos < verifyEnd) {
                return "reset, verify";
            }
            if (nanos < installed) {
                return "backup, copy";
            }
            return nanos < trialStart ? "trial boot" : "trial run, confirm";
        }
    }

    /** v2 runs, is the application slot byte for byte, was installed and has written its confirm record. */
    static boolean settled(BootBoard.Run run) {
        UpdateRecords.Result r = run.record();
        return v2.versionText().equals(PowerCutSweepTest.lastRunning(run.console()))
                && Arrays.equals(run.flash(SignedImage.APPLICATION_SLOT, v2.bytes().length), v2.bytes())
                && r != null && r.outcome().equals("installed")
                && UpdateRecords.numbered(run.nor(UpdateRecords.CONFIRM_ADDRESS, 12), CONFIRM_MAGIC) == r.sequence();
    }

    /** What is wrong with one power-on's end: it must run v1 or v2, the application slot that image exactly. */
    static List<String> wrongEnd(BootBoard.Run run) {
        List<String> wrong = new ArrayList<>();
        if (run.exec().outcome() != Outcome.EXITED || run.exec().exitStatus() != 0) {
            wrong.add("ended " + run.exec().outcome() + " " + run.exec().exitStatus() + " " + run.exec().message());
        }
        String running = PowerCutSweepTest.lastRunning(run.console());
        SignedImage expected = v1.versionText().equals(running) ? v1 : v2.versionText().equals(running) ? v2 : null;
        if (expected == null) {
            wrong.add("running " + running);
        } else if (!Arrays.equals(run.flash(SignedImage.APPLICATION_SLOT, expected.bytes().length), expected.bytes())) {
            wrong.add("the application slot is not " + running + " byte for byte");
        }
        if (!Arrays.equals(run.flash(STAGING, staging.length), staging)) {
            wrong.add("the staging area changed");
        }
        return wrong;
    }

    static BootBoard.Run uncut() throws Exception {
        BootBoard.Run run = meter().run();
        int n = v2.bytes().length;
        assertThat(run.console()).as(run.exec().message()).contains(
                "app: running " + v1.versionText() + " body " + v1.body.length + "\n", "app: no result record\n",
                "app: download 5: " + n + " bytes\n", "app: downloaded " + n + " bytes, request 5\n",
                "boot: request 5\n", "boot: result 5 installed\n", "boot: trial: confirm within 8.2 s\n",
                "app: running " + v2.versionText() + " body " + v2.body.length + "\n", "app: confirmed 5\n",
                "app: staged image is running\n").doesNotContain("read back differs");
        assertThat(count(run.console(), "boot: MeterTwin bootloader")).isEqualTo(2); // the app's SYSRESETREQ
        assertThat(wrongEnd(run)).isEmpty();
        assertThat(settled(run)).isTrue();
        assertThat(run.nor(UpdateRecords.DOWNLOAD_SLOT, n)).isEqualTo(v2.bytes());
        assertThat(UpdateRecords.numbered(run.nor(UpdateRecords.REQUEST_ADDRESS, 12), 0x5152_544D)).isEqualTo(5);
        assertThat(run.nor(UpdateRecords.BACKUP_SLOT, v1.bytes().length)).isEqualTo(v1.bytes());
        return run;
    }

    /** What one cut showed: its phase, what happened, and what was wrong (empty: nothing). */
    record Case(String phase, List<String> wrong, boolean reverted, boolean retried, boolean downloadAgain,
                boolean readBackSawIt, boolean torn, boolean tornRequest, boolean endedOld, boolean endedNew,
                int extraBoots, String console) {
    }

    /** The mains cut at {@code at}, back a second later; then the boots after it until v2 is confirmed, and one more. */
    static Case cut(long at, Phases phases) throws Exception {
        BootBoard.Run run = meter().cutAt(at).run();
        String console = run.console();
        String phase = phases.of(run.norOffAt());
        List<String> wrong = wrongEnd(run);
        String running = PowerCutSweepTest.lastRunning(console);
        // the backup put back: a cut during the copy (torn-copy) or after the trial entry (no-confirm)
        boolean reverted = console.contains("boot: trial 5 not confirmed") || console.contains("boot: copy 5 interrupted");
        if (console.contains("boot: copy 5 interrupted") && !console.contains("boot: result 5 torn-copy")) {
            wrong.add("an interrupted copy not answered as torn-copy");
        }
        boolean retried = count(console, "boot: request 5\n") > 1; // cut before it: the request taken up again
        // what the board printed once the power was back: the boots after the cut
        StringBuilder after = new StringBuilder();
        run.lines().stream().filter(l -> l.nanos() >= at + BootBoard.OUTAGE_NANOS)
                .forEach(l -> after.append(l.text()).append('\n'));
        String back = after.toString();
        boolean tornRequest = run.norTorn() != null && run.norTorn().address() == UpdateRecords.REQUEST_ADDRESS;
        if (tornRequest && back.contains("boot: request")
                && back.indexOf("boot: request") < back.indexOf("app: downloaded")) {
            wrong.add("a torn request was taken up: " + run.norTorn());
        }
        boolean downloadAgain = false;
        if (phase.equals("download write")) {
            // the cut left no valid request: the bootloader installs nothing, v1 runs again and writes the
            // download again from its start (the erase), and the update goes on
            int v1Again = back.indexOf("app: running " + v1.versionText());
            int again = back.indexOf("app: download 5: ");
            downloadAgain = back.startsWith("boot: MeterTwin bootloader\n") && v1Again >= 0 && again > v1Again
                    && !back.substring(0, again).contains("boot: request")
                    && back.indexOf("app: downloaded ", again) > again;
            if (!downloadAgain) {
                wrong.add("after a cut in the download write: " + back);
            }
        }
        int boots = -1;
        if (wrong.isEmpty()) {
            // at most two more boots end on v2, installed and confirmed
            BootBoard.Run last = run;
            boots = 0;
            while (!settled(last) && boots < 2 && wrong.isEmpty()) {
                last = BootBoard.after(last).run();
                boots++;
                wrong.addAll(wrongEnd(last));
            }
            if (!settled(last)) {
                wrong.add("not on v2, confirmed, after " + boots + " more boots: " + last.console());
            } else {
                // and a further boot installs nothing: v2 runs, no request taken, no download, no revert, the
                // slots and the result record as they were
                BootBoard.Run further = BootBoard.after(last).run();
                wrong.addAll(wrongEnd(further));
                if (!v2.versionText().equals(PowerCutSweepTest.lastRunning(further.console()))
                        || further.console().contains("boot: request") || further.console().contains("app: download")
                        || further.console().contains("not confirmed")
                        || !Arrays.equals(further.nor(0, UpdateRecords.REQUEST_ADDRESS), last.nor(0, UpdateRecords.REQUEST_ADDRESS))
                        || !Arrays.equals(further.nor(UpdateRecords.RESULT_ADDRESS, UpdateRecords.RESULT_LOG_SIZE),
                                last.nor(UpdateRecords.RESULT_ADDRESS, UpdateRecords.RESULT_LOG_SIZE))) {
                    wrong.add("the boot after v2 confirmed: " + further.console());
                }
            }
        }
        return new Case(phase, wrong, reverted, retried, downloadAgain,
                phase.equals("download write") && console.contains("app: download read back differs"),
                run.norTorn() != null, tornRequest, v1.versionText().equals(running), v2.versionText().equals(running),
                boots, String.format("cut at %.3f ms (NOR off at %.3f ms, %s)%n%s", at / 1e6, run.norOffAt() / 1e6,
                        phase, console));
    }

    @Test
    void afterACutAnywhereFromTheDownloadWriteToTheConfirmAVerifiedImageRunsAndTheUpdateCompletes() throws Exception {
        long start = System.nanoTime();
        BootBoard.Run whole = uncut();
        Phases phases = Phases.of(whole);
        // the next boot records the confirm and installs nothing
        BootBoard.Run next = BootBoard.after(whole).run();
        assertThat(next.console()).contains("boot: trial 5 confirmed\n", "app: staged image is running\n")
                .doesNotContain("boot: request", "app: download");

        // the cases are independent boards: run on PowerCutSweep.THREADS threads (the results do not depend on it)
        List<Long> instants = new ArrayList<>();
        for (int i = 0; i < CUTS; i++) {
            instants.add(phases.end() * i / CUTS);
        }
        List<Case> cases = PowerCutSweep.run(instants, at -> cut(at, phases));

        Map<String, Integer> byPhase = new LinkedHashMap<>();
        for (String p : List.of("v1's boot", "download write", "reset, verify", "backup, copy", "trial boot",
                "trial run, confirm", "after the end")) {
            byPhase.put(p, 0);
        }
        List<String> failures = new ArrayList<>();
        int endedOld = 0, endedNew = 0, reverted = 0, retried = 0, downloadAgain = 0, readBackSawIt = 0;
        int tornNor = 0, tornRequest = 0, copyCut = 0, backupCut = 0;
        int[] extraBoots = new int[3];
        for (Case c : cases) {
            byPhase.merge(c.phase(), 1, Integer::sum);
            if (c.phase().equals("backup, copy")) {
                if (c.reverted()) {
                    copyCut++;
                } else {
                    backupCut++;
                }
            }
            reverted += c.reverted() ? 1 : 0;
            retried += c.retried() ? 1 : 0;
            downloadAgain += c.downloadAgain() ? 1 : 0;
            readBackSawIt += c.readBackSawIt() ? 1 : 0;
            tornNor += c.torn() ? 1 : 0;
            tornRequest += c.tornRequest() ? 1 : 0;
            endedOld += c.endedOld() ? 1 : 0;
            endedNew += c.endedNew() ? 1 : 0;
            if (c.extraBoots() >= 0) {
                extraBoots[c.extraBoots()]++;
            }
            if (!c.wrong().isEmpty()) {
                failures.add(c.wrong() + " " + c.console());
            }
        }
        System.out.printf("download power-cut sweep: %d instants over %.1f ms (download write %.1f - %.1f ms);"
                        + " by the instant the NOR lost its supply: %s; backup %d, copy %d (the boot after reverted);"
                        + " came back on the old image and wrote the download again from its start %d (its read-back"
                        + " saw the NOR stop in %d); install retried %d, backup put back (torn copy or no confirm) %d; torn NOR writes %d, of the"
                        + " request %d; the cut run ended on the old image %d, on the new %d; on v2 confirmed after"
                        + " 0/1/2 more boots %d/%d/%d; %d threads, %d ms%n",
                CUTS, phases.end() / 1e6, phases.downloadStart() / 1e6, phases.downloadEnd() / 1e6, byPhase,
                backupCut, copyCut, downloadAgain, readBackSawIt, retried, reverted, tornNor, tornRequest, endedOld,
                endedNew, extraBoots[0], extraBoots[1], extraBoots[2], PowerCutSweep.THREADS, (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
        assertThat(endedOld + endedNew).isEqualTo(CUTS);
        assertThat(byPhase.get("download write")).isPositive();
        assertThat(downloadAgain).isEqualTo(byPhase.get("download write"));
        assertThat(reverted).isPositive();
        assertThat(retried).isPositive();
    }

    /**
     * The mains cut so that the NOR loses its supply inside the request record's Page Program (the last step of
     * the download write): the record is torn, and the bootloader must not take it for a request (its CRC);
     * v1 runs again and writes the download and the request again.
     */
    @Test
    void aTornRequestRecordIsNoRequest() throws Exception {
        BootBoard.Run whole = uncut();
        long written = stamp(whole, "app: downloaded ", 1); // right after the request's Page Program
        // how long after the cut the NOR stops (hold-up, then the decay to 2.7 V): from one cut well before
        long probe = written - 300_000_000L;
        long delay = meter().cutAt(probe).run().norOffAt() - probe;
        int torn = 0, tornIncomplete = 0;
        List<String> seen = new ArrayList<>();
        for (long back = 20_000; back <= 700_000 && tornIncomplete < 3; back += 40_000) {
            long at = written - delay - back;
            BootBoard.Run run = meter().cutAt(at).run();
            TornWrite t = run.norTorn();
            if (t == null || t.address() != UpdateRecords.REQUEST_ADDRESS || !t.operation().equals("Page Program")) {
                continue;
            }
            torn++;
            boolean complete = t.bytesPartial() == 0 && t.bytesComplete() == UpdateRecords.request(5).length;
            // the first boot after the power came back
            String console = run.console();
            int boot = console.indexOf("boot: MeterTwin bootloader", console.indexOf("app: download 5: ") + 1);
            String firstBoot = console.substring(boot, console.indexOf("app: running", boot));
            seen.add(String.format("%.0f us before: %s -> %s", back / 1e3, t, firstBoot.contains("boot: request 5")
                    ? "request taken" : "no request"));
            assertThat(wrongEnd(run)).isEmpty();
            assertThat(settled(run)).as(console).isTrue();
            if (!complete) {
                tornIncomplete++;
                assertThat(firstBoot).as(console).doesNotContain("boot: request")
                        .contains("boot: starting " + v1.versionText());
                // v1 wrote everything again, from the erase, and then the update went through
                assertThat(count(console, "app: download 5: ")).isEqualTo(2);
                assertThat(count(console, "app: downloaded ")).isEqualTo(1);
            }
        }
        System.out.printf("torn request records (NOR off %.1f ms after the cut): %s%n", delay / 1e6,
                String.join("; ", seen));
        assertThat(tornIncomplete).as("cuts that tore the request's Page Program: %s", seen).isPositive();
    }
}
