/*
 * The test application the bootloader starts (BootloaderTest): prints, through semihosting, which image it
 * is, from its own header in the application slot, and the newest update result record the bootloader left
 * in the NOR's result log with up to three before it, then exits 0.
 *   app: running MAJOR.MINOR.REVISION+BUILD counter N body SIZE
 *   app: result SEQUENCE OUTCOME REASON candidate M.m.r+b counter N installed-counter N     or
 *   app: earlier result SEQUENCE OUTCOME REASON                                                 (up to 3)
 *   app: no result record
 * When the record says its image was just installed, it is on trial: it confirms (writes the confirm
 * record with the request's sequence number: "app: confirmed N"), unless its version's minor is 99, a test
 * image that must be reverted: it then prints "app: not confirming" and sleeps until the watchdog resets.
 */
#include <stdint.h>

#include "console.h"
#include "image/image.h"
#include "nor.h"
#include "records.h"
#include "result_log.h"

enum { EARLIER_RESULTS = 3 }; /* how many records before the newest it prints */
#include "registers.h"

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void print_version(uint8_t major, uint8_t minor, uint16_t revision, uint32_t build, uint32_t counter)
{
    console_unsigned(major);
    console_write(".");
    console_unsigned(minor);
    console_write(".");
    console_unsigned(revision);
    console_write("+");
    console_unsigned(build);
    console_write(" counter ");
    console_unsigned(counter);
}

int main(void)
{
    static const char *const OUTCOMES[] = {"installed", "refused", "failed", "restored", "reverted"};
    const uint8_t *header = (const uint8_t *)IMAGE_SLOT_ADDRESS;
    console_write("app: running ");
    print_version(header[20], header[21], (uint16_t)(header[22] | header[23] << 8), get32(header + 24),
                  get32(header + 28));
    console_write(" body ");
    console_unsigned(get32(header + 12));
    console_write("\n");

    nor_init();
    update_result r;
    if (!result_log_read(0, &r)) {
        console_write("app: no result record\n");
        return 0;
    }
    console_write("app: result ");
    console_unsigned(r.sequence);
    console_write(" ");
    console_write(r.outcome < sizeof OUTCOMES / sizeof OUTCOMES[0] ? OUTCOMES[r.outcome] : "?");
    console_write(" ");
    console_write(r.reason);
    console_write(" candidate ");
    print_version(r.major, r.minor, r.revision, r.build, r.security_counter);
    console_write(" installed-counter ");
    console_unsigned(r.installed_counter);
    console_write("\n");
    for (unsigned back = 1; back <= EARLIER_RESULTS; back++) { /* the log keeps what came before */
        update_result e;
        if (!result_log_read(back, &e)) {
            break;
        }
        console_write("app: earlier result ");
        console_unsigned(e.sequence);
        console_write(" ");
        console_write(e.outcome < sizeof OUTCOMES / sizeof OUTCOMES[0] ? OUTCOMES[e.outcome] : "?");
        console_write(" ");
        console_write(e.reason);
        console_write("\n");
    }
    static uint8_t confirm[REQUEST_SIZE];
    nor_read(NOR_CONFIRM_ADDRESS, confirm, sizeof confirm);
    if (r.outcome != OUTCOME_INSTALLED || confirm_decode(confirm) == r.sequence) {
        return 0; /* not on trial, or already confirmed */
    }
    if (header[21] == 99) {
        console_write("app: not confirming\n");
        for (;;) {
            __asm__ volatile("wfi");
        }
    }
    confirm_encode(r.sequence, confirm);
    nor_erase_sector(NOR_CONFIRM_ADDRESS);
    nor_program(NOR_CONFIRM_ADDRESS, confirm, sizeof confirm);
    console_write("app: confirmed ");
    console_unsigned(r.sequence);
    console_write("\n");
    return 0;
}
