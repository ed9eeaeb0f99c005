/*
 * The RTOS's system call interface, as unprivileged threads use it (docs/rtos.md).
 *
 * A system call is `svc #N`, N the number below, with up to four arguments in r0-r3; the result comes back
 * in r0: >= 0 on success, a negative error code (RTOS_E*) on failure. Nothing else changes: r1-r3, r12,
 * lr, the flags and the FP registers are as before the call (the exception frame restores them).
 */
#ifndef RTOS_H
#define RTOS_H

#include <stdint.h>

enum {
    SYS_YIELD = 0,          /* ()                                    -> 0 */
    SYS_SLEEP = 1,          /* (ms)                                  -> 0 */
    SYS_UPTIME = 2,         /* ()                                    -> ms since kernel start (wraps at 2^32) */
    SYS_THREAD_CREATE = 3,  /* (const struct rtos_thread_params *)   -> thread id */
    SYS_THREAD_EXIT = 4,    /* (status)                              -> does not return */
    SYS_THREAD_JOIN = 5,    /* (id, timeout)                         -> the thread's exit status */
    SYS_THREAD_SELF = 6,    /* ()                                    -> own thread id */
    SYS_THREAD_PRIORITY = 7,/* ()                                    -> own effective priority (inheritance included) */
    SYS_MUTEX_CREATE = 8,   /* ()                                    -> mutex id */
    SYS_MUTEX_LOCK = 9,     /* (id, timeout)                         -> 0 */
    SYS_MUTEX_UNLOCK = 10,  /* (id)                                  -> 0 */
    SYS_SEM_CREATE = 11,    /* (initial, max)                        -> semaphore id */
    SYS_SEM_TAKE = 12,      /* (id, timeout)                         -> 0 */
    SYS_SEM_GIVE = 13,      /* (id)                                  -> 0 */
    SYS_FLAGS_CREATE = 14,  /* ()                                    -> event flags id */
    SYS_FLAGS_SET = 15,     /* (id, bits)                            -> the flags after the set and the wake-ups */
    SYS_FLAGS_CLEAR = 16,   /* (id, bits)                            -> the flags before the clear */
    SYS_FLAGS_WAIT = 17,    /* (id, bits, options, timeout)          -> the flags that satisfied the wait */
    SYS_QUEUE_CREATE = 18,  /* (message size, capacity)              -> queue id */
    SYS_QUEUE_SEND = 19,    /* (id, const void *message, timeout)    -> 0 */
    SYS_QUEUE_RECEIVE = 20, /* (id, void *buffer, timeout)           -> 0 */
    SYS_CONSOLE_WRITE = 21, /* (const char *text, length)            -> length */
    SYS_KERNEL_STATS = 22,  /* (struct rtos_stats *)                 -> 0 */
    SYS_EVENT_READ = 23,    /* (seq, struct rtos_event *)            -> events recorded so far; -RTOS_EAGAIN if
                                                                        seq is not recorded yet, -RTOS_ESRCH if
                                                                        overwritten (the log keeps the last 8);
                                                                        NULL: the count alone */
    /* processes (docs/rtos.md, "Processes") */
    SYS_PROCESS_SPAWN = 24, /* (const struct rtos_process_params *)  -> process id */
    SYS_PROCESS_WAIT = 25,  /* (pid, timeout)                        -> its exit status, once it is over for good
                                                                        (-RTOS_EFAULT: killed and not restarted) */
    SYS_PROCESS_KILL = 26,  /* (pid)                                 -> 0; only the process's parent; restart
                                                                        policies do not apply to a kill */
    SYS_PROCESS_INFO = 27,  /* (pid, struct rtos_process_info *)     -> 0 */
    SYS_HEARTBEAT = 28,     /* ()                                    -> 0; the supervisor's sign of life */
    SYS_PROCESS_SELF = 29,  /* ()                                    -> own process id */
    /* files: devices, named pipes and shared memory (docs/rtos.md, "Files") */
    SYS_OPEN = 30,          /* (const char *path, flags, size)       -> fd; size: of a shared memory created */
    SYS_CLOSE = 31,         /* (fd)                                  -> 0 */
    SYS_READ = 32,          /* (fd, void *buffer, length)            -> bytes read, 0 at the end (no writer) */
    SYS_WRITE = 33,         /* (fd, const void *data, length)        -> bytes written */
    SYS_IOCTL = 34,         /* (fd, request, argument)               -> by request */
    SYS_POLL = 35,          /* (struct rtos_pollfd *, count, timeout)-> how many have revents */
    SYS_MMAP = 36,          /* (fd)                                  -> the shared memory's address */
    SYS_UNLINK = 37,        /* (const char *path)                    -> 0 */
    SYS_LSEEK = 38,         /* (fd, offset, whence)                  -> the new offset (a /data file) */
    SYS_FSYNC = 39,         /* (fd)                                  -> 0: the file's content survives a cut */
    SYS_RENAME = 40,        /* (const char *from, const char *to)    -> 0; atomic, replaces `to` (/data) */
    SYS_STAT = 41,          /* (const char *path, struct rtos_stat *)-> 0; "/data": the file system's usage */
    SYS_READDIR = 42,       /* (const char *prefix, uint32_t *cursor, struct rtos_stat *) -> 1 for each /data
                                                                        file whose path starts with prefix, 0 at
                                                                        the end; *cursor 0 first */
    SYS_PROCESS_LOAD = 43,  /* (const char *path, const struct rtos_load_params *) -> process id: an application
                                                                        image from /data (docs/rtos.md, "The loader") */
    /* the virtual bus (docs/rtos.md, "Manifests"; docs/virtual-bus.md, "The router on the management core") */
    SYS_READ_FROM = 44,     /* (fd, void *buffer, length, int32_t *writer) -> as SYS_READ on a pipe's read end,
                                                                        but only bytes one process wrote, and
                                                                        *writer its process id */
    SYS_VBUS_MANIFEST = 45, /* (pid, struct rtos_vbus_manifest *)    -> 0; -RTOS_ENOENT: it has no vbus:XX;
                                                                        -RTOS_EPERM unless the caller's manifest
                                                                        says vbus-router */
    /* kernel objects owned by processes (docs/rtos.md, "Kernel objects"): kind is RTOS_OBJ_* */
    SYS_OBJ_NAME = 46,      /* (kind, id, const char *name)          -> 0: shares an object of the caller's own
                                                                        process as /obj/NAME (its manifest must
                                                                        list that path) */
    SYS_OBJ_OPEN = 47,      /* (kind, const char *name)              -> id of the shared object /obj/NAME, usable
                                                                        by the caller's process from then on */
    SYS_OBJ_DELETE = 48,    /* (kind, id)                            -> 0; the owner's process only */
    SYS_OBJ_STATS = 49,     /* (struct rtos_obj_stats *)             -> 0 */
    SYS_TIMER_CREATE = 50,  /* (flags id, bits)                      -> soft timer id: sets bits in the event
                                                                        flags when it expires */
    SYS_TIMER_START = 51,   /* (id, delay ms, period ms)             -> 0; period 0: once */
    SYS_TIMER_STOP = 52,    /* (id)                                  -> 0 */
    SYS_COUNT
};

