/*
 * SYS_UPDATE: the kernel's side of platform management (services/platform.c, docs/firmware-update.md
 * "Platform management"): the NOR areas of the bootloader's update protocol, which no process reaches
 * otherwise. Allowed to a process whose manifest names UPDATE_PATH, or to one the kernel started without a
 * manifest. A number far from rtos.h's so that the two never collide.
 */
#ifndef UPDATE_H
#define UPDATE_H

#define SYS_UPDATE 200
#define UPDATE_PATH "/sys/update" /* what a manifest names for it; no file of that name exists */

enum update_op {
    UPDATE_ERASE = 0,   /* (offset): the download slot's 64 KiB block at offset                       -> 0 */
    UPDATE_PROGRAM = 1, /* (offset, data, n <= 256): into the erased download slot                    -> n */
    UPDATE_READ = 2,    /* (offset, buffer, n <= 4096): from the download slot                        -> n */
    UPDATE_REQUEST = 3, /* (): the update request record, numbered after the last answered one      -> sequence */
    UPDATE_RESULT = 4,  /* (back, update_result *): the result log's record `back` before the newest  -> 1, 0 none */
    UPDATE_TRIAL = 5,   /* (): the request whose image runs on trial, not confirmed yet               -> sequence, 0 */
    UPDATE_CONFIRM = 6, /* (): the confirm record for the trial                                       -> sequence, 0 */
    UPDATE_STARVE = 7,  /* (): the supervisor stops feeding the watchdog: a reset within its time-out  -> 0 */
    UPDATE_RESET = 8,   /* (): a system reset now                                                     -> never */
};

#define UPDATE_DOWNLOAD_SLOT_SIZE 0xE0000u /* NOR 0x00 0000 - 0x0D FFFF */
#define UPDATE_BLOCK 0x10000u

#endif
