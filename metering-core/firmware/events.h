/* The event log (docs/virtual-bus.md, "Status and events"): 32 records in an EEPROM ring, a RAM copy. */
#ifndef EVENTS_H
#define EVENTS_H
#include <stdint.h>

enum {
    EV_POWER_DOWN = 0x01, EV_POWER_UP = 0x02, EV_SAG = 0x10, EV_SWELL = 0x11, EV_LOSS = 0x12,
    EV_REVERSE = 0x13, EV_TAMPER = 0x14, EV_CAL_DEFAULT = 0x20, EV_CAL_WRITTEN = 0x21, EV_IMAGE_CRC = 0x30,
};
enum { KIND_END = 0, KIND_START = 1, KIND_INSTANT = 2 };

#define EVENT_RECORDS 32u

extern uint32_t events_total;

/* Reads the ring back at boot. */
void events_restore(void);
/* Where each new record is reported (the link to the management core), as it is recorded. */
void events_report_to(void (*send)(const uint8_t record[8]));
/* Records an event now: RAM copy, EEPROM slot, and a report of it. */
void event_record(uint8_t code, uint8_t kind);
/* The nn-th most recent record (1 = newest) as 8 bytes; 0 when there is none. */
int event_get(unsigned nn, uint8_t out[8]);
/* Number of records held (at most EVENT_RECORDS). */
unsigned events_held(void);

#endif
