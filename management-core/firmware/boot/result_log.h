/*
 * The update result log (docs/firmware-update.md, "Update result log"): the bootloader's result records,
 * appended in order over two 4 KiB NOR sectors from NOR_RESULT_ADDRESS, 64 records each, numbered (the
 * record's `number`, compared as serial numbers), so that the application can read what happened to every
 * request since it last looked, not only the last one. A torn record (bad CRC) is simply not there. When a
 * sector is full the other is erased and the log goes on there: the sector holding the newest record is
 * never erased, so at least the last 64 records are kept.
 */
#ifndef RESULT_LOG_H
#define RESULT_LOG_H

#include "records.h"

#define RESULT_LOG_SECTOR 0x1000u
#define RESULT_LOG_RECORDS (RESULT_LOG_SECTOR / RESULT_SIZE)

/* the record `back` places before the newest (0: the newest); 0 when there is none */
int result_log_read(unsigned back, update_result *result);

/* appends `result`, numbered after the newest (its `number` set) */
void result_log_append(update_result *result);

#endif
