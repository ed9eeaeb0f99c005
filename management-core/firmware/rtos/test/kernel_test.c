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
    int q_reads, q_bytes, q_fault, p_secret, p_null, p_big, r_value;
    uint32_t r_window;
    uint32_t f_runs, g_runs, k_runs, k_beat3, p_window, q_window;
    int spawn_wide, spawn_narrow;
    int o_ids[3], o_mutex, o_sem, o_queue, o_qid, o_name, o_secret, o_got, o_c_open, o_c_raw, o_b_same, o_b_kind;
    int o_w_sem, o_w_flags, o_w_queue;
    int o_b_send, o_lock, o_w_lock, o_w_after, o_runs, o_stale, o_fresh, o_stale_give, o_leak_bad, o_leak_runs;
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

/* a process of its own, with the stack in `slot` and the shared block as its data region (so that it can
   trace); nothing restarts it and nobody supervises it */
static int spawn_process(const char *name, int (*entry)(void *), void *arg, uint32_t priority, int slot)
{
    struct rtos_process_params p = {.name = name, .entry = entry, .arg = arg, .priority = priority,
                                    .stack = area.stacks[slot], .stack_size = STACK, .data = S, .data_size = SHARED};
    int pid = rtos_process_spawn(&p);
    check(pid > 0, "process spawn");
    return pid;
}

static int spawn_with(const char *name, int (*entry)(void *), uint32_t priority, int slot, const char *manifest)
{
    struct rtos_process_params p = {.name = name, .entry = entry, .priority = priority, .stack = area.stacks[slot],
                                    .stack_size = STACK, .data = S, .data_size = SHARED, .manifest = manifest};
    int pid = rtos_process_spawn(&p);
    check(pid > 0, "process spawn");
    return pid;
}

/* the test's mutex of the fault scenarios, shared as /obj/fault */
static const char FAULT_MANIFEST[] = "/obj/fault";

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

/* --- fault containment: processes A (8) beats every 10 ms, under the supervisor (heartbeat 15 ms); B (9)
   takes a mutex and after 50 ms writes into A's stack, C (9) then into the kernel's memory, both directly
   (no system call): the MPU stops each write, the kernel kills the writer's process (its mutex released,
   its parent's wait gets -RTOS_EFAULT) and logs the fault; A beats on, at least 9 times in the 100 ms after
   C's death, and the supervisor never finds it late */

