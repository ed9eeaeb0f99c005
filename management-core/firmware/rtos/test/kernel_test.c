/*
 * The RTOS kernel's test program (docs/rtos.md): one line per scenario on the semihosting console, each
 * checked here as well; the exit status is 0 when every check passed (the kernel ends the program when its
 * last thread, the test's main thread, exits with that status).
 *
 * Every test thread runs unprivileged. The test's main thread (priority 20) owns the whole test area as its
 * data region; the threads it creates get a stack each from that area and the shared block as their data
 * region, so that one thread's stack is not another's memory. Each is an MPU region (rtos.h): the stacks
 * 1 KiB blocks aligned to 1 KiB, the shared block 512 bytes aligned to 512, the area 10 KiB aligned to
 * 16 KiB (five eighths of 16 KiB: its top three 2 KiB subregions disabled), the main stack 2 KiB.
 *
 * LONG_SLEEP_MS (10000; build.sh also builds 10) is the last scenario's sleep: the two builds' instruction
 * counts show what the sleep costs (KernelTest).
 */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "kernel.h"
#include "rtos.h"

#ifndef LONG_SLEEP_MS
#define LONG_SLEEP_MS 10000
#endif

#define STACK 1024
#define STACKS 8

struct shared {
    char trace[160];
    uint32_t len;
    const char *last;
    uint32_t go_time;
    int go, mutex, flags, queue, sem, ysem, fp_steps;
    int prio_inherited, prio_restored, timeout_result, prio_waiting, prio_after_timeout;
    int consumer_errors;
    uint32_t *y_local;
    uint32_t fp_bad, fp_interleaved;
    volatile uint32_t *a_canary;
    volatile uint32_t beats, stop, beats_bad;
    uint32_t fails;
};

#define SHARED 512
_Static_assert(sizeof(struct shared) <= SHARED, "the shared block is one 512-byte MPU region");

static struct {
    uint8_t stacks[STACKS][STACK] __attribute__((aligned(STACK)));
    union {
        struct shared sh;
        uint8_t block[SHARED];
    } shared __attribute__((aligned(SHARED)));
    uint8_t spare[1536];
} area __attribute__((section(".user"), aligned(16384)));
_Static_assert(sizeof area == 10240, "the test area is five eighths of a 16 KiB MPU region");
static uint8_t main_stack[2048] __attribute__((section(".user"), aligned(2048)));

#define S (&area.shared.sh)

static const char H[] = "H", M[] = "M", L[] = "L", E1[] = "E1", E2[] = "E2";

static void trace_reset(void)
{
    S->len = 0;
    S->trace[0] = 0;
    S->last = NULL;
}

static void trace(const char *token)
{
    if (S->len > 0 && S->len < sizeof S->trace - 1) {
        S->trace[S->len++] = ' ';
    }
    for (const char *t = token; *t != 0 && S->len < sizeof S->trace - 1; t++) {
        S->trace[S->len++] = *t;
    }
    S->trace[S->len] = 0;
    S->last = token;
}

static void trace_number(char prefix, uint32_t n)
{
    char token[4] = {prefix, (char)('0' + n % 10), 0};
    trace(token);
    S->last = NULL;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        S->fails++;
        u_puts("FAIL ");
        u_puts(what);
        u_puts("\n");
    }
}

static int spawn(int (*entry)(void *), void *arg, uint32_t priority, int slot)
{
    struct rtos_thread_params p = {entry, arg, priority, area.stacks[slot], STACK, S, SHARED};
    int id = rtos_thread_create(&p);
    check(id > 0, "thread create");
    return id;
}

static void join(int id)
{
    check(rtos_thread_join(id, RTOS_FOREVER) == 0, "join");
}

/* --- scheduling order: H 5, M 10, E1 and E2 12, L 15, all released at once */

static int sched_high(void *arg)
{
    (void)arg;
    rtos_flags_wait(S->go, 1, RTOS_FLAGS_ANY, RTOS_FOREVER);
    trace(H);
    rtos_sleep(20); /* wakes (timer interrupt) while L runs, and preempts it */
    trace(H);
    return 0;
}

static int sched_medium(void *arg)
{
    (void)arg;
    rtos_flags_wait(S->go, 1, RTOS_FLAGS_ANY, RTOS_FOREVER);
    trace(M);
    return 0;
}

