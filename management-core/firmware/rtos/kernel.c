/*
 * The management core's RTOS kernel, first part (docs/rtos.md): threads with fixed priorities, a ready
 * bitmap, preemption, round-robin between equal priorities, system calls through SVC, mutexes with
 * priority inheritance, counting semaphores, event flags, message queues, and a 1 ms time base on TIM2
 * that is tickless: the timer's compare channel is set to the next deadline only, so a core with nothing
 * to run sleeps in WFI until then.
 *
 * Second part: the MPU confines each unprivileged thread to the code, its own stack and its own data region
 * (reprogrammed on every switch), and a MemManage, BusFault or UsageFault from a thread kills that thread
 * and is recorded in an event log (SYS_EVENT_READ) while the others go on.
 *
 * Written to the ARMv7-M Architecture Reference Manual's exception model (B1.5): SVC, PendSV and the timer
 * interrupt share the lowest priority, so none preempts another and the kernel needs no locks; the context
 * switch is in PendSV, which runs only when the other two have finished (tail-chained).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "update.h"
#include "kernel_private.h"

/* --- hardware: SCB, NVIC (ARMv7-M B3.2, B3.4), RCC and TIM2 (RM0430 6, 17) */

#define SCB_SHPR2 REG(0xE000ED1Cu)
#define SCB_SHPR3 REG(0xE000ED20u)
#define SCB_SHCSR REG(0xE000ED24u)
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_ENABLE 1u
#define MPU_PRIVDEFENA 4u
#define RASR_AP_RO (6u << 24)     /* read-only, privileged and unprivileged */
#define RASR_FLASH (1u << 17)     /* normal memory, write-through (TEX 0, C) */
#define NVIC_ISER0 REG(0xE000E100u)
#define NVIC_ISPR0 REG(0xE000E200u)
#define NVIC_IPR_BYTE(n) (*(volatile uint8_t *)(0xE000E400u + (n)))
#define RCC_APB1ENR REG(0x40023840u)
#define TIM2_BASE 0x40000000u
#define TIM2_CR1 REG(TIM2_BASE + 0x00)
#define TIM2_DIER REG(TIM2_BASE + 0x0C)
#define TIM2_SR REG(TIM2_BASE + 0x10)
#define TIM2_EGR REG(TIM2_BASE + 0x14)
#define TIM2_CCMR1 REG(TIM2_BASE + 0x18)
#define TIM2_PSC REG(TIM2_BASE + 0x28)
#define TIM2_ARR REG(TIM2_BASE + 0x2C)
#define TIM2_CCR1 REG(TIM2_BASE + 0x34)
#define TIM2_IRQ 28
#define TIM_CC1 (1u << 1)
#define TIM_SR_DEFINED 0x1E5Fu /* UIF, CC1IF-CC4IF, TIF, CC1OF-CC4OF (RM0430 TIMx_SR) */
#define KERNEL_PRIORITY 0xF0u /* the lowest of the part's 16 levels */
#define FPCCR REG(0xE000EF34u)

/* --- threads */

struct tcb kernel_threads[KERNEL_MAX_THREADS];
struct tcb *kernel_current; /* the running thread (or the last one, until PendSV has switched) */
static struct tcb *const idle = &kernel_threads[0];
static struct { struct tcb *head, *tail; } ready[RTOS_PRIORITIES];
static uint32_t ready_bits; /* bit p: ready[p] not empty */
static uint32_t alive;      /* threads neither free nor zombie, idle excluded */
static bool started;
struct rtos_stats kernel_stats = {.magic = RTOS_STATS_MAGIC};

/* --- kernel objects, referred to by index: their state is kernel memory */

#define MAX_MUTEXES 8
#define MAX_SEMS 8
#define MAX_FLAGS 8
#define MAX_QUEUES 8
#define MAX_TIMERS 8
#define QUEUE_POOL 2048
#define MAX_MESSAGE 64

/* What every kernel object has: the process that created it (its owner: the object dies with it), the
   processes that opened it by name, and a generation that a destroyed object's id no longer matches. An id
   is generation << ID_BITS | slot. */
#define ID_BITS 4
#define GEN_MASK 0x07FFFFFFu /* ids stay positive */
struct kobj {
    bool used;
    uint8_t kind;            /* RTOS_OBJ_* */
    uint8_t owner;           /* process index */
    uint16_t openers;        /* bit n: process n opened it (SYS_OBJ_OPEN) */
    uint32_t gen;
    char name[RTOS_OBJ_NAME_MAX]; /* "" unless shared */
};
_Static_assert(MAX_PROCESSES <= 16, "openers is a 16-bit mask");

struct mutex {
    struct kobj k;
    struct tcb *owner;
    struct mutex *next_held;
    struct waitq waiters;
};
struct sem {
    struct kobj k;
    uint32_t count, max;
    struct waitq waiters;
};
struct flags {
    struct kobj k;
    uint32_t value;
    struct waitq waiters;
};
struct queue {
    struct kobj k;
    uint32_t size, capacity, count, head, bytes;
    uint8_t *storage;        /* bytes of queue_pool, compacted when a queue is destroyed */
    struct waitq senders, receivers;
};
struct timer {
    struct kobj k;
    bool running;
    uint32_t flags_id, bits; /* what its expiry sets, with its owner's rights */
    uint32_t deadline, period;
};

static struct mutex mutexes[MAX_MUTEXES];
static struct sem sems[MAX_SEMS];
static struct flags flag_groups[MAX_FLAGS];
static struct queue queues[MAX_QUEUES];
static struct timer timers[MAX_TIMERS];
static uint8_t queue_pool[QUEUE_POOL] __attribute__((aligned(8)));
static uint32_t queue_pool_used;

static const struct {
    struct kobj *first;
    uint16_t stride;
    uint8_t max;
} KINDS[6] = {
    [RTOS_OBJ_MUTEX] = {&mutexes[0].k, sizeof mutexes[0], MAX_MUTEXES},
    [RTOS_OBJ_SEM] = {&sems[0].k, sizeof sems[0], MAX_SEMS},
    [RTOS_OBJ_FLAGS] = {&flag_groups[0].k, sizeof flag_groups[0], MAX_FLAGS},
    [RTOS_OBJ_QUEUE] = {&queues[0].k, sizeof queues[0], MAX_QUEUES},
    [RTOS_OBJ_TIMER] = {&timers[0].k, sizeof timers[0], MAX_TIMERS},
};

extern uint32_t _text_start[], _text_end[]; /* the image's code (rtos.ld) */

static uint32_t idle_stack[64] __attribute__((aligned(256))); /* an MPU region: aligned to its size */
/* --- time: TIM2 counts ms */


/* --- lists */

static void ready_add(struct tcb *t, bool front)
{
    unsigned p = t->prio;
    t->state = T_READY;
    if (ready[p].head == NULL) {
        t->next = NULL;
        ready[p].head = ready[p].tail = t;
        ready_bits |= 1u << p;
    } else if (front) {
        t->next = ready[p].head;
        ready[p].head = t;
    } else {
        t->next = NULL;
        ready[p].tail->next = t;
        ready[p].tail = t;
    }
}

