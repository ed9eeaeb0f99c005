/*
 * SYS_UPDATE (update.h), the product image's kernel side of platform management: the download slot, the
 * request, confirm and result records of docs/firmware-update.md on the NOR (../boot/nor.c, records.c,
 * result_log.c: the bootloader's own code, built in). Each call is short except an erase (the W25Q64JV's
 * block erase, waited for here as /data's are); the UARTs' top halves run through it (dev_uart.c).
 */
#include <string.h>

#include "kernel_private.h"
#include "nor.h"
#include "records.h"
#include "result_log.h"
#include "update.h"

#define SCB_AIRCR REG(0xE000ED0Cu)

/* the newest result says installed and no confirm record names it: its sequence, else 0 */
static uint32_t on_trial(void)
{
    update_result r;
    if (!result_log_read(0, &r) || r.outcome != OUTCOME_INSTALLED) {
        return 0;
    }
    uint8_t record[REQUEST_SIZE];
    nor_read(NOR_CONFIRM_ADDRESS, record, sizeof record);
    return confirm_decode(record) == r.sequence ? 0 : r.sequence;
}

static void write_record(uint32_t address, const uint8_t record[REQUEST_SIZE])
{
    nor_erase_sector(address);
    nor_program(address, record, REQUEST_SIZE);
}

int32_t kernel_update_syscall(struct tcb *c, uint32_t op, uint32_t a1, uint32_t a2, uint32_t a3)
{
    if (!files_may_open(c->proc, UPDATE_PATH)) {
        return -RTOS_EACCES;
    }
    switch (op) {
    case UPDATE_ERASE:
        if (a1 % UPDATE_BLOCK != 0 || a1 >= UPDATE_DOWNLOAD_SLOT_SIZE) {
            return -RTOS_EINVAL;
        }
        nor_erase_block(NOR_DOWNLOAD_SLOT + a1);
        return 0;
    case UPDATE_PROGRAM:
        if (a3 > 256 || !inside(0, UPDATE_DOWNLOAD_SLOT_SIZE, a1, a3)) {
            return -RTOS_EINVAL;
        }
        if (!kernel_user_readable(c, (const void *)a2, a3)) {
            return -RTOS_EFAULT;
        }
        nor_program(NOR_DOWNLOAD_SLOT + a1, (const uint8_t *)a2, a3);
        return (int32_t)a3;
    case UPDATE_READ:
        if (a3 > 4096 || !inside(0, UPDATE_DOWNLOAD_SLOT_SIZE, a1, a3)) {
            return -RTOS_EINVAL;
        }
        if (!kernel_user_memory(c, (void *)a2, a3)) {
            return -RTOS_EFAULT;
        }
        nor_read(NOR_DOWNLOAD_SLOT + a1, (uint8_t *)a2, a3);
        return (int32_t)a3;
    case UPDATE_REQUEST: {
        /* after every number used so far: the last answered one and a request still in the record */
        update_result r;
        uint8_t record[REQUEST_SIZE];
        uint32_t sequence = result_log_read(0, &r) ? r.sequence : 0;
        nor_read(NOR_REQUEST_ADDRESS, record, sizeof record);
        uint32_t pending = request_decode(record);
        sequence = (pending > sequence ? pending : sequence) + 1;
        request_encode(sequence, record);
        write_record(NOR_REQUEST_ADDRESS, record);
        return (int32_t)sequence;
    }
    case UPDATE_RESULT: {
        if (!kernel_user_memory(c, (void *)a2, sizeof(update_result))) {
            return -RTOS_EFAULT;
        }
        update_result r;
        int found = result_log_read(a1, &r);
        if (found) {
            memcpy((void *)a2, &r, sizeof r);
        }
        return found;
    }
    case UPDATE_TRIAL:
        return (int32_t)on_trial();
    case UPDATE_CONFIRM: {
        uint32_t sequence = on_trial();
        if (sequence != 0) {
            uint8_t record[REQUEST_SIZE];
            confirm_encode(sequence, record);
            write_record(NOR_CONFIRM_ADDRESS, record);
        }
        return (int32_t)sequence;
    }
    case UPDATE_STARVE:
        process_watchdog_starve();
        return 0;
    case UPDATE_RESET:
        __asm__ volatile("dsb" ::: "memory");
        SCB_AIRCR = 0x05FA0000u | 1u << 2; /* VECTKEY, SYSRESETREQ */
        __asm__ volatile("dsb" ::: "memory");
        for (;;) {
        }
    default:
        return -RTOS_EINVAL;
    }
}
