/*
 * What the kernel's parts share (kernel.c: threads, scheduling, time, synchronisation, the system call
 * dispatch; process.c: processes, faults, the supervisor and the watchdog; files.c: file descriptors,
 * devices, named pipes and shared memory). Not for threads: they see rtos.h only.
 */
#ifndef KERNEL_PRIVATE_H
#define KERNEL_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define SCB_ICSR REG(0xE000ED04u)
#define ICSR_PENDSVSET (1u << 28)
#define TIM2_CNT REG(0x40000024u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u)
#define RBAR_VALID (1u << 4)
#define RASR_XN (1u << 28)
#define RASR_AP_RW (3u << 24)     /* read-write, privileged and unprivileged */
#define RASR_SRAM (1u << 18 | 1u << 17) /* normal memory, shareable, write-through (TEX 0, S, C) */
/* MPU regions: 0 the image's code, 1 and 2 the running thread's stack and data, 3 and 4 its process's
   shared-memory windows; 5-7 unused */
#define MPU_REGION_CODE 0
#define MPU_REGION_STACK 1
#define MPU_REGION_DATA 2
#define MPU_REGION_SHM 3
#define PROCESS_SHM_MAPS 2
#define MPU_REGION_APP_TEXT 5 /* a loaded application's code (loader.c) */

enum state { T_FREE, T_READY, T_BLOCKED, T_ZOMBIE };
enum wait { W_NONE, W_SLEEP, W_MUTEX, W_SEM, W_FLAGS, W_QSEND, W_QRECV, W_JOIN, W_PROCESS, W_READ, W_WRITE,
            W_POLL };

struct waitq {
    struct tcb *head; /* by priority, FIFO among equals */
};

struct mutex;
struct process;

struct tcb {
    uint32_t *sp;            /* saved context: r4-r11, EXC_RETURN, [s16-s31], then the exception frame */
    struct tcb *next;        /* ready list or wait queue */
    uint8_t state, wait, base, prio;
    bool timed, has_result;
    uint32_t deadline;       /* ms, when timed */
    int32_t result;          /* r0 to return when next run */
    struct waitq *queue;     /* the wait queue it is in, if any */
    void *object;            /* what it waits for */
    uint32_t bits, options;  /* event flags wait; poll: the pollfd count */
    void *buffer;            /* queue send/receive message; pipe read/write buffer; poll's pollfds */
    uint32_t length, done;   /* pipe or device read/write: bytes asked for, bytes moved so far */
    struct fd *file;         /* device read/write: the descriptor */
    struct mutex *held;      /* mutexes it owns */
    struct waitq joiners;
    int32_t exit_status;
    uint32_t slice_end;
    struct process *proc;    /* the process it belongs to (every thread but idle has one) */
    uint32_t stack_lo, stack_hi, data_lo, data_hi; /* its memory: [lo, hi) */
    uint32_t stack_rbar, stack_rasr, data_rbar, data_rasr; /* the same as MPU regions 1 and 2 */
};

#define MAX_PROCESSES 12
#define PROCESS_FILES 8

enum fd_kind { FD_NONE, FD_DEVICE, FD_PIPE_READ, FD_PIPE_WRITE, FD_SHM, FD_FILE };

struct fd {
    uint8_t kind;            /* enum fd_kind */
    uint8_t index;           /* the device, pipe or shared memory */
    uint8_t mode;            /* RTOS_O_RDONLY, RTOS_O_WRONLY, RTOS_O_RDWR (a shared memory opened read-only
                                is mapped read-only) */
    bool nonblock;
    uint32_t timeout;        /* ms, RTOS_FOREVER */
    uint32_t position;       /* a seekable device's or a file's offset */
};

enum process_state { P_FREE, P_RUNNING, P_RESTARTING, P_ENDED };

struct process {
    uint8_t state;           /* enum process_state */
    uint8_t threads;         /* live threads */
    uint8_t parent;          /* 0: the kernel's */
    char name[16];
    struct rtos_process_params params; /* as spawned: what a restart starts again */
    struct tcb *main;
    uint32_t data_lo, data_hi; /* the main thread's data region: what it may give its children */
    uint32_t restarts;
    int32_t last_status;
    uint32_t restart_at;     /* ms, P_RESTARTING */
    uint32_t last_beat;      /* ms */
    struct waitq waiters;    /* SYS_PROCESS_WAIT */
    struct fd files[PROCESS_FILES];
    struct {
        int8_t shm;          /* -1: none */
        uint32_t rbar, rasr;
    } maps[PROCESS_SHM_MAPS];
    /* a loaded application (loader.c): its code in RAM (MPU region 5, read-only, executable), its GOT
       base for r9 (the PIC base register of every thread of it), its memory blocks and its file */
    bool loaded;
    uint32_t text_lo, text_hi, text_rbar, text_rasr, pic_base;
    uint32_t blocks[3][2];   /* text, data, stack: base and size in the application pool */
    char file[32];
};

extern struct tcb kernel_threads[KERNEL_MAX_THREADS];
extern struct tcb *kernel_current;
extern struct process kernel_processes[MAX_PROCESSES];