static int sched_equal(void *name)
{
    rtos_flags_wait(S->go, 1, RTOS_FLAGS_ANY, RTOS_FOREVER);
    do { /* busy for 12 ms: round-robin in 5 ms slices with the other one */
        if (S->last != name) {
            trace(name);
        }
    } while (rtos_uptime() - S->go_time < 12);
    return 0;
}

static int sched_low(void *arg)
{
    (void)arg;
    rtos_flags_wait(S->go, 1, RTOS_FLAGS_ANY, RTOS_FOREVER);
    do {
        if (S->last != L) {
            trace(L);
        }
    } while (rtos_uptime() - S->go_time < 30);
    return 0;
}

static void scenario_sched(void)
{
    trace_reset();
    S->go = rtos_flags_create();
    int ids[5] = {
        spawn(sched_high, NULL, 5, 0), spawn(sched_medium, NULL, 10, 1), spawn(sched_equal, (void *)E1, 12, 2),
        spawn(sched_equal, (void *)E2, 12, 3), spawn(sched_low, NULL, 15, 4),
    };
    S->go_time = rtos_uptime();
    rtos_flags_set(S->go, 1);
    for (int i = 0; i < 5; i++) {
        join(ids[i]);
    }
    u_puts("sched: ");
    u_puts(S->trace);
    u_puts("\n");
    check(strcmp(S->trace, "H M E1 E2 E1 E2 L H L") == 0, "scheduling order");
}

/* --- priority inversion: L (15) holds the mutex, H (5) blocks on it, M (10) becomes ready */

static int inv_low(void *arg)
{
    (void)arg;
    rtos_mutex_lock(S->mutex, RTOS_FOREVER);
    trace(L);
    rtos_flags_set(S->flags, 1);              /* H runs and blocks on the mutex: L inherits 5 */
    S->prio_inherited = rtos_thread_priority();
    rtos_flags_set(S->flags, 2);              /* M is ready, but L runs at 5 */
    rtos_mutex_unlock(S->mutex);              /* back to 15: H takes the mutex and runs, then M */
    S->prio_restored = rtos_thread_priority();
    trace(L);
    return 0;
}

static int inv_high(void *arg)
{
    (void)arg;
    rtos_flags_wait(S->flags, 1, RTOS_FLAGS_ANY | RTOS_FLAGS_CLEAR, RTOS_FOREVER);
    rtos_mutex_lock(S->mutex, RTOS_FOREVER);
    trace(H);
    rtos_mutex_unlock(S->mutex);
    return 0;
}

static int inv_medium(void *arg)
{
    (void)arg;
    rtos_flags_wait(S->flags, 2, RTOS_FLAGS_ANY | RTOS_FLAGS_CLEAR, RTOS_FOREVER);
    trace(M);
    return 0;
}

/* the same, H giving up after 3 ms: L's inherited priority ends with the wait */
static int inv_low_timed(void *arg)
{
    (void)arg;
    rtos_mutex_lock(S->mutex, RTOS_FOREVER);
    rtos_flags_set(S->flags, 4);
    S->prio_waiting = rtos_thread_priority();
    uint32_t t0 = rtos_uptime();
    while (rtos_uptime() - t0 < 8) {
    }
    S->prio_after_timeout = rtos_thread_priority();
    rtos_mutex_unlock(S->mutex);
    return 0;
}

static int inv_high_timed(void *arg)
{
    (void)arg;
    rtos_flags_wait(S->flags, 4, RTOS_FLAGS_ANY | RTOS_FLAGS_CLEAR, RTOS_FOREVER);
    S->timeout_result = rtos_mutex_lock(S->mutex, 3);
    return 0;
}

static void scenario_inheritance(void)
{
    trace_reset();
    S->mutex = rtos_mutex_create();
    S->flags = rtos_flags_create();
    int h = spawn(inv_high, NULL, 5, 0), m = spawn(inv_medium, NULL, 10, 1), l = spawn(inv_low, NULL, 15, 2);
    join(h);
    join(m);
    join(l);
    u_puts("inherit: ");
    u_puts(S->trace);
    u_puts(" (L at ");
    u_puti(S->prio_inherited);
    u_puts(" while H waits, ");
    u_puti(S->prio_restored);
    u_puts(" after)\n");
    check(strcmp(S->trace, "L H M L") == 0, "priority inheritance order");
    check(S->prio_inherited == 5 && S->prio_restored == 15, "inherited priority");

    h = spawn(inv_high_timed, NULL, 5, 0);
    l = spawn(inv_low_timed, NULL, 15, 1);
    join(h);
    join(l);
    u_puts("inherit-timeout: lock ");
    u_puti(S->timeout_result);
    u_puts(", L at ");
    u_puti(S->prio_waiting);
    u_puts(" while H waits, ");
    u_puti(S->prio_after_timeout);
    u_puts(" after its timeout\n");
    check(S->timeout_result == -RTOS_ETIMEDOUT && S->prio_waiting == 5 && S->prio_after_timeout == 15,
          "inheritance ends with a timed-out wait");
}

