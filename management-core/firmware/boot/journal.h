/*
 * The boot journal in internal flash sectors 2-3 (docs/firmware-update.md, "Trial mode and the journal"):
 * 32-byte entries appended in order, each with a sequence number and a CRC-32, so that a torn entry is
 * simply not there. When a sector is full the other is erased and the journal goes on there: the sector
 * holding the newest entry is never erased.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stdint.h>

#define JOURNAL_MAGIC 0x524A544Du /* "MTJR" */
#define JOURNAL_ENTRY_SIZE 32u

typedef enum {
    JOURNAL_TRIAL = 1,     /* a new image was installed and started under the watchdog, not yet confirmed */
    JOURNAL_CONFIRMED = 2, /* the trial image confirmed itself: it stays */
    JOURNAL_REVERTED = 3,  /* the trial image did not confirm before the next reset: the backup went back */
    JOURNAL_INSTALLED = 4, /* an image was installed without a trial (no valid image to fall back to) */
    JOURNAL_COPYING = 5,   /* the application slot is being overwritten with a new image, the backup taken */
} journal_state;

typedef struct {
    uint32_t sequence; /* the entry's own number, one more than the entry before */
    uint8_t state;
    uint32_t request;  /* the update request the entry is about */
    uint32_t counter;  /* the security counter of the image it is about */
    uint32_t floor;    /* the highest counter of an image confirmed or installed so far (carried forward) */
} journal_entry;

/* the newest valid entry; 0 when the journal is empty */
int journal_last(journal_entry *entry);

/* the installed-counter floor: no candidate below it is accepted, whatever the slot holds; 0 when empty */
uint32_t journal_floor(void);

/* appends an entry (numbered after the newest, the floor raised to `counter` by CONFIRMED and INSTALLED);
   0 when it reads back valid */
int journal_append(journal_state state, uint32_t request, uint32_t counter);

#endif
