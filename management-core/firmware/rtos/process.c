/*
 * Processes (docs/rtos.md, "Processes"): a process is threads that share a manifest (the files it may
 * open), open files and shared-memory mappings; its main thread's data region is its memory. A fault in any
 * of its threads kills the whole process (every thread, its files closed, its mappings dropped) and is
 * recorded in the event log; the process's restart policy then starts it again after its delay, up to its
 * limit. The supervisor kills a process whose heartbeat is overdue the same way, and feeds the watchdog
 * (IWDG, RM0430 21) while no process it supervises has been given up on with RTOS_ON_GIVE_UP_RESET: a
 * kernel that stops running its timer interrupt, or such a process, resets the core.
 *
 * A fault in the kernel itself (handler mode, before the scheduler, or in the idle thread) is not
 * contained: startup.c's Fault_Handler.
 */
#include <stddef.h>
#include <string.h>

#include "kernel_private.h"

#define SCB_CFSR REG(0xE000ED28u)
#define SCB_MMFAR REG(0xE000ED34u)
#define SCB_BFAR REG(0xE000ED38u)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)
#define IWDG_KR REG(0x40003000u)
#define IWDG_PR REG(0x40003004u)
#define IWDG_RLR REG(0x40003008u)
#define IWDG_LSI_HZ 32000u

struct process kernel_processes[MAX_PROCESSES];

static struct rtos_event event_log[RTOS_EVENT_LOG];
static uint32_t event_count;

static struct {
    bool running;
    bool starved;            /* a process given up on with RTOS_ON_GIVE_UP_RESET: no more feeding */
    uint32_t period;         /* ms between feeds: a quarter of the time-out */
    uint32_t next;           /* ms of the next feed */
} watchdog;

extern uint32_t _text_start[], _text_end[];

void process_init(void)
{
    memset(kernel_processes, 0, sizeof kernel_processes);
    memset(&watchdog, 0, sizeof watchdog);
    event_count = 0;
}

static struct rtos_event *record(uint32_t kind, const struct process *p)
{
    struct rtos_event *e = &event_log[event_count % RTOS_EVENT_LOG];
    memset(e, 0, sizeof *e);
    e->seq = event_count++;
    e->time = now();
    e->kind = kind;
    e->process = (uint32_t)(p - kernel_processes);
    e->restarts = p->restarts;
    return e;
}

static int start_main(struct process *p)
{
    const struct rtos_process_params *q = &p->params;
    struct rtos_thread_params tp = {q->entry, q->arg, q->priority, q->stack, q->stack_size, q->data, q->data_size};
    p->threads = 0;
    int id = kernel_create_thread(&tp, p);
    if (id < 0) {
        return id;
    }
    p->main = &kernel_threads[id];
    p->state = P_RUNNING;
    p->last_beat = now();
    for (unsigned i = 0; i < PROCESS_SHM_MAPS; i++) {
        p->maps[i].shm = -1;
    }
    return 0;
}

/* a process slot, or -RTOS_ENOMEM; slot 0 is never used, so that 0 can mean "the kernel" */
int process_create(const struct rtos_process_params *q, const char *name, uint8_t parent,
                   const struct process *image)
{
    for (unsigned i = 1; i < MAX_PROCESSES; i++) {
        struct process *p = &kernel_processes[i];
        if (p->state == P_FREE) {
            memset(p, 0, sizeof *p);
            if (image != NULL) {
                *p = *image; /* a loaded application's code, GOT and blocks */
            }
            p->params = *q;
            memcpy(p->name, name, sizeof p->name - 1);
            p->parent = parent;
            p->data_lo = (uint32_t)q->data;
            p->data_hi = p->data_lo + q->data_size;
            int r = start_main(p);
            if (r < 0) {
                p->state = P_FREE;
                return r;
            }
            return (int)i;
        }
    }
    return -RTOS_ENOMEM;
}

int kernel_process_create(const struct rtos_process_params *q)
{
    char name[16] = {0};
    if (q->name != NULL) {
        strncpy(name, q->name, sizeof name - 1);
    }
    return process_create(q, name, 0, NULL);
}

/* p's run is over with status: every thread ended, its files closed; then restarted by its policy (from
   the timer, never here: the dying thread may still be the one the PendSV about to run switches away from),
   or ended for good */
enum cause { EXITED, FAILED, KILLED };