/* --- producer/consumer: a queue of two 8-byte messages, P (10) sends 6, C (11) receives and counts each on
   a semaphore */

struct message {
    uint32_t seq, value;
};

static int producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < 6; i++) {
        struct message m = {i, i * i + 7};
        check(rtos_queue_send(S->queue, &m, RTOS_FOREVER) == 0, "send");
        trace_number('P', i);
    }
    return 0;
}

static int consumer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < 6; i++) {
        struct message m;
        if (rtos_queue_receive(S->queue, &m, RTOS_FOREVER) != 0 || m.seq != i || m.value != i * i + 7) {
            S->consumer_errors++;
        }
        trace_number('C', i);
        rtos_sem_give(S->sem);
    }
    return 0;
}

static void scenario_queue(void)
{
    trace_reset();
    S->queue = rtos_queue_create(sizeof(struct message), 2);
    S->sem = rtos_sem_create(0, 10);
    int p = spawn(producer, NULL, 10, 0), c = spawn(consumer, NULL, 11, 1);
    join(p);
    join(c);
    int taken = 0;
    while (rtos_sem_take(S->sem, 0) == 0) {
        taken++;
    }
    uint32_t t0 = rtos_uptime();
    int timed = rtos_sem_take(S->sem, 5);
    uint32_t waited = rtos_uptime() - t0;
    struct message m = {0, 0};
    int empty = rtos_queue_receive(S->queue, &m, 3);
    rtos_queue_send(S->queue, &m, 0);
    rtos_queue_send(S->queue, &m, 0);
    int full = rtos_queue_send(S->queue, &m, 0);
    u_puts("queue: ");
    u_puts(S->trace);
    u_puts("; semaphore ");
    u_puti(taken);
    u_puts(" then ");
    u_puti(timed);
    u_puts(" after ");
    u_putu(waited);
    u_puts(" ms; empty receive ");
    u_puti(empty);
    u_puts(", full send ");
    u_puti(full);
    u_puts("\n");
    check(strcmp(S->trace, "P0 P1 P2 C0 P3 C1 P4 C2 P5 C3 C4 C5") == 0, "producer/consumer order");
    check(S->consumer_errors == 0, "messages received in order and intact");
    check(taken == 6 && timed == -RTOS_ETIMEDOUT && waited >= 5, "semaphore count and timeout");
    check(empty == -RTOS_ETIMEDOUT && full == -RTOS_EAGAIN, "queue timeout and full");
}

/* --- event flags: W1 (8) waits for all of 0x3 and clears them, W2 (9) for any of 0xc */

static int waiter_all(void *arg)
{
    (void)arg;
    int v = rtos_flags_wait(S->flags, 0x3, RTOS_FLAGS_ALL | RTOS_FLAGS_CLEAR, RTOS_FOREVER);
    char token[] = "W1=0x0";
    token[5] = (char)('0' + v);
    trace(token);
    return 0;
}

static int waiter_any(void *arg)
{
    (void)arg;
    int v = rtos_flags_wait(S->flags, 0xC, RTOS_FLAGS_ANY, RTOS_FOREVER);
    char token[] = "W2=0x0";
    token[5] = (char)('0' + v);
    trace(token);
    return 0;
}

