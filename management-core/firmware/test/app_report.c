/*
 * The test application the bootloader starts (BootloaderTest): prints, through semihosting, which image it
 * is, from its own header in the application slot, and the last update result record the bootloader left
 * in the NOR, then exits 0.
 *   app: running MAJOR.MINOR.REVISION+BUILD counter N body SIZE
 *   app: result SEQUENCE OUTCOME REASON candidate M.m.r+b counter N installed-counter N     or
 *   app: no result record
 */
#include <stdint.h>

#include "console.h"
#include "image/image.h"
#include "nor.h"
#include "records.h"
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
    static const char *const OUTCOMES[] = {"installed", "refused", "failed", "restored"};
    const uint8_t *header = (const uint8_t *)IMAGE_SLOT_ADDRESS;
    console_write("app: running ");
    print_version(header[20], header[21], (uint16_t)(header[22] | header[23] << 8), get32(header + 24),
                  get32(header + 28));
    console_write(" body ");
    console_unsigned(get32(header + 12));
    console_write("\n");

    nor_init();
    static uint8_t record[RESULT_SIZE];
    update_result r;
    nor_read(NOR_RESULT_ADDRESS, record, sizeof record);
    if (!result_decode(record, &r)) {
        console_write("app: no result record\n");
        return 0;
    }
    console_write("app: result ");
    console_unsigned(r.sequence);
    console_write(" ");
    console_write(r.outcome < 4 ? OUTCOMES[r.outcome] : "?");
    console_write(" ");
    console_write(r.reason);
    console_write(" candidate ");
    print_version(r.major, r.minor, r.revision, r.build, r.security_counter);
    console_write(" installed-counter ");
    console_unsigned(r.installed_counter);
    console_write("\n");
    return 0;
}
