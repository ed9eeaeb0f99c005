package org.metertwin.peripherals.stm32;

import java.math.BigInteger;
import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.machine.MachineException;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.RegisterDevice;

/**
 * The device electronic signature of the STM32F4 (RM0090 section 39), mapped from 0x1FFF7A00: the 96-bit
 * unique device ID at offsets 0x10-0x1B (U_ID[31:0] first) and the flash size in KiB as the halfword at
 * 0x22 (F_SIZE, 0x1FFF7A22). Everything else in the window reads zero.
 */
public final class UniqueId extends RegisterDevice {
    /** A made-up but fixed default: lot, wafer and X/Y coordinates of no real chip. */
    public static final String DEFAULT_UID = "33383339 3235470B 00380024";

    public UniqueId(String name, int size, int[] uid, int flashKiB) {
        super(name, size);
        define(0x10, "U_ID0", uid[0]).field(0, 32, "U_ID", Access.R);
        define(0x14, "U_ID1", uid[1]).field(0, 32, "U_ID", Access.R);
        define(0x18, "U_ID2", uid[2]).field(0, 32, "U_ID", Access.R);
        define(0x20, "F_SIZE", flashKiB << 16).field(16, 16, "F_SIZE", Access.R);
    }

    /** Parses 24 hex digits (spaces allowed), most significant first, into U_ID words 0 (bits 31:0) to 2. */
    static int[] parse(String text) {
        String hex = text.replace(" ", "").replace("_", "");
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.length() != 24) {
            throw new IllegalArgumentException("expected 96 bits as 24 hex digits, got '" + text + "'");
        }
        BigInteger v = new BigInteger(hex, 16);
        return new int[] {v.intValue(), v.shiftRight(32).intValue(), v.shiftRight(64).intValue()};
    }

    /** {@code stm32f4-uid}; properties {@code uid} (24 hex digits) and {@code flashSize} (KiB, default 1024). */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-uid";
        }

        public String description() {
            return "STM32F4 unique device ID and flash size registers (RM0090 39)";
        }

        public Object create(DeviceContext c) throws MachineException {
            int[] uid;
            try {
                uid = parse(c.string("uid", DEFAULT_UID));
            } catch (IllegalArgumentException e) {
                throw c.error("properties.uid", e.getMessage());
            }
            long kib = c.number("flashSize", 1024);
            if (kib <= 0 || kib > 0xFFFF) {
                throw c.error("properties.flashSize", "expected the flash size in KiB (1 to 65535), got " + kib);
            }
            return new UniqueId(c.name(), c.size(), uid, (int) kib);
        }
    }
}
