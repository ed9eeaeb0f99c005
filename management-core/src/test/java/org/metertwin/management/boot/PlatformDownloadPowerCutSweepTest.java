package org.metertwin.management.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Outcome;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.management.ManagementFirmware;

/**
 * Power cuts during an update through platform management (services/platform.c; docs/firmware-update.md,
 * "Platform management"): v1 is the product image's feeder variant, whose feeder drives /pipe/platform with v2
 * (the product image 0.4.0+2) staged in flash sector 4; platform management writes the NOR download slot,
 * verifies the image, writes the request and resets; the bootloader installs v2 on trial and v2's platform
 * confirms it once vbus and measurement beat. The mains is cut at instants spread evenly from a second before
 * the download begins (v1's services and feeder starting) to half a second after v2's confirm, and comes back a
 * second later. The whole NOR is kept from one power-on to the next,
 * so /data (the boot count, the installed energy app) lives through every cut as well. After each cut:
 * <ul>
 * <li>every power-on runs a verified image, v1 or v2, which is the application slot byte for byte, and ends at
 * its time limit (no lock-up, no fault without a handler), the staged image untouched;</li>
 * <li>every boot of the RTOS mounts /data, and its boot count is the last one printed or one more (the
 * boot-count file is its old or its new content); the energy app is never refused;</li>
 * <li>within two more power-ons v2 runs, installed, its confirm record naming the installing request.</li>
 * </ul>
 */
class PlatformDownloadPowerCutSweepTest {
    static final int CUTS = Integer.getInteger("powercut.platform.cuts", 16);
    static final int THREADS = Integer.getInteger("powercut.threads", 2);
    static final int CONFIRM_MAGIC = 0x4B4F_544D;
    /** Virtual time of one power-on: a whole update twice over (about 11 s each) and the outage. */
    static final long RUN_NANOS = 30_000_000_000L;
    static final Pattern STARTING = Pattern.compile("boot: starting (\\S+) counter");
    static final Pattern BOOT_COUNT = Pattern.compile("platform: boot (\\d+); /data");

    static byte[] v1, v2, staging;
    static String v1Text, v2Text = "0.4.0+2";

    @BeforeAll
    static void images() throws Exception {
        v1 = PlatformDownloadTest.v1();
        v2 = PlatformDownloadTest.v2();
        staging = PlatformDownloadTest.staging(v2);
        v1Text = "0.3.0+1";
    }

    static BootBoard meter() {
        return new BootBoard().flash(ManagementFirmware.APPLICATION_SLOT, v1).flash(PlatformDownloadTest.STAGING, staging)
                .until(RUN_NANOS);
    }

