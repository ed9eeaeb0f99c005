/* The boot journal: append-only entries over two internal flash sectors (journal.h). */
#include "journal.h"

#include <string.h>

#include "flash.h"
#include "records.h"

enum { FIRST_SECTOR = 2, SECTOR_SIZE = 0x4000, ENTRIES = SECTOR_SIZE / JOURNAL_ENTRY_SIZE };

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static const uint8_t *slot(unsigned sector, unsigned index)
{
    return (const uint8_t *)flash_sector_address(FIRST_SECTOR + sector) + index * JOURNAL_ENTRY_SIZE;
}

static int decode(const uint8_t *p, journal_entry *e)
{
    if (get32(p) != JOURNAL_MAGIC || get32(p + 28) != crc32(p, 28)) {
        return 0;
    }
    e->sequence = get32(p + 4);
    e->state = p[8];
    e->request = get32(p + 12);
    e->counter = get32(p + 16);
    e->floor = get32(p + 20);
    return 1;
}

static int erased(const uint8_t *p)
{
    for (unsigned i = 0; i < JOURNAL_ENTRY_SIZE; i++) {
        if (p[i] != 0xFF) {
            return 0;
        }
    }
    return 1;
}

/* the newest entry and where it is: sector 0/1 and index, or -1 */
static int newest(journal_entry *entry, unsigned *sector, unsigned *index)
{
    int found = 0;
    for (unsigned s = 0; s < 2; s++) {
        for (unsigned i = 0; i < ENTRIES; i++) {
            journal_entry e;
            if (decode(slot(s, i), &e) && (!found || e.sequence > entry->sequence)) {
                *entry = e;
                *sector = s;
                *index = i;
                found = 1;
            }
        }
    }
    return found;
}

int journal_last(journal_entry *entry)
{
    unsigned sector, index;
    return newest(entry, &sector, &index);
}

uint32_t journal_floor(void)
{
    journal_entry last;
    return journal_last(&last) ? last.floor : 0;
}

int journal_append(journal_state state, uint32_t request, uint32_t counter)
{
    journal_entry last = {0};
    unsigned sector = 0, index = 0;
    int any = newest(&last, &sector, &index);
    unsigned at = any ? index + 1 : 0;
    /* the first erased place after the newest entry in its sector (a torn entry is stepped over) */
    while (at < ENTRIES && !erased(slot(sector, at))) {
        at++;
    }
    if (at == ENTRIES || (!any && !erased(slot(sector, 0)))) {
        sector = any ? 1 - sector : 0; /* the other sector: it holds nothing newer */
        at = 0;
        if (flash_erase_sector(FIRST_SECTOR + sector) != 0) {
            flash_lock();
            return -1;
        }
    }
    uint8_t record[JOURNAL_ENTRY_SIZE];
    memset(record, 0, sizeof record);
    put32(record, JOURNAL_MAGIC);
    put32(record + 4, last.sequence + 1);
    record[8] = (uint8_t)state;
    put32(record + 12, request);
    put32(record + 16, counter);
    uint32_t floor = any ? last.floor : 0;
    if ((state == JOURNAL_CONFIRMED || state == JOURNAL_INSTALLED) && counter > floor) {
        floor = counter;
    }
    put32(record + 20, floor);
    put32(record + 28, crc32(record, 28));
    uint32_t errors = flash_program((uint32_t)(uintptr_t)slot(sector, at), record, sizeof record);
    flash_lock();
    journal_entry check;
    return errors == 0 && decode(slot(sector, at), &check) && check.sequence == last.sequence + 1 ? 0 : -1;
}
