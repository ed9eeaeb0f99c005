/* The RTOS kernel's privileged interface: what the boot code calls before the scheduler starts. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>

#include "rtos.h"

#define KERNEL_MAX_THREADS 24 /* thread ids 0 .. 23; 0 is the idle thread */
#define KERNEL_SLICE_MS 5     /* round-robin time slice between threads of equal priority */

/* TIM2 runs at timer_clock_hz (16 MHz after reset: HSI, APB1 prescaler 1); the kernel divides it to 1 kHz */
void kernel_init(uint32_t timer_clock_hz);
/* a thread created by the kernel itself: params trusted (not checked against anyone's memory) */
int kernel_thread_create(const struct rtos_thread_params *p);
/* a process started by the kernel itself (rtos.h: struct rtos_process_params): params trusted; its manifest
   may be NULL (everything allowed). Returns the process id */
int kernel_process_create(const struct rtos_process_params *p);
/* starts the IWDG (a bootloader may have started it already: then the time-out is what this sets from its
   next reload) and has the supervisor feed it while every supervised process keeps its heartbeat or is
   being restarted; timeout_ms up to 32768 */
void kernel_watchdog_start(uint32_t timeout_ms);
/* mounts the power-safe file system (../fs, docs/file-system.md) on NOR blocks [first, first + blocks) of 4 KiB
   as /data, formatting the region when it holds none and format_if_blank is set; the fs_mount/fs_format
   result (0 or an FS_E* code). Until it is mounted, /data/... opens fail with -RTOS_ENODEV. */
int kernel_mount_data(uint32_t first_block, uint32_t blocks, int format_if_blank);
/* starts the scheduler on the created threads; never returns */
void kernel_start(void) __attribute__((noreturn));
/* called when the last thread (other than idle) exits, with its status; the default ends the program
   (semihosting exit) with that status */
void kernel_all_exited(int status) __attribute__((noreturn));

/* a kernel variable, for tests: the statistics SYS_KERNEL_STATS copies out */
extern struct rtos_stats kernel_stats;

#endif