static int beat_thread(void *arg)
{
    (void)arg;
    volatile uint32_t canary = 0xC0FFEEu;
    S->a_canary = &canary;
    while (!S->stop) {
        rtos_sleep(10);
        rtos_heartbeat();
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
    rtos_mutex_lock(rtos_obj_open(RTOS_OBJ_MUTEX, "fault"), RTOS_FOREVER); /* the test's, shared */
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
    check(rtos_obj_name(RTOS_OBJ_MUTEX, S->mutex, "fault") == 0, "mutex shared");
    struct rtos_process_params ap = {.name = "A", .entry = beat_thread, .priority = 8, .stack = area.stacks[0],
                                     .stack_size = STACK, .data = S, .data_size = SHARED, .heartbeat = 15};
    int a = rtos_process_spawn(&ap), b = spawn_with("B", stack_writer, 9, 1, FAULT_MANIFEST);
    int b_result = rtos_process_wait(b, RTOS_FOREVER);
    uint32_t beats_at_b = S->beats;
    int lock = rtos_mutex_lock(S->mutex, 0); /* B held it: released when B was killed */
    rtos_mutex_unlock(S->mutex);
    int c = spawn_process("C", kernel_writer, NULL, 9, 2);
    int c_result = rtos_process_wait(c, RTOS_FOREVER);
    rtos_sleep(100);
    uint32_t beats_after = S->beats - beats_at_b;
    S->stop = 1;
    int a_result = rtos_process_wait(a, RTOS_FOREVER);
    struct rtos_event e[2];
    int n0 = rtos_event_read(0, &e[0]), n1 = rtos_event_read(1, &e[1]), none = rtos_event_read(2, &e[0]);
    struct rtos_stats st;
    rtos_kernel_stats(&st);
    int b_ok = n0 == 2 && e[0].seq == 0 && e[0].kind == RTOS_EVENT_FAULT && e[0].process == (uint32_t)b
               && e[0].exception == 4 && e[0].address == (uint32_t)S->a_canary;
    int c_ok = n1 == 2 && e[1].seq == 1 && e[1].kind == RTOS_EVENT_FAULT && e[1].process == (uint32_t)c
               && e[1].exception == 4 && e[1].address == (uint32_t)&kernel_stats.magic;
    u_puts("fault: B killed (wait ");
    u_puti(b_result);
    u_puts(") writing ");
    u_puts(b_ok ? "A's stack" : "?");
    u_puts(", mmfsr ");
    u_puthex(e[0].cfsr & 0xFFu);
    u_puts(", its mutex freed (lock ");
    u_puti(lock);
    u_puts("); C killed (wait ");
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

/* --- more faults, each in a process of its own: D (9), with an FP context, recurses until its stack
   overflows into the next one; U (9)
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
    rtos_mutex_lock(rtos_obj_open(RTOS_OBJ_MUTEX, "fault"), RTOS_FOREVER);
    rtos_sleep(10);                                  /* W arrives: this thread inherits 3 */
    S->prio_inherited = rtos_thread_priority();
    *(volatile uint32_t *)area.stacks[0] = 1;        /* another thread's stack */
    return 0;
}

static int mutex_waiter(void *arg)
{
    (void)arg;
    int r = rtos_mutex_lock(rtos_obj_open(RTOS_OBJ_MUTEX, "fault"), RTOS_FOREVER);
    S->prio_restored = rtos_thread_priority();
    return r == -RTOS_EOWNERDEAD ? 7 : r == 0 ? 8 : r; /* its holder died holding it */
}

static void scenario_more_faults(void)
{
    struct rtos_event ed, eu, eh;
    S->prio_inherited = S->prio_restored = -1;
    int d = spawn_process("D", overflow_thread, NULL, 9, 3);
    int d_result = rtos_process_wait(d, RTOS_FOREVER);
    int u = spawn_process("U", undefined_thread, NULL, 9, 3);
    int u_result = rtos_process_wait(u, RTOS_FOREVER);
    int h = spawn_with("H", holder_thread, 12, 1, FAULT_MANIFEST);
    rtos_sleep(5);
    int w = spawn_with("W", mutex_waiter, 3, 2, FAULT_MANIFEST);
    int h_result = rtos_process_wait(h, RTOS_FOREVER), w_result = rtos_process_wait(w, RTOS_FOREVER);
    int n = rtos_event_read(2, &ed);
    rtos_event_read(3, &eu);
    rtos_event_read(4, &eh);
    int gone = rtos_event_read(0, &eh) == 5 && rtos_event_read(4, &eh) == 5;
    uint32_t d_stack = (uint32_t)area.stacks[3];
    u_puts("faults: overflow killed (wait ");
    u_puti(d_result);
    u_puts(", exception ");
    u_putu(ed.exception);
    u_puts(", mmfsr ");
    u_puthex(ed.cfsr & 0xFFu);
    u_puts(ed.address < d_stack && ed.address >= d_stack - STACK ? ", below its stack)" : ", ?)");
    u_puts("; udf killed (wait ");
    u_puti(u_result);
    u_puts(", exception ");
    u_putu(eu.exception);
    u_puts(", ufsr ");
    u_puthex(eu.cfsr >> 16);
    u_puts(eu.pc >= 0x08000000u && eu.pc < 0x08080000u ? ", pc in flash)" : ", ?)");
    u_puts("; holder at ");
    u_puti(S->prio_inherited);
    u_puts(" killed (wait ");
    u_puti(h_result);
    u_puts("), waiter got the mutex, its holder dead (exit ");
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

/* --- processes talking through a named pipe and a shared memory: Q (10) reads /pipe/readings and looks at
   /shm/energy (mapped read-only), P (11) updates the energy in its read-write window of the same memory
   and writes a reading after each update; each write wakes Q at once (it is higher). P then writes 300
   bytes in one call, more than the pipe holds: it blocks until Q has read enough. P's close ends Q's
   reads (0). Both manifests name the pipe and the memory only: P's open of another pipe or of /dev/null is
   refused. R (9), allowed the memory only, reads its read-only window and is killed writing it. */

static const char IPC_MANIFEST[] = "/pipe/readings /shm/energy";
static const char R_MANIFEST[] = "/shm/energy";

static int consumer_q(void *arg)
{
    (void)arg;
    int pipe = rtos_open("/pipe/readings", RTOS_O_RDONLY | RTOS_O_CREAT, 0);
    int shm = rtos_open("/shm/energy", RTOS_O_RDONLY | RTOS_O_CREAT, 256);
    volatile uint32_t *energy = rtos_mmap(shm);
    S->q_window = (uint32_t)energy;
    char buffer[16];
    S->q_fault = rtos_read(pipe, (void *)&kernel_stats, 4); /* kernel memory: -EFAULT */
    for (;;) {
        int n = rtos_read(pipe, buffer, sizeof buffer);
        if (n <= 0) {
            trace(n == 0 ? "Qend" : "Qerr");
            break;
        }
        if (n == 2 && buffer[0] == 'm') {
            char token[6] = {'Q', buffer[0], buffer[1], '@', (char)('0' + *energy), 0};
            trace(token);
            S->last = NULL;
        } else {
            S->q_reads++;
            S->q_bytes += n;
        }
    }
    rtos_close(pipe);
    return 0;
}

static int producer_p(void *arg)
{
    (void)arg;
    int shm = rtos_open("/shm/energy", RTOS_O_RDWR, 0);
    volatile uint32_t *energy = rtos_mmap(shm);
    S->p_window = (uint32_t)energy;
    int pipe = rtos_open("/pipe/readings", RTOS_O_WRONLY, 0);
    for (uint32_t i = 0; i < 3; i++) {
        *energy = i + 1;
        char reading[2] = {'m', (char)('0' + i)};
        trace(i == 0 ? "P0" : i == 1 ? "P1" : "P2");
        rtos_write(pipe, reading, 2);
    }
    static const uint8_t big[300] = {1};
    S->p_big = rtos_write(pipe, big, sizeof big); /* from flash: constants may be written */
    S->p_secret = rtos_open("/pipe/secret", RTOS_O_WRONLY | RTOS_O_CREAT, 0);
    S->p_null = rtos_open("/dev/null", RTOS_O_WRONLY, 0);
    trace("Pclose");
    rtos_close(pipe);
    return 0;
}

static int reader_r(void *arg)
{
    (void)arg;
    int shm = rtos_open("/shm/energy", RTOS_O_RDONLY, 0);
    volatile uint32_t *energy = rtos_mmap(shm);
    S->r_window = (uint32_t)energy;
    S->r_value = (int)*energy;
    *energy = 99; /* a read-only window: MemManage */
    trace("R survived");
    return 0;
}

static int spawn_child(void *arg)
{
    (void)arg;
    return 0;
}

/* M, allowed every pipe whose name starts with "a", spawns children: one asking for every pipe (refused),
   one for /pipe/ab. M's data region is stacks 4 and 5: its results in the first, its child's stack the
   second. */
static const char M_MANIFEST[] = "/pipe/a*", WIDE_MANIFEST[] = "/pipe/*", NARROW_MANIFEST[] = "/pipe/ab";

struct m_results {
    int wide, narrow;
};

static int spawner_m(void *arg)
{
    struct m_results *out = arg;
    struct rtos_process_params p = {.name = "child", .entry = spawn_child, .priority = 9, .stack = area.stacks[5],
                                    .stack_size = STACK, .manifest = WIDE_MANIFEST};
    out->wide = rtos_process_spawn(&p);
    p.manifest = NARROW_MANIFEST;
    int child = rtos_process_spawn(&p);
    out->narrow = child > 0 ? rtos_process_wait(child, RTOS_FOREVER) : child;
    return 0;
}

static void scenario_ipc(void)
{
    trace_reset();
    int q = spawn_with("Q", consumer_q, 10, 0, IPC_MANIFEST);
    int p = spawn_with("P", producer_p, 11, 1, IPC_MANIFEST);
    int q_result = rtos_process_wait(q, RTOS_FOREVER), p_result = rtos_process_wait(p, RTOS_FOREVER);
    int r = spawn_with("R", reader_r, 9, 2, R_MANIFEST);
    int r_result = rtos_process_wait(r, RTOS_FOREVER);
    struct rtos_event e;
    int events = rtos_event_read(5, &e);
    /* the memory and the pipe outlive their users until unlinked */
    int unlink_shm = rtos_unlink("/shm/energy"), unlink_pipe = rtos_unlink("/pipe/readings");
    int reopen = rtos_open("/pipe/readings", RTOS_O_RDONLY, 0);
    struct m_results *mr = (struct m_results *)area.stacks[4];
    struct rtos_process_params mp = {.name = "M", .entry = spawner_m, .arg = mr, .priority = 9,
                                     .stack = area.stacks[6], .stack_size = STACK, .data = area.stacks[4],
                                     .data_size = 2 * STACK, .manifest = M_MANIFEST};
    int m = rtos_process_spawn(&mp);
    int m_result = rtos_process_wait(m, RTOS_FOREVER);
    S->spawn_wide = mr->wide;
    S->spawn_narrow = mr->narrow;
    u_puts("ipc: ");
    u_puts(S->trace);
    u_puts("; Q read ");
    u_puti(S->q_bytes);
    u_puts(" bytes in ");
    u_puti(S->q_reads);
    u_puts(" reads (P's write ");
    u_puti(S->p_big);
    u_puts("), into kernel memory ");
    u_puti(S->q_fault);
    u_puts(S->p_window == S->q_window && S->p_window != 0 ? "; one window address" : "; windows differ");
    u_puts("; P opens /pipe/secret ");
    u_puti(S->p_secret);
    u_puts(" /dev/null ");
    u_puti(S->p_null);
    u_puts("; R read ");
    u_puti(S->r_value);
    u_puts(" and was killed writing (wait ");
    u_puti(r_result);
    u_puts(", mmfsr ");
    u_puthex(e.cfsr & 0xFFu);
    u_puts("); unlink ");
    u_puti(unlink_shm);
    u_puts(" ");
    u_puti(unlink_pipe);
    u_puts(", open after ");
    u_puti(reopen);
    u_puts("; spawn /pipe/* from /pipe/a* ");
    u_puti(S->spawn_wide);
    u_puts(", /pipe/ab ");
    u_puti(S->spawn_narrow);
    u_puts("\n");
    check(q_result == 0 && p_result == 0 && m_result == 0 && S->q_bytes == 300 && S->p_big == 300
          && S->q_fault == -RTOS_EFAULT && S->p_window == S->q_window && S->p_secret == -RTOS_EACCES
          && S->p_null == -RTOS_EACCES && S->r_value == 3 && r_result == -RTOS_EFAULT && events == 6
          && e.kind == RTOS_EVENT_FAULT && e.process == (uint32_t)r && e.address == S->r_window
          && unlink_shm == 0 && unlink_pipe == 0 && reopen == -RTOS_ENOENT && S->spawn_wide == -RTOS_EACCES
          && S->spawn_narrow == 0, "ipc");
}

/* --- restart policies: F faults in its first two runs and is restarted 20 ms after each (at most twice;
   21 between the events' ms when a ms boundary falls between the fault's record and its kill), then exits 5; G faults every time, may be restarted once, and is given up on */

static int faulty_f(void *arg)
{
    (void)arg;
    if (++S->f_runs < 3) {
        *(volatile uint32_t *)&kernel_stats.magic = 0;
    }
    return 5;
}

static int faulty_g(void *arg)
{
    (void)arg;
    S->g_runs++;
    *(volatile uint32_t *)&kernel_stats.magic = 0;
    return 0;
}

static const char *const EVENT_NAMES[] = {"?", "fault", "hung", "restart", "gave-up"};

static void print_events(uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        struct rtos_event e;
        if (rtos_event_read(i, &e) > 0) {
            u_puts(i == from ? "" : " ");
            u_puts(EVENT_NAMES[e.kind < 5 ? e.kind : 0]);
        }
    }
}

static void scenario_restart(void)
{
    uint32_t first = (uint32_t)rtos_event_read(0, NULL);
    struct rtos_process_params fp = {.name = "F", .entry = faulty_f, .priority = 9, .stack = area.stacks[0],
                                     .stack_size = STACK, .data = S, .data_size = SHARED,
                                     .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 20, .max_restarts = 2};
    int f = rtos_process_spawn(&fp);
    struct rtos_process_info info;
    rtos_process_info(f, &info);
    uint32_t state_dead = info.state; /* it ran and faulted at once (it is higher): waiting for its restart */
    int f_result = rtos_process_wait(f, RTOS_FOREVER);
    struct rtos_event fault0, restart0;
    rtos_event_read(first, &fault0);
    rtos_event_read(first + 1, &restart0);
    uint32_t after_f = (uint32_t)rtos_event_read(0, NULL);
    struct rtos_process_params gp = fp;
    gp.name = "G";
    gp.entry = faulty_g;
    gp.max_restarts = 1;
    int g = rtos_process_spawn(&gp);
    int g_result = rtos_process_wait(g, RTOS_FOREVER);
    uint32_t after_g = (uint32_t)rtos_event_read(0, NULL);
    u_puts("restart: F ran ");
    u_putu(S->f_runs);
    u_puts(" times (");
    u_puts(state_dead == RTOS_PROCESS_RESTARTING ? "restarting" : "?");
    /* the event times are whole ms: a 20 ms delay shows as 20 or 21 depending on where in its ms the fault fell */
    uint32_t back = restart0.time - fault0.time;
    if (back >= 20 && back <= 21) {
        u_puts(" after its first fault, back after its 20 ms delay), exit ");
    } else {
        u_puts(" after its first fault, back ");
        u_putu(back);
        u_puts(" ms later), exit ");
    }
    u_puti(f_result);
    u_puts(" [");
    print_events(first, after_f);
    u_puts("]; G ran ");
    u_putu(S->g_runs);
    u_puts(" times, wait ");
    u_puti(g_result);
    u_puts(" [");
    print_events(after_f, after_g);
    u_puts("]\n");
    check(S->f_runs == 3 && f_result == 5 && restart0.time - fault0.time >= 20 && restart0.time - fault0.time <= 21
          && after_f - first == 4
          && S->g_runs == 2 && g_result == -RTOS_EFAULT && after_g - after_f == 4
          && state_dead == RTOS_PROCESS_RESTARTING, "restart policies");
}

/* --- the supervisor: K (heartbeat 30 ms) beats three times 10 ms apart, then stops beating: killed as
   hung 30 ms after its third beat, restarted at once; its second run beats twice and exits 0 */

static int hanging_k(void *arg)
{
    (void)arg;
    uint32_t run = ++S->k_runs;
    for (int i = 0; i < (run == 1 ? 3 : 2); i++) {
        rtos_sleep(10);
        rtos_heartbeat();
    }
    if (run == 1) {
        S->k_beat3 = rtos_uptime();
        rtos_sleep(1000); /* hangs */
        trace("K woke");
    }
    return 0;
}

static void scenario_heartbeat(void)
{
    trace_reset();
    uint32_t first = (uint32_t)rtos_event_read(0, NULL);
    struct rtos_process_params kp = {.name = "K", .entry = hanging_k, .priority = 9, .stack = area.stacks[0],
                                     .stack_size = STACK, .data = S, .data_size = SHARED, .heartbeat = 30,
                                     .restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 0, .max_restarts = 1};
    int k = rtos_process_spawn(&kp);
    int k_result = rtos_process_wait(k, RTOS_FOREVER);
    struct rtos_event hung;
    rtos_event_read(first, &hung);
    uint32_t after = (uint32_t)rtos_event_read(0, NULL);
    u_puts("heartbeat: K hung ");
    u_putu(hung.time - S->k_beat3);
    u_puts(" ms after its 3rd beat [");
    print_events(first, after);
    u_puts("], ran ");
    u_putu(S->k_runs);
    u_puts(" times, exit ");
    u_puti(k_result);
    u_puts("\n");
    check(hung.kind == RTOS_EVENT_HUNG && hung.time - S->k_beat3 == 30 && S->k_runs == 2 && k_result == 0
          && after - first == 2 && S->len == 0, "heartbeat supervisor");
}

/* --- poll: two pipes, nothing ready (0 at once); V writes into the second after 5 ms: poll says so;
   once V has ended the second reports its end (POLLHUP); the first alone times out (0) */

static int poll_writer_v(void *arg)
{
    (void)arg;
    int fd = rtos_open("/pipe/p2", RTOS_O_WRONLY, 0);
    rtos_sleep(5);
    rtos_write(fd, "x", 1);
    return 0;
}

static const char V_MANIFEST[] = "/pipe/p2";

static void scenario_poll(void)
{
    int p1 = rtos_open("/pipe/p1", RTOS_O_RDONLY | RTOS_O_CREAT, 0);
    int p2 = rtos_open("/pipe/p2", RTOS_O_RDONLY | RTOS_O_CREAT, 0);
    struct rtos_pollfd fds[2] = {{p1, RTOS_POLLIN, 0}, {p2, RTOS_POLLIN, 0}};
    int none = rtos_poll(fds, 2, 0);
    int v = spawn_with("V", poll_writer_v, 12, 0, V_MANIFEST);
    uint32_t t0 = rtos_uptime();
    int one = rtos_poll(fds, 2, 100);
    uint32_t waited = rtos_uptime() - t0;
    uint32_t r1 = fds[0].revents, r2 = fds[1].revents;
    char x[4] = {0};
    int got = rtos_read(p2, x, sizeof x);
    int v_result = rtos_process_wait(v, RTOS_FOREVER);
    int hup = rtos_poll(fds, 2, 0);
    uint32_t r2_end = fds[1].revents;
    t0 = rtos_uptime();
    int timed_out = rtos_poll(fds, 1, 10);
    uint32_t waited_out = rtos_uptime() - t0;
    int nv = rtos_poll(&(struct rtos_pollfd){7, RTOS_POLLIN, 0}, 1, 0);
    rtos_close(p1);
    rtos_close(p2);
    rtos_unlink("/pipe/p1");
    rtos_unlink("/pipe/p2");
    u_puts("poll: nothing ");
    u_puti(none);
    u_puts("; V's write after ");
    u_putu(waited);
    u_puts(" ms: ");
    u_puti(one);
    u_puts(" (");
    u_puthex(r1);
    u_puts(" ");
    u_puthex(r2);
    u_puts("), read ");
    u_puti(got);
    u_puts(" ");
    u_puts(x);
    u_puts("; V gone: ");
    u_puti(hup);
    u_puts(" (");
    u_puthex(r2_end);
    u_puts("); the first alone ");
    u_puti(timed_out);
    u_puts(" after ");
    u_putu(waited_out);
    u_puts(" ms; a closed fd ");
    u_puti(nv);
    u_puts("\n");
    check(none == 0 && one == 1 && r1 == 0 && r2 == RTOS_POLLIN && got == 1 && x[0] == 'x' && v_result == 0
          && hup == 1 && r2_end == (RTOS_POLLIN | RTOS_POLLHUP) && timed_out == 0 && nv == 1, "poll");
}

/* --- tickless idle: nothing else to run */

/* --- kernel objects owned by processes (docs/rtos.md, "Kernel objects"): X is refused the test's private
   mutex, semaphore and queue (-EPERM); A creates a queue and shares it as /obj/readings, C (its manifest
   without it) can neither open it nor use its id, B opens it and sends A 42; A's end takes the queue with
   it. O creates /obj/lock and holds it, W (8) waits for it and is woken with -EIDRM when O is killed. R's
   second run is refused its first run's semaphore id (stale: the slot is reused under a new id). L runs 51
   times (50 restarts) creating one object of each kind: the free counts are those from before. A soft
   timer sets a flag 10 ms after its start, then every 5 ms. */

static const char READINGS_MANIFEST[] = "/obj/readings", OTHER_MANIFEST[] = "/obj/other", LOCK_MANIFEST[] = "/obj/lock*";
static const char LEAK_MANIFEST[] = "/obj/leak";

static int obj_intruder(void *arg)
{
    (void)arg;
    uint32_t v = 1;
    S->o_mutex = rtos_mutex_lock(S->o_ids[0], 0);
    S->o_sem = rtos_sem_give(S->o_ids[1]);
    S->o_queue = rtos_queue_send(S->o_ids[2], &v, 0);
    return 0;
}

static int obj_reader_a(void *arg)
{
    (void)arg;
    int q = rtos_queue_create(sizeof(uint32_t), 4);
    S->o_qid = q;
    S->o_name = rtos_obj_name(RTOS_OBJ_QUEUE, q, "readings");
    S->o_secret = rtos_obj_name(RTOS_OBJ_QUEUE, q, "secret"); /* not in its manifest */
    uint32_t v = 0;
    int r = rtos_queue_receive(q, &v, RTOS_FOREVER);
    S->o_got = r == 0 ? (int)v : r;
    return 0;
}

static int obj_other_c(void *arg)
{
    (void)arg;
    uint32_t v = 7;
    S->o_c_open = rtos_obj_open(RTOS_OBJ_QUEUE, "readings");
    S->o_c_raw = rtos_queue_send(S->o_qid, &v, 0);
    return 0;
}

static int obj_sender_b(void *arg)
{
    (void)arg;
    uint32_t v = 42;
    int q = rtos_obj_open(RTOS_OBJ_QUEUE, "readings");
    S->o_b_same = q == S->o_qid;
    S->o_b_kind = rtos_obj_open(RTOS_OBJ_SEM, "readings");
    S->o_b_send = rtos_queue_send(q, &v, 0);
    return 0;
}

static int obj_owner_o(void *arg)
{
    (void)arg;
    int m = rtos_mutex_create(), s = rtos_sem_create(0, 1), f = rtos_flags_create();
    int q = rtos_queue_create(sizeof(uint32_t), 2);
    rtos_obj_name(RTOS_OBJ_MUTEX, m, "lock");
    rtos_obj_name(RTOS_OBJ_SEM, s, "lock-sem");
    rtos_obj_name(RTOS_OBJ_FLAGS, f, "lock-flags");
    rtos_obj_name(RTOS_OBJ_QUEUE, q, "lock-queue");
    rtos_mutex_lock(m, RTOS_FOREVER);
    S->o_lock = m;
    rtos_sleep(RTOS_FOREVER);
    return 0;
}

/* waiters on O's other objects: each woken with -EIDRM when O dies */
static int obj_waiter_sem(void *arg)
{
    (void)arg;
    S->o_w_sem = rtos_sem_take(rtos_obj_open(RTOS_OBJ_SEM, "lock-sem"), RTOS_FOREVER);
    return 0;
}

static int obj_waiter_flags(void *arg)
{
    (void)arg;
    S->o_w_flags = rtos_flags_wait(rtos_obj_open(RTOS_OBJ_FLAGS, "lock-flags"), 1, RTOS_FLAGS_ANY, RTOS_FOREVER);
    return 0;
}

static int obj_waiter_queue(void *arg)
{
    (void)arg;
    uint32_t v;
    S->o_w_queue = rtos_queue_receive(rtos_obj_open(RTOS_OBJ_QUEUE, "lock-queue"), &v, RTOS_FOREVER);
    return 0;
}

static int obj_waiter_w(void *arg)
{
    (void)arg;
    int m = rtos_obj_open(RTOS_OBJ_MUTEX, "lock");
    S->o_w_lock = rtos_mutex_lock(m, RTOS_FOREVER);
    S->o_w_after = rtos_mutex_unlock(m);
    return 0;
}

static int obj_restarted_r(void *arg)
{
    (void)arg;
    int s = rtos_sem_create(0, 1);
    if (++S->o_runs == 1) {
        S->o_stale = s;
    } else {
        S->o_fresh = s;
        S->o_stale_give = rtos_sem_give(S->o_stale);
    }
    return 0;
}

static int obj_leaker_l(void *arg)
{
    (void)arg;
    S->o_leak_runs++;
    int m = rtos_mutex_create(), s = rtos_sem_create(1, 1), f = rtos_flags_create();
    int q = rtos_queue_create(16, 4), t = rtos_timer_create(f, 1);
    if (m < 0 || s < 0 || f < 0 || q < 0 || t < 0 || rtos_obj_name(RTOS_OBJ_QUEUE, q, "leak") != 0
        || rtos_mutex_lock(m, 0) != 0 || rtos_sem_take(s, 0) != 0 || rtos_timer_start(t, 0, 1) != 0) {
        S->o_leak_bad++;
    }
    return 0; /* all of them left as they are */
}

static void print_free(const struct rtos_obj_stats *st)
{
    for (int k = RTOS_OBJ_MUTEX; k <= RTOS_OBJ_TIMER; k++) {
        u_putu(st->free[k]);
        u_puts(" ");
    }
    u_putu(st->queue_bytes_free);
}

static void scenario_objects(void)
{
    /* another process's private objects */
    S->o_ids[0] = rtos_mutex_create();
    S->o_ids[1] = rtos_sem_create(0, 1);
    S->o_ids[2] = rtos_queue_create(sizeof(uint32_t), 2);
    int x = spawn_with("X", obj_intruder, 9, 0, READINGS_MANIFEST);
    rtos_process_wait(x, RTOS_FOREVER);
    int deleted = rtos_obj_delete(RTOS_OBJ_MUTEX, S->o_ids[0]) == 0 && rtos_obj_delete(RTOS_OBJ_SEM, S->o_ids[1]) == 0
                  && rtos_obj_delete(RTOS_OBJ_QUEUE, S->o_ids[2]) == 0 && rtos_mutex_lock(S->o_ids[0], 0) == -RTOS_EINVAL;
    /* a shared queue */
    int a = spawn_with("A", obj_reader_a, 9, 0, READINGS_MANIFEST);
    int c = spawn_with("C", obj_other_c, 9, 1, OTHER_MANIFEST);
    rtos_process_wait(c, RTOS_FOREVER);
    int b = spawn_with("B", obj_sender_b, 9, 1, READINGS_MANIFEST);
    rtos_process_wait(b, RTOS_FOREVER);
    rtos_process_wait(a, RTOS_FOREVER);
    int gone = rtos_obj_open(RTOS_OBJ_QUEUE, "readings");
    /* the owner killed holding its shared mutex */
    int o = spawn_with("O", obj_owner_o, 10, 0, LOCK_MANIFEST);
    int w = spawn_with("W", obj_waiter_w, 8, 1, LOCK_MANIFEST);
    int ws = spawn_with("Ws", obj_waiter_sem, 8, 2, LOCK_MANIFEST);
    int wf = spawn_with("Wf", obj_waiter_flags, 8, 3, LOCK_MANIFEST);
    int wq = spawn_with("Wq", obj_waiter_queue, 8, 4, LOCK_MANIFEST);
    rtos_sleep(5);
    int kill = rtos_process_kill(o);
    int o_result = rtos_process_wait(o, RTOS_FOREVER), w_result = rtos_process_wait(w, RTOS_FOREVER);
    int others = rtos_process_wait(ws, RTOS_FOREVER) | rtos_process_wait(wf, RTOS_FOREVER)
                 | rtos_process_wait(wq, RTOS_FOREVER);
    /* a stale id after a restart */
    struct rtos_process_params rp = {.name = "R", .entry = obj_restarted_r, .priority = 9, .stack = area.stacks[0],
                                     .stack_size = STACK, .data = S, .data_size = SHARED,
                                     .restart = RTOS_RESTART_ALWAYS, .max_restarts = 1};
    int r = rtos_process_spawn(&rp);
    int r_result = rtos_process_wait(r, RTOS_FOREVER);
    /* 50 restarts */
    struct rtos_obj_stats before, after;
    rtos_obj_stats(&before);
    struct rtos_process_params lp = rp;
    lp.name = "L";
    lp.entry = obj_leaker_l;
    lp.max_restarts = 50;
    lp.manifest = LEAK_MANIFEST;
    int l = rtos_process_spawn(&lp);
    int l_result = rtos_process_wait(l, RTOS_FOREVER);
    rtos_obj_stats(&after);
    int same = memcmp(&before, &after, sizeof before) == 0;
    /* a soft timer */
    int f = rtos_flags_create(), t = rtos_timer_create(f, 1);
    uint32_t times[4];
    times[0] = rtos_uptime();
    rtos_timer_start(t, 10, 5);
    for (int i = 1; i < 4; i++) {
        rtos_flags_wait(f, 1, RTOS_FLAGS_ANY | RTOS_FLAGS_CLEAR, 100);
        times[i] = rtos_uptime();
    }
    int stopped = rtos_timer_stop(t) == 0 && rtos_flags_wait(f, 1, RTOS_FLAGS_ANY, 20) == -RTOS_ETIMEDOUT;
    rtos_obj_delete(RTOS_OBJ_TIMER, t);
    rtos_obj_delete(RTOS_OBJ_FLAGS, f);
    u_puts("objects: another's mutex ");
    u_puti(S->o_mutex);
    u_puts(" sem ");
    u_puti(S->o_sem);
    u_puts(" queue ");
    u_puti(S->o_queue);
    u_puts(deleted ? ", deleted" : ", ?");
    u_puts("; /obj/readings named ");
    u_puti(S->o_name);
    u_puts(" (secret ");
    u_puti(S->o_secret);
    u_puts("), C open ");
    u_puti(S->o_c_open);
    u_puts(" its id ");
    u_puti(S->o_c_raw);
    u_puts(S->o_b_same ? ", B opens the id" : ", B opens ?");
    u_puts(" (as a semaphore ");
    u_puti(S->o_b_kind);
    u_puts("), A got ");
    u_puti(S->o_got);
    u_puts(", gone with A ");
    u_puti(gone);
    u_puts("; O killed (");
    u_puti(kill);
    u_puts(", wait ");
    u_puti(o_result);
    u_puts(") holding /obj/lock: W woke ");
    u_puti(S->o_w_lock);
    u_puts(", unlock ");
    u_puti(S->o_w_after);
    u_puts(", its semaphore's waiter ");
    u_puti(S->o_w_sem);
    u_puts(" flags' ");
    u_puti(S->o_w_flags);
    u_puts(" queue's ");
    u_puti(S->o_w_queue);
    u_puts("; R's stale id ");
    u_puti(S->o_stale_give);
    u_puts((S->o_fresh & 15) == (S->o_stale & 15) && S->o_fresh != S->o_stale ? " (its slot, a new id)" : " (?)");
    u_puts("; L ran ");
    u_puti(S->o_leak_runs);
    u_puts(" times, free ");
    print_free(&before);
    u_puts(same ? " before and after" : " before, after ");
    if (!same) {
        print_free(&after);
    }
    u_puts("; timer ");
    for (int i = 1; i < 4; i++) {
        u_putu(times[i] - times[i - 1]);
        u_puts(" ");
    }
    u_puts(stopped ? "ms, stopped\n" : "ms, ?\n");
    check(S->o_mutex == -RTOS_EPERM && S->o_sem == -RTOS_EPERM && S->o_queue == -RTOS_EPERM && deleted,
          "private objects");
    check(S->o_name == 0 && S->o_secret == -RTOS_EACCES && S->o_c_open == -RTOS_EACCES && S->o_c_raw == -RTOS_EPERM
          && S->o_b_same && S->o_b_kind == -RTOS_ENOENT && S->o_b_send == 0 && S->o_got == 42 && gone == -RTOS_ENOENT,
          "shared queue");
    check(kill == 0 && o_result == -RTOS_EINTR && w_result == 0 && S->o_w_lock == -RTOS_EIDRM
          && S->o_w_after == -RTOS_EINVAL && S->o_w_sem == -RTOS_EIDRM && S->o_w_flags == -RTOS_EIDRM
          && S->o_w_queue == -RTOS_EIDRM && others == 0, "owner killed");
    check(r_result == 0 && S->o_runs == 2 && S->o_stale_give == -RTOS_EINVAL && S->o_fresh != S->o_stale
          && (S->o_fresh & 15) == (S->o_stale & 15), "stale id");
    check(l_result == 0 && S->o_leak_runs == 51 && S->o_leak_bad == 0 && same, "no leak");
    check(times[1] - times[0] == 11 && times[2] - times[1] == 5 && times[3] - times[2] == 5 && stopped, "timer");
}

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
    scenario_ipc();
    scenario_restart();
    scenario_heartbeat();
    scenario_poll();
    scenario_objects();
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
