package org.metertwin.management.fs;

import org.metertwin.management.PowerCutSweep;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.StampedConsole;
import org.metertwin.core.machine.Outcome;

/**
 * Power cuts at seeded random instants during a workload of writes, appends, renames and removes on the NOR
 * (firmware/fs/test/board_sweep.c, docs/file-system.md "Tests"). The uncut run gives each operation's start
 * (the virtual time of its "op N" line); each cut is phased by the instant the NOR lost its supply: ops 1 .. k-1
 * were complete, op k in flight. After the power comes back the program mounts, runs fsck and lists every file
 * with its size and CRC-32: the listing must be exactly the state before op k or after it (each file's content
 * regenerated here from its name and generation), fsck clean, the used blocks exactly what those files and the
 * snapshot take; then one more file is written and fsck is clean again.
 */
class FileSystemPowerCutSweepTest {
    static final int CUTS = Integer.getInteger("fs.cuts", 500);
    static final long SEED = Long.getLong("fs.seed", 20_250_117L);
    static final int BLOCKS = 64, PAYLOAD = 4088;
    static final String ELF = "fs_sweep.elf";

    record Op(int number, String kind, String text, long nanos) {
    }

    /** The committed files after each op: states.get(k) after op k, states.get(0) the empty file system. */
    static List<Map<String, byte[]>> states(List<Op> ops) {
        List<Map<String, byte[]>> states = new ArrayList<>();
        Map<String, byte[]> s = new TreeMap<>();
        states.add(Map.copyOf(s));
        for (Op op : ops) {
            String[] w = op.text().split(" ");
            switch (op.kind()) {
                case "write" -> s.put(w[0], FsBoard.content(w[0], Integer.parseInt(w[1]), Integer.parseInt(w[2])));
                case "append" -> s.put(w[0], log(Integer.parseInt(w[1])));
                case "rename" -> s.put(w[1], s.remove(w[0]));
                case "remove" -> s.remove(w[0]);
                default -> throw new AssertionError(op);
            }
            states.add(Map.copyOf(s));
        }
        return states;
    }