/* error codes (negated in r0), numbered as their POSIX namesakes */
enum {
    RTOS_EPERM = 1, RTOS_ENOENT = 2, RTOS_ESRCH = 3, RTOS_EINTR = 4, RTOS_EBADF = 9, RTOS_EAGAIN = 11, RTOS_ENOMEM = 12,
    RTOS_EACCES = 13, RTOS_EFAULT = 14, RTOS_EBUSY = 16, RTOS_EEXIST = 17, RTOS_ENODEV = 19, RTOS_EINVAL = 22,
    RTOS_EMFILE = 24, RTOS_ENOTTY = 25, RTOS_ENOSPC = 28, RTOS_EPIPE = 32, RTOS_EDEADLK = 35,
    RTOS_ENAMETOOLONG = 36, RTOS_ENOSYS = 38, RTOS_ETIMEDOUT = 110,
    RTOS_EIDRM = 43,        /* the kernel object was destroyed (its owner's process died) while waited for */
    RTOS_EOWNERDEAD = 130   /* a mutex lock succeeded, but its last holder died holding it */
};

/* timeouts in ms: 0 = do not block (RTOS_EAGAIN if it would), RTOS_FOREVER = no timeout */
#define RTOS_FOREVER 0xFFFFFFFFu

/* SYS_FLAGS_WAIT options */
#define RTOS_FLAGS_ANY 0u   /* any of the bits */
#define RTOS_FLAGS_ALL 1u   /* all of the bits */
#define RTOS_FLAGS_CLEAR 2u /* clear the waited-for bits when the wait is satisfied */

