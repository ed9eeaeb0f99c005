/* Time-of-use rate selection (tou.h). */
#include "tou.h"

static int leap(uint32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const uint16_t BEFORE_MONTH[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

uint32_t tou_days(uint32_t year, uint32_t month, uint32_t day)
{
    uint32_t d = 0;
    for (uint32_t y = 2000; y < year; y++) {
        d += leap(y) ? 366u : 365u;
    }
    d += BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1u : 0u);
    return d + day - 1;
}

void tou_date(uint32_t days, uint32_t *year, uint32_t *month, uint32_t *day)
{
    uint32_t y = 2000;
    while (days >= (leap(y) ? 366u : 365u)) {
        days -= leap(y) ? 366u : 365u;
        y++;
    }
    uint32_t m = 12;
    while (BEFORE_MONTH[m - 1] + (m > 2 && leap(y) ? 1u : 0u) > days) {
        m--;
    }
    *year = y;
    *month = m;
    *day = days - BEFORE_MONTH[m - 1] - (m > 2 && leap(y) ? 1u : 0u) + 1;
}

uint32_t tou_weekday(uint32_t days)
{
    return (days + 5) % 7 + 1; /* 2000-01-01 was a Saturday (6) */
}

const struct tou_table *tou_table_at(const struct tou_params *p, uint32_t t)
{
    return p->passive_from != 0 && t >= p->passive_from ? &p->passive : &p->active;
}

uint32_t tou_day_table(const struct tou_params *p, uint32_t t, int *special)
{
    uint32_t year, month, day, days = t / 86400u;
    tou_date(days, &year, &month, &day);
    for (uint32_t i = 0; i < p->specials && i < TOU_SPECIALS; i++) {
        const struct tou_special *s = &p->special[i];
        if (s->month == month && s->day == day && (s->year == TOU_EVERY_YEAR || s->year + 2000u == year)) {
            *special = 1;
            return s->day_table;
        }
    }
    *special = 0;
    const struct tou_table *table = tou_table_at(p, t);
    uint32_t today = month * 32u + day, best = 0, found = 0, last = 0, latest = 0;
    for (uint32_t i = 0; i < table->seasons && i < TOU_SEASONS; i++) {
        uint32_t start = table->season[i].month * 32u + table->season[i].day;
        if (start >= latest) {
            latest = start;
            last = i; /* the season that began last in the year: in force before the first start */
        }
        if (start <= today && (!found || start >= table->season[best].month * 32u + table->season[best].day)) {
            best = i;
            found = 1;
        }
    }
    uint32_t week = table->season[found ? best : last].week;
    return table->week[week < TOU_WEEKS ? week : 0][tou_weekday(days) - 1];
}

uint32_t tou_rate(const struct tou_params *p, uint32_t t)
{
    int special;
    uint32_t d = tou_day_table(p, t, &special);
    const struct tou_day *day = &tou_table_at(p, t)->day[d < TOU_DAY_TABLES ? d : 0];
    uint32_t minute = t % 86400u / 60u;
    if (day->count == 0) {
        return 1;
    }
    uint32_t n = day->count < TOU_SWITCHES ? day->count : TOU_SWITCHES;
    uint32_t rate = day->point[n - 1].rate; /* before the first point: the day's last */
    for (uint32_t i = 0; i < n; i++) {
        if (day->point[i].hour * 60u + day->point[i].minute <= minute) {
            rate = day->point[i].rate;
        }
    }
    return rate >= 1 && rate <= p->rates ? rate : 1;
}

uint32_t tou_next_change(const struct tou_params *p, uint32_t t)
{
    uint32_t midnight = (t / 86400u + 1u) * 86400u, next = midnight;
    int special;
    uint32_t d = tou_day_table(p, t, &special);
    const struct tou_day *day = &tou_table_at(p, t)->day[d < TOU_DAY_TABLES ? d : 0];
    uint32_t base = t / 86400u * 86400u;
    for (uint32_t i = 0; i < day->count && i < TOU_SWITCHES; i++) {
        uint32_t at = base + (day->point[i].hour * 60u + day->point[i].minute) * 60u;
        if (at > t && at < next) {
            next = at;
        }
    }
    if (p->passive_from > t && p->passive_from < next) {
        next = p->passive_from;
    }
    return next;
}