    /** log/events after K appends: records 1 .. K, record i being ("log/events", i, 60 + 37 i % 150). */
    static byte[] log(int k) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 1; i <= k; i++) {
            b.writeBytes(FsBoard.content("log/events", i, 60 + 37 * i % 150));
        }
        return b.toByteArray();
    }

    /** name -> "SIZE CRC" as the program lists it */
    static Map<String, String> listing(Map<String, byte[]> state) {
        Map<String, String> m = new TreeMap<>();
        state.forEach((name, bytes) -> m.put(name, FsBoard.listed(bytes)));
        return m;
    }

    /** blocks a state takes: the snapshot, each file's data blocks and its index when it has more than one */
    static int blocks(Map<String, byte[]> state) {
        int n = 1;
        for (byte[] b : state.values()) {
            int d = (b.length + PAYLOAD - 1) / PAYLOAD;
            n += d + (d > 1 ? 1 : 0);
        }
        return n;
    }

    static final Pattern OP = Pattern.compile("op (\\d+) (\\w+) (.*)");
    static final Pattern FILE = Pattern.compile("file (\\S+) (\\d+ [0-9a-f]{8})");
    static final Pattern FSCK = Pattern.compile("fsck (-?\\d+) files (\\d+) reachable (\\d+) free (\\d+) bad (\\d+) doubled (\\d+) lost (\\d+)");
    static final Pattern USAGE = Pattern.compile("usage used (\\d+) free (\\d+) pending (\\d+)");

    static List<Op> ops(FsBoard.Run run) {
        List<Op> ops = new ArrayList<>();
        for (StampedConsole.Line l : run.lines()) {
            Matcher m = OP.matcher(l.text());
            if (m.matches()) {
                ops.add(new Op(Integer.parseInt(m.group(1)), m.group(2), m.group(3), l.nanos()));
            }
        }
        return ops;
    }

    static long stamp(FsBoard.Run run, String text) {
        return run.lines().stream().filter(l -> l.text().equals(text)).findFirst().orElseThrow(
                () -> new AssertionError("no line " + text + " in\n" + run.console())).nanos();
    }

    /** What the program printed after a mount from `from` (a line index): the listing, fsck, usage, what is wrong. */
    record Check(Map<String, String> files, List<String> wrong) {
    }

    static Check check(List<StampedConsole.Line> lines, int from, Map<String, byte[]> a, Map<String, byte[]> b) {
        Map<String, String> files = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int fscks = 0, usages = 0;
        Integer used = null, free = null;
        boolean listed = false, recovered = false;
        for (int i = from; i < lines.size(); i++) {
            String t = lines.get(i).text();
            Matcher m;
            if ((m = FILE.matcher(t)).matches()) {
                files.put(m.group(1), m.group(2));
            } else if ((m = FSCK.matcher(t)).matches()) {
                fscks++;
                if (!m.group(1).equals("0") || !m.group(5).equals("0") || !m.group(6).equals("0") || !m.group(7).equals("0")) {
                    wrong.add("fsck: " + t);
                }
            } else if ((m = USAGE.matcher(t)).matches()) {
                if (usages++ == 0) {
                    used = Integer.valueOf(m.group(1));
                    free = Integer.valueOf(m.group(2));
                }
                if (!m.group(3).equals("0")) {
                    wrong.add(t);
                }
            } else if (t.startsWith("files ")) {
                listed = true;
            } else if (t.equals("recovered write 0")) {
                recovered = true;
            }
        }
        Map<String, String> before = listing(a), after = listing(b);
        Map<String, byte[]> matched = files.equals(after) ? b : files.equals(before) ? a : null;
        if (!listed || matched == null) {
            wrong.add("the files are neither the state before the op nor after it: " + files + "; before " + before
                    + "; after " + after);
        } else if (used == null || used != blocks(matched) || free != BLOCKS - used) {
            wrong.add("used " + used + ", free " + free + ": the files and the snapshot take " + blocks(matched)
                    + " of " + BLOCKS);
        }
        if (fscks != 2 || !recovered) {
            wrong.add("fsck before and after the recovery write, the write: " + fscks + " " + recovered);
        }
        return new Check(files, wrong);
    }

    record Case(String kind, String torn, boolean old, boolean fresh, List<String> wrong, String console) {
    }

    static Case cut(long at, List<Op> ops, List<Map<String, byte[]>> states) throws Exception {
        FsBoard.Run run = new FsBoard(ELF).cutAt(at).run();
        long off = run.norOffAt();
        int k = 0; // the op in flight: the last one whose line came before the NOR stopped
        while (k < ops.size() && ops.get(k).nanos() <= off) {
            k++;
        }
        List<String> wrong = new ArrayList<>();
        String kind = k == 0 ? "format" : ops.get(k - 1).kind();
        if (run.exec().outcome() != Outcome.EXITED || run.exec().exitStatus() != 0) {
            wrong.add("ended " + run.exec().outcome() + " " + run.exec().exitStatus() + " " + run.exec().message());
        }
        int from = -1;
        for (int i = 0; i < run.lines().size() && from < 0; i++) {
            if (run.lines().get(i).text().startsWith("after the cut: mount ")) {
                from = i;
            }
        }
        boolean old = false, fresh = false;
        if (from < 0 || !run.lines().get(from).text().equals("after the cut: mount 0")) {
            wrong.add("no mount after the cut, or it failed");
        } else if (k == 0) {
            wrong.add("the NOR stopped before op 1");
        } else {
            Map<String, byte[]> before = states.get(k - 1), after = states.get(k);
            Check c = check(run.lines(), from, before, after);
            wrong.addAll(c.wrong());
            fresh = c.files().equals(listing(after));
            old = c.files().equals(listing(before));
        }
        String torn = run.norTorn() == null ? "none" : run.norTorn().operation();
        return new Case(kind, torn, old, fresh, wrong, String.format("cut at %.3f ms, NOR off at %.3f ms, in op %d (%s)%n%s",
                at / 1e6, off / 1e6, k, k == 0 ? "-" : ops.get(k - 1).kind() + " " + ops.get(k - 1).text(), run.console()));
    }

    @Test
    void afterACutAtAnyInstantEveryFileIsItsOldOrItsNewContentAndNoBlockIsLost() throws Exception {
        long start = System.nanoTime();
        FsBoard.Run whole = new FsBoard(ELF).run();
        assertThat(whole.exec().outcome()).as(whole.console()).isEqualTo(Outcome.EXITED);
        assertThat(whole.exec().exitStatus()).isZero();
        List<Op> ops = ops(whole);
        assertThat(ops).hasSize(30);
        List<Map<String, byte[]>> states = states(ops);
        // the uncut run ends with the last state, listed after a clean fsck
        int done = whole.lines().indexOf(whole.lines().stream().filter(l -> l.text().equals("workload done")).findFirst().orElseThrow());
        Map<String, String> files = new TreeMap<>();
        whole.lines().subList(done, whole.lines().size()).forEach(l -> {
            Matcher m = FILE.matcher(l.text());
            if (m.matches()) {
                files.put(m.group(1), m.group(2));
            }
        });
        assertThat(files).isEqualTo(listing(states.get(ops.size())));
        assertThat(whole.console()).contains("fsck 0 files " + states.get(ops.size()).size() + " ");
        long first = ops.get(0).nanos(), end = stamp(whole, "workload done");

        // how long after the mains goes the NOR stops (the supply's hold-up and decay): from one probe
        long probe = first + (end - first) / 2;
        long delay = new FsBoard(ELF).cutAt(probe).run().norOffAt() - probe;
        assertThat(delay).isPositive();

        SplittableRandom random = new SplittableRandom(SEED);
        List<Long> instants = new ArrayList<>();
        for (int i = 0; i < CUTS; i++) {
            instants.add(random.nextLong(first, end) - delay); // the NOR stops at a uniform instant of the workload
        }
        List<Case> cases = PowerCutSweep.run(instants, at -> cut(at, ops, states));
        Map<String, Integer> byKind = new LinkedHashMap<>(), byTear = new TreeMap<>();
        for (String k : List.of("write", "append", "rename", "remove")) {
            byKind.put(k, 0);
        }
        int old = 0, fresh = 0;
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            byKind.merge(c.kind(), 1, Integer::sum);
            byTear.merge(c.torn(), 1, Integer::sum);
            old += c.old() ? 1 : 0;
            fresh += c.fresh() ? 1 : 0;
            if (!c.wrong().isEmpty()) {
                failures.add(c.wrong() + " " + c.console());
            }
        }
        System.out.printf("fs power-cut sweep: %d cuts (seed %d) over the workload's %.1f s of virtual time (%d ops, the NOR"
                        + " off %.1f ms after the mains); in %s; torn NOR writes %s; mounted on the old state %d, the new %d;"
                        + " fsck clean and no block lost in all; %d threads, %d ms%n",
                CUTS, SEED, (end - first) / 1e9, ops.size(), delay / 1e6, byKind, byTear, old, fresh, PowerCutSweep.THREADS,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(failures).isEmpty();
        assertThat(old + fresh).isEqualTo(CUTS);
        assertThat(old).isPositive();
        assertThat(fresh).isPositive();
        assertThat(byKind.get("rename")).isPositive();
        assertThat(byKind.get("remove")).isPositive();
    }
}