static void scenario_flags(void)
{
    trace_reset();
    S->flags = rtos_flags_create();
    int w1 = spawn(waiter_all, NULL, 8, 0), w2 = spawn(waiter_any, NULL, 9, 1);
    int r1 = rtos_flags_set(S->flags, 0x1); /* neither: W1 needs 0x2 too */
    trace("set1");
    rtos_flags_set(S->flags, 0x4);          /* W2 (any of 0xc) */
    trace("set4");
    int left = rtos_flags_set(S->flags, 0x2); /* W1: all of 0x3, cleared */
    trace("set2");
    join(w1);
    join(w2);
    int timed = rtos_flags_wait(S->flags, 0x10, RTOS_FLAGS_ANY, 2);
    int poll = rtos_flags_wait(S->flags, 0x4, RTOS_FLAGS_ANY | RTOS_FLAGS_CLEAR, 0);
    int after = rtos_flags_clear(S->flags, 0);
    int again = rtos_flags_wait(S->flags, 0x4, RTOS_FLAGS_ANY, 0);
    u_puts("flags: ");
    u_puts(S->trace);
    u_puts("; left ");
    u_puthex((uint32_t)left);
    u_puts(", wait timeout ");
    u_puti(timed);
    u_puts(", poll ");
    u_puthex((uint32_t)poll);
    u_puts(" then ");
    u_puthex((uint32_t)after);
    u_puts(", poll again ");
    u_puti(again);
    u_puts("\n");
    check(r1 == 1 && strcmp(S->trace, "set1 W2=0x5 set4 W1=0x7 set2") == 0, "flags any/all order and values");
    check(left == 0x4 && timed == -RTOS_ETIMEDOUT && poll == 0x4 && after == 0 && again == -RTOS_EAGAIN,
          "flags clear and timeouts");
}

/* --- pointer checks: X (10) passes pointers into kernel memory, into Y's (11) stack, wrapping ranges */

static int pointer_y(void *arg)
{
    (void)arg;
    uint32_t local[4] = {1, 2, 3, 4};
    S->y_local = local;
    rtos_sem_take(S->ysem, RTOS_FOREVER);
    return (int)(local[0] + local[1] + local[2] + local[3]) - 10; /* 0 if nobody wrote into them */
}

static int pointer_x(void *arg)
{
    (void)arg;
    struct message m = {41, 42};
    int ok_send = rtos_queue_send(S->queue, &m, 0);
    int console = rtos_console_write((const char *)&kernel_stats, 4);
    int receive = rtos_queue_receive(S->queue, &kernel_stats, 0);    /* a message is there: not taken */
    int other = rtos_queue_receive(S->queue, S->y_local, 0);         /* Y's stack */
    int other_send = rtos_queue_send(S->queue, S->y_local, 0);
    int wrap = rtos_console_write((const char *)0xFFFFFFF0u, 0x20);
    int flash = rtos_kernel_stats((struct rtos_stats *)0x08000000u);
    int params = rtos_thread_create((const struct rtos_thread_params *)&kernel_stats);
    struct rtos_thread_params p = {pointer_y, NULL, 12, &kernel_stats, 512, NULL, 0};
    int stack = rtos_thread_create(&p);
    struct rtos_stats st;
    int stats = rtos_kernel_stats(&st);
    struct message back = {0, 0};
    int ok_receive = rtos_queue_receive(S->queue, &back, 0);
    rtos_sem_give(S->ysem);
    u_puts("pointers: kernel console ");
    u_puti(console);
    u_puts(" receive ");
    u_puti(receive);
    u_puts(", other stack receive ");
    u_puti(other);
    u_puts(" send ");
    u_puti(other_send);
    u_puts(", wrapping ");
    u_puti(wrap);
    u_puts(", flash out ");
    u_puti(flash);
    u_puts(", create params ");
    u_puti(params);
    u_puts(" stack ");
    u_puti(stack);
    u_puts("; own memory ");
    u_puti(ok_send);
    u_puti(stats);
    u_puti(ok_receive);
    u_puts(st.magic == RTOS_STATS_MAGIC && back.seq == 41 && back.value == 42 ? ", kernel intact\n" : ", BROKEN\n");
    check(console == -RTOS_EFAULT && receive == -RTOS_EFAULT && other == -RTOS_EFAULT && other_send == -RTOS_EFAULT
          && wrap == -RTOS_EFAULT && flash == -RTOS_EFAULT && params == -RTOS_EFAULT && stack == -RTOS_EFAULT,
          "bad pointers refused");
    check(ok_send == 0 && stats == 0 && ok_receive == 0 && st.magic == RTOS_STATS_MAGIC && back.seq == 41
          && back.value == 42, "own memory accepted, kernel memory untouched");
    return 0;
}