#define RTOS_PRIORITIES 32  /* 0 (highest) .. 31 (lowest) */

struct rtos_thread_params {
    int (*entry)(void *arg); /* returning from it is SYS_THREAD_EXIT with the returned value */
    void *arg;
    uint32_t priority;       /* 0 .. 31, 0 highest */
    void *stack;             /* the thread's stack: [stack, stack + stack_size), >= 256 bytes */
    uint32_t stack_size;
    void *data;              /* the data region the thread's pointer arguments may also point into */
    uint32_t data_size;      /* 0: its process's memory (the main thread's data region), or none */
};
/* Each of stack and data becomes one MPU region (docs/rtos.md): a power of two of at least 32 bytes aligned
   to its size, or, from 256 bytes on, k eighths (k = 5..7) of the next power of two R, aligned to R (the
   region's top subregions are disabled). Anything else is RTOS_EINVAL. */

/* the kernel's event log: a process killed by a fault or by its missed heartbeat, restarted, given up */
struct rtos_event {
    uint32_t seq;            /* 0, 1, ... in the order recorded */
    uint32_t time;           /* ms since kernel start */
    uint32_t thread;         /* the faulting thread's id (RTOS_EVENT_FAULT), else 0 */
    uint32_t exception;      /* RTOS_EVENT_FAULT: 4 MemManage, 5 BusFault, 6 UsageFault; else 0 */
    uint32_t cfsr;           /* CFSR at the fault: MMFSR bits 0-7, BFSR 8-15, UFSR 16-31 */
    uint32_t address;        /* MMFAR (MMARVALID) or BFAR (BFARVALID), else 0 */
    uint32_t pc;             /* the faulting instruction (from the thread's exception frame), 0 if unknown */
    uint32_t kind;           /* RTOS_EVENT_* */
    uint32_t process;        /* the process's id */
    uint32_t restarts;       /* how many times it had been restarted before this event */
};
enum {
    RTOS_EVENT_FAULT = 1,    /* killed by a MemManage, BusFault or UsageFault of one of its threads */
    RTOS_EVENT_HUNG = 2,     /* killed by the supervisor: no heartbeat within its period */
    RTOS_EVENT_RESTART = 3,  /* started again by its restart policy */
    RTOS_EVENT_GAVE_UP = 4,  /* failed again after its last allowed restart: stays dead (or, with
                                RTOS_ON_GIVE_UP_RESET, the watchdog is no longer fed) */
};
#define RTOS_EVENT_LOG 8

/* A process (docs/rtos.md, "Processes"): threads sharing a manifest, open files and shared-memory mappings.
   Its main thread is made from entry, arg, priority, stack and data as SYS_THREAD_CREATE makes a thread;
   the process ends when its main thread returns or exits (its other threads with it), or when it is
   killed. Its memory is the caller's to give: stack and data must lie in the caller's data region. */
struct rtos_process_params {
    const char *name;        /* up to 15 characters (more are cut) */
    int (*entry)(void *arg);
    void *arg;
    uint32_t priority;
    void *stack;
    uint32_t stack_size;
    void *data;
    uint32_t data_size;
    const char *manifest;    /* in flash (the image's constants): the files the process may open, space
                                separated, a final '*' matching any rest ("/pipe/meter* /dev/ttyS1"); each
                                must be allowed to the caller too. NULL: none */
    uint32_t restart;        /* RTOS_RESTART_* */
    uint32_t restart_delay;  /* ms from its death to its new start */
    uint32_t max_restarts;   /* then RTOS_EVENT_GAVE_UP */
    uint32_t heartbeat;      /* ms: a process that does not call SYS_HEARTBEAT within each such period is
                                killed as hung (0: not supervised) */
    uint32_t on_give_up;     /* RTOS_ON_GIVE_UP_* */
};
enum { RTOS_RESTART_NEVER = 0, RTOS_RESTART_ON_FAILURE = 1, RTOS_RESTART_ALWAYS = 2 };
enum { RTOS_ON_GIVE_UP_STAY_DEAD = 0, RTOS_ON_GIVE_UP_RESET = 1 };

