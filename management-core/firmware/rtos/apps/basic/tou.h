/*
 * Time-of-use: which rate is in force at an instant (docs/basic-application.md, "Time of use").
 *
 * The parameters follow DL/T 645-2007's TOU set (04.00.02.xx counts, 04.01.00.00 seasons, 04.01.00.01-08 day
 * tables, 04.00.03.xx special days), with the week profile of DLMS/COSEM's Activity Calendar (a day table
 * per weekday) in place of DL/T 645's weekend word and weekend table, which it can express:
 *   - a season begins each year at its month and day and selects a week profile; the season in force is the
 *     one with the latest start on or before the date, or, before the first start of the year, the last
 *     season (it began the year before);
 *   - a week profile names a day table for each weekday, Monday first;
 *   - a day table has up to 14 switch points (hour, minute, rate), sorted by time; the rate in force is the
 *     last point at or before the time, or, before the first point of the day, the day's last point;
 *   - a special day (a holiday) names a day table for one date, or for a month and day every year, and
 *     comes before the seasons.
 * A passive table takes over from the active one at its activation instant (the "two-set switching time").
 * Times are the meter's local civil time, in seconds since 2000-01-01 00:00:00, as the RTC keeps it.
 * Pure functions, no system calls: the basic application links them, and test/tou_vectors.c checks them.
 */
#ifndef TOU_H
#define TOU_H

#include <stdint.h>

#define TOU_SEASONS 14
#define TOU_WEEKS 4
#define TOU_DAY_TABLES 8
#define TOU_SWITCHES 14
#define TOU_RATES 8
#define TOU_SPECIALS 32
#define TOU_EVERY_YEAR 0xFFu

struct tou_switch {
    uint8_t hour, minute, rate; /* rate 1..TOU_RATES */
};

struct tou_day {
    uint8_t count;
    struct tou_switch point[TOU_SWITCHES];
};

struct tou_season {
    uint8_t month, day, week; /* week: index of a week profile */
};

struct tou_table {
    uint8_t seasons, weeks, days;
    struct tou_season season[TOU_SEASONS];
    uint8_t week[TOU_WEEKS][7]; /* day table index per weekday, Monday first */
    struct tou_day day[TOU_DAY_TABLES];
};

struct tou_special {
    uint8_t year; /* years since 2000, or TOU_EVERY_YEAR */
    uint8_t month, day, day_table;
};

struct tou_params {
    uint8_t rates, specials;
    struct tou_table active, passive;
    uint32_t passive_from; /* activation instant of the passive table, 0: none */
    struct tou_special special[TOU_SPECIALS];
};

/* days since 2000-01-01 of a civil date, and back; weekday 1 Monday .. 7 Sunday */
uint32_t tou_days(uint32_t year, uint32_t month, uint32_t day);
void tou_date(uint32_t days, uint32_t *year, uint32_t *month, uint32_t *day);
uint32_t tou_weekday(uint32_t days);

/* the table in force at t: the passive one from its activation on */
const struct tou_table *tou_table_at(const struct tou_params *p, uint32_t t);
/* the day table of the date of t, and whether a special day chose it */
uint32_t tou_day_table(const struct tou_params *p, uint32_t t, int *special);
/* the rate in force at t (1..rates) */
uint32_t tou_rate(const struct tou_params *p, uint32_t t);
/* the first instant after t at which the rate may change: the next switch point of the day, the next
   midnight (another day table), or the passive table's activation, whichever comes first */
uint32_t tou_next_change(const struct tou_params *p, uint32_t t);

#endif