void kernel_ready_remove(struct tcb *t)
{
    unsigned p = t->prio;
    struct tcb **link = &ready[p].head, *prev = NULL;
    while (*link != NULL && *link != t) {
        prev = *link;
        link = &(*link)->next;
    }
    if (*link == NULL) {
        return;
    }
    *link = t->next;
    if (ready[p].tail == t) {
        ready[p].tail = prev;
    }
    if (ready[p].head == NULL) {
        ready_bits &= ~(1u << p);
    }
    t->next = NULL;
}

static void waitq_add(struct waitq *q, struct tcb *t)
{
    struct tcb **link = &q->head;
    while (*link != NULL && (*link)->prio <= t->prio) {
        link = &(*link)->next;
    }
    t->next = *link;
    *link = t;
    t->queue = q;
}

void kernel_waitq_remove(struct tcb *t)
{
    if (t->queue == NULL) {
        return;
    }
    for (struct tcb **link = &t->queue->head; *link != NULL; link = &(*link)->next) {
        if (*link == t) {
            *link = t->next;
            break;
        }
    }
    t->next = NULL;
    t->queue = NULL;
}

/* --- scheduling */

static struct tcb *choose(void)
{
    return ready_bits == 0 ? idle : ready[__builtin_ctz(ready_bits)].head;
}

static void reschedule(void)
{
    if (choose() != kernel_current) {
        SCB_ICSR = ICSR_PENDSVSET;
    }
}

static void program_timer(void);
static bool timers_next_deadline(uint32_t *next);
static void timers_fire(uint32_t t);

void kernel_after_interrupt(void)
{
    if (!started) {
        return; /* a driver's interrupt during the boot code: the scheduler starts later, with kernel_start */
    }
    reschedule();
    program_timer(); /* a woken thread's timeout is gone, a new time slice may be due */
}

/* The exception frame of a thread whose context PendSV has saved. */
static uint32_t *saved_frame(struct tcb *t)
{
    uint32_t exc_return = t->sp[8];
    return t->sp + 9 + ((exc_return & 0x10u) ? 0 : 16);
}

#define MAX_TIMEOUT 0x7FFFFFF0u

void kernel_block(struct tcb *t, enum wait why, struct waitq *q, void *object, uint32_t timeout)
{
    kernel_ready_remove(t);
    t->state = T_BLOCKED;
    t->wait = why;
    t->object = object;
    if (q != NULL) {
        waitq_add(q, t);
    }
    t->timed = timeout != RTOS_FOREVER;
    if (t->timed) {
        if (timeout > MAX_TIMEOUT) {
            timeout = MAX_TIMEOUT; /* deadlines are compared as signed differences */
        }
        t->deadline = now() + timeout + 1; /* at least timeout ms: the current ms has already begun */
    }
}

void kernel_wake(struct tcb *t, int32_t result)
{
    kernel_waitq_remove(t);
    t->timed = false;
    t->wait = W_NONE;
    t->object = NULL;
    t->result = result;
    t->has_result = true;
    ready_add(t, false);
}

static void set_priority(struct tcb *t, unsigned prio);

/* The priority t runs at: its own, or the highest of the threads waiting for a mutex it owns. */
static unsigned effective_priority(const struct tcb *t)
{
    unsigned p = t->base;
    for (const struct mutex *m = t->held; m != NULL; m = m->next_held) {
        if (m->waiters.head != NULL && m->waiters.head->prio < p) {
            p = m->waiters.head->prio;
        }
    }
    return p;
}

/* After the waiters of a mutex owned by t changed: t's priority, and along a chain of owners blocked on
   other mutexes, theirs. */
static void update_inheritance(struct tcb *t)
{
    for (int depth = 0; t != NULL && depth < KERNEL_MAX_THREADS; depth++) {
        unsigned p = effective_priority(t);
        if (p == t->prio) {
            return;
        }
        set_priority(t, p);
        if (t->state != T_BLOCKED || t->wait != W_MUTEX) {
            return;
        }
        t = ((struct mutex *)t->object)->owner;
    }
}

static void set_priority(struct tcb *t, unsigned prio)
{
    if (t->state == T_READY) {
        bool running = t == kernel_current;
        kernel_ready_remove(t);
        t->prio = (uint8_t)prio;
        ready_add(t, running); /* the running thread keeps the head of its new level */
    } else if (t->state == T_BLOCKED && t->queue != NULL) {
        struct waitq *q = t->queue;
        kernel_waitq_remove(t);
        t->prio = (uint8_t)prio;
        waitq_add(q, t);
    } else {
        t->prio = (uint8_t)prio;
    }
}

/* --- the time base */

static void program_timer(void)
{
    bool any = false;
    uint32_t next = 0;
    for (unsigned i = 1; i < KERNEL_MAX_THREADS; i++) {
        struct tcb *th = &kernel_threads[i];
        if (th->state == T_BLOCKED && th->timed && (!any || (int32_t)(th->deadline - next) < 0)) {
            next = th->deadline;
            any = true;
        }
    }
    uint32_t process_deadline, driver_deadline;
    if (process_next_deadline(&process_deadline) && (!any || (int32_t)(process_deadline - next) < 0)) {
        next = process_deadline; /* a heartbeat due, a restart, the watchdog's feed */
        any = true;
    }
    uint32_t timer_deadline = 0;
    if (timers_next_deadline(&timer_deadline) && (!any || (int32_t)(timer_deadline - next) < 0)) {
        next = timer_deadline; /* a soft timer's expiry */
        any = true;
    }
    if (files_next_deadline(&driver_deadline) && (!any || (int32_t)(driver_deadline - next) < 0)) {
        next = driver_deadline; /* a relay coil's pulse ends */
        any = true;
    }
    struct tcb *c = kernel_current;
    if (c != NULL && c != idle && c->state == T_READY && ready[c->prio].head != ready[c->prio].tail
        && (!any || (int32_t)(c->slice_end - next) < 0)) {
        next = c->slice_end; /* another thread of its priority is waiting for its turn */
        any = true;
    }
    if (!any) {
        TIM2_DIER = 0; /* nothing to wake for: no interrupt at all */
        return;
    }
    TIM2_SR = TIM_SR_DEFINED & ~TIM_CC1; /* rc_w0: a 0 clears, the other flags are written 1 */
    TIM2_CCR1 = next;
    TIM2_DIER = TIM_CC1;
    if (reached(now(), next)) {
        NVIC_ISPR0 = 1u << TIM2_IRQ; /* already due: the compare match will not come before the wrap */
    }
}

static void mutex_timed_out(struct tcb *t);

