/*
 * The management core's bootloader (docs/firmware-update.md, "The bootloader"). At every reset:
 *   1. check the image in the application slot (the checks of "What the bootloader checks");
 *   2. if the NOR holds an update request not yet answered: check the download slot's image against the
 *      installed counter; refused: record why and leave everything as it is; valid: copy the running image
 *      to the backup slot, erase and program the application slot, check the programmed copy (a copy
 *      that fails is "torn-copy", and the backup goes back), record the outcome;
 *   3. if the application slot still holds no valid image, put the backup back if it is valid;
 *   4. start the application: VTOR to its vector table, MSP from its word 0, jump to its word 1.
 * Trial mode: before the application slot is erased for a new image (with a valid backup), the journal
 * records a trial, and the new image is started under the independent watchdog. It must write the confirm
 * record before the next reset; at that reset (the watchdog's, or any other) the bootloader finds the trial
 * in the journal and either records it as confirmed or puts the backup back ("no-confirm").
 * Every line it prints on USART1 starts with "boot: ".
 */
#include <string.h>

#include "image/image.h"
#include "journal.h"
#include "nor.h"
#include "public_key.h"
#include "records.h"
#include "result_log.h"
#include "registers.h"
#include "slots.h"
#include "uart.h"

static void print_version(const image_header *h)
{
    uart_unsigned(h->major);
    uart_write(".");
    uart_unsigned(h->minor);
    uart_write(".");
    uart_unsigned(h->revision);
    uart_write("+");
    uart_unsigned(h->build);
    uart_write(" counter ");
    uart_unsigned(h->security_counter);
}

static void report(const char *slot, const image_header *h, image_result r)
{
    uart_write("boot: ");
    uart_write(slot);
    uart_write(" ");
    print_version(h);
    uart_write(": ");
    uart_write(image_result_name(r));
    uart_write("\n");
}

static void write_result(update_result *result, const image_header *candidate, uint8_t outcome, const char *reason)
{
    result->outcome = outcome;
    result->major = candidate->major;
    result->minor = candidate->minor;
    result->revision = candidate->revision;
    result->build = candidate->build;
    result->security_counter = candidate->security_counter;
    memset(result->reason, 0, sizeof result->reason);
    strncpy(result->reason, reason, sizeof result->reason - 1);
    result_log_append(result);
    uart_write("boot: result ");
    uart_unsigned(result->sequence);
    uart_write(" ");
    uart_write(reason);
    uart_write("\n");
}

/* the backup slot's image into the application slot, if it is valid; returns the slot's verdict after */
static image_result restore_backup(image_header *application)
{
    image_header backup;
    image_result r = image_check(&BACKUP_SLOT, BOOT_PUBLIC_KEY, 0, &backup);
    report("backup", &backup, r);
    if (r != IMAGE_VALID) {
        return r;
    }
    program_application(NOR_BACKUP_SLOT, image_total_size(&backup));
    r = image_check(&APPLICATION_SLOT, BOOT_PUBLIC_KEY, 0, application);
    report("restored", application, r);
    return r;
}

/* set when the image about to start is on trial: it starts under the watchdog */
static int on_trial;

/* answers update request `sequence`; returns the application slot's verdict after */
static image_result install(uint32_t sequence, image_result installed_result, image_header *installed)
{
    /* the candidate is compared with the installed image's counter, and never with less than the journal's
       floor: an application slot found invalid (torn, corrupted) does not open the door to a rollback */
    uint32_t counter = installed_result == IMAGE_VALID ? installed->security_counter : 0;
    uint32_t floor = journal_floor();
    if (floor > counter) {
        counter = floor;
    }
    update_result result = {.sequence = sequence, .installed_counter = counter};
    image_header candidate;
    image_result r = image_check(&DOWNLOAD_SLOT, BOOT_PUBLIC_KEY, counter, &candidate);
    uart_write("boot: request ");
    uart_unsigned(sequence);
    uart_write("\n");
    report("download", &candidate, r);
    if (r != IMAGE_VALID) {
        result.reason_code = (uint8_t)r;
        write_result(&result, &candidate, OUTCOME_REFUSED, image_result_name(r));
        return installed_result;
    }
    if (installed_result == IMAGE_VALID && backup_application(image_total_size(installed)) != 0) {
        write_result(&result, &candidate, OUTCOME_FAILED, "backup-failed");
        return installed_result;
    }
    /* from here the application slot may hold part of the new image: a reset before the copy is checked (a
       power cut during the copy) finds the COPYING entry last and puts the backup back as a torn copy; after
       the TRIAL entry, a reset before the confirm puts it back as not confirmed */
    int copying = installed_result == IMAGE_VALID
        && journal_append(JOURNAL_COPYING, sequence, candidate.security_counter) == 0;
    image_header programmed;
    if (program_application(NOR_DOWNLOAD_SLOT, image_total_size(&candidate)) != 0
        || image_check(&APPLICATION_SLOT, BOOT_PUBLIC_KEY, counter, &programmed) != IMAGE_VALID) {
        write_result(&result, &candidate, OUTCOME_FAILED, "torn-copy");
        if (copying) {
            journal_append(JOURNAL_REVERTED, sequence, candidate.security_counter);
        }
        return installed_result == IMAGE_VALID ? restore_backup(installed) : IMAGE_BAD_HASH;
    }
    if (copying) {
        on_trial = journal_append(JOURNAL_TRIAL, sequence, candidate.security_counter) == 0;
    }
    *installed = programmed;
    if (!on_trial) {
        journal_append(JOURNAL_INSTALLED, sequence, candidate.security_counter); /* raises the floor */
    }
    write_result(&result, &candidate, OUTCOME_INSTALLED, "installed");
    return IMAGE_VALID;
}

