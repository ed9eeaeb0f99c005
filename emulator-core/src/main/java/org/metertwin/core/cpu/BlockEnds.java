package org.metertwin.core.cpu;

/**
 * Where a basic block ends and what a branch costs, defined once for the block builder, the interpreter and
 * the block compiler (which must agree on both, or compiled and interpreted runs count different cycles).
 */
final class BlockEnds {
    /** A taken branch: 1 + P cycles with the pipeline refill P = 2 (Cortex-M4 TRM 3.3.1); this is the extra. */
    static final int TAKEN_BRANCH_CYCLES = 2;

    private BlockEnds() {
    }

    /**
     * Ends a block: anything that may change the PC or the execution state (branches, loads to the PC,
     * SVC, BKPT, IT, CPS, MSR, WFI/WFE, UNDEFINED, NOCP).
     */
    static boolean endsBlock(int op, int a, int b) {
        switch (op) {
            case Op.B, Op.B_COND, Op.BL, Op.BX, Op.BLX, Op.CBZ, Op.CBNZ, Op.TBB, Op.TBH, Op.ALU_WRITE_PC,
                    Op.SVC, Op.BKPT, Op.IT, Op.CPS, Op.MSR, Op.WFI, Op.WFE, Op.UNDEFINED, Op.NOCP:
                return true;
            case Op.LDM, Op.LDMDB:
                return (b & 0x8000) != 0;
            case Op.LDR_I, Op.LDR_R, Op.LDRT:
                return (a & 15) == 15;
            default:
                return false;
        }
    }

    /**
     * Of the block-ending operations the compiler handles, those that always leave by a branch, so no
     * fall-through exit follows them in compiled code.
     */
    static boolean leavesByBranch(int op, int b) {
        return switch (op) {
            case Op.B, Op.BL, Op.B_COND, Op.CBZ, Op.CBNZ, Op.BX, Op.BLX -> true;
            case Op.LDM, Op.LDMDB -> (b & 0x8000) != 0;
            default -> false;
        };
    }
}
