/* Platform management (platform.c, docs/firmware-update.md "Platform management"): the platform process. */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdint.h>

#define PLATFORM_PIPE "/pipe/platform"        /* commands, written by a protocol handler */
#define PLATFORM_REPLY_PIPE "/pipe/platform-reply" /* one text line per command */
#define PLATFORM_DATA_SIZE 8192u /* the data region (product.ld): crypto state, the process's, the verifier's stack */
#define PLATFORM_TRIAL_WINDOW_MS 8000u /* as the bootloader's trial watchdog (8.2 s): confirm within it or revert */

/* a command: this header, then `length` bytes */
struct platform_command {
    uint8_t op;      /* PLATFORM_* */
    uint8_t zero;
    uint16_t length; /* of what follows: 8 for begin (the version), at most 248 for block, else 0 */
    uint32_t arg;    /* begin: the image's size; block: its offset in the image */
};
#define PLATFORM_BEGIN 'B'
#define PLATFORM_BLOCK 'K'
#define PLATFORM_END 'E'
#define PLATFORM_ACTIVATE 'A'
#define PLATFORM_STATUS 'S'
#define PLATFORM_BLOCK_MAX 248u

/* the process (data: its data region's free part, product.ld's _platform_state) */
int platform_main(void *data) __attribute__((noreturn));
#ifdef PLATFORM_FEEDER
int feeder_main(void *data) __attribute__((noreturn));
#endif

#endif
