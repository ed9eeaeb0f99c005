package org.metertwin.scenario;

/** The metering core's event codes (docs/virtual-bus.md, "Status and events"), by the names scenarios use. */
public enum EventCode {
    POWER_DOWN(0x01, "powerDown"),
    POWER_UP(0x02, "powerUp"),
    VOLTAGE_SAG(0x10, "voltageSag"),
    VOLTAGE_SWELL(0x11, "voltageSwell"),
    LOSS_OF_VOLTAGE(0x12, "lossOfVoltage"),
    REVERSE_POWER(0x13, "reversePower"),
    CURRENT_MISMATCH(0x14, "currentMismatch"),
    CALIBRATION_DEFAULTS(0x20, "calibrationDefaults"),
    CALIBRATION_WRITTEN(0x21, "calibrationWritten"),
    IMAGE_CRC_FAILED(0x30, "imageCrcFailed");

    public final int code;
    public final String scenarioName;

    EventCode(int code, String scenarioName) {
        this.code = code;
        this.scenarioName = scenarioName;
    }

    public static EventCode byName(String name) {
        for (EventCode e : values()) {
            if (e.scenarioName.equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The scenario name of {@code code}, or {@code code0xNN} for a code this runner does not know. */
    public static String nameOf(int code) {
        for (EventCode e : values()) {
            if (e.code == code) {
                return e.scenarioName;
            }
        }
        return String.format("code0x%02X", code);
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (EventCode e : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.scenarioName);
        }
        return sb.toString();
    }
}
