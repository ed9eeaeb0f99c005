/* The update result log: numbered result records appended over two NOR sectors (result_log.h). */
#include "result_log.h"

#include "nor.h"

static uint32_t slot_address(unsigned sector, unsigned index)
{
    return NOR_RESULT_ADDRESS + sector * RESULT_LOG_SECTOR + index * RESULT_SIZE;
}

/* a is after b, as 16-bit serial numbers (RFC 1982) */
static int after(uint16_t a, uint16_t b) { return (int16_t)(uint16_t)(a - b) > 0; }

static int read_slot(unsigned sector, unsigned index, update_result *r, int *erased)
{
    static uint8_t record[RESULT_SIZE];
    nor_read(slot_address(sector, index), record, RESULT_SIZE);
    *erased = 1;
    for (unsigned i = 0; i < RESULT_SIZE; i++) {
        if (record[i] != 0xFF) {
            *erased = 0;
            break;
        }
    }
    return result_decode(record, r);
}

/* the newest record and its place; 0 when the log is empty */
static int newest(update_result *r, unsigned *sector, unsigned *index)
{
    int found = 0;
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned i = 0; i < RESULT_LOG_RECORDS; i++) {
            update_result e;
            int erased;
            if (read_slot(s, i, &e, &erased) && (!found || after(e.number, r->number))) {
                *r = e;
                *sector = s;
                *index = i;
                found = 1;
            }
        }
    }
    return found;
}

int result_log_read(unsigned back, update_result *result)
{
    update_result last;
    unsigned sector, index;
    if (!newest(&last, &sector, &index)) {
        return 0;
    }
    if (back == 0) {
        *result = last;
        return 1;
    }
    uint16_t wanted = (uint16_t)(last.number - back);
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned i = 0; i < RESULT_LOG_RECORDS; i++) {
            update_result e;
            int erased;
            if (read_slot(s, i, &e, &erased) && e.number == wanted && !after(e.number, last.number)) {
                *result = e;
                return 1;
            }
        }
    }
    return 0;
}

void result_log_append(update_result *result)
{
    update_result last;
    unsigned sector = 0, index = 0;
    int any = newest(&last, &sector, &index);
    result->number = any ? (uint16_t)(last.number + 1) : 1;
    /* the first erased slot after the newest record in its sector (a torn one is skipped), else the other
       sector, erased first; an empty log starts at sector 0, erased unless its first slot already is */
    unsigned s = sector, i = any ? index + 1 : 0;
    for (;; i++) {
        if (i == RESULT_LOG_RECORDS) {
            s = any ? 1 - sector : 0;
            i = 0;
            nor_erase_sector(slot_address(s, 0));
            break;
        }
        update_result e;
        int erased;
        read_slot(s, i, &e, &erased);
        if (erased) {
            break;
        }
        if (!any) { /* no valid record anywhere, but bytes in the way: start afresh */
            nor_erase_sector(slot_address(0, 0));
            s = 0;
            i = 0;
            break;
        }
    }
    static uint8_t record[RESULT_SIZE];
    result_encode(result, record);
    nor_program(slot_address(s, i), record, RESULT_SIZE);
}
