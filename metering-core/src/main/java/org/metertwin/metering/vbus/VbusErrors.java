package org.metertwin.metering.vbus;

/** The error byte of an error reply (docs/virtual-bus.md, "Control word"). */
public final class VbusErrors {
    public static final int OTHER = 0x01;
    public static final int NO_SUCH_DATA = 0x02;
    public static final int NOT_AUTHORISED = 0x04;
    public static final int BAD_VALUE = 0x08;
    public static final int BUSY = 0x10;

    private VbusErrors() {
    }

    public static String describe(int code) {
        return switch (code) {
            case OTHER -> "other error";
            case NO_SUCH_DATA -> "no such data identifier";
            case NOT_AUTHORISED -> "not authorised";
            case BAD_VALUE -> "bad length or value";
            case BUSY -> "busy";
            default -> "unknown error";
        };
    }
}
