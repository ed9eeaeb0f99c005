/*
 * Event log. EEPROM slot k (16 bytes at EVENT_BASE + 16k, never across a page): u32 sequence number (1 for
 * the first event ever), the 8-byte record, u32 CRC-32 of the first 12 bytes. Record n goes to slot
 * (n - 1) mod 32; at boot the highest valid sequence number is the count of events recorded.
 */
#include <string.h>
#include "clock.h"
#include "crc.h"
#include "eeprom.h"
#include "energy.h"
#include "events.h"

#define EVENT_BASE 0x0800u
#define EVENT_SLOT 16u

uint32_t events_total;
static uint8_t records[EVENT_RECORDS][8];    /* by slot */
static void (*report)(const uint8_t record[8]);

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

void events_report_to(void (*send)(const uint8_t record[8]))
{
    report = send;
}

void events_restore(void)
{
    uint8_t s[EVENT_SLOT];
    events_total = 0;
    for (unsigned k = 0; k < EVENT_RECORDS; k++) {
        eeprom_read((uint16_t)(EVENT_BASE + k * EVENT_SLOT), s, EVENT_SLOT);
        uint32_t sequence = u32_at(s);
        if (u32_at(s + 12) != crc32(s, 12) || sequence == 0 || (sequence - 1) % EVENT_RECORDS != k) {
            memset(records[k], 0, 8);
            continue;
        }
        memcpy(records[k], s + 4, 8);
        if (sequence > events_total) {
            events_total = sequence;
        }
    }
}

void event_record(uint8_t code, uint8_t kind)
{
    uint8_t s[EVENT_SLOT];
    uint32_t sequence = events_total + 1;
    unsigned k = (sequence - 1) % EVENT_RECORDS;
    uint8_t *r = records[k];
    r[0] = code;
    r[1] = kind;
    r[2] = (uint8_t)boot_number;
    r[3] = (uint8_t)(boot_number >> 8);
    put32(r + 4, clock_ms());
    events_total = sequence;
    put32(s, sequence);
    memcpy(s + 4, r, 8);
    put32(s + 12, crc32(s, 12));
    eeprom_write((uint16_t)(EVENT_BASE + k * EVENT_SLOT), s, EVENT_SLOT);
    if (report) {
        report(r);
    }
}

unsigned events_held(void)
{
    return events_total < EVENT_RECORDS ? events_total : EVENT_RECORDS;
}

int event_get(unsigned nn, uint8_t out[8])
{
    if (nn < 1 || nn > events_held()) {
        return 0;
    }
    memcpy(out, records[(events_total - nn) % EVENT_RECORDS], 8);
    return 1;
}
