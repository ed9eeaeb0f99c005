/* Encoding and decoding of the request and result records (records.h; docs/firmware-update.md). */
#include "records.h"

#include <string.h>

uint32_t crc32(const uint8_t *data, uint32_t size)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < size; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = crc >> 1 ^ (0xEDB88320u & -(crc & 1u));
        }
    }
    return ~crc;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

static uint32_t numbered_decode(uint32_t magic, const uint8_t record[REQUEST_SIZE])
{
    if (get32(record) != magic || get32(record + 8) != crc32(record, 8)) {
        return 0;
    }
    return get32(record + 4);
}

static void numbered_encode(uint32_t magic, uint32_t sequence, uint8_t record[REQUEST_SIZE])
{
    put32(record, magic);
    put32(record + 4, sequence);
    put32(record + 8, crc32(record, 8));
}

uint32_t request_decode(const uint8_t record[REQUEST_SIZE]) { return numbered_decode(REQUEST_MAGIC, record); }

void request_encode(uint32_t sequence, uint8_t record[REQUEST_SIZE]) { numbered_encode(REQUEST_MAGIC, sequence, record); }

uint32_t confirm_decode(const uint8_t record[REQUEST_SIZE]) { return numbered_decode(CONFIRM_MAGIC, record); }

void confirm_encode(uint32_t sequence, uint8_t record[REQUEST_SIZE]) { numbered_encode(CONFIRM_MAGIC, sequence, record); }

void result_encode(const update_result *r, uint8_t record[RESULT_SIZE])
{
    memset(record, 0, RESULT_SIZE);
    put32(record, RESULT_MAGIC);
    put32(record + 4, r->sequence);
    record[8] = r->outcome;
    record[9] = r->reason_code;
    put16(record + 10, r->number);
    record[12] = r->major;
    record[13] = r->minor;
    put16(record + 14, r->revision);
    put32(record + 16, r->build);
    put32(record + 20, r->security_counter);
    put32(record + 24, r->installed_counter);
    memcpy(record + 28, r->reason, RESULT_REASON_SIZE);
    put32(record + 60, crc32(record, 60));
}

int result_decode(const uint8_t record[RESULT_SIZE], update_result *r)
{
    if (get32(record) != RESULT_MAGIC || get32(record + 60) != crc32(record, 60)) {
        return 0;
    }
    r->sequence = get32(record + 4);
    r->outcome = record[8];
    r->reason_code = record[9];
    r->number = get16(record + 10);
    r->major = record[12];
    r->minor = record[13];
    r->revision = get16(record + 14);
    r->build = get32(record + 16);
    r->security_counter = get32(record + 20);
    r->installed_counter = get32(record + 24);
    memcpy(r->reason, record + 28, RESULT_REASON_SIZE);
    r->reason[RESULT_REASON_SIZE - 1] = 0;
    return 1;
}