static void scenario_pointers(void)
{
    S->queue = rtos_queue_create(sizeof(struct message), 2);
    S->ysem = rtos_sem_create(0, 1);
    int y = spawn(pointer_y, NULL, 11, 1);
    int x = spawn(pointer_x, NULL, 10, 0);
    join(x);
    join(y);
}

/* --- FP context: F1 and F2 (12) load s0-s31 and FPSCR, yield, spin through time slices, yield, and
   compare: each other's registers must never show through */

static int fp_thread(void *arg)
{
    uint32_t seed = (uint32_t)arg;
    uint32_t in[32], out[32];
    rtos_flags_wait(S->go, 1, RTOS_FLAGS_ANY, RTOS_FOREVER); /* both created first */
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 32; i++) {
            in[i] = seed * 0x01010101u ^ (round << 24) ^ (i * 0x00100401u);
        }
        uint32_t fpscr_in = seed == 1 ? 0x00400000u : 0x00C00000u; /* rounding mode RP or RZ */
        uint32_t fpscr_out, loops = 60000;
        int steps = ++S->fp_steps;
        __asm__ volatile(
            "vmsr fpscr, %[fi]\n\t"
            "vldmia %[in], {s0-s31}\n\t"
            "svc %[yield]\n\t"
            "1: subs %[n], %[n], #1\n\t"
            "bne 1b\n\t"
            "svc %[yield]\n\t"
            "vstmia %[out], {s0-s31}\n\t"
            "vmrs %[fo], fpscr\n\t"
            : [n] "+r"(loops), [fo] "=&r"(fpscr_out)
            : [in] "r"(in), [out] "r"(out), [fi] "r"(fpscr_in), [yield] "i"(SYS_YIELD)
            : "r0", "memory", "cc", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
              "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24",
              "s25", "s26", "s27", "s28", "s29", "s30", "s31");
        if (memcmp(in, out, sizeof in) != 0 || fpscr_out != fpscr_in) {
            S->fp_bad++;
        }
        if (S->fp_steps != steps) {
            S->fp_interleaved++; /* the other thread ran while these registers were live */
        }
    }
    return 0;
}

static void scenario_fpu(void)
{
    struct rtos_stats before, after;
    rtos_kernel_stats(&before);
    S->fp_steps = 0;
    S->go = rtos_flags_create();
    int f1 = spawn(fp_thread, (void *)1, 12, 0), f2 = spawn(fp_thread, (void *)2, 12, 1);
    rtos_flags_set(S->go, 1);
    join(f1);
    join(f2);
    rtos_kernel_stats(&after);
    /* the spin loops are longer than a slice: F1 and F2 also preempt each other by the timer, FP frames live */
    int sliced = after.timer_irqs - before.timer_irqs >= 4;
    u_puts("fpu: 6 rounds, s0-s31 and fpscr ");
    u_puts(S->fp_bad == 0 ? "intact" : "CORRUPTED");
    u_puts(", the other thread ran inside ");
    u_putu(S->fp_interleaved);
    u_puts(" of them");
    u_puts(sliced ? ", time slices ended inside them\n" : ", no time slice ended\n");
    check(S->fp_bad == 0 && S->fp_interleaved >= 5 && sliced, "FP context switch");
}

/* --- fault containment: A (8) beats every 10 ms; B (9) takes a mutex and after 50 ms writes into A's stack,
   C (9) then into the kernel's memory, both directly (no system call): the MPU stops each write, the kernel
   kills the writer (its mutex released, its joiner gets -RTOS_EFAULT) and logs the fault; A beats on, at
   least 9 times in the 100 ms after C's death */

static int beat_thread(void *arg)
{
    (void)arg;
    volatile uint32_t canary = 0xC0FFEEu;
    S->a_canary = &canary;
    while (!S->stop) {
        rtos_sleep(10);
        S->beats++;
        if (canary != 0xC0FFEEu) {
            S->beats_bad++;
        }
    }
    return canary == 0xC0FFEEu ? 0 : 1;
}

static int stack_writer(void *arg)
{
    (void)arg;
    rtos_mutex_lock(S->mutex, RTOS_FOREVER);
    rtos_sleep(50);
    *S->a_canary = 0xBAD; /* not its memory: MemManage */
    trace("B survived");
    return 0;
}

static int kernel_writer(void *arg)
{
    (void)arg;
    *(volatile uint32_t *)&kernel_stats.magic = 0; /* kernel memory: MemManage */
    trace("C survived");
    return 0;
}

