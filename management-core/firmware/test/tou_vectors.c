/*
 * The time-of-use selection (rtos/apps/basic/tou.c) over two calendar years, minute by minute: one line per
 * change of rate or day table, "2026-05-01 00:00 wd5 day2 special rate4". TouVectorsTest compares it with
 * its own reading of the rules on java.time's calendar, and build.sh records QEMU's output for the same ELF.
 * The table: four rates (1 sharp, 2 peak, 3 flat, 4 valley), a summer season from 1 May and a winter one
 * from 1 October, workdays and weekends, four holidays (three every year, one in 2026 only), and a passive
 * table activated on 2026-07-01 00:00 that moves summer's sharp hours. The last line counts the changes
 * and checks that each came at an instant tou_next_change announced.
 */
#include "console.h"
#include "../rtos/apps/basic/tou.h"

#define SW(h, m, r) {(h), (m), (r)}

static const struct tou_params P = {
    .rates = 4,
    .specials = 4,
    .active = {
        .seasons = 2, .weeks = 2, .days = 3,
        .season = {{5, 1, 0}, {10, 1, 1}},
        .week = {{0, 0, 0, 0, 0, 2, 2}, {1, 1, 1, 1, 1, 2, 2}},
        .day = {
            {7, {SW(0, 0, 4), SW(8, 0, 3), SW(10, 0, 2), SW(11, 0, 1), SW(13, 0, 2), SW(19, 30, 1), SW(22, 0, 4)}},
            {6, {SW(0, 0, 4), SW(7, 30, 3), SW(9, 0, 2), SW(18, 0, 1), SW(20, 0, 2), SW(22, 30, 4)}},
            {3, {SW(8, 0, 3), SW(22, 0, 4), SW(23, 59, 4)}}, /* before 08:00: the day's last point */
        },
    },
    .passive = {
        .seasons = 2, .weeks = 2, .days = 3,
        .season = {{5, 1, 0}, {10, 1, 1}},
        .week = {{0, 0, 0, 0, 0, 2, 2}, {1, 1, 1, 1, 1, 2, 2}},
        .day = {
            {6, {SW(0, 0, 4), SW(8, 0, 3), SW(10, 0, 2), SW(14, 0, 1), SW(16, 45, 2), SW(22, 0, 4)}},
            {6, {SW(0, 0, 4), SW(7, 30, 3), SW(9, 0, 2), SW(18, 0, 1), SW(20, 0, 2), SW(22, 30, 4)}},
            {3, {SW(8, 0, 3), SW(22, 0, 4), SW(23, 59, 4)}},
        },
    },
    .passive_from = 0, /* set in main: 2026-07-01 00:00 */
    .special = {{TOU_EVERY_YEAR, 1, 1, 2}, {TOU_EVERY_YEAR, 5, 1, 2}, {TOU_EVERY_YEAR, 10, 1, 2}, {26, 2, 17, 2}},
};

static void two(uint32_t v)
{
    char s[3] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10), 0};
    console_write(s);
}

int main(void)
{
    struct tou_params p = P;
    p.passive_from = tou_days(2026, 7, 1) * 86400u;
    console_write("management tou vectors\n");
    uint32_t from = tou_days(2026, 1, 1) * 86400u, to = tou_days(2028, 1, 1) * 86400u;
    uint32_t last_rate = 0, last_day = 99, changes = 0, unannounced = 0, announced = from;
    for (uint32_t t = from; t < to; t += 60) {
        int special;
        uint32_t day = tou_day_table(&p, t, &special), rate = tou_rate(&p, t);
        if (rate != last_rate || day != last_day) {
            if (t != from && rate != last_rate && t != announced) {
                unannounced++;
            }
            uint32_t y, m, d;
            tou_date(t / 86400u, &y, &m, &d);
            console_unsigned(y);
            console_write("-");
            two(m);
            console_write("-");
            two(d);
            console_write(" ");
            two(t % 86400u / 3600u);
            console_write(":");
            two(t % 3600u / 60u);
            console_write(" wd");
            console_unsigned(tou_weekday(t / 86400u));
            console_write(" day");
            console_unsigned(day);
            console_write(special ? " special rate" : " rate");
            console_unsigned(rate);
            console_write("\n");
            changes++;
            last_rate = rate;
            last_day = day;
        }
        if (t >= announced) {
            announced = tou_next_change(&p, t);
        }
    }
    console_write("changes ");
    console_unsigned(changes);
    console_write(", unannounced ");
    console_unsigned(unannounced);
    console_write("\n");
    finish(unannounced == 0 ? 0 : 1);
}
