package org.metertwin.core.cpu;

/**
 * A compiler bug on demand, for testing {@code exec --self-check}: the first ADD (immediate) without flags
 * that the block compiler compiles gets its immediate plus one, and so does that instruction whenever it is
 * compiled again (in the self-check's replays). The interpreter is untouched.
 */
public final class PlantedCompilerBug implements AutoCloseable {
    private volatile int plantedPc = -1;

    public PlantedCompilerBug() {
        BlockCompiler.operandHook = (pc, op, a, b) -> {
            if (plantedPc == -1 && op == Op.ADD_I && (a & ThumbDecoder.S) == 0 && (a & 15) < 13) {
                plantedPc = pc;
            }
            return pc == plantedPc && op == Op.ADD_I ? b + 1 : b;
        };
    }

    /** The address of the miscompiled instruction, -1 while none has been compiled. */
    public int plantedPc() {
        return plantedPc;
    }

    @Override
    public void close() {
        BlockCompiler.operandHook = null;
    }
}
