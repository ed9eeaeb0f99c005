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
 * The RTOS kernel (management-core/firmware/rtos, docs/rtos.md) on the {@code management} board:
 * kernel_test.elf's scenarios print exactly the expected traces and exit 0, the interpreted and the compiled
 * runs agree to the instruction, processes whose threads write outside their MPU regions are killed while
 * another keeps its heartbeat, two processes share a named pipe and a shared memory (manifests checked),
 * restart policies and the heartbeat supervisor act, poll waits on pipes, kernel objects belong to their
 * processes (refused to others unless shared by name and listed in the manifest, destroyed with their owner), and the 10 s sleep with nothing to run costs a handful of instructions
 * (tickless idle: against kernel_test_short.elf, the same program sleeping 10 ms).
 */
class KernelTest {
    static final Path DIR = Path.of("src/test/resources/firmware/rtos");

    static final String EXPECTED = String.join("\n",
            "rtos kernel test",
            // released together: priority order, E1/E2 round-robin in 5 ms slices, H's sleep ends inside L
            "sched: H M E1 E2 E1 E2 L H L",
            // with inheritance H runs before M although M became ready while L held the mutex
            "inherit: L H M L (L at 5 while H waits, 15 after)",
            "inherit-timeout: lock -110, L at 5 while H waits, 15 after its timeout",
            // the producer blocks on the full queue (two messages) and preempts the consumer when a slot frees
            "queue: P0 P1 P2 C0 P3 C1 P4 C2 P5 C3 C4 C5; semaphore 6 then -110 after 6 ms; empty receive -110,"
                    + " full send -11",
            "flags: set1 W2=0x5 set4 W1=0x7 set2; left 0x4, wait timeout -110, poll 0x4 then 0x0, poll again -11",
            "pointers: kernel console -14 receive -14, other stack receive -14 send -14, wrapping -14, flash out -14,"
                    + " create params -14 stack -14; own memory 000, kernel intact",
            // F1 and F2 yield to each other and are preempted by the timer with s0-s31 live
            "fpu: 6 rounds, s0-s31 and fpscr intact, the other thread ran inside 5 of them,"
                    + " time slices ended inside them",
            // B and C write outside their MPU regions (A's stack, kernel memory): killed, their faults logged,
            // B's mutex (the test's, opened as /obj/fault) released, while A's 10 ms heartbeat goes on
            "fault: B killed (wait -14) writing A's stack, mmfsr 0x82, its mutex freed (lock 0); C killed (wait -14)"
                    + " writing kernel memory, mmfsr 0x82; A beat 4 times before B's death, 9 after, exit 0;"
                    + " kernel intact",
            // a stack overflow with an FP context (a stacking fault), an undefined instruction, and a mutex holder
            // boosted by a waiter: each killed, the waiter gets the mutex with -EOWNERDEAD (its holder died holding it)
            "faults: overflow killed (wait -14, exception 4, mmfsr 0x92, below its stack); udf killed (wait -14,"
                    + " exception 6, ufsr 0x1, pc in flash); holder at 3 killed (wait -14), waiter got the mutex,"
                    + " its holder dead (exit 7, at 3); 5 events",
            // Q (10) reads the pipe, P (11) writes it: each reading wakes Q at once, with the energy P put in the
            // shared memory before it; P's 300-byte write blocks on the full pipe until Q has read enough
            "ipc: P0 Qm0@1 P1 Qm1@2 P2 Qm2@3 Pclose Qend; Q read 300 bytes in 19 reads (P's write 300), into kernel"
                    + " memory -14; one window address; P opens /pipe/secret -13 /dev/null -13; R read 3 and was killed"
                    + " writing (wait -14, mmfsr 0x82); unlink 0 0, open after -2; spawn /pipe/* from /pipe/a* -13,"
                    + " /pipe/ab 0",
            "restart: F ran 3 times (restarting after its first fault, back after its 20 ms delay), exit 5 [fault restart fault"
                    + " restart]; G ran 2 times, wait -14 [fault restart fault gave-up]",
            "heartbeat: K hung 30 ms after its 3rd beat [hung restart], ran 2 times, exit 0",
            "poll: nothing 0; V's write after 5 ms: 1 (0x0 0x1), read 1 x; V gone: 1 (0x11); the first alone 0 after"
                    + " 11 ms; a closed fd 1",
            // kernel objects owned by processes: another's private ids refused (-EPERM), a queue shared as
            // /obj/readings usable by B (its manifest lists it) and not by C (-EACCES, its id -EPERM), destroyed with
            // A; O killed holding /obj/lock wakes W with -EIDRM, and the waiters on its semaphore, event flags and
            // queue (/obj/lock-sem, -flags, -queue) too; a stale id refused after a restart; 50 restarts
            // leak nothing; a soft timer sets its flag 11 ms after its start (at least 10), then every 5 ms
            "objects: another's mutex -1 sem -1 queue -1, deleted; /obj/readings named 0 (secret -13), C open -13"
                    + " its id -1, B opens the id (as a semaphore -2), A got 42, gone with A -2; O killed (0, wait -4)"
                    + " holding /obj/lock: W woke -43, unlock -22, its semaphore's waiter -43 flags' -43 queue's -43;"
                    + " R's stale id -22 (its slot, a new id); L ran 51 times,"
                    + " free 6 6 4 6 8 2016 before and after; timer 11 5 5 ms, stopped",
            "%s",
            "kernel test: 0 failures",
            "");