static void finish(struct process *p, int32_t status, enum cause cause)
{
    const struct rtos_process_params *q = &p->params;
    bool restart = cause != KILLED
                   && (q->restart == RTOS_RESTART_ALWAYS || (q->restart == RTOS_RESTART_ON_FAILURE && cause == FAILED));
    p->last_status = status;
    if (restart && p->restarts < q->max_restarts) {
        p->state = P_RESTARTING; /* first: no thread left is then not the end of everything */
        p->restart_at = now() + q->restart_delay;
    } else {
        if (restart && cause == FAILED) {
            record(RTOS_EVENT_GAVE_UP, p);
            if (q->on_give_up == RTOS_ON_GIVE_UP_RESET) {
                watchdog.starved = true;
            }
        }
        p->state = P_ENDED;
    }
    kernel_objects_release(p); /* before its threads end: waiters on its objects get -RTOS_EIDRM */
    for (unsigned i = 1; i < KERNEL_MAX_THREADS; i++) {
        struct tcb *t = &kernel_threads[i];
        if (t->proc == p && t->state != T_FREE) {
            kernel_thread_end(t, status);
        }
    }
    for (unsigned i = 1; i < KERNEL_MAX_THREADS; i++) {
        struct tcb *t = &kernel_threads[i];
        if (t->proc == p && t->state == T_ZOMBIE) {
            kernel_thread_free(t); /* nobody is left to join them: a process's status is SYS_PROCESS_WAIT's */
        }
    }
    p->threads = 0;
    p->main = NULL;
    files_close_all(p, cause != EXITED);
    if (p->state == P_ENDED) {
        if (p->loaded) {
            loader_free(p); /* its code and memory go back to the pool */
        }
        bool waited = p->waiters.head != NULL;
        while (p->waiters.head != NULL) {
            kernel_wake(p->waiters.head, status);
        }
        if (waited) {
            p->state = P_FREE;
        }
    }
}

/* killed from outside its own code: a fault, the supervisor, its parent */
static void kill(struct process *p, int32_t status, enum cause cause)
{
    if (kernel_current != NULL && kernel_current->proc == p) {
        kernel_discard_current();
    }
    finish(p, status, cause);
}

void process_thread_ended(struct tcb *t, int32_t status)
{
    struct process *p = t->proc;
    if (p == NULL || p->state != P_RUNNING) {
        return; /* the process is already ending: finish() ends its threads */
    }
    p->threads--;
    if (t == p->main) {
        finish(p, status, EXITED);
    }
}

bool process_any_pending(void)
{
    for (unsigned i = 1; i < MAX_PROCESSES; i++) {
        if (kernel_processes[i].state == P_RESTARTING) {
            return true;
        }
    }
    return false;
}

/* --- time: heartbeats, restarts, the watchdog's feed */

bool process_next_deadline(uint32_t *next)
{
    bool any = false;
    for (unsigned i = 1; i < MAX_PROCESSES; i++) {
        const struct process *p = &kernel_processes[i];
        uint32_t d;
        if (p->state == P_RUNNING && p->params.heartbeat != 0) {
            d = p->last_beat + p->params.heartbeat;
        } else if (p->state == P_RESTARTING) {
            d = p->restart_at;
        } else {
            continue;
        }
        if (!any || (int32_t)(d - *next) < 0) {
            *next = d;
            any = true;
        }
    }
    if (watchdog.running && !watchdog.starved && (!any || (int32_t)(watchdog.next - *next) < 0)) {
        *next = watchdog.next;
        any = true;
    }
    return any;
}

void process_timer(uint32_t t)
{
    for (unsigned i = 1; i < MAX_PROCESSES; i++) {
        struct process *p = &kernel_processes[i];
        if (p->state == P_RUNNING && p->params.heartbeat != 0 && reached(t, p->last_beat + p->params.heartbeat)) {
            record(RTOS_EVENT_HUNG, p);
            kill(p, -RTOS_ETIMEDOUT, FAILED);
        }
        if (p->state == P_RESTARTING && reached(t, p->restart_at)) {
            if (p->loaded && !loader_reload(p)) {
                p->state = P_RUNNING; /* its file is gone or damaged: it ends for good */
                finish(p, -RTOS_ENOENT, KILLED);
                continue;
            }
            if (start_main(p) == 0) {
                p->restarts++;
                record(RTOS_EVENT_RESTART, p);
            } else {
                p->restart_at = t + 10; /* no thread slot free: try again */
            }
        }
    }
    if (watchdog.running && !watchdog.starved && reached(t, watchdog.next)) {
        IWDG_KR = 0xAAAA; /* reload */
        watchdog.next = t + watchdog.period;
    }
}