/* Returns the value for r0, or BLOCKED when the caller now waits (its r0 is set when it is woken). */
#define BLOCKED INT32_MIN

static inline uint32_t now(void) { return TIM2_CNT; }
static inline bool reached(uint32_t t, uint32_t deadline) { return (int32_t)(t - deadline) >= 0; }
static inline bool inside(uint32_t lo, uint32_t hi, uint32_t a, uint32_t n)
{
    return a >= lo && a < hi && n <= hi - a;
}

/* kernel.c */
void kernel_block(struct tcb *t, enum wait why, struct waitq *q, void *object, uint32_t timeout);
void kernel_wake(struct tcb *t, int32_t result);
void kernel_ready_remove(struct tcb *t);
void kernel_waitq_remove(struct tcb *t);
bool kernel_mpu_region(uint32_t base, uint32_t size, uint32_t *rasr);
int kernel_create_thread(const struct rtos_thread_params *p, struct process *proc);
void kernel_release_mutexes(struct tcb *t);
/* p is dying: the kernel objects it owns are destroyed (waiters woken with -RTOS_EIDRM, a mutex taken from
   its holder, timers stopped, ids stale), and its opens of others' shared objects forgotten */
void kernel_objects_release(struct process *p);
/* t ends with status: its mutexes passed on, out of every list, its joiners woken; then its process is told */
void kernel_thread_end(struct tcb *t, int32_t status);
/* an ended thread's slot, free for a new thread */
void kernel_thread_free(struct tcb *t);
/* the running thread is dead: nothing of it is saved, and PendSV switches away (from a fault or the
   supervisor's interrupt, not from the thread's own system call) */
void kernel_discard_current(void);
/* MPU regions 3 and 4 for p's shared-memory windows */
void kernel_map_process(const struct process *p);
bool kernel_started(void);
/* the end of a driver's interrupt that may have woken threads: switch to a higher one, reprogram the timer */
void kernel_after_interrupt(void);
/* [p, p + n) is memory the thread may write: its stack, its data region, its process's shared memory */
bool kernel_user_memory(const struct tcb *t, const void *p, uint32_t n);
/* ... or may read: also the image's flash */
bool kernel_user_readable(const struct tcb *t, const void *p, uint32_t n);
/* a NUL-terminated string of at most max - 1 characters the thread may read, copied to out */
int kernel_user_string(const struct tcb *t, const char *s, char *out, uint32_t max);
bool kernel_in_image(uint32_t address, uint32_t n);

/* process.c */
void process_init(void);
/* a process slot with its main thread started, its fields first copied from image when not NULL (the loader);
   the process id or an error */
int process_create(const struct rtos_process_params *q, const char *name, uint8_t parent, const struct process *image);
int32_t process_syscall(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
/* a thread of p has ended (returned, exited or was killed); p ends with it if it was its main thread */
void process_thread_ended(struct tcb *t, int32_t status);
/* the earliest deadline of the supervisor and the restarts, if any */
bool process_next_deadline(uint32_t *next);
void process_timer(uint32_t t);
/* no thread left: false while a process waits for its restart */
bool process_any_pending(void);
/* the supervisor feeds the watchdog no more (platform management's unconfirmed trial): a reset follows */
void process_watchdog_starve(void);

/* update.c, SYS_UPDATE (update.h), in the product image only (kernel.c's weak default: -RTOS_ENOSYS) */
int32_t kernel_update_syscall(struct tcb *c, uint32_t op, uint32_t a1, uint32_t a2, uint32_t a3);

/* loader.c */
int32_t loader_load(struct tcb *c, const char *user_path, const struct rtos_load_params *user);
/* a loaded process starts again: its data and bss as in its file; false if that failed */
bool loader_reload(struct process *p);
void loader_free(struct process *p);
/* Thumb code a thread of p may start at: the image's, or p's loaded code */
bool kernel_code(const struct process *p, uint32_t entry);

/* files.c */
/* the loader's reads of a /data file: open it once (a descriptor, or a negative error), read n bytes at offset
   (n, or a negative error: reads in the same block reuse the block the last one checked), close it */
int32_t files_data_open(const char *name);
int32_t files_data_pread(int32_t fd, uint32_t offset, void *out, uint32_t n);
void files_data_close(int32_t fd);
void files_init(uint32_t pclk_hz);
int32_t files_syscall(struct tcb *c, uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
/* closes every file of p and drops its shared-memory mappings (p is ending); discard: p was killed, its
   /data files keep their last committed content */
void files_close_all(struct process *p, bool discard);
/* may p open path? (its manifest; a process the kernel started without one may open anything) */
bool files_may_open(const struct process *p, const char *path);
/* is every pattern of a child's manifest allowed to its parent? */
bool files_manifest_within(const char *child, const struct process *parent);
/* the drivers' earliest deadline (ms), if any, and their timer call */
bool files_next_deadline(uint32_t *next);
void files_timer(uint32_t t);
/* [a, a + n) inside shared memory object shm */
bool files_shm_contains(int shm, uint32_t a, uint32_t n);

#endif
