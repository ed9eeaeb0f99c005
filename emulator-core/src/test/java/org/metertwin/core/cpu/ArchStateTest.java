package org.metertwin.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/** The names generated code uses for the architectural state are those of {@link ArchState}'s fields. */
class ArchStateTest {
    @Test
    void everyFieldTheCompilerNamesExistsWithItsType() throws ReflectiveOperationException {
        assertEquals(ArchState.class.getName().replace('.', '/'), ArchState.Field.OWNER);
        for (ArchState.Field f : ArchState.Field.values()) {
            java.lang.reflect.Field field = ArchState.class.getDeclaredField(f.fieldName);
            assertEquals(Type.getDescriptor(field.getType()), f.descriptor, f.name());
        }
    }

    @Test
    void xpsrPacksApsrIpsrAndEpsr() {
        ArchState s = new ArchState();
        s.setApsr(0xF80F0000);
        s.ipsr = 11;
        s.itState = 0b1010_0110; // IT[1:0] = 10 in xPSR[26:25], IT[7:2] = 101001 in xPSR[15:10]
        assertEquals(0xF80F0000 | 11 | 1 << 24 | 0b10 << 25 | 0b101001 << 10, s.xpsr());
        assertEquals(0xF80F0000, s.apsr());
    }

    @Test
    void stackPointersAreBankedByModeAndSpsel() {
        ArchState s = new ArchState();
        s.r[13] = 0x2000_1000; // MSP active
        s.setPsp(0x2000_0803);
        assertEquals(0x2000_0800, s.psp());
        boolean was = s.usingPsp();
        s.control = 2; // SPSEL in thread mode
        s.switchStack(was);
        assertEquals(0x2000_0800, s.r[13]);
        assertEquals(0x2000_1000, s.msp());
        was = s.usingPsp();
        s.ipsr = 15; // handler mode runs on the MSP whatever SPSEL says
        s.switchStack(was);
        assertEquals(0x2000_1000, s.r[13]);
    }
}