struct rtos_process_info {
    uint32_t state;          /* RTOS_PROCESS_* */
    uint32_t parent;         /* 0: started by the kernel */
    uint32_t threads;        /* live threads */
    uint32_t restarts;
    int32_t last_status;     /* the exit status of its last run (-RTOS_EFAULT killed by a fault,
                                -RTOS_ETIMEDOUT hung, -RTOS_EINTR killed by its parent) */
    uint32_t last_beat;      /* ms of its last heartbeat (its start counts as one) */
    uint32_t open_files;
    char name[16];
};
/* SYS_PROCESS_LOAD: what the loading process decides; the rest (name, entry, sizes, priority, manifest)
   is the image's */
struct rtos_load_params {
    void *arg;
    uint32_t restart, restart_delay, max_restarts, heartbeat, on_give_up; /* as struct rtos_process_params */
};

/* SYS_VBUS_MANIFEST: a process's virtual-bus address and the DI ranges its manifest grants it (the tokens
   vbus:XX, get:, set:, action:, serve:). Functions as bits 1 << the frame's function code (get 1, set 2,
   action 3), serve as bit 7. */
#define RTOS_VBUS_GRANTS 12
enum { RTOS_VBUS_GET = 1u << 1, RTOS_VBUS_SET = 1u << 2, RTOS_VBUS_ACTION = 1u << 3, RTOS_VBUS_SERVE = 1u << 7 };
struct rtos_vbus_grant {
    uint8_t functions;       /* RTOS_VBUS_* */
    uint8_t reserved[3];
    uint32_t first, last;    /* DIs, inclusive */
};
struct rtos_vbus_manifest {
    uint8_t address;
    uint8_t count;           /* grants (the first RTOS_VBUS_GRANTS of the manifest) */
    uint8_t reserved[2];
    struct rtos_vbus_grant grant[RTOS_VBUS_GRANTS];
};

enum { RTOS_PROCESS_RUNNING = 1, RTOS_PROCESS_RESTARTING = 2, RTOS_PROCESS_ENDED = 3 };

/* SYS_OPEN flags (the Linux values) */
#define RTOS_O_RDONLY 0x0u
#define RTOS_O_WRONLY 0x1u
#define RTOS_O_RDWR 0x2u
#define RTOS_O_ACCMODE 0x3u
#define RTOS_O_CREAT 0x40u
#define RTOS_O_EXCL 0x80u
#define RTOS_O_TRUNC 0x200u
#define RTOS_O_APPEND 0x400u
#define RTOS_O_NONBLOCK 0x800u
#define RTOS_SEEK_SET 0
#define RTOS_SEEK_CUR 1
#define RTOS_SEEK_END 2

/* SYS_STAT, SYS_READDIR */
struct rtos_stat {
    char name[32];           /* the path after /data/ */
    uint32_t size;           /* bytes; for "/data": the blocks of the region */
    uint32_t blocks;         /* 4 KiB blocks it holds; for "/data": the blocks in use */
    uint32_t free_blocks;    /* for "/data": free blocks; else 0 */
};

/* SYS_IOCTL requests every file takes */
#define RTOS_IOCTL_SET_NONBLOCK 0x5401u /* argument 1: non-blocking reads and writes (-RTOS_EAGAIN), 0: blocking */
#define RTOS_IOCTL_SET_TIMEOUT 0x5402u  /* argument: ms a blocking read or write waits at most (-RTOS_ETIMEDOUT);
                                           RTOS_FOREVER, the default, for no limit */
#define RTOS_IOCTL_PENDING 0x541Bu      /* -> bytes ready to read (FIONREAD) */

/* the UARTs: /dev/ttyS0 debug (USART1), /dev/ttyS1 RS-485 (USART3), /dev/ttyS2 optical (UART4),
   /dev/ttyS3 modem (USART6), /dev/vbus the link to the metering core (USART2) */
