package org.metertwin.scenario;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One record of the metering core's event log: code and its name, kind ({@code start}, {@code end} or
 * {@code instant}), the boot it happened in and the milliseconds since that boot.
 */
@JsonPropertyOrder({"code", "name", "kind", "boot", "millis"})
public record MeterEvent(int code, String name, String kind, int boot, long millis) {
    /** From a record's fields as the firmware sends them (kind 1 start, 0 end, 2 instant). */
    public static MeterEvent of(int code, int kind, int boot, long millis) {
        String k = switch (kind) {
            case 0 -> "end";
            case 1 -> "start";
            case 2 -> "instant";
            default -> "kind" + kind;
        };
        return new MeterEvent(code, EventCode.nameOf(code), k, boot, millis);
    }

    /** An occurrence (a start or an instant event), as event expectations count them; ends are not. */
    @JsonIgnore
    public boolean isOccurrence() {
        return !kind.equals("end");
    }
}
