package org.metertwin.management.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.Outcome;

/** The file system on the management board's W25Q64JV model, and its host tests (docs/file-system.md, "Tests"). */
class FileSystemTest {
    /** firmware/fs/test/board_basic.c: every check "ok", the 210 000-byte file as regenerated here, fsck clean. */
    @Test
    void theApiWorksOnTheNorModel() throws Exception {
        FsBoard.Run run = new FsBoard("fs_basic.elf").run();
        String console = run.console();
        assertThat(run.exec().outcome()).as(console).isEqualTo(Outcome.EXITED);
        assertThat(run.exec().exitStatus()).as(console).isZero();
        assertThat(console).doesNotContain("FAIL").contains(
                "ok mount of an erased region: not formatted\n", "ok rename over\n", "ok the old name gone\n",
                "ok list by prefix\n", "ok four written in turn\n", "ok read back 210000 bytes\n", "ok full\n",
                "ok written after the remove\n", "fs basic: 39 checks, 0 failed\n",
                "file img/big " + FsBoard.listed(FsBoard.content("img/big", 1, 210000)) + "\n");
        Matcher fsck = Pattern.compile("fsck (-?\\d+) files \\d+ reachable (\\d+) free (\\d+) bad 0 doubled 0 lost 0\n")
                .matcher(console);
        int n = 0;
        while (fsck.find()) {
            assertThat(fsck.group(1)).isEqualTo("0");
            assertThat(Integer.parseInt(fsck.group(2)) + Integer.parseInt(fsck.group(3))).isEqualTo(64);
            n++;
        }
        assertThat(n).isEqualTo(3);
        // the region is all the program touched: the NOR beyond its 64 sectors is still erased
        byte[] beyond = Arrays.copyOfRange(run.region(), 64 * 4096, run.region().length);
        assertThat(beyond).containsOnly((byte) 0xFF);
    }

    static final Pattern WEAR = Pattern.compile("wear (\\d+) rewrites, (\\d+) blocks, erases (\\d+), min (\\d+), max (\\d+)");

    /** firmware/fs/test/board_wear.c: 300 rewrites of one small file spread their erases over all 32 sectors. */
    @Test
    void rewritingOneFileSpreadsTheErasesOverTheRegion() throws Exception {
        FsBoard.Run run = new FsBoard("fs_wear.elf").run();
        String console = run.console();
        assertThat(run.exec().exitStatus()).as(console).isZero();
        Matcher m = WEAR.matcher(console);
        assertThat(m.find()).as(console).isTrue();
        int rewrites = Integer.parseInt(m.group(1)), erases = Integer.parseInt(m.group(3));
        int min = Integer.parseInt(m.group(4)), max = Integer.parseInt(m.group(5));
        assertThat(erases).isEqualTo(2 * rewrites + 1); // a data block and a snapshot each, and the format's
        assertThat(min).isPositive();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(console).contains("file cfg/meter " + FsBoard.listed(FsBoard.content("cfg/meter", rewrites, 100)) + "\n",
                "fsck 0 files 1 reachable 2 free 30 bad 0 doubled 0 lost 0\n");
        System.out.printf("fs wear on the board: %s%n", m.group());
    }

    /** fs/build.sh --check runs them too; here when a host C compiler is there. */
    @Test
    void hostTestsPass() throws Exception {
        Path fs = Path.of("firmware/fs");
        assumeTrue(new ProcessBuilder("cc", "--version").start().waitFor() == 0, "no cc");
        Path dir = Files.createTempDirectory("fs-host");
        Path exe = dir.resolve("host_test");
        try {
            Process cc = new ProcessBuilder("cc", "-O2", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I" + fs,
                    "-I" + fs.resolve("test"), fs.resolve("test/host_test.c").toString(), fs.resolve("test/ram_bd.c").toString(),
                    fs.resolve("fs.c").toString(), "-o", exe.toString()).redirectErrorStream(true).start();
            String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cc.waitFor()).as(ccOut).isZero();
            Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
            System.out.print(out);
            assertThat(run.exitValue()).as(out).isZero();
            assertThat(out).contains("host basic: ok\n", "host fs tests: OK\n").doesNotContain("FAIL");
        } finally {
            Files.deleteIfExists(exe);
            Files.deleteIfExists(dir);
        }
    }
}