void TIM2_IRQHandler(void)
{
    TIM2_SR = TIM_SR_DEFINED & ~TIM_CC1; /* rc_w0: a 0 clears, the other flags are written 1 */
    kernel_stats.timer_irqs++;
    uint32_t t = now();
    for (unsigned i = 1; i < KERNEL_MAX_THREADS; i++) {
        struct tcb *th = &kernel_threads[i];
        if (th->state == T_BLOCKED && th->timed && reached(t, th->deadline)) {
            if (th->wait == W_MUTEX) {
                mutex_timed_out(th);
            } else if ((th->wait == W_READ || th->wait == W_WRITE) && th->done > 0) {
                kernel_wake(th, (int32_t)th->done); /* what it moved before the timeout */
            } else {
                kernel_wake(th, th->wait == W_SLEEP || th->wait == W_POLL ? 0 : -RTOS_ETIMEDOUT);
            }
        }
    }
#ifdef KERNEL_HARDFAULT_AT_MS
    /* The HardFault test variant (build.sh's rtos_hardfault20.bin): from KERNEL_HARDFAULT_AT_MS of uptime the
       kernel makes a system call from this interrupt, at SVCall's own level: an SVC that cannot be taken is
       escalated to HardFault (HFSR FORCED). Not after a watchdog reset (RCC_CSR IWDGRSTF), so that the boot
       after the reset runs on. */
    if (reached(t, KERNEL_HARDFAULT_AT_MS) && !(REG(0x40023874u) & (1u << 29))) {
        __asm__ volatile("svc #0" ::: "memory");
    }
#endif
    timers_fire(t);
    process_timer(t);
    files_timer(t);
    struct tcb *c = kernel_current;
    if (c != NULL && c != idle && c->state == T_READY && reached(t, c->slice_end) && ready[c->prio].head == c
        && c->next != NULL) {
        kernel_ready_remove(c); /* its slice is over: to the back of its level */
        ready_add(c, false);
    }
    reschedule();
    program_timer();
}

/* --- the context switch: PendSV saves r4-r11 and EXC_RETURN (and s16-s31 when the frame is an FP one,
   EXC_RETURN bit 4 clear) on the process stack, the kernel chooses, PendSV restores */

uint32_t *kernel_switch(uint32_t *sp) __attribute__((used));
uint32_t *kernel_switch(uint32_t *sp)
{
    if (kernel_current != NULL) {
        kernel_current->sp = sp;
    } else {
        __asm__ volatile("msr control, %0\n\tisb" ::"r"(1u)); /* nPRIV: threads run unprivileged */
    }
    struct tcb *next = choose();
    if (next != kernel_current) {
        kernel_stats.switches++;
        if (next == idle) {
            kernel_stats.idle_entries++;
        }
        next->slice_end = now() + KERNEL_SLICE_MS;
        kernel_current = next;
        /* its stack and data region; the code region stays; the exception return that follows makes the
           new map take effect for the thread's first access */
        MPU_RBAR = next->stack_rbar;
        MPU_RASR = next->stack_rasr;
        MPU_RBAR = next->data_rbar;
        MPU_RASR = next->data_rasr;
        kernel_map_process(next->proc);
    }
    if (next->has_result) {
        saved_frame(next)[0] = (uint32_t)next->result;
        next->has_result = false;
    }
    program_timer();
    return next->sp;
}

__attribute__((naked)) void PendSV_Handler(void)
{
    __asm__ volatile(
        "mrs r0, psp\n\t"
        "tst lr, #0x10\n\t"
        "it eq\n\t"
        "vstmdbeq r0!, {s16-s31}\n\t" /* an FP instruction: first completes any lazy stacking of s0-s15 */
        "stmdb r0!, {r4-r11, lr}\n\t"
        "bl kernel_switch\n\t"
        "ldmia r0!, {r4-r11, lr}\n\t"
        "tst lr, #0x10\n\t"
        "it eq\n\t"
        "vldmiaeq r0!, {s16-s31}\n\t"
        "msr psp, r0\n\t"
        "bx lr\n\t");
}

/* MPU regions 3 and 4: p's shared-memory windows (none for idle) */
void kernel_map_process(const struct process *p)
{
    for (unsigned i = 0; i < PROCESS_SHM_MAPS; i++) {
        bool mapped = p != NULL && p->maps[i].shm >= 0;
        MPU_RBAR = mapped ? p->maps[i].rbar : (RBAR_VALID | (MPU_REGION_SHM + i));
        MPU_RASR = mapped ? p->maps[i].rasr : 0;
    }
    bool loaded = p != NULL && p->loaded;
    MPU_RBAR = loaded ? p->text_rbar : (RBAR_VALID | MPU_REGION_APP_TEXT);
    MPU_RASR = loaded ? p->text_rasr : 0;
}

/* --- threads */