void process_watchdog_starve(void)
{
    watchdog.starved = true;
}

void kernel_watchdog_start(uint32_t timeout_ms)
{
    /* the smallest prescaler (4 << PR) whose 12-bit reload reaches the time-out */
    uint32_t pr = 0, ticks;
    for (;;) {
        ticks = (uint32_t)((uint64_t)timeout_ms * IWDG_LSI_HZ / 1000u / (4u << pr));
        if (ticks <= 0x1000u || pr == 6) {
            break;
        }
        pr++;
    }
    if (ticks > 0x1000u) {
        ticks = 0x1000u;
    }
    IWDG_KR = 0x5555; /* PR and RLR writable */
    IWDG_PR = pr;
    IWDG_RLR = ticks == 0 ? 0 : ticks - 1;
    IWDG_KR = 0xCCCC; /* start (a no-op when it runs already) */
    IWDG_KR = 0xAAAA;
    watchdog.running = true;
    watchdog.period = timeout_ms / 4 == 0 ? 1 : timeout_ms / 4;
    watchdog.next = now() + watchdog.period;
}

/* --- faults: a MemManage, BusFault or UsageFault taken from an unprivileged thread kills its process;
   one from the kernel (handler mode, or before the scheduler started) or from the idle thread ends the
   program (startup.c's Fault_Handler) */

extern void Fault_Handler(void) __attribute__((noreturn));

/* Returns the EXC_RETURN to return with (the fault handler's bx). */
uint32_t kernel_fault(uint32_t *frame, uint32_t exc_return) __attribute__((used));
uint32_t kernel_fault(uint32_t *frame, uint32_t exc_return)
{
    struct tcb *c = kernel_current;
    if (!kernel_started() || (exc_return & 0xCu) != 0xCu || c == NULL || c->proc == NULL) {
        Fault_Handler();
    }
    uint32_t ipsr, cfsr = SCB_CFSR;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    struct rtos_event *e = record(RTOS_EVENT_FAULT, c->proc);
    e->thread = (uint32_t)(c - kernel_threads);
    e->exception = ipsr & 0x1FFu;
    e->cfsr = cfsr;
    e->address = (cfsr & CFSR_MMARVALID) ? SCB_MMFAR : (cfsr & CFSR_BFARVALID) ? SCB_BFAR : 0;
    /* the frame may be incomplete (a fault while stacking): its pc only when it lies in the thread's stack */
    uint32_t f = (uint32_t)frame;
    e->pc = inside(c->stack_lo, c->stack_hi, f, 32) ? frame[6] : 0;
    SCB_CFSR = cfsr; /* write 1 to clear: the next fault's status alone */
    kill(c->proc, -RTOS_EFAULT, FAILED); /* its context discarded first (kernel_discard_current) */
    return 0xFFFFFFFDu; /* thread mode, process stack, basic frame: the scratch frame, never unstacked */
}

__attribute__((naked)) void MemManage_Handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "bl kernel_fault\n\t"
        "bx r0\n\t");
}

/* --- system calls */

static struct process *process_by_id(uint32_t pid)
{
    return pid > 0 && pid < MAX_PROCESSES && kernel_processes[pid].state != P_FREE ? &kernel_processes[pid] : NULL;
}