    record Run(String output, ExecResult result) { }

    static Run run(String elf, ExecOptions.CodeMode mode) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecOptions o = ExecOptions.semihosted(out, 200_000_000L);
        o.codeMode = mode;
        ExecResult r = Exec.run("management", DIR.resolve(elf), o);
        return new Run(out.toString(StandardCharsets.ISO_8859_1), r);
    }

    static String expected(int sleepMs) {
        return EXPECTED.formatted("tickless: sleep(" + sleepMs + ") took " + (sleepMs + 1)
                + " ms, 1 timer interrupt, 1 idle entry");
    }

    @Test
    void scenariosPrintTheirTracesAndPassInBothCodeModes() throws Exception {
        Run interpreted = run("kernel_test.elf", ExecOptions.CodeMode.INTERPRETED);
        assertThat(interpreted.output()).as(interpreted.result().message()).isEqualTo(expected(10000));
        assertThat(interpreted.result().exitStatus()).isZero();
        Run compiled = run("kernel_test.elf", ExecOptions.CodeMode.COMPILED);
        assertThat(compiled.output()).isEqualTo(interpreted.output());
        assertThat(compiled.result().exitStatus()).isZero();
        assertThat(compiled.result().instructions()).isEqualTo(interpreted.result().instructions());
        assertThat(compiled.result().virtualNanos()).isEqualTo(interpreted.result().virtualNanos());
    }

    @Test
    void aTenSecondSleepCostsAHandfulOfInstructions() throws Exception {
        Run slow = run("kernel_test.elf", ExecOptions.CodeMode.DEFAULT);
        Run fast = run("kernel_test_short.elf", ExecOptions.CodeMode.DEFAULT);
        assertThat(slow.output()).isEqualTo(expected(10000));
        assertThat(fast.output()).isEqualTo(expected(10));
        assertThat(slow.result().exitStatus()).isZero();
        assertThat(fast.result().exitStatus()).isZero();
        long extra = slow.result().instructions() - fast.result().instructions();
        // the only differences: printing "10000"/"10001" instead of "10"/"11" (a few digit loops)
        assertThat(Math.abs(extra)).as("instructions %d vs %d", slow.result().instructions(),
                fast.result().instructions()).isLessThan(200);
        long slept = slow.result().virtualNanos() - fast.result().virtualNanos();
        assertThat(slow.result().virtualNanos()).isGreaterThanOrEqualTo(10_000_000_000L);
        assertThat(slept).isBetween(9_990_000_000L, 9_992_000_000L); // 10001 ms against 11 ms
        System.out.printf("kernel_test: %d instructions, %.3f s virtual; short: %d instructions, %.3f s%n",
                slow.result().instructions(), slow.result().virtualNanos() / 1e9, fast.result().instructions(),
                fast.result().virtualNanos() / 1e9);
    }
}