static void scenario_fault(void)
{
    trace_reset();
    S->beats = S->stop = S->beats_bad = 0;
    S->mutex = rtos_mutex_create();
    int a = spawn(beat_thread, NULL, 8, 0), b = spawn(stack_writer, NULL, 9, 1);
    int b_result = rtos_thread_join(b, RTOS_FOREVER);
    uint32_t beats_at_b = S->beats;
    int lock = rtos_mutex_lock(S->mutex, 0); /* B held it: released when B was killed */
    rtos_mutex_unlock(S->mutex);
    int c = spawn(kernel_writer, NULL, 9, 2);
    int c_result = rtos_thread_join(c, RTOS_FOREVER);
    rtos_sleep(100);
    uint32_t beats_after = S->beats - beats_at_b;
    S->stop = 1;
    int a_result = rtos_thread_join(a, RTOS_FOREVER);
    struct rtos_event e[2];
    int n0 = rtos_event_read(0, &e[0]), n1 = rtos_event_read(1, &e[1]), none = rtos_event_read(2, &e[0]);
    struct rtos_stats st;
    rtos_kernel_stats(&st);
    int b_ok = n0 == 2 && e[0].seq == 0 && e[0].thread == (uint32_t)b && e[0].exception == 4
               && e[0].address == (uint32_t)S->a_canary;
    int c_ok = n1 == 2 && e[1].seq == 1 && e[1].thread == (uint32_t)c && e[1].exception == 4
               && e[1].address == (uint32_t)&kernel_stats.magic;
    u_puts("fault: B killed (join ");
    u_puti(b_result);
    u_puts(") writing ");
    u_puts(b_ok ? "A's stack" : "?");
    u_puts(", mmfsr ");
    u_puthex(e[0].cfsr & 0xFFu);
    u_puts(", its mutex freed (lock ");
    u_puti(lock);
    u_puts("); C killed (join ");
    u_puti(c_result);
    u_puts(") writing ");
    u_puts(c_ok ? "kernel memory" : "?");
    u_puts(", mmfsr ");
    u_puthex(e[1].cfsr & 0xFFu);
    u_puts("; A beat ");
    u_putu(beats_at_b);
    u_puts(" times before B's death, ");
    u_putu(beats_after);
    u_puts(" after, exit ");
    u_puti(a_result);
    u_puts(st.magic == RTOS_STATS_MAGIC && S->beats_bad == 0 && S->len == 0 && none == -RTOS_EAGAIN
               ? "; kernel intact\n" : "; BROKEN\n");
    check(b_result == -RTOS_EFAULT && c_result == -RTOS_EFAULT && b_ok && c_ok && lock == 0, "faulting threads killed");
    check(beats_at_b >= 4 && beats_after >= 9 && a_result == 0 && S->beats_bad == 0 && S->len == 0,
          "heartbeat across the faults");
    check(st.magic == RTOS_STATS_MAGIC && none == -RTOS_EAGAIN, "kernel intact, event log");
}

/* --- more faults: D (9), with an FP context, recurses until its stack overflows into the next one; U (9)
   executes an undefined instruction; H (12) holds the mutex, is waited for by W (3), so runs at 3, and
   faults: each is killed, and W gets the mutex */

static int deep(int n)
{
    volatile uint32_t pad[16];
    pad[0] = (uint32_t)n;
    return n == 0 ? 0 : deep(n - 1) + (int)pad[0];
}

static int overflow_thread(void *arg)
{
    (void)arg;
    __asm__ volatile("vmov s0, %0\n\tvmov s20, %0" ::"r"(5u) : "s0", "s20");
    return deep(1000);
}

static int undefined_thread(void *arg)
{
    (void)arg;
    __asm__ volatile("udf #0");
    return 0;
}

static int holder_thread(void *arg)
{
    (void)arg;
    rtos_mutex_lock(S->mutex, RTOS_FOREVER);
    rtos_sleep(10);                                  /* W arrives: this thread inherits 3 */
    S->prio_inherited = rtos_thread_priority();
    *(volatile uint32_t *)area.stacks[0] = 1;        /* another thread's stack */
    return 0;
}

static int mutex_waiter(void *arg)
{
    (void)arg;
    int r = rtos_mutex_lock(S->mutex, RTOS_FOREVER);
    S->prio_restored = rtos_thread_priority();
    return r == 0 ? 7 : r;
}