/* a copy the last boot did not finish: the backup goes back */
static void resolve_copy(const journal_entry *last)
{
    uart_write("boot: copy ");
    uart_unsigned(last->request);
    uart_write(" interrupted\n");
    image_header restored;
    if (restore_backup(&restored) != IMAGE_VALID) {
        return; /* nothing decided: tried again at the next reset (main restores an invalid slot anyway) */
    }
    update_result result = {.sequence = last->request, .installed_counter = last->counter};
    write_result(&result, &restored, OUTCOME_FAILED, "torn-copy");
    journal_append(JOURNAL_REVERTED, last->request, last->counter);
}

/* a copy or a trial left by the last boot: a trial confirmed, or reverted to the backup */
static void resolve_trial(void)
{
    journal_entry last;
    if (!journal_last(&last)) {
        return;
    }
    if (last.state == JOURNAL_COPYING) {
        resolve_copy(&last);
        return;
    }
    if (last.state != JOURNAL_TRIAL) {
        return;
    }
    static uint8_t confirm[REQUEST_SIZE];
    nor_read(NOR_CONFIRM_ADDRESS, confirm, sizeof confirm);
    uart_write("boot: trial ");
    uart_unsigned(last.request);
    if (confirm_decode(confirm) == last.request) {
        uart_write(" confirmed\n");
        journal_append(JOURNAL_CONFIRMED, last.request, last.counter);
        return;
    }
    uart_write(" not confirmed\n");
    image_header restored;
    if (restore_backup(&restored) != IMAGE_VALID) {
        /* no valid backup (or none readable now, in a brown-out): decide nothing; the trial image runs on
           trial again and this is tried again at the next reset */
        on_trial = 1;
        return;
    }
    update_result result = {.sequence = last.request, .installed_counter = last.counter};
    write_result(&result, &restored, OUTCOME_REVERTED, "no-confirm");
    journal_append(JOURNAL_REVERTED, last.request, last.counter);
}

/* the confirm deadline: (RLR + 1) x 64 / f_LSI = 4096 x 64 / 32 kHz = 8.2 s (RM0430 IWDG time-out table) */
static void start_watchdog(void)
{
    REG(IWDG_KR) = 0x5555; /* PR and RLR writable */
    REG(IWDG_PR) = 4;      /* /64 */
    REG(IWDG_RLR) = 0xFFF;
    REG(IWDG_KR) = 0xCCCC; /* start: only a reset stops it */
    uart_write("boot: trial: confirm within 8.2 s\n");
}

static void __attribute__((noreturn)) start_application(void)
{
    const uint32_t *vectors = (const uint32_t *)(IMAGE_SLOT_ADDRESS + IMAGE_HEADER_SIZE);
    if (on_trial) {
        start_watchdog();
    }
    uart_flush();
    REG(SCB_VTOR) = (uint32_t)vectors;
    __asm__ volatile("dsb\n\tisb\n\tmsr msp, %0\n\tbx %1" : : "r"(vectors[0]), "r"(vectors[1]) : "memory");
    __builtin_unreachable();
}

int main(void)
{
    uart_init();
    uart_write("boot: MeterTwin bootloader\n");
    nor_init();
    resolve_trial();
    image_header application;
    image_result r = image_check(&APPLICATION_SLOT, BOOT_PUBLIC_KEY, 0, &application);
    report("application", &application, r);

    static uint8_t request[REQUEST_SIZE];
    nor_read(NOR_REQUEST_ADDRESS, request, sizeof request);
    uint32_t sequence = request_decode(request);
    update_result answered;
    uint32_t answered_sequence = result_log_read(0, &answered) ? answered.sequence : 0;
    if (sequence != 0 && sequence != answered_sequence) {
        r = install(sequence, r, &application);
        answered_sequence = sequence;
    }
    if (r != IMAGE_VALID) {
        r = restore_backup(&application);
        if (r == IMAGE_VALID) {
            update_result result = {.sequence = answered_sequence};
            write_result(&result, &application, OUTCOME_RESTORED, "restored-backup");
        }
    }
    if (r == IMAGE_VALID) {
        uart_write("boot: starting ");
        print_version(&application);
        uart_write("\n");
        start_application();
    }
    uart_write("boot: no valid image\n");
    uart_flush();
    for (;;) {
        __asm__ volatile("wfi");
    }
}