    static String lastRunning(String console) {
        Matcher m = STARTING.matcher(console);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    /** v2 runs, is the application slot, was installed, and its confirm record names the installing request. */
    static boolean settled(BootBoard.Run run) {
        UpdateRecords.Result r = run.record();
        return v2Text.equals(lastRunning(run.console()))
                && Arrays.equals(run.flash(ManagementFirmware.APPLICATION_SLOT, v2.length), v2)
                && r != null && r.outcome().equals("installed")
                && UpdateRecords.numbered(run.nor(UpdateRecords.CONFIRM_ADDRESS, 12), CONFIRM_MAGIC) == r.sequence();
    }

    /**
     * What is wrong with one power-on; {@code bootCount} holds the last boot count printed before it (0: none)
     * and is advanced to the last this one printed.
     */
    static List<String> wrongEnd(BootBoard.Run run, int[] bootCount) {
        List<String> wrong = new ArrayList<>();
        if (run.exec().outcome() != Outcome.TIME_LIMIT) {
            wrong.add("ended " + run.exec().outcome() + " " + run.exec().message());
        }
        String console = run.console();
        String running = lastRunning(console);
        byte[] expected = v1Text.equals(running) ? v1 : v2Text.equals(running) ? v2 : null;
        if (expected == null) {
            wrong.add("running " + running);
        } else if (!Arrays.equals(run.flash(ManagementFirmware.APPLICATION_SLOT, expected.length), expected)) {
            wrong.add("the application slot is not " + running + " byte for byte");
        }
        if (!Arrays.equals(run.flash(PlatformDownloadTest.STAGING, staging.length), staging)) {
            wrong.add("the staging area changed");
        }
        if (console.contains("/data not mounted")) {
            wrong.add("/data not mounted");
        }
        if (console.contains(" not loaded: error ")) {
            wrong.add("an application refused");
        }
        Matcher m = BOOT_COUNT.matcher(console);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n != bootCount[0] && n != bootCount[0] + 1) {
                wrong.add("boot count " + n + " after " + bootCount[0]);
            }
            bootCount[0] = n;
        }
        return wrong;
    }

    static long at(BootBoard.Run run, String prefix) {
        return run.lines().stream().filter(l -> l.text().startsWith(prefix)).mapToLong(StampedConsole.Line::nanos)
                .findFirst().orElseThrow(() -> new AssertionError("no line " + prefix + ":\n" + run.console()));
    }

    /** The uncut run's phases, by the console lines that start them. */
    record Phases(long begun, long verified, long v2Started, long confirmed) {
        String of(long nanos) {
            if (nanos < 0) {
                return "never off";
            }
            if (nanos < begun) {
                return "v1's boot";
            }
            if (nanos <= verified) {
                return "download write, verify";
            }
            if (nanos < v2Started) {
                return "request, reset, install";
            }
            return nanos < confirmed ? "trial" : "confirmed";
        }
    }

    record Case(String phase, List<String> wrong, int moreBoots, boolean endedNew, boolean torn, String console) {
    }

    static Case cut(long when, Phases phases) throws Exception {
        BootBoard.Run run = meter().cutAt(when).run();
        int[] bootCount = {0};
        List<String> wrong = wrongEnd(run, bootCount);
        BootBoard.Run last = run;
        int boots = 0;
        while (wrong.isEmpty() && !settled(last) && boots < 2) {
            last = BootBoard.after(last).until(RUN_NANOS).run();
            boots++;
            wrong.addAll(wrongEnd(last, bootCount));
        }
        if (wrong.isEmpty() && !settled(last)) {
            wrong.add("not on v2, confirmed, after " + boots + " more power-ons: " + last.console());
        }
        return new Case(phases.of(run.norOffAt()), wrong, boots, v2Text.equals(lastRunning(run.console())),
                run.norTorn() != null, String.format("cut at %.3f ms (NOR off at %.3f ms)%n%s", when / 1e6,
                        run.norOffAt() / 1e6, run.console()));
    }

    @Test
    void afterACutAnywhereInAPlatformDownloadAVerifiedImageRunsDataMountsAndTheUpdateCompletes() throws Exception {
        long start = System.nanoTime();
        BootBoard.Run whole = meter().run();
        int size = v2.length;
        assertThat(whole.console()).contains("platform: update request 1 for " + v2Text + ", resetting\n",
                "boot: starting " + v2Text + " counter 2");
        assertThat(settled(whole)).as(whole.console()).isTrue();
        assertThat(wrongEnd(whole, new int[] {0})).isEmpty();
        Phases phases = new Phases(at(whole, "platform: download of " + size + " bytes begun"),
                at(whole, "platform: download of " + size + " bytes verified"),
                at(whole, "rtos: MeterTwin management core RTOS 0.3, image 0.4.0"), at(whole, "platform: trial 1 confirmed"));
        long first = phases.begun() - 1_000_000_000L, span = phases.confirmed() + 500_000_000L - first;

        // the trial is short (half a second): three more instants inside it, earlier by the time the NOR keeps
        // its supply after a cut (the hold-up and decay, from one probe cut)
        long holdUp = meter().cutAt(first).until(first + 2 * BootBoard.OUTAGE_NANOS).run().norOffAt() - first;
        List<Long> instants = new ArrayList<>();
        for (int i = 0; i < CUTS; i++) {
            instants.add(first + span * i / CUTS);
        }
        for (int k = 1; k <= 3; k++) {
            instants.add(phases.v2Started() - holdUp + (phases.confirmed() - phases.v2Started()) * k / 4);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Case>> futures = new ArrayList<>();
        for (long when : instants) {
            futures.add(pool.submit(() -> cut(when, phases)));
        }
        List<Case> cases = new ArrayList<>();
        try {
            for (Future<Case> f : futures) {
                cases.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Integer> byPhase = new LinkedHashMap<>();
        for (String p : List.of("v1's boot", "download write, verify", "request, reset, install", "trial", "confirmed",
                "never off")) {
            byPhase.put(p, 0);
        }
        List<String> failures = new ArrayList<>();
        int[] moreBoots = new int[3];
        int endedNew = 0, torn = 0;
        for (Case c : cases) {
            byPhase.merge(c.phase(), 1, Integer::sum);
            moreBoots[c.moreBoots()]++;
            endedNew += c.endedNew() ? 1 : 0;
            torn += c.torn() ? 1 : 0;
            if (!c.wrong().isEmpty()) {
                failures.add(c.wrong() + " " + c.console());
            }
        }
        System.out.printf("platform download power-cut sweep: %d instants over %.1f s from %.1f s and 3 in the trial (hold-up %.0f ms; download %.1f - %.1f s, v2 at"
                        + " %.1f s, confirmed at %.1f s); by the instant the NOR lost its supply: %s; torn NOR writes %d;"
                        + " the cut power-on ended on v2 %d; settled after 0/1/2 more power-ons %d/%d/%d; %d threads,"
                        + " %d ms%n", CUTS, span / 1e9, first / 1e9, holdUp / 1e6, phases.begun() / 1e9, phases.verified() / 1e9,
                phases.v2Started() / 1e9, phases.confirmed() / 1e9, byPhase, torn, endedNew, moreBoots[0],
                moreBoots[1], moreBoots[2], THREADS, (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
        assertThat(byPhase.get("download write, verify")).isPositive();
        assertThat(byPhase.get("request, reset, install")).isPositive();
        assertThat(byPhase.get("trial")).isPositive();
    }
}