static void scenario_more_faults(void)
{
    struct rtos_event ed, eu, eh;
    S->prio_inherited = S->prio_restored = -1;
    int d = spawn(overflow_thread, NULL, 9, 3);
    int d_result = rtos_thread_join(d, RTOS_FOREVER);
    int u = spawn(undefined_thread, NULL, 9, 3);
    int u_result = rtos_thread_join(u, RTOS_FOREVER);
    int h = spawn(holder_thread, NULL, 12, 1);
    rtos_sleep(5);
    int w = spawn(mutex_waiter, NULL, 3, 2);
    int h_result = rtos_thread_join(h, RTOS_FOREVER), w_result = rtos_thread_join(w, RTOS_FOREVER);
    int n = rtos_event_read(2, &ed);
    rtos_event_read(3, &eu);
    rtos_event_read(4, &eh);
    int gone = rtos_event_read(0, &eh) == 5 && rtos_event_read(4, &eh) == 5;
    uint32_t d_stack = (uint32_t)area.stacks[3];
    u_puts("faults: overflow killed (join ");
    u_puti(d_result);
    u_puts(", exception ");
    u_putu(ed.exception);
    u_puts(", mmfsr ");
    u_puthex(ed.cfsr & 0xFFu);
    u_puts(ed.address < d_stack && ed.address >= d_stack - STACK ? ", below its stack)" : ", ?)");
    u_puts("; udf killed (join ");
    u_puti(u_result);
    u_puts(", exception ");
    u_putu(eu.exception);
    u_puts(", ufsr ");
    u_puthex(eu.cfsr >> 16);
    u_puts(eu.pc >= 0x08000000u && eu.pc < 0x08080000u ? ", pc in flash)" : ", ?)");
    u_puts("; holder at ");
    u_puti(S->prio_inherited);
    u_puts(" killed (join ");
    u_puti(h_result);
    u_puts("), waiter got the mutex (exit ");
    u_puti(w_result);
    u_puts(", at ");
    u_puti(S->prio_restored);
    u_puts("); ");
    u_puti(n);
    u_puts(" events\n");
    check(d_result == -RTOS_EFAULT && ed.exception == 4 && u_result == -RTOS_EFAULT && eu.exception == 6
          && (eu.cfsr >> 16) == 1 && h_result == -RTOS_EFAULT && S->prio_inherited == 3 && w_result == 7
          && S->prio_restored == 3 && n == 5 && gone, "more faults contained");
}

/* --- tickless idle: nothing else to run */

static void scenario_tickless(void)
{
    struct rtos_stats before, after;
    rtos_kernel_stats(&before);
    uint32_t t0 = rtos_uptime();
    rtos_sleep(LONG_SLEEP_MS);
    uint32_t t1 = rtos_uptime();
    rtos_kernel_stats(&after);
    uint32_t irqs = after.timer_irqs - before.timer_irqs, idles = after.idle_entries - before.idle_entries;
    u_puts("tickless: sleep(");
    u_putu(LONG_SLEEP_MS);
    u_puts(") took ");
    u_putu(t1 - t0);
    u_puts(" ms, ");
    u_putu(irqs);
    u_puts(" timer interrupt, ");
    u_putu(idles);
    u_puts(" idle entry\n");
    check(t1 - t0 == LONG_SLEEP_MS + 1 && irqs == 1 && idles == 1, "tickless sleep");
}

static int test_main(void *arg)
{
    (void)arg;
    scenario_sched();
    scenario_inheritance();
    scenario_queue();
    scenario_flags();
    scenario_pointers();
    scenario_fpu();
    scenario_fault();
    scenario_more_faults();
    scenario_tickless();
    u_puts("kernel test: ");
    u_putu(S->fails);
    u_puts(" failures\n");
    return S->fails == 0 ? 0 : 1;
}

int main(void)
{
    console_write("rtos kernel test\n");
    kernel_init(16000000); /* TIM2 on the reset clock: HSI 16 MHz, APB1 undivided */
    struct rtos_thread_params p = {test_main, NULL, 20, main_stack, sizeof main_stack, &area, sizeof area};
    if (kernel_thread_create(&p) < 0) {
        console_write("main thread not created\n");
        return 3;
    }
    kernel_start();
}
