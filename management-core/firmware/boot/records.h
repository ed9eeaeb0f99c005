/*
 * The records through which the application and the bootloader talk, in the NOR flash's request/result
 * area (docs/firmware-update.md, "Update request and result records"). Little-endian, each ending with a
 * CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF) of the
 * bytes before it.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include <stdint.h>

#define NOR_DOWNLOAD_SLOT 0x000000u
#define NOR_BACKUP_SLOT 0x0E0000u
#define NOR_REQUEST_ADDRESS 0x1C0000u /* written by the application */
#define NOR_CONFIRM_ADDRESS 0x1C1000u /* written by the application: a trial image confirms itself */
#define NOR_RESULT_ADDRESS 0x1D0000u  /* written by the bootloader: the result log, two 4 KiB sectors */

#define REQUEST_MAGIC 0x5152544Du /* "MTRQ" */
#define REQUEST_SIZE 12u
#define CONFIRM_MAGIC 0x4B4F544Du /* "MTOK": same layout as a request */
#define RESULT_MAGIC 0x5352544Du  /* "MTRS" */
#define RESULT_SIZE 64u
#define RESULT_REASON_SIZE 32u

typedef enum {
    OUTCOME_INSTALLED = 0, /* the download slot's image was verified, installed and verified again */
    OUTCOME_REFUSED = 1,   /* the download slot's image failed a check; nothing was written */
    OUTCOME_FAILED = 2,    /* the programmed copy did not verify ("torn-copy"); the backup was put back */
    OUTCOME_RESTORED = 3,  /* the application slot held no valid image; the backup was put back */
    OUTCOME_REVERTED = 4,  /* the installed image did not confirm its trial before the next reset ("no-confirm") */
} update_outcome;

typedef struct {
    uint32_t sequence;
    uint16_t number;       /* the record's own number in the result log, one more than the record before */
    uint8_t outcome;
    uint8_t reason_code;   /* the image_result of the check, 0 (valid) unless refused */
    uint8_t major, minor;  /* the candidate image's header, as read */
    uint16_t revision;
    uint32_t build;
    uint32_t security_counter;
    uint32_t installed_counter; /* what the candidate's counter was compared with */
    char reason[RESULT_REASON_SIZE]; /* the reason word, NUL-padded */
} update_result;

uint32_t crc32(const uint8_t *data, uint32_t size);

/* a request record's sequence number, or 0 when the bytes are no valid request */
uint32_t request_decode(const uint8_t record[REQUEST_SIZE]);
void request_encode(uint32_t sequence, uint8_t record[REQUEST_SIZE]);
/* the confirm record: the request whose image confirms, 0 when none */
uint32_t confirm_decode(const uint8_t record[REQUEST_SIZE]);
void confirm_encode(uint32_t sequence, uint8_t record[REQUEST_SIZE]);

void result_encode(const update_result *result, uint8_t record[RESULT_SIZE]);
/* 1 and the fields when the bytes are a valid result record, else 0 */
int result_decode(const uint8_t record[RESULT_SIZE], update_result *result);

#endif
