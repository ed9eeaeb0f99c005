/*
 * The test application that downloads (DownloadPowerCutSweepTest): app_report.c (compiled in here, its main
 * renamed) prints what it always prints and confirms a trial; then, if the staged image is not the one
 * running, this does the download write the way a meter application would and resets into the bootloader:
 *   1. erase the NOR download slot's 64 KiB blocks the image needs (D8h),
 *   2. program the image page by page (256 bytes, Page Program 02h),
 *   3. read it back and compare (on a difference: start again from 1, three times at most),
 *   4. write the update request record (erase its 4 KiB sector 20h, program the 12 bytes),
 *   5. print "app: downloaded N bytes, request S" and reset (SCB AIRCR SYSRESETREQ).
 * A cut anywhere in 1-4 leaves no valid request (the sector erased, or a torn record whose CRC fails, or an
 * older request the result record already answers): the bootloader installs nothing and this application
 * runs again and does the whole download again from 1 (docs/firmware-update.md, "Power cuts, case by case").
 *
 * TEST STAND-IN for the protocol that will bring the image (it does not exist yet): the image is taken from
 * a staging area the test fills, internal flash sector 4 (0x0801 0000, 64 KiB, "start parameters" in
 * docs/management-core.md, unused so far), which the bootloader never reads, erases or programs (its sectors
 * are 0-1 for itself, 2-3 for the journal and 5-11 for the application slot, which fills the flash to its
 * end: there is no sector above the slot). The staging area: a 16-byte header, then the signed image.
 *   offset 0  magic 0x5453544D ("MTST")
 *          4  the image's size in bytes (at most 64 KiB - 16)
 *          8  the sequence number of the first request for it (the head-end's job number, say)
 *         12  attempts: requests first .. first + attempts - 1 may be made for it
 * Which sequence number: the last result record's plus one, and at least `first` (a number the bootloader
 * has answered is never used again, since an answered request is not pending). Whether to download:
 *   - the staged image is the running one (the application slot holds it byte for byte): no ("app: staged
 *     image is running");
 *   - the last result refused an image with the staged image's version and counter: no, it would be refused
 *     again ("app: staged image refused");
 *   - the attempts are used up: no ("app: no attempts left"), so an image that never confirms is not
 *     installed, reverted and downloaded again for ever;
 *   - otherwise yes: nothing was requested yet, or the request was reverted (a cut during the trial) or
 *     failed, or its download write was cut.
 * Output, after app_report's lines:
 *   app: download S: N bytes
 *   app: download read back differs at OFFSET          (then the erase again)
 *   app: downloaded N bytes, request S
 */
#include <string.h>

#define main app_report_main
#include "app_report.c"
#undef main

#define STAGING_ADDRESS 0x08010000u
#define STAGING_SIZE 0x10000u
#define STAGING_MAGIC 0x5453544Du /* "MTST" */
#define STAGING_HEADER 16u
#define DOWNLOAD_SLOT_SIZE 0xE0000u /* NOR 0x00 0000 - 0x0D FFFF */
#define WRITE_TRIES 3

static void __attribute__((noreturn)) system_reset(void)
{
    __asm__ volatile("dsb" ::: "memory");
    REG(0xE000ED0Cu) = 0x05FA0000u | 1u << 2; /* AIRCR: VECTKEY, SYSRESETREQ */
    __asm__ volatile("dsb" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* erase, program page by page, read back: 0 when the slot then holds the image, else 1 + the first
   differing offset */
static uint32_t write_download_slot(const uint8_t *image, uint32_t size)
{
    for (uint32_t at = 0; at < size; at += NOR_BLOCK) {
        nor_erase_block(NOR_DOWNLOAD_SLOT + at);
    }
    for (uint32_t at = 0; at < size; at += NOR_PAGE) {
        nor_program(NOR_DOWNLOAD_SLOT + at, image + at, size - at < NOR_PAGE ? size - at : NOR_PAGE);
    }
    static uint8_t page[NOR_PAGE];
    for (uint32_t at = 0; at < size; at += NOR_PAGE) {
        uint32_t n = size - at < NOR_PAGE ? size - at : NOR_PAGE;
        nor_read(NOR_DOWNLOAD_SLOT + at, page, n);
        for (uint32_t i = 0; i < n; i++) {
            if (page[i] != image[at + i]) {
                return 1 + at + i;
            }
        }
    }
    return 0;
}

/* the download write, when one is needed; returns the exit status when it does not reset */
static int download(void)
{
    const uint8_t *staging = (const uint8_t *)STAGING_ADDRESS;
    if (get32(staging) != STAGING_MAGIC) {
        console_write("app: nothing staged\n");
        return 0;
    }
    uint32_t size = get32(staging + 4), first = get32(staging + 8), attempts = get32(staging + 12);
    const uint8_t *image = staging + STAGING_HEADER;
    if (size < IMAGE_HEADER_SIZE || size > STAGING_SIZE - STAGING_HEADER || size > DOWNLOAD_SLOT_SIZE || first == 0) {
        console_write("app: bad staging header\n");
        return 1;
    }
    if (memcmp((const void *)IMAGE_SLOT_ADDRESS, image, size) == 0) {
        console_write("app: staged image is running\n");
        return 0;
    }
    update_result last;
    int answered = result_log_read(0, &last);
    if (answered && last.outcome == OUTCOME_REFUSED && last.major == image[20] && last.minor == image[21]
        && last.revision == (uint16_t)(image[22] | image[23] << 8) && last.build == get32(image + 24)
        && last.security_counter == get32(image + 28)) {
        console_write("app: staged image refused\n");
        return 0;
    }
    uint32_t sequence = answered && last.sequence >= first ? last.sequence + 1 : first;
    if (sequence - first >= attempts) {
        console_write("app: no attempts left\n");
        return 0;
    }
    console_write("app: download ");
    console_unsigned(sequence);
    console_write(": ");
    console_unsigned(size);
    console_write(" bytes\n");
    for (int tries = 1;; tries++) {
        uint32_t differs = write_download_slot(image, size);
        if (differs == 0) {
            break;
        }
        console_write("app: download read back differs at ");
        console_unsigned(differs - 1);
        console_write("\n");
        if (tries == WRITE_TRIES) {
            console_write("app: download failed\n");
            return 1;
        }
    }
    static uint8_t request[REQUEST_SIZE];
    request_encode(sequence, request);
    nor_erase_sector(NOR_REQUEST_ADDRESS);
    nor_program(NOR_REQUEST_ADDRESS, request, sizeof request);
    console_write("app: downloaded ");
    console_unsigned(size);
    console_write(" bytes, request ");
    console_unsigned(sequence);
    console_write("\n");
    system_reset();
}

int main(void)
{
    app_report_main(); /* its lines, and the confirm of a trial */
    return download();
}
