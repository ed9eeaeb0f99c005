package org.metertwin.management.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Outcome;

/**
 * Power cuts during an update (docs/firmware-update.md, "Trial mode and the journal"): the mains is cut at
 * instants spread evenly over an update's whole run, from the first instruction to the trial image's
 * confirm, and comes back a second later. After each the board must end up running a verified image, the
 * old or the new, whose bytes are the application slot's exactly; and the boot after that must run the same
 * image again without installing or reverting anything.
 */
class PowerCutSweepTest {
    static final int CUTS = Integer.getInteger("powercut.cuts", 200);

    static String lastRunning(String console) {
        int at = console.lastIndexOf("app: running ");
        return at < 0 ? null : console.substring(at + 13, console.indexOf(" body", at));
    }

    @Test
    void afterACutAnywhereInTheUpdateAVerifiedImageRuns() throws Exception {
        SignedImage v1 = new SignedImage().version(1, 0, 0, 1).counter(1).body(BootloaderTest.appBody(0));
        SignedImage v2 = new SignedImage().version(2, 0, 0, 1).counter(2).body(BootloaderTest.appBody(200));
        BootBoard update = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes()).nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(5));
        long whole = update.run().exec().virtualNanos();
        List<String> failures = new ArrayList<>();
        int cut = 0, endedOld = 0, endedNew = 0, reverted = 0, retried = 0, tornCopy = 0;
        long start = System.nanoTime();
        for (int i = 0; i < CUTS; i++) {
            long at = whole * i / CUTS;
            BootBoard.Run run = new BootBoard().flash(SignedImage.APPLICATION_SLOT, v1.bytes())
                    .nor(UpdateRecords.DOWNLOAD_SLOT, v2.bytes())
                    .nor(UpdateRecords.REQUEST_ADDRESS, UpdateRecords.request(5)).cutAt(at).run();
            String console = run.console();
            String running = lastRunning(console);
            List<String> wrong = new ArrayList<>();
            if (run.exec().outcome() != Outcome.EXITED || run.exec().exitStatus() != 0) {
                wrong.add("ended " + run.exec().outcome() + " " + run.exec().message());
            }
            SignedImage expected = v1.versionText().equals(running) ? v1 : v2.versionText().equals(running) ? v2 : null;
            if (expected == null) {
                wrong.add("running " + running);
            } else if (!Arrays.equals(run.flash(SignedImage.APPLICATION_SLOT, expected.bytes().length), expected.bytes())) {
                wrong.add("the application slot is not " + running + " byte for byte");
            }
            if (console.indexOf("boot: MeterTwin bootloader") != console.lastIndexOf("boot: MeterTwin bootloader")) {
                cut++;
            }
            if (console.contains("boot: trial 5 not confirmed")) {
                reverted++; // cut after the trial entry: the trial run, the confirm
            }
            if (console.contains("boot: copy 5 interrupted")) {
                tornCopy++; // cut during the copy or its check: the backup goes back, answered as torn-copy
                if (!console.contains("boot: result 5 torn-copy")) {
                    wrong.add("an interrupted copy not answered as torn-copy");
                }
            }
            if (console.indexOf("boot: request 5") != console.lastIndexOf("boot: request 5")) {
                retried++; // cut before the trial entry: the request was taken up again
            }
            if (expected != null && wrong.isEmpty()) {
                BootBoard.Run next = BootBoard.after(run).run();
                if (!running.equals(lastRunning(next.console())) || next.console().contains("boot: request")
                        || next.console().contains("not confirmed")) {
                    wrong.add("the next boot: " + next.console());
                }
                if (expected == v1) {
                    endedOld++;
                } else {
                    endedNew++;
                }
            }
            if (!wrong.isEmpty()) {
                failures.add(String.format("cut at %.3f ms: %s%n%s", at / 1e6, wrong, console));
            }
        }
        System.out.printf("power-cut sweep: %d instants over %.1f ms, %d hit the run (the rest fell after its end),"
                        + " %d install retried, %d copies interrupted, %d trial reverted; ended on the old image %d, on the new %d;"
                        + " %d ms%n", CUTS, whole / 1e6, cut, retried, tornCopy, reverted, endedOld, endedNew, (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
        assertThat(endedOld + endedNew).isEqualTo(CUTS);
        assertThat(cut).isGreaterThanOrEqualTo(CUTS * 9 / 10);
        assertThat(reverted).isPositive();
        assertThat(tornCopy).isPositive();
        assertThat(retried).isPositive();
        assertThat(endedNew).isPositive();
    }
}