struct rtos_tty {
    uint32_t baud;           /* 300 .. 921600 */
    uint8_t data_bits;       /* 7 or 8 (7 needs a parity) */
    uint8_t parity;          /* RTOS_PARITY_* */
    uint8_t stop_bits;       /* 1 or 2 */
    uint8_t reserved;
};
enum { RTOS_PARITY_NONE = 0, RTOS_PARITY_ODD = 1, RTOS_PARITY_EVEN = 2 };
struct rtos_tty_counters {
    uint32_t received, sent;
    uint32_t parity_errors, framing_errors, overruns; /* characters dropped for each (overruns: the USART's
                                                        ORE and the kernel's receive buffer full) */
};
#define RTOS_IOCTL_TTY_SET 0x5403u      /* argument: const struct rtos_tty *; pending output is sent first */
#define RTOS_IOCTL_TTY_GET 0x5404u      /* argument: struct rtos_tty * */
#define RTOS_IOCTL_TTY_COUNTERS 0x5405u /* argument: struct rtos_tty_counters * */
#define RTOS_IOCTL_TTY_DRAIN 0x5406u    /* -> bytes not yet on the line (0: all sent, the last stop bit included) */

/* /dev/nor (docs/rtos.md "Devices"): the raw NOR, only inside the manifest's "/dev/nor:FIRST-LAST" ranges; read
   and write (which programs: it only clears bits) at the offset, erase by ioctl */
#define RTOS_IOCTL_NOR_ERASE 0x5410u    /* argument: the address of a 4 KiB sector (aligned) -> 0 once erased */

/* /dev/rtc: read and write one struct rtos_time (the RTC's calendar, RM0430 RTC_TR/RTC_DR, in binary) */
struct rtos_time {
    uint16_t year;           /* 2000 .. 2099 */
    uint8_t month, day;      /* 1 .. 12, 1 .. 31 */
    uint8_t hour, minute, second;
    uint8_t weekday;         /* 1 Monday .. 7 Sunday (RTC_DR WDU) */
};

/* SYS_POLL */
struct rtos_pollfd {
    int32_t fd;
    uint16_t events;         /* RTOS_POLLIN, RTOS_POLLOUT */
    uint16_t revents;        /* set by the call: those of events that hold, and POLLHUP, POLLERR, POLLNVAL */
};
#define RTOS_POLLIN 0x1u
#define RTOS_POLLOUT 0x4u
#define RTOS_POLLERR 0x8u
#define RTOS_POLLHUP 0x10u
#define RTOS_POLLNVAL 0x20u
#define RTOS_POLL_MAX 8

struct rtos_stats {
    uint32_t magic;          /* RTOS_STATS_MAGIC */
    uint32_t switches;       /* context switches (PendSV that changed the running thread) */
    uint32_t timer_irqs;     /* timer interrupts (deadlines and slice ends) */
    uint32_t idle_entries;   /* switches to the idle thread */
    uint32_t syscalls;
};
#define RTOS_STATS_MAGIC 0x4B45524Eu /* "KERN" */

#define RTOS_SVC_(n, a0, a1, a2, a3) __extension__({                                            \
    register uint32_t r0_ __asm__("r0") = (uint32_t)(a0);                                        \
    register uint32_t r1_ __asm__("r1") = (uint32_t)(a1);                                        \
    register uint32_t r2_ __asm__("r2") = (uint32_t)(a2);                                        \
    register uint32_t r3_ __asm__("r3") = (uint32_t)(a3);                                        \
    __asm__ volatile("svc %[num]" : "+r"(r0_) : [num] "i"(n), "r"(r1_), "r"(r2_), "r"(r3_) : "memory", "cc"); \
    (int32_t)r0_;                                                                                \
})
#define rtos_syscall0(n) RTOS_SVC_(n, 0, 0, 0, 0)
#define rtos_syscall1(n, a) RTOS_SVC_(n, a, 0, 0, 0)
#define rtos_syscall2(n, a, b) RTOS_SVC_(n, a, b, 0, 0)
#define rtos_syscall3(n, a, b, c) RTOS_SVC_(n, a, b, c, 0)
#define rtos_syscall4(n, a, b, c, d) RTOS_SVC_(n, a, b, c, d)