static int32_t spawn(struct tcb *c, const struct rtos_process_params *user)
{
    if (!kernel_user_readable(c, user, sizeof *user)) {
        return -RTOS_EFAULT;
    }
    struct rtos_process_params q = *user; /* copied once: the checks and the use see the same values */
    char name[16] = {0};
    if (q.name != NULL) {
        for (unsigned i = 0; i < sizeof name - 1; i++) {
            if (!kernel_user_readable(c, q.name + i, 1)) {
                return -RTOS_EFAULT;
            }
            if ((name[i] = q.name[i]) == 0) {
                break;
            }
        }
    }
    uint32_t entry = (uint32_t)q.entry;
    if (!inside(c->data_lo, c->data_hi, (uint32_t)q.stack, q.stack_size)
        || (q.data_size != 0 && !inside(c->data_lo, c->data_hi, (uint32_t)q.data, q.data_size))) {
        return -RTOS_EFAULT; /* its memory is given from the caller's data region */
    }
    if (!kernel_code(c->proc, entry)) {
        return -RTOS_EFAULT; /* the image's code, or the caller's own loaded code */
    }
    if (q.manifest != NULL) {
        /* in flash, so that nobody can change it afterwards; NUL-terminated there */
        uint32_t n = 0;
        while (kernel_in_image((uint32_t)q.manifest + n, 1) && q.manifest[n] != 0) {
            n++;
        }
        if (!kernel_in_image((uint32_t)q.manifest + n, 1)) {
            return -RTOS_EFAULT;
        }
        if (!files_manifest_within(q.manifest, c->proc)) {
            return -RTOS_EACCES; /* a child gets no file its parent may not open */
        }
    }
    if (q.priority >= RTOS_PRIORITIES || q.stack_size < 256 || q.restart > RTOS_RESTART_ALWAYS
        || q.on_give_up > RTOS_ON_GIVE_UP_RESET) {
        return -RTOS_EINVAL;
    }
    return process_create(&q, name, (uint8_t)(c->proc - kernel_processes), NULL);
}

int32_t process_syscall(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)a2;
    (void)a3;
    struct process *self = c->proc;
    switch (n) {
    case SYS_EVENT_READ: {
        struct rtos_event *e = (struct rtos_event *)a1;
        if (e == NULL) {
            return (int32_t)event_count; /* the count alone */
        }
        if (!kernel_user_memory(c, e, sizeof *e)) {
            return -RTOS_EFAULT;
        }
        if (a0 >= event_count) {
            return -RTOS_EAGAIN;
        }
        if (event_count - a0 > RTOS_EVENT_LOG) {
            return -RTOS_ESRCH;
        }
        *e = event_log[a0 % RTOS_EVENT_LOG];
        return (int32_t)event_count;
    }
    case SYS_PROCESS_SPAWN:
        return spawn(c, (const struct rtos_process_params *)a0);
    case SYS_PROCESS_WAIT: {
        struct process *p = process_by_id(a0);
        if (p == NULL || p->parent != self - kernel_processes) {
            return -RTOS_ESRCH; /* one of its own children */
        }
        if (p->state == P_ENDED) {
            p->state = P_FREE;
            return p->last_status;
        }
        if (a1 == 0) {
            return -RTOS_EAGAIN;
        }
        kernel_block(c, W_PROCESS, &p->waiters, p, a1);
        return BLOCKED;
    }
    case SYS_PROCESS_KILL: {
        struct process *p = process_by_id(a0);
        if (p == NULL || p->parent != self - kernel_processes) {
            return -RTOS_ESRCH;
        }
        if (p->state == P_RUNNING || p->state == P_RESTARTING) {
            kill(p, -RTOS_EINTR, KILLED); /* a restart due is called off */
        }
        return 0;
    }
    case SYS_PROCESS_INFO: {
        struct process *p = process_by_id(a0);
        struct rtos_process_info *info = (struct rtos_process_info *)a1;
        if (!kernel_user_memory(c, info, sizeof *info)) {
            return -RTOS_EFAULT;
        }
        if (p == NULL) {
            return -RTOS_ESRCH;
        }
        memset(info, 0, sizeof *info);
        info->state = p->state == P_RUNNING ? RTOS_PROCESS_RUNNING
                      : p->state == P_RESTARTING ? RTOS_PROCESS_RESTARTING : RTOS_PROCESS_ENDED;
        info->parent = p->parent;
        info->threads = p->threads;
        info->restarts = p->restarts;
        info->last_status = p->last_status;
        info->last_beat = p->last_beat;
        for (unsigned i = 0; i < PROCESS_FILES; i++) {
            info->open_files += p->files[i].kind != FD_NONE;
        }
        memcpy(info->name, p->name, sizeof info->name);
        return 0;
    }
    case SYS_HEARTBEAT:
        self->last_beat = now();
        return 0;
    case SYS_PROCESS_SELF:
        return (int32_t)(self - kernel_processes);
    case SYS_PROCESS_LOAD:
        return loader_load(c, (const char *)a0, (const struct rtos_load_params *)a1);
    default:
        return -RTOS_ENOSYS;
    }
}
