package org.metertwin.core.cpu;

/**
 * Decoded operation numbers. The decoder turns each Thumb instruction into one of these plus two operand
 * words (see {@link Decoded}); the executor's switch is dense over these values so that it compiles to a
 * table switch.
 */
final class Op {
    private Op() {
    }

    static final int UNDEFINED = 0;
    // data processing, immediate operand in b
    static final int AND_I = 1, BIC_I = 2, ORR_I = 3, ORN_I = 4, EOR_I = 5, ADD_I = 6, ADC_I = 7, SUB_I = 8,
            SBC_I = 9, RSB_I = 10, MOV_I = 11, MVN_I = 12, TST_I = 13, TEQ_I = 14, CMP_I = 15, CMN_I = 16;
    // data processing, register operand shifted by a constant
    static final int AND_R = 17, BIC_R = 18, ORR_R = 19, ORN_R = 20, EOR_R = 21, ADD_R = 22, ADC_R = 23,
            SUB_R = 24, SBC_R = 25, RSB_R = 26, MOV_R = 27, MVN_R = 28, TST_R = 29, TEQ_R = 30, CMP_R = 31,
            CMN_R = 32;
    // shift by register
    static final int LSL_RR = 33, LSR_RR = 34, ASR_RR = 35, ROR_RR = 36;
    // multiply and divide
    static final int MUL = 37, MLA = 38, MLS = 39, UMULL = 40, SMULL = 41, UMLAL = 42, SMLAL = 43, UMAAL = 44,
            SDIV = 45, UDIV = 46;
    // branches
    static final int B = 47, B_COND = 48, BL = 49, BX = 50, BLX = 51, CBZ = 52, CBNZ = 53, TBB = 54, TBH = 55,
            ALU_WRITE_PC = 56;
    // single loads and stores: rt in rd field; b = signed offset; P (index) and W (writeback) flags in a
    static final int LDR_I = 57, LDRB_I = 58, LDRH_I = 59, LDRSB_I = 60, LDRSH_I = 61, STR_I = 62, STRB_I = 63,
            STRH_I = 64;
    // single loads and stores, register offset: address = Rn + (Rm << shift)
    static final int LDR_R = 65, LDRB_R = 66, LDRH_R = 67, LDRSB_R = 68, LDRSH_R = 69, STR_R = 70, STRB_R = 71,
            STRH_R = 72;
    static final int LDR_LIT = 73, LDRD = 74, STRD = 75, LDM = 76, LDMDB = 77, STM = 78, STMDB = 79;
    static final int LDREX = 80, LDREXB = 81, LDREXH = 82, STREX = 83, STREXB = 84, STREXH = 85, CLREX = 86;
    // miscellaneous
    static final int NOP = 87, IT = 88, SVC = 89, BKPT = 90, CPS = 91, MSR = 92, MRS = 93, WFI = 94, WFE = 95,
            SEV = 96, MOVT = 97;
    static final int SXTB = 98, SXTH = 99, UXTB = 100, UXTH = 101, SXTAB = 102, SXTAH = 103, UXTAB = 104,
            UXTAH = 105, SXTB16 = 106, UXTB16 = 107, SXTAB16 = 108, UXTAB16 = 109;
    static final int REV = 110, REV16 = 111, REVSH = 112, RBIT = 113, CLZ = 114;
    static final int BFI = 115, BFC = 116, SBFX = 117, UBFX = 118, SSAT = 119, USAT = 120, SSAT16 = 121,
            USAT16 = 122;
    // DSP extension
    static final int PARALLEL = 123, QADD = 124, QSUB = 125, QDADD = 126, QDSUB = 127, SEL = 128, USAD8 = 129,
            USADA8 = 130, PKHBT = 131, PKHTB = 132, SMLAXY = 133, SMLAWY = 134, SMLAD = 135, SMLSD = 136,
            SMMLA = 137, SMMLS = 138, SMLALXY = 139, SMLALD = 140, SMLSLD = 141;
    // unprivileged loads/stores (LDRT family): like _I with offset, no writeback, user privilege
    static final int LDRT = 142, LDRBT = 143, LDRHT = 144, LDRSBT = 145, LDRSHT = 146, STRT = 147, STRBT = 148,
            STRHT = 149;
    // floating point (FPv4-SP)
    static final int VFP_DP = 150, VLDR = 151, VSTR = 152, VLDM = 153, VSTM = 154, VMOV_CORE_S = 155,
            VMOV_S_CORE = 156, VMOV_2CORE_2S = 157, VMOV_2S_2CORE = 158, VMRS = 159, VMSR = 160,
            VMOV_IMM = 161, VMOV_REG = 162;
    /** Not an instruction: a debugger's breakpoint in the decode cache (see DebugControl). */
    static final int DEBUG_BREAK = 163;
    /** A coprocessor instruction for a coprocessor other than CP10/CP11: UsageFault NOCP. */
    static final int NOCP = 164;
    static final int COUNT = 165;
}