static inline int rtos_yield(void) { return rtos_syscall0(SYS_YIELD); }
static inline int rtos_sleep(uint32_t ms) { return rtos_syscall1(SYS_SLEEP, ms); }
static inline uint32_t rtos_uptime(void) { return (uint32_t)rtos_syscall0(SYS_UPTIME); }
static inline int rtos_thread_create(const struct rtos_thread_params *p) { return rtos_syscall1(SYS_THREAD_CREATE, p); }
static inline void rtos_thread_exit(int status) { rtos_syscall1(SYS_THREAD_EXIT, status); for (;;) { } }
static inline int rtos_thread_join(int id, uint32_t timeout) { return rtos_syscall2(SYS_THREAD_JOIN, id, timeout); }
static inline int rtos_thread_self(void) { return rtos_syscall0(SYS_THREAD_SELF); }
static inline int rtos_thread_priority(void) { return rtos_syscall0(SYS_THREAD_PRIORITY); }
static inline int rtos_mutex_create(void) { return rtos_syscall0(SYS_MUTEX_CREATE); }
static inline int rtos_mutex_lock(int id, uint32_t timeout) { return rtos_syscall2(SYS_MUTEX_LOCK, id, timeout); }
static inline int rtos_mutex_unlock(int id) { return rtos_syscall1(SYS_MUTEX_UNLOCK, id); }
static inline int rtos_sem_create(uint32_t initial, uint32_t max) { return rtos_syscall2(SYS_SEM_CREATE, initial, max); }
static inline int rtos_sem_take(int id, uint32_t timeout) { return rtos_syscall2(SYS_SEM_TAKE, id, timeout); }
static inline int rtos_sem_give(int id) { return rtos_syscall1(SYS_SEM_GIVE, id); }
static inline int rtos_flags_create(void) { return rtos_syscall0(SYS_FLAGS_CREATE); }
static inline int rtos_flags_set(int id, uint32_t bits) { return rtos_syscall2(SYS_FLAGS_SET, id, bits); }
static inline int rtos_flags_clear(int id, uint32_t bits) { return rtos_syscall2(SYS_FLAGS_CLEAR, id, bits); }
static inline int rtos_flags_wait(int id, uint32_t bits, uint32_t options, uint32_t timeout)
{
    return rtos_syscall4(SYS_FLAGS_WAIT, id, bits, options, timeout);
}
static inline int rtos_queue_create(uint32_t size, uint32_t capacity) { return rtos_syscall2(SYS_QUEUE_CREATE, size, capacity); }
static inline int rtos_queue_send(int id, const void *m, uint32_t timeout) { return rtos_syscall3(SYS_QUEUE_SEND, id, m, timeout); }
static inline int rtos_queue_receive(int id, void *m, uint32_t timeout) { return rtos_syscall3(SYS_QUEUE_RECEIVE, id, m, timeout); }
static inline int rtos_console_write(const char *s, uint32_t n) { return rtos_syscall2(SYS_CONSOLE_WRITE, s, n); }
static inline int rtos_kernel_stats(struct rtos_stats *s) { return rtos_syscall1(SYS_KERNEL_STATS, s); }
static inline int rtos_event_read(uint32_t seq, struct rtos_event *e) { return rtos_syscall2(SYS_EVENT_READ, seq, e); }
static inline int rtos_process_spawn(const struct rtos_process_params *p) { return rtos_syscall1(SYS_PROCESS_SPAWN, p); }
static inline int rtos_process_wait(int pid, uint32_t timeout) { return rtos_syscall2(SYS_PROCESS_WAIT, pid, timeout); }
static inline int rtos_process_kill(int pid) { return rtos_syscall1(SYS_PROCESS_KILL, pid); }
static inline int rtos_process_info(int pid, struct rtos_process_info *i) { return rtos_syscall2(SYS_PROCESS_INFO, pid, i); }
static inline int rtos_heartbeat(void) { return rtos_syscall0(SYS_HEARTBEAT); }
static inline int rtos_process_self(void) { return rtos_syscall0(SYS_PROCESS_SELF); }
static inline int rtos_open(const char *path, uint32_t flags, uint32_t size) { return rtos_syscall3(SYS_OPEN, path, flags, size); }
static inline int rtos_close(int fd) { return rtos_syscall1(SYS_CLOSE, fd); }
static inline int rtos_read(int fd, void *b, uint32_t n) { return rtos_syscall3(SYS_READ, fd, b, n); }
static inline int rtos_write(int fd, const void *b, uint32_t n) { return rtos_syscall3(SYS_WRITE, fd, b, n); }
static inline int rtos_ioctl(int fd, uint32_t request, uint32_t arg) { return rtos_syscall3(SYS_IOCTL, fd, request, arg); }
static inline int rtos_poll(struct rtos_pollfd *f, uint32_t n, uint32_t timeout) { return rtos_syscall3(SYS_POLL, f, n, timeout); }
static inline void *rtos_mmap(int fd) { return (void *)rtos_syscall1(SYS_MMAP, fd); }
static inline int rtos_read_from(int fd, void *b, uint32_t n, int32_t *writer)
{
    return rtos_syscall4(SYS_READ_FROM, fd, b, n, writer);
}
static inline int rtos_vbus_manifest(int pid, struct rtos_vbus_manifest *m) { return rtos_syscall2(SYS_VBUS_MANIFEST, pid, m); }
static inline int rtos_unlink(const char *path) { return rtos_syscall1(SYS_UNLINK, path); }
static inline int rtos_process_load(const char *path, const struct rtos_load_params *p)
{
    return rtos_syscall2(SYS_PROCESS_LOAD, path, p);
}
static inline int rtos_lseek(int fd, int32_t offset, int whence) { return rtos_syscall3(SYS_LSEEK, fd, offset, whence); }
static inline int rtos_fsync(int fd) { return rtos_syscall1(SYS_FSYNC, fd); }
static inline int rtos_rename(const char *from, const char *to) { return rtos_syscall2(SYS_RENAME, from, to); }
static inline int rtos_stat(const char *path, struct rtos_stat *st) { return rtos_syscall2(SYS_STAT, path, st); }
static inline int rtos_readdir(const char *prefix, uint32_t *cursor, struct rtos_stat *st)
{
    return rtos_syscall3(SYS_READDIR, prefix, cursor, st);
}

