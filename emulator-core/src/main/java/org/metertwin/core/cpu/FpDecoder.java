package org.metertwin.core.cpu;

/** Decodes FPv4-SP instructions (ARMv7-M ARM chapter A6). */
final class FpDecoder {
    private FpDecoder() {
    }

    static void decode(ThumbDecoder d, int hw1, int hw2) {
        d.result(Op.UNDEFINED, 0, 0);
    }
}
