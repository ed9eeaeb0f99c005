package org.metertwin.peripherals.stm32;

import org.metertwin.core.machine.DeviceContext;
import org.metertwin.core.machine.DeviceType;
import org.metertwin.core.registers.Access;
import org.metertwin.core.registers.Register;
import org.metertwin.core.registers.RegisterDevice;

/**
 * STM32F4 CRC calculation unit (RM0090 section 4): CRC-32 with the Ethernet polynomial 0x04C11DB7, each
 * 32-bit word written to DR fed most significant bit first, no reflection and no final XOR; CR.RESET puts
 * DR back to 0xFFFFFFFF. The unit takes whole words only (RM0090 4.3): a byte or halfword write feeds
 * the word it forms in its lane.
 */
public final class Crc extends RegisterDevice {
    public static final int POLYNOMIAL = 0x04C11DB7;

    private final Register dr;

    public Crc(String name, int size) {
        super(name, size);
        dr = define(0x00, "DR", 0xFFFF_FFFF).field(0, 32, "DR", Access.RW)
                .onWrite((w, previous) -> feed(previous, w));
        define(0x04, "IDR", 0).field(0, 8, "IDR", Access.RW);
        define(0x08, "CR", 0).bit(0, "RESET", Access.W).onWrite((w, p) -> {
            if ((w & 1) != 0) {
                dr.set(0xFFFF_FFFF); // RESET resets DR only, not IDR (RM0090 4.4.3)
            }
        });
    }

    /** One 32-bit word into the CRC, MSB first. */
    static int update(int crc, int word) {
        crc ^= word;
        for (int i = 0; i < 32; i++) {
            crc = crc < 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
        }
        return crc;
    }

    private void feed(int previous, int word) {
        dr.set(update(previous, word));
    }

    /** {@code stm32f4-crc}. */
    public static final class Type implements DeviceType {
        public String type() {
            return "stm32f4-crc";
        }

        public String description() {
            return "STM32F4 CRC calculation unit (RM0090 4): CRC-32 0x04C11DB7 over 32-bit words";
        }

        public Object create(DeviceContext c) {
            return new Crc(c.name(), c.size());
        }
    }
}