/* kernel objects (SYS_OBJ_*) */
enum { RTOS_OBJ_MUTEX = 1, RTOS_OBJ_SEM = 2, RTOS_OBJ_FLAGS = 3, RTOS_OBJ_QUEUE = 4, RTOS_OBJ_TIMER = 5 };
#define RTOS_OBJ_NAME_MAX 12 /* a name's characters, NUL included */
struct rtos_obj_stats {
    uint32_t free[6];        /* free slots, by RTOS_OBJ_* (free[0] unused) */
    uint32_t queue_bytes_free; /* of the message queues' storage */
};
static inline int rtos_obj_name(int kind, int id, const char *name) { return rtos_syscall3(SYS_OBJ_NAME, kind, id, name); }
static inline int rtos_obj_open(int kind, const char *name) { return rtos_syscall2(SYS_OBJ_OPEN, kind, name); }
static inline int rtos_obj_delete(int kind, int id) { return rtos_syscall2(SYS_OBJ_DELETE, kind, id); }
static inline int rtos_obj_stats(struct rtos_obj_stats *s) { return rtos_syscall1(SYS_OBJ_STATS, s); }
static inline int rtos_timer_create(int flags, uint32_t bits) { return rtos_syscall2(SYS_TIMER_CREATE, flags, bits); }
static inline int rtos_timer_start(int id, uint32_t delay, uint32_t period)
{
    return rtos_syscall3(SYS_TIMER_START, id, delay, period);
}
static inline int rtos_timer_stop(int id) { return rtos_syscall1(SYS_TIMER_STOP, id); }

/* user.c: console output for threads through SYS_CONSOLE_WRITE */
void u_puts(const char *s);
void u_putu(uint32_t v);
void u_puti(int32_t v);
void u_puthex(uint32_t v);

#endif
