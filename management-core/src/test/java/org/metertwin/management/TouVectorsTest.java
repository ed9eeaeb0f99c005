package org.metertwin.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metertwin.core.machine.ExecOptions;

/**
 * The basic application's time-of-use selection (firmware/rtos/apps/basic/tou.c) over 2026 and 2027, minute
 * by minute, run on the emulated management board (firmware/test/tou_vectors.c). Its output must be QEMU's
 * for the same ELF byte for byte (tou_vectors.out, recorded by build.sh on QEMU's netduinoplus2), and each
 * line must be what the rules of docs/basic-application.md give on java.time's calendar for the same table:
 * a holiday before the seasons, the season with the latest start on or before the date (before the first,
 * the last one), its week profile's day table for the weekday, the last switch point at or before the time
 * (before the first, the day's last), the passive table from its activation on.
 */
class TouVectorsTest {
    record Point(int hour, int minute, int rate) {
    }

    /** The table of tou_vectors.c, written out again from its comment and initialisers. */
    static final List<List<Point>> ACTIVE_DAYS = List.of(
            List.of(p(0, 0, 4), p(8, 0, 3), p(10, 0, 2), p(11, 0, 1), p(13, 0, 2), p(19, 30, 1), p(22, 0, 4)),
            List.of(p(0, 0, 4), p(7, 30, 3), p(9, 0, 2), p(18, 0, 1), p(20, 0, 2), p(22, 30, 4)),
            List.of(p(8, 0, 3), p(22, 0, 4), p(23, 59, 4)));
    static final List<List<Point>> PASSIVE_DAYS = List.of(
            List.of(p(0, 0, 4), p(8, 0, 3), p(10, 0, 2), p(14, 0, 1), p(16, 45, 2), p(22, 0, 4)),
            ACTIVE_DAYS.get(1), ACTIVE_DAYS.get(2));
    /** Season start -> week profile; week profile -> day table per weekday, Monday first. */
    static final Map<MonthDay, Integer> SEASONS = Map.of(MonthDay.of(5, 1), 0, MonthDay.of(10, 1), 1);
    static final int[][] WEEKS = {{0, 0, 0, 0, 0, 2, 2}, {1, 1, 1, 1, 1, 2, 2}};
    static final List<MonthDay> EVERY_YEAR = List.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(10, 1));
    static final LocalDate ONCE = LocalDate.of(2026, 2, 17);
    static final int HOLIDAY_TABLE = 2;
    static final LocalDateTime PASSIVE_FROM = LocalDateTime.of(2026, 7, 1, 0, 0);

    static Point p(int h, int m, int r) {
        return new Point(h, m, r);
    }

    static boolean special(LocalDate d) {
        return d.equals(ONCE) || EVERY_YEAR.contains(MonthDay.from(d));
    }

    static int dayTable(LocalDate d) {
        if (special(d)) {
            return HOLIDAY_TABLE;
        }
        MonthDay today = MonthDay.from(d);
        MonthDay best = null, last = null;
        for (MonthDay start : SEASONS.keySet()) {
            if (!start.isAfter(today) && (best == null || start.isAfter(best))) {
                best = start;
            }
            if (last == null || start.isAfter(last)) {
                last = start;
            }
        }
        int week = SEASONS.get(best != null ? best : last);
        return WEEKS[week][d.getDayOfWeek().getValue() - 1];
    }

    static int rate(LocalDateTime t) {
        List<Point> day = (t.isBefore(PASSIVE_FROM) ? ACTIVE_DAYS : PASSIVE_DAYS).get(dayTable(t.toLocalDate()));
        int minute = t.getHour() * 60 + t.getMinute();
        int rate = day.get(day.size() - 1).rate();
        for (Point p : day) {
            if (p.hour() * 60 + p.minute() <= minute) {
                rate = p.rate();
            }
        }
        return rate;
    }

    static List<String> expected() {
        List<String> out = new ArrayList<>();
        out.add("management tou vectors");
        int lastRate = 0, lastDay = 99;
        for (LocalDateTime t = LocalDateTime.of(2026, 1, 1, 0, 0); t.getYear() < 2028; t = t.plusMinutes(1)) {
            int day = dayTable(t.toLocalDate()), rate = rate(t);
            if (rate != lastRate || day != lastDay) {
                out.add(String.format("%04d-%02d-%02d %02d:%02d wd%d day%d %srate%d", t.getYear(), t.getMonthValue(),
                        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getDayOfWeek().getValue(), day,
                        special(t.toLocalDate()) ? "special " : "", rate));
                lastRate = rate;
                lastDay = day;
            }
        }
        out.add("changes " + (out.size() - 1) + ", unannounced 0");
        return out;
    }

    @Test
    void theBoardPrintsWhatQemuPrintsAndWhatTheRulesGiveOnTheCalendar() throws Exception {
        FirmwareRun run = FirmwareRun.on("management", "tou_vectors.elf", ExecOptions.CodeMode.DEFAULT);
        String qemu = Files.readString(FirmwareRun.DIR.resolve("tou_vectors.out"), StandardCharsets.ISO_8859_1);
        assertThat(run.output()).as(run.result().message()).isEqualTo(qemu);
        assertThat(run.result().exitStatus()).isZero();
        List<String> lines = run.output().lines().toList();
        assertThat(lines).containsExactlyElementsOf(expected());
        // the cases the table was made for
        assertThat(lines).contains("2026-02-17 08:00 wd2 day2 special rate3", // a holiday of 2026 only
                "2026-05-01 00:00 wd5 day2 special rate4",                     // a holiday on the season switch
                "2026-07-01 14:00 wd3 day0 rate1",                             // the passive table's sharp hours
                "2027-02-17 07:30 wd3 day1 rate3");                            // ... and not a holiday in 2027
        assertThat(lines.size()).isGreaterThan(3000);
    }
}