static void idle_main(void)
{
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* Where a thread's entry function returns to: SYS_THREAD_EXIT with the returned value, still in r0. */
__attribute__((naked)) static void thread_return(void)
{
    __asm__ volatile("svc %0\n\tb ." ::"i"(SYS_THREAD_EXIT));
}

/* [base, base + size) as one MPU region (rtos.h): its RASR SIZE, SRD and ENABLE bits, or false. A power of
   two of at least 32 bytes aligned to its size; or, from 256 bytes on, k eighths of the next power of two R
   (k = 5..7), aligned to R, the top 8 - k subregions disabled. */
bool kernel_mpu_region(uint32_t base, uint32_t size, uint32_t *rasr)
{
    if (size < 32 || size > 0x80000000u) {
        return false;
    }
    unsigned log = 32 - (unsigned)__builtin_clz(size - 1); /* R = 2^log >= size */
    uint32_t r = 1u << log, srd = 0;
    if (r != size) {
        uint32_t eighth = r / 8;
        if (r < 256 || size % eighth != 0) {
            return false;
        }
        srd = (0xFFu << (size / eighth)) & 0xFFu;
    }
    if ((base & (r - 1)) != 0) {
        return false;
    }
    *rasr = srd << 8 | (log - 1) << 1 | 1u;
    return true;
}

static int create(const struct rtos_thread_params *p, unsigned first, struct process *proc)
{
    struct tcb *t = NULL;
    for (unsigned i = first; i < KERNEL_MAX_THREADS; i++) {
        if (kernel_threads[i].state == T_FREE) {
            t = &kernel_threads[i];
            break;
        }
    }
    if (t == NULL) {
        return -RTOS_ENOMEM;
    }
    uint32_t stack_rasr, data_rasr = 0;
    if (!kernel_mpu_region((uint32_t)p->stack, p->stack_size, &stack_rasr)
        || (p->data_size != 0 && !kernel_mpu_region((uint32_t)p->data, p->data_size, &data_rasr))) {
        return -RTOS_EINVAL;
    }
    memset(t, 0, sizeof *t);
    t->stack_rbar = (uint32_t)p->stack | RBAR_VALID | MPU_REGION_STACK;
    t->stack_rasr = stack_rasr | RASR_XN | RASR_AP_RW | RASR_SRAM;
    t->data_rbar = (uint32_t)p->data | RBAR_VALID | MPU_REGION_DATA;
    t->data_rasr = data_rasr == 0 ? 0 : data_rasr | RASR_XN | RASR_AP_RW | RASR_SRAM;
    t->stack_lo = (uint32_t)p->stack;
    t->stack_hi = t->stack_lo + p->stack_size;
    t->data_lo = (uint32_t)p->data;
    t->data_hi = t->data_lo + p->data_size;
    t->base = t->prio = (uint8_t)p->priority;
    t->proc = proc;
    uint32_t *sp = (uint32_t *)(t->stack_hi & ~7u) - 8;
    sp[0] = (uint32_t)p->arg;                        /* r0 */
    sp[1] = sp[2] = sp[3] = sp[4] = 0;               /* r1-r3, r12 */
    sp[5] = (uint32_t)thread_return;                 /* lr */
    sp[6] = (uint32_t)p->entry & ~1u;                /* pc */
    sp[7] = 1u << 24;                                /* xPSR: Thumb */
    sp -= 9;
    for (int i = 0; i < 8; i++) {
        sp[i] = 0;                                   /* r4-r11 */
    }
    sp[5] = proc != NULL ? proc->pic_base : 0;       /* r9: a loaded application's GOT (0 otherwise) */
    sp[8] = 0xFFFFFFFDu;                             /* EXC_RETURN: thread mode, process stack, no FP */
    t->sp = sp;
    if (t != idle) {
        alive++;
        ready_add(t, false);
    }
    return (int)(t - kernel_threads);
}

int kernel_create_thread(const struct rtos_thread_params *p, struct process *proc)
{
    int id = create(p, 1, proc);
    if (id > 0) {
        proc->threads++;
    }
    return id;
}

int kernel_thread_create(const struct rtos_thread_params *p)
{
    struct rtos_process_params pp = {.name = "main", .entry = p->entry, .arg = p->arg, .priority = p->priority,
                                     .stack = p->stack, .stack_size = p->stack_size, .data = p->data,
                                     .data_size = p->data_size, .manifest = NULL};
    int pid = kernel_process_create(&pp);
    return pid < 0 ? pid : (int)(kernel_processes[pid].main - kernel_threads);
}

void kernel_init(uint32_t timer_clock_hz)
{
    memset(kernel_threads, 0, sizeof kernel_threads);
    struct rtos_thread_params ip = {.entry = (int (*)(void *))idle_main, .priority = RTOS_PRIORITIES - 1,
                                    .stack = idle_stack, .stack_size = sizeof idle_stack};
    create(&ip, 0, NULL);
    idle->prio = idle->base = RTOS_PRIORITIES; /* below every priority; never in a ready list */
    idle->state = T_READY;

    RCC_APB1ENR |= 1u << 0; /* TIM2EN */
    __asm__ volatile("dsb");
    TIM2_CR1 = 0;
    TIM2_PSC = timer_clock_hz / 1000 - 1;
    TIM2_ARR = 0xFFFFFFFFu;
    TIM2_CCMR1 = 0;   /* channel 1: output compare, frozen: only its flag and interrupt */
    TIM2_EGR = 1;     /* UG: load the prescaler, counter to 0 */
    TIM2_SR = 0;
    TIM2_DIER = 0;
    TIM2_CR1 = 1;     /* CEN */

    SCB_SHPR2 = (SCB_SHPR2 & 0x00FFFFFFu) | KERNEL_PRIORITY << 24; /* SVCall */
    SCB_SHPR3 = (SCB_SHPR3 & 0xFF00FFFFu) | KERNEL_PRIORITY << 16; /* PendSV */
    NVIC_IPR_BYTE(TIM2_IRQ) = KERNEL_PRIORITY;
    NVIC_ISER0 = 1u << TIM2_IRQ;
    SCB_SHCSR |= 7u << 16; /* MemManage, BusFault, UsageFault enabled (kernel_fault) */
    process_init();
    files_init(timer_clock_hz); /* APB1 and APB2 undivided: the UARTs' clock is the timer's */

    /* the MPU: region 0 the image's code and constants (all of flash, read-only, executable), 1 and 2 the
       running thread's stack and data (kernel_switch), the rest unused; privileged code has the default
       map underneath (PRIVDEFENA) */
    uint32_t flash_rasr;
    kernel_mpu_region(0x08000000u, 512u * 1024u, &flash_rasr);
    MPU_RBAR = 0x08000000u | RBAR_VALID | MPU_REGION_CODE;
    MPU_RASR = flash_rasr | RASR_AP_RO | RASR_FLASH;
    for (uint32_t r = MPU_REGION_SHM; r < 8; r++) {
        MPU_RBAR = RBAR_VALID | r;
        MPU_RASR = 0;
    }
    MPU_RBAR = RBAR_VALID | MPU_REGION_STACK;
    MPU_RASR = 0;
    MPU_RBAR = RBAR_VALID | MPU_REGION_DATA;
    MPU_RASR = 0;
    MPU_CTRL = MPU_ENABLE | MPU_PRIVDEFENA;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

bool kernel_started(void)
{
    return started;
}

void kernel_start(void)
{
    __asm__ volatile("svc 0xFF" ::: "memory");
    for (;;) {
    }
}

/* without update.c (the test programs): no such call */
__attribute__((weak)) int32_t kernel_update_syscall(struct tcb *c, uint32_t op, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)c, (void)op, (void)a1, (void)a2, (void)a3;
    return -RTOS_ENOSYS;
}

__attribute__((weak, noreturn)) void kernel_all_exited(int status)
{
    finish(status);
}

/* --- pointer checks: [p, p + n) inside the calling thread's stack or data region, or its process's
   shared memory; for what the kernel only reads, also the image's flash (readable by every thread) */

extern uint32_t _flash_end[]; /* the end of the image in flash (rtos.ld) */

bool kernel_in_image(uint32_t a, uint32_t n)
{
    return inside(0x08000000u, (uint32_t)_flash_end, a, n);
}

bool kernel_user_memory(const struct tcb *t, const void *p, uint32_t n)
{
    uint32_t a = (uint32_t)p;
    if (inside(t->stack_lo, t->stack_hi, a, n) || inside(t->data_lo, t->data_hi, a, n)) {
        return true;
    }
    for (unsigned i = 0; t->proc != NULL && i < PROCESS_SHM_MAPS; i++) {
        if (t->proc->maps[i].shm >= 0 && files_shm_contains(t->proc->maps[i].shm, a, n)) {
            return true;
        }
    }
    return false;
}

bool kernel_user_readable(const struct tcb *t, const void *p, uint32_t n)
{
    return kernel_user_memory(t, p, n) || kernel_in_image((uint32_t)p, n)
           || (t->proc != NULL && t->proc->loaded && inside(t->proc->text_lo, t->proc->text_hi, (uint32_t)p, n));
}

bool kernel_code(const struct process *p, uint32_t entry)
{
    return (entry & 1u) && (inside((uint32_t)_text_start, (uint32_t)_text_end, entry & ~1u, 2)
                            || (p != NULL && p->loaded && inside(p->text_lo, p->text_hi, entry & ~1u, 2)));
}

int kernel_user_string(const struct tcb *t, const char *s, char *out, uint32_t max)
{
    for (uint32_t i = 0; i < max; i++) {
        if (!kernel_user_readable(t, s + i, 1)) {
            return -RTOS_EFAULT;
        }
        out[i] = s[i];
        if (s[i] == 0) {
            return (int)i;
        }
    }
    return -RTOS_ENAMETOOLONG;
}

#define user_memory kernel_user_memory

/* --- mutexes */

static void mutex_give_to(struct mutex *m, struct tcb *t)
{
    m->owner = t;
    m->next_held = t->held;
    t->held = m;
}

/* m to its highest waiter, woken with result (0, or -RTOS_EOWNERDEAD when its holder died holding it) */
static void mutex_release(struct mutex *m, int32_t result)
{
    struct tcb *o = m->owner;
    for (struct mutex **link = &o->held; *link != NULL; link = &(*link)->next_held) {
        if (*link == m) {
            *link = m->next_held;
            break;
        }
    }
    m->next_held = NULL;
    m->owner = NULL;
    update_inheritance(o); /* back to its own priority, or what its other mutexes' waiters give it */
    struct tcb *w = m->waiters.head;
    if (w != NULL) {
        kernel_wake(w, result); /* the highest waiter owns it now */
        mutex_give_to(m, w);
        update_inheritance(w);
    }
}

static void mutex_timed_out(struct tcb *t)
{
    struct mutex *m = t->object;
    kernel_wake(t, -RTOS_ETIMEDOUT);
    update_inheritance(m->owner);
}

/* --- event flags: a waiter is satisfied by any or all of its bits */

static bool flags_satisfied(uint32_t value, uint32_t bits, uint32_t options)
{
    return (options & RTOS_FLAGS_ALL) ? (value & bits) == bits : (value & bits) != 0;
}

/* --- message queues */

static uint8_t *slot(struct queue *q, uint32_t i)
{
    return q->storage + ((q->head + i) % q->capacity) * q->size;
}

/* --- system calls */

static struct tcb *thread_by_id(uint32_t id)
{
    return id > 0 && id < KERNEL_MAX_THREADS && kernel_threads[id].state != T_FREE ? &kernel_threads[id] : NULL;
}

void kernel_release_mutexes(struct tcb *t)
{
    while (t->held != NULL) {
        mutex_release(t->held, -RTOS_EOWNERDEAD); /* a mutex left locked goes to its next waiter, told so */
    }
}

/* t leaves whatever it waits in (a mutex wait takes its boost away from the owner) */
static void stop_waiting(struct tcb *t)
{
    if (t->state != T_BLOCKED) {
        return;
    }
    struct mutex *m = t->wait == W_MUTEX ? t->object : NULL;
    kernel_waitq_remove(t);
    t->timed = false;
    t->wait = W_NONE;
    if (m != NULL && m->owner != NULL) {
        update_inheritance(m->owner);
    }
}

void kernel_thread_end(struct tcb *t, int32_t status)
{
    if (t->state == T_FREE || t->state == T_ZOMBIE) {
        return;
    }
    if (t->proc != NULL && t == t->proc->main && t->proc->state == P_RUNNING) {
        kernel_objects_release(t->proc); /* its process ends with it: first its objects, whose waiters get
                                            -RTOS_EIDRM (not a mutex it held, handed on) */
    }
    kernel_release_mutexes(t);
    kernel_ready_remove(t);
    stop_waiting(t);
    t->state = T_ZOMBIE;
    t->exit_status = status;
    bool joined = t->joiners.head != NULL;
    while (t->joiners.head != NULL) {
        kernel_wake(t->joiners.head, status);
    }
    if (joined) {
        t->state = T_FREE;
    }
    alive--;
    process_thread_ended(t, status); /* its process ends with its main thread */
    if (alive == 0 && !process_any_pending()) {
        kernel_all_exited(status);
    }
}

void kernel_thread_free(struct tcb *t)
{
    t->state = T_FREE;
}

static uint32_t start_scratch[64] __attribute__((aligned(8))); /* PendSV's first save, discarded */

/* Where a discarded thread would resume if it ran before the switch away from it (the PendSV pended with
   its death is taken first, so it does not). */
__attribute__((naked)) static void thread_dead(void)
{
    __asm__ volatile("b .");
}

void kernel_discard_current(void)
{
    FPCCR &= ~1u; /* LSPACT: drop a lazy FP save still owed to the dead thread's frame */
    /* a fresh basic frame at the top of its own stack (whatever its stack pointer was), resuming in
       thread_dead: the pended PendSV switches away before it could run, and with no current thread saves
       nothing into the dead one. Its own stack, not kernel memory: the return to thread mode that precedes
       the PendSV may unstack it (and the PendSV's entry stack onto it) with the thread's privilege. Nothing
       reuses the stack before that PendSV: a restart comes from the timer, after it. */
    uint32_t *top = (uint32_t *)(kernel_current->stack_hi & ~7u) - 8;
    for (int i = 0; i < 6; i++) {
        top[i] = 0;
    }
    top[6] = (uint32_t)thread_dead & ~1u;
    top[7] = 1u << 24;
    __asm__ volatile("msr psp, %0" ::"r"(top));
    kernel_current = NULL;
    SCB_ICSR = ICSR_PENDSVSET;
}

/* --- kernel objects: owned by the process that created them, usable by its threads and by the processes
   that opened them by name (SYS_OBJ_OPEN, their manifests listing /obj/NAME); destroyed with their owner */

static struct kobj *kobj_at(unsigned kind, unsigned i)
{
    return (struct kobj *)((uint8_t *)KINDS[kind].first + i * KINDS[kind].stride);
}

static unsigned pid_of(const struct tcb *c)
{
    return (unsigned)(c->proc - kernel_processes);
}

static int32_t id_of(const struct kobj *k, unsigned kind)
{
    unsigned i = (unsigned)(((const uint8_t *)k - (const uint8_t *)KINDS[kind].first) / KINDS[kind].stride);
    return (int32_t)((k->gen & GEN_MASK) << ID_BITS | i);
}

/* a free slot of kind for c's process, the rest of the object zeroed (its generation kept), or NULL */
static void *claim(unsigned kind, const struct tcb *c)
{
    for (unsigned i = 0; i < KINDS[kind].max; i++) {
        struct kobj *k = kobj_at(kind, i);
        if (!k->used) {
            uint32_t gen = k->gen;
            memset(k, 0, KINDS[kind].stride);
            *k = (struct kobj){.used = true, .kind = (uint8_t)kind, .owner = (uint8_t)pid_of(c), .gen = gen};
            return k;
        }
    }
    return NULL;
}

/* the live object id names: NULL with -RTOS_EINVAL when there is none (or the id is stale: its slot was
   reused), -RTOS_EPERM when it is another process's that c's process has not opened */
static void *use(const struct tcb *c, unsigned kind, uint32_t id, int32_t *err)
{
    unsigned i = id & ((1u << ID_BITS) - 1);
    struct kobj *k = i < KINDS[kind].max ? kobj_at(kind, i) : NULL;
    if (k == NULL || !k->used || id >> ID_BITS != (k->gen & GEN_MASK)) {
        *err = -RTOS_EINVAL;
        return NULL;
    }
    unsigned pid = pid_of(c);
    if (k->owner != pid && !(k->openers & (1u << pid))) {
        *err = -RTOS_EPERM;
        return NULL;
    }
    return k;
}

static void wake_all(struct waitq *q, int32_t result)
{
    while (q->head != NULL) {
        kernel_wake(q->head, result); /* out of q: the next is the head */
    }
}

static void queue_free_storage(struct queue *q)
{
    /* the pool stays one block: what lies above moves down (messages with it) */
    uint8_t *s = q->storage;
    uint32_t b = q->bytes;
    memmove(s, s + b, (size_t)(queue_pool + queue_pool_used - (s + b)));
    for (unsigned i = 0; i < MAX_QUEUES; i++) {
        if (queues[i].k.used && queues[i].storage > s) {
            queues[i].storage -= b;
        }
    }
    queue_pool_used -= b;
}

/* every waiter woken with -RTOS_EIDRM, a held mutex taken from its holder (its inherited priority with
   it), storage freed; the slot free, its next id another */
static void destroy(struct kobj *k)
{
    switch (k->kind) {
    case RTOS_OBJ_MUTEX: {
        struct mutex *m = (struct mutex *)k;
        struct tcb *o = m->owner;
        wake_all(&m->waiters, -RTOS_EIDRM);
        if (o != NULL) {
            for (struct mutex **link = &o->held; *link != NULL; link = &(*link)->next_held) {
                if (*link == m) {
                    *link = m->next_held;
                    break;
                }
            }
            m->owner = NULL;
            update_inheritance(o);
        }
        break;
    }
    case RTOS_OBJ_SEM:
        wake_all(&((struct sem *)k)->waiters, -RTOS_EIDRM);
        break;
    case RTOS_OBJ_FLAGS:
        wake_all(&((struct flags *)k)->waiters, -RTOS_EIDRM);
        break;
    case RTOS_OBJ_QUEUE: {
        struct queue *q = (struct queue *)k;
        wake_all(&q->senders, -RTOS_EIDRM);
        wake_all(&q->receivers, -RTOS_EIDRM);
        queue_free_storage(q);
        break;
    }
    default: /* a timer: it stops with its slot */
        break;
    }
    k->used = false;
    k->openers = 0;
    k->name[0] = 0;
    k->gen = (k->gen + 1) & GEN_MASK;
}

void kernel_objects_release(struct process *p)
{
    unsigned pid = (unsigned)(p - kernel_processes);
    for (unsigned kind = RTOS_OBJ_MUTEX; kind <= RTOS_OBJ_TIMER; kind++) {
        for (unsigned i = 0; i < KINDS[kind].max; i++) {
            struct kobj *k = kobj_at(kind, i);
            if (k->used && k->owner == pid) {
                destroy(k);
            } else {
                k->openers &= (uint16_t)~(1u << pid); /* a restart opens again */
            }
        }
    }
}

static struct kobj *find_name(const char *name)
{
    for (unsigned kind = RTOS_OBJ_MUTEX; kind <= RTOS_OBJ_TIMER; kind++) {
        for (unsigned i = 0; i < KINDS[kind].max; i++) {
            struct kobj *k = kobj_at(kind, i);
            if (k->used && k->name[0] != 0 && strcmp(k->name, name) == 0) {
                return k;
            }
        }
    }
    return NULL;
}

/* name copied from the caller into out; its path /obj/NAME in its manifest (-RTOS_EACCES otherwise) */
static int32_t obj_name(const struct tcb *c, const char *user, char *out)
{
    int n = kernel_user_string(c, user, out, RTOS_OBJ_NAME_MAX);
    if (n < 0) {
        return n;
    }
    if (n == 0 || strchr(out, '/') != NULL || strchr(out, ' ') != NULL) {
        return -RTOS_EINVAL;
    }
    char path[5 + RTOS_OBJ_NAME_MAX] = "/obj/";
    memcpy(path + 5, out, (size_t)n + 1);
    return files_may_open(c->proc, path) ? 0 : -RTOS_EACCES;
}

static bool flags_satisfied(uint32_t value, uint32_t bits, uint32_t options);

static uint32_t flags_set(struct flags *f, uint32_t bits)
{
    f->value |= bits;
    /* waiters in priority order; one that clears its bits does so before the next is considered */
    for (struct tcb *w = f->waiters.head, *after; w != NULL; w = after) {
        after = w->next;
        if (flags_satisfied(f->value, w->bits, w->options)) {
            uint32_t value = f->value;
            if (w->options & RTOS_FLAGS_CLEAR) {
                f->value &= ~w->bits;
            }
            kernel_wake(w, (int32_t)value);
        }
    }
    return f->value;
}

/* soft timers: expiries due at t set their flags (an owner's flags group gone stops the timer) */
static void timers_fire(uint32_t t)
{
    for (unsigned i = 0; i < MAX_TIMERS; i++) {
        struct timer *tm = &timers[i];
        if (!tm->k.used || !tm->running || !reached(t, tm->deadline)) {
            continue;
        }
        struct flags *f = NULL;
        unsigned fi = tm->flags_id & ((1u << ID_BITS) - 1);
        if (fi < MAX_FLAGS && flag_groups[fi].k.used && tm->flags_id >> ID_BITS == flag_groups[fi].k.gen
            && (flag_groups[fi].k.owner == tm->k.owner || (flag_groups[fi].k.openers & (1u << tm->k.owner)))) {
            f = &flag_groups[fi];
        }
        if (f == NULL || tm->period == 0) {
            tm->running = false;
        } else {
            tm->deadline += tm->period;
            if (reached(t, tm->deadline)) {
                tm->deadline = t + tm->period; /* late: no burst of missed periods */
            }
        }
        if (f != NULL) {
            flags_set(f, tm->bits);
        }
    }
}

static bool timers_next_deadline(uint32_t *next)
{
    bool any = false;
    for (unsigned i = 0; i < MAX_TIMERS; i++) {
        if (timers[i].k.used && timers[i].running && (!any || (int32_t)(timers[i].deadline - *next) < 0)) {
            *next = timers[i].deadline;
            any = true;
        }
    }
    return any;
}

static int32_t obj_syscall(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2)
{
    int32_t err;
    char name[RTOS_OBJ_NAME_MAX];
    switch (n) {
    case SYS_OBJ_NAME: {
        if (a0 < RTOS_OBJ_MUTEX || a0 > RTOS_OBJ_TIMER) {
            return -RTOS_EINVAL;
        }
        struct kobj *k = use(c, a0, a1, &err);
        if (k == NULL) {
            return err;
        }
        if (k->owner != pid_of(c)) {
            return -RTOS_EPERM; /* only its owner shares it */
        }
        if ((err = obj_name(c, (const char *)a2, name)) < 0) {
            return err;
        }
        if (k->name[0] != 0 || find_name(name) != NULL) {
            return -RTOS_EEXIST;
        }
        memcpy(k->name, name, sizeof name);
        return 0;
    }
    case SYS_OBJ_OPEN: {
        if (a0 < RTOS_OBJ_MUTEX || a0 > RTOS_OBJ_TIMER) {
            return -RTOS_EINVAL;
        }
        if ((err = obj_name(c, (const char *)a1, name)) < 0) {
            return err;
        }
        struct kobj *k = find_name(name);
        if (k == NULL || k->kind != a0) {
            return -RTOS_ENOENT;
        }
        k->openers |= (uint16_t)(1u << pid_of(c));
        return id_of(k, a0);
    }
    case SYS_OBJ_DELETE: {
        if (a0 < RTOS_OBJ_MUTEX || a0 > RTOS_OBJ_TIMER) {
            return -RTOS_EINVAL;
        }
        struct kobj *k = use(c, a0, a1, &err);
        if (k == NULL) {
            return err;
        }
        if (k->owner != pid_of(c)) {
            return -RTOS_EPERM;
        }
        destroy(k);
        return 0;
    }
    case SYS_OBJ_STATS: {
        struct rtos_obj_stats *st = (struct rtos_obj_stats *)a0;
        if (!kernel_user_memory(c, st, sizeof *st)) {
            return -RTOS_EFAULT;
        }
        memset(st, 0, sizeof *st);
        for (unsigned kind = RTOS_OBJ_MUTEX; kind <= RTOS_OBJ_TIMER; kind++) {
            for (unsigned i = 0; i < KINDS[kind].max; i++) {
                st->free[kind] += !kobj_at(kind, i)->used;
            }
        }
        st->queue_bytes_free = QUEUE_POOL - queue_pool_used;
        return 0;
    }
    case SYS_TIMER_CREATE: {
        if (use(c, RTOS_OBJ_FLAGS, a0, &err) == NULL) {
            return err;
        }
        if (a1 == 0 || (a1 & 0x80000000u)) {
            return -RTOS_EINVAL;
        }
        struct timer *tm = claim(RTOS_OBJ_TIMER, c);
        if (tm == NULL) {
            return -RTOS_ENOMEM;
        }
        tm->flags_id = a0;
        tm->bits = a1;
        return id_of(&tm->k, RTOS_OBJ_TIMER);
    }
    case SYS_TIMER_START: {
        struct timer *tm = use(c, RTOS_OBJ_TIMER, a0, &err);
        if (tm == NULL) {
            return err;
        }
        if (a1 > MAX_TIMEOUT || a2 > MAX_TIMEOUT) {
            return -RTOS_EINVAL;
        }
        tm->running = true;
        tm->deadline = now() + a1 + 1; /* at least delay ms, as a sleep */
        tm->period = a2;
        return 0;
    }
    case SYS_TIMER_STOP: {
        struct timer *tm = use(c, RTOS_OBJ_TIMER, a0, &err);
        if (tm == NULL) {
            return err;
        }
        tm->running = false;
        return 0;
    }
    default:
        return -RTOS_ENOSYS;
    }
}

/* Returns the value for r0, or BLOCKED when the caller now waits (its r0 is set when it is woken). */
#define BLOCKED INT32_MIN

static int32_t syscall(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    switch (n) {
    case SYS_YIELD:
        kernel_ready_remove(c);
        ready_add(c, false);
        return 0;
    case SYS_SLEEP:
        if (a0 == 0) {
            kernel_ready_remove(c);
            ready_add(c, false);
            return 0;
        }
        kernel_block(c, W_SLEEP, NULL, NULL, a0); /* RTOS_FOREVER: until the end */
        return BLOCKED;
    case SYS_UPTIME:
        return (int32_t)now();
    case SYS_THREAD_CREATE: {
        const struct rtos_thread_params *p = (const void *)a0;
        if (!user_memory(c, p, sizeof *p)) {
            return -RTOS_EFAULT;
        }
        struct rtos_thread_params q = *p; /* copied once: the checks and the use see the same values */
        if (q.data_size == 0 && c->proc->data_hi > c->proc->data_lo) {
            q.data = (void *)c->proc->data_lo; /* no data region of its own: its process's memory */
            q.data_size = c->proc->data_hi - c->proc->data_lo;
        }
        uint32_t entry = (uint32_t)q.entry;
        if (!inside(c->data_lo, c->data_hi, (uint32_t)q.stack, q.stack_size)
            || (q.data_size != 0 && !inside(c->data_lo, c->data_hi, (uint32_t)q.data, q.data_size))) {
            return -RTOS_EFAULT; /* a thread's memory is part of its creator's data region */
        }
        if (!kernel_code(c->proc, entry)) {
            return -RTOS_EFAULT; /* Thumb code of the image */
        }
        if (q.priority >= RTOS_PRIORITIES || q.stack_size < 256) {
            return -RTOS_EINVAL; /* create() checks that stack and data are MPU regions */
        }
        return kernel_create_thread(&q, c->proc);
    }
    case SYS_THREAD_EXIT:
        kernel_thread_end(c, (int32_t)a0);
        return BLOCKED;
    case SYS_THREAD_JOIN: {
        struct tcb *t = thread_by_id(a0);
        if (t == NULL || t == c || t->proc != c->proc) {
            return -RTOS_ESRCH; /* a thread of its own process */
        }
        if (t->state == T_ZOMBIE) {
            t->state = T_FREE;
            return t->exit_status;
        }
        if (a1 == 0) {
            return -RTOS_EAGAIN;
        }
        kernel_block(c, W_JOIN, &t->joiners, t, a1);
        return BLOCKED;
    }
    case SYS_THREAD_SELF:
        return (int32_t)(c - kernel_threads);
    case SYS_THREAD_PRIORITY:
        return c->prio;
    case SYS_MUTEX_CREATE: {
        struct mutex *m = claim(RTOS_OBJ_MUTEX, c);
        return m == NULL ? -RTOS_ENOMEM : id_of(&m->k, RTOS_OBJ_MUTEX);
    }
    case SYS_MUTEX_LOCK: {
        int32_t err;
        struct mutex *m = use(c, RTOS_OBJ_MUTEX, a0, &err);
        if (m == NULL) {
            return err;
        }
        if (m->owner == NULL) {
            mutex_give_to(m, c);
            return 0;
        }
        if (m->owner == c) {
            return -RTOS_EDEADLK;
        }
        if (a1 == 0) {
            return -RTOS_EAGAIN;
        }
        kernel_block(c, W_MUTEX, &m->waiters, m, a1);
        update_inheritance(m->owner);
        return BLOCKED;
    }
    case SYS_MUTEX_UNLOCK: {
        int32_t err;
        struct mutex *m = use(c, RTOS_OBJ_MUTEX, a0, &err);
        if (m == NULL) {
            return err;
        }
        if (m->owner != c) {
            return -RTOS_EPERM;
        }
        mutex_release(m, 0);
        return 0;
    }
    case SYS_SEM_CREATE: {
        if (a1 == 0 || a0 > a1) {
            return -RTOS_EINVAL;
        }
        struct sem *s = claim(RTOS_OBJ_SEM, c);
        if (s == NULL) {
            return -RTOS_ENOMEM;
        }
        s->count = a0;
        s->max = a1;
        return id_of(&s->k, RTOS_OBJ_SEM);
    }
    case SYS_SEM_TAKE: {
        int32_t err;
        struct sem *s = use(c, RTOS_OBJ_SEM, a0, &err);
        if (s == NULL) {
            return err;
        }
        if (s->count > 0) {
            s->count--;
            return 0;
        }
        if (a1 == 0) {
            return -RTOS_EAGAIN;
        }
        kernel_block(c, W_SEM, &s->waiters, s, a1);
        return BLOCKED;
    }
    case SYS_SEM_GIVE: {
        int32_t err;
        struct sem *s = use(c, RTOS_OBJ_SEM, a0, &err);
        if (s == NULL) {
            return err;
        }
        if (s->waiters.head != NULL) {
            kernel_wake(s->waiters.head, 0); /* the count stays 0: the unit goes to the highest waiter */
            return 0;
        }
        if (s->count == s->max) {
            return -RTOS_EAGAIN;
        }
        s->count++;
        return 0;
    }
    case SYS_FLAGS_CREATE: {
        struct flags *f = claim(RTOS_OBJ_FLAGS, c);
        return f == NULL ? -RTOS_ENOMEM : id_of(&f->k, RTOS_OBJ_FLAGS);
    }
    case SYS_FLAGS_SET: {
        int32_t err;
        struct flags *f = use(c, RTOS_OBJ_FLAGS, a0, &err);
        if (f == NULL) {
            return err;
        }
        if (a1 & 0x80000000u) {
            return -RTOS_EINVAL;
        }
        return (int32_t)flags_set(f, a1);
    }
    case SYS_FLAGS_CLEAR: {
        int32_t err;
        struct flags *f = use(c, RTOS_OBJ_FLAGS, a0, &err);
        if (f == NULL) {
            return err;
        }
        uint32_t before = f->value;
        f->value &= ~a1;
        return (int32_t)before;
    }
    case SYS_FLAGS_WAIT: {
        int32_t err;
        struct flags *f = use(c, RTOS_OBJ_FLAGS, a0, &err);
        if (f == NULL) {
            return err;
        }
        if (a1 == 0 || (a1 & 0x80000000u) || (a2 & ~3u)) {
            return -RTOS_EINVAL;
        }
        if (flags_satisfied(f->value, a1, a2)) {
            uint32_t value = f->value;
            if (a2 & RTOS_FLAGS_CLEAR) {
                f->value &= ~a1;
            }
            return (int32_t)value;
        }
        if (a3 == 0) {
            return -RTOS_EAGAIN;
        }
        c->bits = a1;
        c->options = a2;
        kernel_block(c, W_FLAGS, &f->waiters, f, a3);
        return BLOCKED;
    }
    case SYS_QUEUE_CREATE: {
        uint32_t bytes = a0 * a1;
        if (a0 == 0 || a0 > MAX_MESSAGE || a1 == 0 || a1 > QUEUE_POOL) {
            return -RTOS_EINVAL;
        }
        bytes = (bytes + 7u) & ~7u;
        if (bytes > QUEUE_POOL - queue_pool_used) {
            return -RTOS_ENOMEM;
        }
        struct queue *q = claim(RTOS_OBJ_QUEUE, c);
        if (q == NULL) {
            return -RTOS_ENOMEM;
        }
        q->size = a0;
        q->capacity = a1;
        q->bytes = bytes;
        q->storage = queue_pool + queue_pool_used;
        queue_pool_used += bytes;
        return id_of(&q->k, RTOS_OBJ_QUEUE);
    }
    case SYS_QUEUE_SEND: {
        int32_t err;
        struct queue *q = use(c, RTOS_OBJ_QUEUE, a0, &err);
        if (q == NULL) {
            return err;
        }
        if (!user_memory(c, (const void *)a1, q->size)) {
            return -RTOS_EFAULT;
        }
        struct tcb *r = q->receivers.head;
        if (r != NULL) { /* the queue is empty: straight into the waiting receiver's buffer */
            memcpy(r->buffer, (const void *)a1, q->size);
            kernel_wake(r, 0);
            return 0;
        }
        if (q->count < q->capacity) {
            memcpy(slot(q, q->count), (const void *)a1, q->size);
            q->count++;
            return 0;
        }
        if (a2 == 0) {
            return -RTOS_EAGAIN;
        }
        c->buffer = (void *)a1;
        kernel_block(c, W_QSEND, &q->senders, q, a2);
        return BLOCKED;
    }
    case SYS_QUEUE_RECEIVE: {
        int32_t err;
        struct queue *q = use(c, RTOS_OBJ_QUEUE, a0, &err);
        if (q == NULL) {
            return err;
        }
        if (!user_memory(c, (const void *)a1, q->size)) {
            return -RTOS_EFAULT;
        }
        if (q->count > 0) {
            memcpy((void *)a1, slot(q, 0), q->size);
            q->head = (q->head + 1) % q->capacity;
            q->count--;
            struct tcb *s = q->senders.head;
            if (s != NULL) { /* the freed slot takes the first waiting sender's message */
                memcpy(slot(q, q->count), s->buffer, q->size);
                q->count++;
                kernel_wake(s, 0);
            }
            return 0;
        }
        if (a2 == 0) {
            return -RTOS_EAGAIN;
        }
        c->buffer = (void *)a1;
        kernel_block(c, W_QRECV, &q->receivers, q, a2);
        return BLOCKED;
    }
    case SYS_CONSOLE_WRITE: {
        if (!kernel_user_readable(c, (const void *)a0, a1)) { /* the kernel only reads it: flash too */
            return -RTOS_EFAULT;
        }
        char chunk[65];
        for (uint32_t done = 0; done < a1;) {
            uint32_t k = a1 - done > 64 ? 64 : a1 - done;
            memcpy(chunk, (const char *)a0 + done, k);
            chunk[k] = 0;
            console_write(chunk);
            done += k;
        }
        return (int32_t)a1;
    }
    case SYS_KERNEL_STATS:
        if (!user_memory(c, (const void *)a0, sizeof kernel_stats)) {
            return -RTOS_EFAULT;
        }
        memcpy((void *)a0, &kernel_stats, sizeof kernel_stats);
        return 0;
    default:
        if (n >= SYS_OBJ_NAME && n <= SYS_TIMER_STOP) {
            return obj_syscall(c, n, a0, a1, a2);
        }
        if ((n >= SYS_EVENT_READ && n < SYS_OPEN) || n == SYS_PROCESS_LOAD) {
            return process_syscall(c, n, a0, a1, a2, a3);
        }
        if (n >= SYS_OPEN && n < SYS_COUNT) {
            return files_syscall(c, n, a0, a1, a2, a3);
        }
        if (n == SYS_UPDATE) {
            return kernel_update_syscall(c, a0, a1, a2, a3);
        }
        return -RTOS_ENOSYS;
    }
}

void svc_dispatch(uint32_t *frame, uint32_t exc_return) __attribute__((used));
void svc_dispatch(uint32_t *frame, uint32_t exc_return)
{
    uint32_t n = ((const uint16_t *)frame[6])[-1] & 0xFFu; /* the SVC instruction's immediate */
    if (!(exc_return & 4u)) { /* from the main stack: only the boot code's start */
        if (n == 0xFF && !started) {
            started = true;
            __asm__ volatile("msr psp, %0" ::"r"(start_scratch + 64));
            /* threads run unprivileged: CONTROL.nPRIV is set by the first switch (kernel_switch), not here,
               so that the return from this call, still on the main stack, is privileged under the MPU */
            kernel_current = NULL;
            SCB_ICSR = ICSR_PENDSVSET;
            return;
        }
        finish(97); /* the kernel itself made a system call */
    }
    struct tcb *c = kernel_current;
    kernel_stats.syscalls++;
    int32_t r = syscall(c, n, frame[0], frame[1], frame[2], frame[3]);
    if (r != BLOCKED) {
        frame[0] = (uint32_t)r;
    }
    reschedule();
    program_timer();
}

__attribute__((naked)) void SVC_Handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "b svc_dispatch\n\t");
}
