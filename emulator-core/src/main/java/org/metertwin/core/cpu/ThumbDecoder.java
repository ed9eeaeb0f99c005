package org.metertwin.core.cpu;

import static org.metertwin.core.cpu.Op.*;

/**
 * Decodes one Thumb instruction (16- or 32-bit, ARMv7-M ARM chapter A5 and A6) into an operation number
 * and two operand words. The layout of operand word {@code a}:
 * <pre>
 *  bits  0-3  Rd / Rt          bits 16     S (set flags)
 *  bits  4-7  Rn               bits 17-18  shift type (LSL, LSR, ASR, ROR; ROR #0 means RRX)
 *  bits  8-11 Rm               bit  19     32-bit instruction
 *  bits 12-15 Ra / Rt2 / RdHi  bits 20-23  flags: P, W, ... (per operation)
 *  bits 24-29 shift amount or another small field;  bits 30-31 per operation
 * </pre>
 * Operand word {@code b} holds an immediate, an offset, a branch target or a register list.
 * Anything the ARM ARM calls UNDEFINED decodes to {@link Op#UNDEFINED}; the executor raises a UsageFault.
 * The decoder runs once per address (results are cached), so clarity matters more than speed here.
 */
final class ThumbDecoder {
    static final int S = 1 << 16, W32 = 1 << 19, P = 1 << 20, WB = 1 << 21, F22 = 1 << 22;
    static final int SHIFT_POS = 24, TYPE_POS = 17;

    int op, a, b;

    private void set(int op, int a, int b) {
        this.op = op;
        this.a = a;
        this.b = b;
    }

    private static int regs(int rd, int rn, int rm) {
        return rd | rn << 4 | rm << 8;
    }

    /** SP or PC: registers most Thumb-2 encodings make UNPREDICTABLE as operands. */
    private static boolean bad(int r) {
        return r == 13 || r == 15;
    }

    static boolean is32(int hw1) {
        return (hw1 & 0xF800) >= 0xE800;
    }

    /** Decodes the instruction at {@code pc}; {@code inIt} tells whether it sits inside an IT block. */
    void decode(int pc, int hw1, int hw2, boolean inIt) {
        if (is32(hw1)) {
            decode32(pc, hw1, hw2);
            a |= W32;
        } else {
            decode16(pc, hw1, inIt);
        }
    }

    // =================================================================== 16-bit (A5.2)

    private void decode16(int pc, int hw, boolean inIt) {
        int setFlags = inIt ? 0 : S;
        int lo0 = hw & 7, lo3 = (hw >> 3) & 7, lo6 = (hw >> 6) & 7, lo8 = (hw >> 8) & 7;
        switch (hw >>> 12) {
            case 0, 1 -> {
                int imm5 = (hw >> 6) & 31;
                switch ((hw >> 11) & 3) {
                    case 0 -> set(MOV_R, regs(lo0, 0, lo3) | setFlags | imm5 << SHIFT_POS, 0); // LSL #imm (MOV when 0)
                    case 1 -> set(MOV_R, regs(lo0, 0, lo3) | setFlags | 1 << TYPE_POS | (imm5 == 0 ? 32 : imm5) << SHIFT_POS, 0);
                    case 2 -> set(MOV_R, regs(lo0, 0, lo3) | setFlags | 2 << TYPE_POS | (imm5 == 0 ? 32 : imm5) << SHIFT_POS, 0);
                    default -> {
                        switch ((hw >> 9) & 3) {
                            case 0 -> set(ADD_R, regs(lo0, lo3, lo6) | setFlags, 0);
                            case 1 -> set(SUB_R, regs(lo0, lo3, lo6) | setFlags, 0);
                            case 2 -> set(ADD_I, regs(lo0, lo3, 0) | setFlags, lo6);
                            default -> set(SUB_I, regs(lo0, lo3, 0) | setFlags, lo6);
                        }
                    }
                }
            }
            case 2, 3 -> {
                int imm8 = hw & 0xFF;
                switch ((hw >> 11) & 3) {
                    case 0 -> set(MOV_I, regs(lo8, 0, 0) | setFlags, imm8);
                    case 1 -> set(CMP_I, regs(0, lo8, 0) | S, imm8);
                    case 2 -> set(ADD_I, regs(lo8, lo8, 0) | setFlags, imm8);
                    default -> set(SUB_I, regs(lo8, lo8, 0) | setFlags, imm8);
                }
            }
            case 4 -> {
                if ((hw & 0x0800) != 0) { // LDR (literal)
                    set(LDR_LIT, lo8, ((pc + 4) & ~3) + (hw & 0xFF) * 4);
                } else if ((hw & 0x0400) == 0) {
                    dataProcessing16(hw, lo0, lo3, setFlags);
                } else {
                    specialDataAndBranch16(hw);
                }
            }
            case 5 -> {
                int[] ops = {STR_R, STRH_R, STRB_R, LDRSB_R, LDR_R, LDRH_R, LDRB_R, LDRSH_R};
                set(ops[(hw >> 9) & 7], regs(lo0, lo3, lo6) | P, 0);
            }
            case 6 -> set((hw & 0x800) != 0 ? LDR_I : STR_I, regs(lo0, lo3, 0) | P, ((hw >> 6) & 31) * 4);
            case 7 -> set((hw & 0x800) != 0 ? LDRB_I : STRB_I, regs(lo0, lo3, 0) | P, (hw >> 6) & 31);
            case 8 -> set((hw & 0x800) != 0 ? LDRH_I : STRH_I, regs(lo0, lo3, 0) | P, ((hw >> 6) & 31) * 2);
            case 9 -> set((hw & 0x800) != 0 ? LDR_I : STR_I, regs(lo8, 13, 0) | P, (hw & 0xFF) * 4);
            case 10 -> {
                if ((hw & 0x800) == 0) { // ADR: the address is known now
                    set(MOV_I, lo8, ((pc + 4) & ~3) + (hw & 0xFF) * 4);
                } else {
                    set(ADD_I, regs(lo8, 13, 0), (hw & 0xFF) * 4);
                }
            }
            case 11 -> misc16(pc, hw, lo0, lo3);
            case 12 -> {
                int list = hw & 0xFF;
                if ((hw & 0x800) == 0) {
                    set(list == 0 ? UNDEFINED : STM, regs(0, lo8, 0) | WB, list);
                } else { // writeback unless the base is in the list
                    set(list == 0 ? UNDEFINED : LDM, regs(0, lo8, 0) | ((list >> lo8 & 1) == 0 ? WB : 0), list);
                }
            }
            case 13 -> {
                int cond = (hw >> 8) & 15;
                if (cond == 15) {
                    set(SVC, 0, hw & 0xFF);
                } else if (cond == 14) {
                    set(UNDEFINED, 0, 0); // UDF
                } else {
                    set(B_COND, cond << 20, pc + 4 + ((byte) hw) * 2);
                }
            }
            case 14 -> set(B, 0, pc + 4 + ((hw << 21) >> 20));
            default -> set(UNDEFINED, 0, 0);
        }
    }

    private void dataProcessing16(int hw, int rdn, int rm, int setFlags) {
        int r = regs(rdn, rdn, rm) | setFlags;
        switch ((hw >> 6) & 15) {
            case 0 -> set(AND_R, r, 0);
            case 1 -> set(EOR_R, r, 0);
            case 2 -> set(LSL_RR, r, 0);
            case 3 -> set(LSR_RR, r, 0);
            case 4 -> set(ASR_RR, r, 0);
            case 5 -> set(ADC_R, r, 0);
            case 6 -> set(SBC_R, r, 0);
            case 7 -> set(ROR_RR, r, 0);
            case 8 -> set(TST_R, regs(0, rdn, rm) | S, 0);
            case 9 -> set(RSB_I, regs(rdn, rm, 0) | setFlags, 0); // NEG: RSBS Rd, Rm, #0
            case 10 -> set(CMP_R, regs(0, rdn, rm) | S, 0);
            case 11 -> set(CMN_R, regs(0, rdn, rm) | S, 0);
            case 12 -> set(ORR_R, r, 0);
            case 13 -> set(MUL, regs(rdn, rm, rdn) | setFlags, 0);
            case 14 -> set(BIC_R, r, 0);
            default -> set(MVN_R, regs(rdn, 0, rm) | setFlags, 0);
        }
    }

    private void specialDataAndBranch16(int hw) {
        int rdn = (hw & 7) | ((hw >> 4) & 8), rm = (hw >> 3) & 15;
        switch ((hw >> 8) & 3) {
            case 0 -> {
                if (rdn == 15) {
                    set(ALU_WRITE_PC, regs(15, 15, rm), 0); // ADD PC, Rm
                } else {
                    set(ADD_R, regs(rdn, rdn, rm), 0);
                }
            }
            case 1 -> set(rdn < 8 && rm < 8 ? UNDEFINED : CMP_R, regs(0, rdn, rm) | S, 0);
            case 2 -> {
                if (rdn == 15) {
                    set(ALU_WRITE_PC, regs(15, 15, rm) | F22, 0); // MOV PC, Rm
                } else {
                    set(MOV_R, regs(rdn, 0, rm), 0);
                }
            }
            default -> {
                if ((hw & 7) != 0) {
                    set(UNDEFINED, 0, 0);
                } else {
                    set((hw & 0x80) != 0 ? BLX : BX, regs(0, 0, rm), 0);
                }
            }
        }
    }

    private void misc16(int pc, int hw, int lo0, int lo3) {
        switch ((hw >> 8) & 15) {
            case 0 -> set((hw & 0x80) == 0 ? ADD_I : SUB_I, regs(13, 13, 0), (hw & 0x7F) * 4);
            case 1, 3, 9, 11 -> {
                int target = pc + 4 + ((((hw >> 9) & 1) << 6) | (((hw >> 3) & 31) << 1));
                set((hw & 0x800) != 0 ? CBNZ : CBZ, regs(0, lo0, 0), target);
            }
            case 2 -> {
                int[] ops = {SXTH, SXTB, UXTH, UXTB};
                set(ops[(hw >> 6) & 3], regs(lo0, 0, lo3), 0);
            }
            case 4, 5 -> {
                int list = (hw & 0xFF) | ((hw & 0x100) << 6); // M bit = LR
                set(list == 0 ? UNDEFINED : STMDB, regs(0, 13, 0) | WB, list);
            }
            case 6 -> {
                if ((hw & 0xFFEC) == 0xB660) { // CPS: im in bit 4, I bit 1, F bit 0
                    set(CPS, (hw >> 4) & 1, hw & 3);
                } else {
                    set(UNDEFINED, 0, 0);
                }
            }
            case 10 -> {
                switch ((hw >> 6) & 3) {
                    case 0 -> set(REV, regs(lo0, 0, lo3), 0);
                    case 1 -> set(REV16, regs(lo0, 0, lo3), 0);
                    case 3 -> set(REVSH, regs(lo0, 0, lo3), 0);
                    default -> set(UNDEFINED, 0, 0);
                }
            }
            case 12, 13 -> {
                int list = (hw & 0xFF) | ((hw & 0x100) << 7); // P bit = PC
                set(list == 0 ? UNDEFINED : LDM, regs(0, 13, 0) | WB, list);
            }
            case 14 -> set(BKPT, 0, hw & 0xFF);
            case 15 -> {
                if ((hw & 0xF) != 0) {
                    int firstCond = (hw >> 4) & 15;
                    set(firstCond == 15 || (firstCond == 14 && Integer.bitCount(hw & 0xF) != 1) ? UNDEFINED : IT, 0, hw & 0xFF);
                } else {
                    hint((hw >> 4) & 15);
                }
            }
            default -> set(UNDEFINED, 0, 0);
        }
    }

    private void hint(int op) {
        switch (op) {
            case 2 -> set(WFE, 0, 0);
            case 3 -> set(WFI, 0, 0);
            case 4 -> set(SEV, 0, 0);
            default -> set(NOP, 0, 0); // NOP, YIELD and unallocated hints execute as NOP
        }
    }

    // =================================================================== 32-bit (A5.3)

    private void decode32(int pc, int hw1, int hw2) {
        int op1 = (hw1 >> 11) & 3, op2 = (hw1 >> 4) & 0x7F;
        if (op1 == 1) {
            if ((op2 & 0x64) == 0) {
                loadStoreMultiple(hw1, hw2);
            } else if ((op2 & 0x64) == 4) {
                loadStoreDualExclusive(pc, hw1, hw2);
            } else if ((op2 & 0x60) == 0x20) {
                dataProcessingShiftedRegister(hw1, hw2);
            } else {
                coprocessor(hw1, hw2);
            }
        } else if (op1 == 2) {
            if ((hw2 & 0x8000) == 0) {
                if ((op2 & 0x20) == 0) {
                    dataProcessingModifiedImmediate(hw1, hw2);
                } else {
                    dataProcessingPlainImmediate(pc, hw1, hw2);
                }
            } else {
                branchesAndMiscControl(pc, hw1, hw2);
            }
        } else {
            if ((op2 & 0x71) == 0) {
                loadStoreSingle(pc, hw1, hw2);
            } else if ((op2 & 0x67) == 1 || (op2 & 0x67) == 3 || (op2 & 0x67) == 5) {
                loadStoreSingle(pc, hw1, hw2);
            } else if ((op2 & 0x67) == 7) {
                set(UNDEFINED, 0, 0);
            } else if ((op2 & 0x70) == 0x20) {
                dataProcessingRegister(hw1, hw2);
            } else if ((op2 & 0x78) == 0x30) {
                multiplyAccumulate(hw1, hw2);
            } else if ((op2 & 0x78) == 0x38) {
                longMultiplyDivide(hw1, hw2);
            } else if ((op2 & 0x40) != 0) {
                coprocessor(hw1, hw2);
            } else {
                set(UNDEFINED, 0, 0);
            }
        }
    }

    /** ThumbExpandImm_C: the 32-bit value, or -1 in {@code carryOut} when the carry is unchanged. */
    private int expandCarry;

    private int thumbExpandImm(int imm12) {
        expandCarry = -1;
        if ((imm12 >> 10) == 0) {
            int imm8 = imm12 & 0xFF;
            return switch ((imm12 >> 8) & 3) {
                case 0 -> imm8;
                case 1 -> imm8 << 16 | imm8;
                case 2 -> imm8 << 24 | imm8 << 8;
                default -> imm8 << 24 | imm8 << 16 | imm8 << 8 | imm8;
            };
        }
        int value = Integer.rotateRight(0x80 | (imm12 & 0x7F), imm12 >> 7);
        expandCarry = value >>> 31;
        return value;
    }

    private void dataProcessingModifiedImmediate(int hw1, int hw2) {
        int op = (hw1 >> 5) & 15, s = (hw1 >> 4) & 1, rn = hw1 & 15, rd = (hw2 >> 8) & 15;
        int imm12 = ((hw1 >> 10) & 1) << 11 | ((hw2 >> 12) & 7) << 8 | (hw2 & 0xFF);
        // A replicated pattern with imm8 == 0 is UNPREDICTABLE; like QEMU, it simply gives 0.
        int imm = thumbExpandImm(imm12);
        int carry = expandCarry < 0 ? 0 : (P | expandCarry << 21); // P: carry defined; bit 21: its value
        int flags = s != 0 ? S : 0;
        int r = regs(rd, rn, 0) | flags | carry;
        boolean test = rd == 15 && s != 0;
        switch (op) {
            case 0 -> set(test ? TST_I : AND_I, r, imm);
            case 1 -> set(BIC_I, r, imm);
            case 2 -> set(rn == 15 ? MOV_I : ORR_I, r, imm);
            case 3 -> set(rn == 15 ? MVN_I : ORN_I, r, imm);
            case 4 -> set(test ? TEQ_I : EOR_I, r, imm);
            case 8 -> set(test ? CMN_I : ADD_I, r, imm);
            case 10 -> set(ADC_I, r, imm);
            case 11 -> set(SBC_I, r, imm);
            case 13 -> set(test ? CMP_I : SUB_I, r, imm);
            case 14 -> set(RSB_I, r, imm);
            default -> set(UNDEFINED, 0, 0);
        }
        if (this.op != UNDEFINED && rd == 15 && !test) {
            set(UNDEFINED, 0, 0); // writing PC here is UNPREDICTABLE
        }
    }

    private void dataProcessingPlainImmediate(int pc, int hw1, int hw2) {
        int op = (hw1 >> 4) & 31, rn = hw1 & 15, rd = (hw2 >> 8) & 15;
        int imm12 = ((hw1 >> 10) & 1) << 11 | ((hw2 >> 12) & 7) << 8 | (hw2 & 0xFF);
        int imm5pos = ((hw2 >> 12) & 7) << 2 | ((hw2 >> 6) & 3); // imm3:imm2
        int field = hw2 & 31;
        switch (op) {
            case 0 -> set(rn == 15 ? MOV_I : ADD_I, regs(rd, rn, 0), rn == 15 ? ((pc + 4) & ~3) + imm12 : imm12);
            case 10 -> set(rn == 15 ? MOV_I : SUB_I, regs(rd, rn, 0), rn == 15 ? ((pc + 4) & ~3) - imm12 : imm12);
            case 4 -> set(MOV_I, rd, rn << 12 | imm12);
            case 12 -> set(MOVT, rd, rn << 12 | imm12);
            case 16, 18 -> {
                if (op == 18 && imm5pos == 0) {
                    set(SSAT16, regs(rd, rn, 0), (hw2 & 15) + 1);
                } else { // b: saturate_to; shift amount and type as for a shifted register
                    int type = op == 18 ? 2 : 0;
                    int amount = (type == 2 && imm5pos == 0) ? 32 : imm5pos;
                    set(SSAT, regs(rd, rn, 0) | type << TYPE_POS | amount << SHIFT_POS, field + 1);
                }
            }
            case 24, 26 -> {
                if (op == 26 && imm5pos == 0) {
                    set(USAT16, regs(rd, rn, 0), hw2 & 15);
                } else {
                    int type = op == 26 ? 2 : 0;
                    int amount = (type == 2 && imm5pos == 0) ? 32 : imm5pos;
                    set(USAT, regs(rd, rn, 0) | type << TYPE_POS | amount << SHIFT_POS, field);
                }
            }
            case 20 -> set(SBFX, regs(rd, rn, 0) | imm5pos << SHIFT_POS, field + 1);
            case 28 -> set(UBFX, regs(rd, rn, 0) | imm5pos << SHIFT_POS, field + 1);
            case 22 -> {
                if (field < imm5pos) {
                    set(UNDEFINED, 0, 0);
                } else {
                    set(rn == 15 ? BFC : BFI, regs(rd, rn, 0) | imm5pos << SHIFT_POS, field);
                }
            }
            default -> set(UNDEFINED, 0, 0);
        }
        if ((this.op == SBFX || this.op == UBFX) && imm5pos + b > 32) {
            set(UNDEFINED, 0, 0);
        }
        // ADDW/SUBW may write SP (ADD SP plus immediate T4, SUB SP minus immediate T3: the large stack frames
        // gcc makes); with another Rn that is UNPREDICTABLE, and QEMU executes it as written, so do we.
        boolean addSubW = op == 0 || op == 10;
        if (this.op != UNDEFINED && (rd == 15 || (rd == 13 && !addSubW))) {
            set(UNDEFINED, 0, 0);
        }
    }

    private void branchesAndMiscControl(int pc, int hw1, int hw2) {
        int op = (hw1 >> 4) & 0x7F, op1 = (hw2 >> 12) & 7;
        int s = (hw1 >> 10) & 1, j1 = (hw2 >> 13) & 1, j2 = (hw2 >> 11) & 1;
        if ((op1 & 5) == 5 || (op1 & 5) == 1) { // BL (1x1) or B T4 (0x1)
            int i1 = ~(j1 ^ s) & 1, i2 = ~(j2 ^ s) & 1;
            int imm = (s << 24 | i1 << 23 | i2 << 22 | (hw1 & 0x3FF) << 12 | (hw2 & 0x7FF) << 1) << 7 >> 7;
            set((op1 & 4) != 0 ? BL : B, 0, pc + 4 + imm);
            return;
        }
        if (op1 == 2 && op == 0x7F) {
            set(UNDEFINED, 0, 0); // UDF.W
            return;
        }
        if ((op1 & 5) != 0) {
            set(UNDEFINED, 0, 0);
            return;
        }
        if ((op & 0x38) != 0x38) { // B<c> T3
            int imm = (s << 20 | j2 << 19 | j1 << 18 | (hw1 & 0x3F) << 12 | (hw2 & 0x7FF) << 1) << 11 >> 11;
            set(B_COND, ((hw1 >> 6) & 15) << 20 | W32, pc + 4 + imm);
            return;
        }
        switch (op) {
            case 0x38, 0x39 -> { // MSR: b = SYSm, mask in bits 20-21 of a
                int mask = (hw2 >> 10) & 3;
                int sysm = hw2 & 0xFF;
                set(MSR, regs(0, hw1 & 15, 0) | mask << 20, sysm);
                if (mask == 0 && sysm < 4 || bad(hw1 & 15)) {
                    set(UNDEFINED, 0, 0);
                }
            }
            case 0x3A -> {
                if ((hw2 & 0x700) != 0) {
                    set(UNDEFINED, 0, 0);
                } else if ((hw2 & 0xF0) == 0xF0) {
                    set(NOP, 0, 0); // DBG
                } else {
                    hint(hw2 & 0xFF);
                }
            }
            case 0x3B -> {
                switch ((hw2 >> 4) & 15) {
                    case 2 -> set(CLREX, 0, 0);
                    case 4, 5, 6 -> set(NOP, 0, 0); // DSB, DMB, ISB: no reordering to undo here
                    default -> set(UNDEFINED, 0, 0);
                }
            }
            case 0x3E, 0x3F -> {
                int rd = (hw2 >> 8) & 15;
                set(rd == 13 || rd == 15 ? UNDEFINED : MRS, rd, hw2 & 0xFF);
            }
            default -> set(UNDEFINED, 0, 0);
        }
    }

    private void loadStoreMultiple(int hw1, int hw2) {
        int op = (hw1 >> 7) & 3, w = (hw1 >> 5) & 1, load = (hw1 >> 4) & 1, rn = hw1 & 15;
        int list = hw2 & 0xFFFF;
        int a = regs(0, rn, 0) | (w != 0 ? WB : 0);
        boolean bad = rn == 15 || Integer.bitCount(list) < 2 || (list & 0x2000) != 0
                || (w != 0 && (list >> rn & 1) != 0);
        if (load != 0) {
            bad |= (list & 0xC000) == 0xC000;
        } else {
            bad |= (list & 0x8000) != 0;
        }
        if (op == 1) {
            set(bad ? UNDEFINED : load != 0 ? LDM : STM, a, list);
        } else if (op == 2) {
            set(bad ? UNDEFINED : load != 0 ? LDMDB : STMDB, a, list);
        } else {
            set(UNDEFINED, 0, 0);
        }
    }

    private void loadStoreDualExclusive(int pc, int hw1, int hw2) {
        int op1 = (hw1 >> 7) & 3, op2 = (hw1 >> 4) & 3, rn = hw1 & 15;
        int rt = (hw2 >> 12) & 15, rt2 = (hw2 >> 8) & 15;
        if (op1 == 0 && op2 == 0) {
            set(STREX, regs(rt2, rn, rt), (hw2 & 0xFF) * 4); // Rd (status) in rd field, Rt in rm field
        } else if (op1 == 0 && op2 == 1) {
            set(LDREX, regs(rt, rn, 0), (hw2 & 0xFF) * 4);
        } else if ((op1 & 2) != 0 || (op2 & 2) != 0) {
            boolean index = (hw1 & 0x100) != 0, up = (hw1 & 0x80) != 0, wback = (hw1 & 0x20) != 0;
            int off = (up ? 1 : -1) * (hw2 & 0xFF) * 4;
            boolean load = (hw1 & 0x10) != 0;
            int a = regs(rt, rn, 0) | rt2 << 12 | (index ? P : 0) | (wback ? WB : 0);
            if (load && rn == 15) { // LDRD (literal): the address is known now
                set(LDRD, regs(rt, 15, 0) | rt2 << 12 | P, ((pc + 4) & ~3) + off - (pc + 4)); // R[15] = pc + 4 at run time
            } else {
                set(load ? LDRD : STRD, a, off);
            }
            if ((wback && (rn == rt || rn == rt2)) || (load && rt == rt2)) {
                set(UNDEFINED, 0, 0);
            }
        } else if (op1 == 1 && op2 == 0) {
            int rd = hw2 & 15;
            switch ((hw2 >> 4) & 15) {
                case 4 -> set(STREXB, regs(rd, rn, rt), 0);
                case 5 -> set(STREXH, regs(rd, rn, rt), 0);
                default -> set(UNDEFINED, 0, 0);
            }
        } else { // op1 == 1 && op2 == 1
            switch ((hw2 >> 4) & 15) {
                case 0 -> set(TBB, regs(0, rn, hw2 & 15), 0);
                case 1 -> set(TBH, regs(0, rn, hw2 & 15), 0);
                case 4 -> set(LDREXB, regs(rt, rn, 0), 0);
                case 5 -> set(LDREXH, regs(rt, rn, 0), 0);
                default -> set(UNDEFINED, 0, 0);
            }
        }
    }

    private void dataProcessingShiftedRegister(int hw1, int hw2) {
        int op = (hw1 >> 5) & 15, s = (hw1 >> 4) & 1, rn = hw1 & 15;
        int rd = (hw2 >> 8) & 15, rm = hw2 & 15, type = (hw2 >> 4) & 3;
        int imm5 = ((hw2 >> 12) & 7) << 2 | ((hw2 >> 6) & 3);
        int amount = imm5;
        if ((type == 1 || type == 2) && imm5 == 0) {
            amount = 32;
        }
        boolean test = rd == 15 && s != 0;
        int r = regs(rd, rn, rm) | (s != 0 ? S : 0) | type << TYPE_POS | amount << SHIFT_POS;
        switch (op) {
            case 0 -> set(test ? TST_R : AND_R, r, 0);
            case 1 -> set(BIC_R, r, 0);
            case 2 -> set(rn == 15 ? MOV_R : ORR_R, r, 0);
            case 3 -> set(rn == 15 ? MVN_R : ORN_R, r, 0);
            case 4 -> set(test ? TEQ_R : EOR_R, r, 0);
            case 6 -> set(s != 0 || (type & 1) != 0 ? UNDEFINED : (type & 2) != 0 ? PKHTB : PKHBT, r, 0);
            case 8 -> set(test ? CMN_R : ADD_R, r, 0);
            case 10 -> set(ADC_R, r, 0);
            case 11 -> set(SBC_R, r, 0);
            case 13 -> set(test ? CMP_R : SUB_R, r, 0);
            case 14 -> set(RSB_R, r, 0);
            default -> set(UNDEFINED, 0, 0);
        }
        if (this.op != UNDEFINED && rm == 15) {
            set(UNDEFINED, 0, 0);
        }
        if (this.op != UNDEFINED && !test && rd == 15) {
            set(UNDEFINED, 0, 0);
        }
        if (this.op == PKHTB && amount == 32) {
            a = (a & ~(63 << SHIFT_POS)) | 32 << SHIFT_POS;
        }
    }

    private void loadStoreSingle(int pc, int hw1, int hw2) {
        int signed = (hw1 >> 8) & 1, imm12form = (hw1 >> 7) & 1, size = (hw1 >> 5) & 3, load = (hw1 >> 4) & 1;
        int rn = hw1 & 15, rt = (hw2 >> 12) & 15;
        if (size == 3 || (signed != 0 && (load == 0 || size == 2))) {
            set(UNDEFINED, 0, 0);
            return;
        }
        int kind = load == 0 ? (size == 0 ? STRB_I : size == 1 ? STRH_I : STR_I)
                : signed != 0 ? (size == 0 ? LDRSB_I : LDRSH_I)
                : (size == 0 ? LDRB_I : size == 1 ? LDRH_I : LDR_I);
        if (load != 0 && rt == 15 && size != 2) {
            set(NOP, 0, 0); // PLD, PLI and unallocated memory hints
            return;
        }
        if (rn == 15) {
            if (load == 0) {
                set(UNDEFINED, 0, 0);
                return;
            }
            int off = hw2 & 0xFFF;
            int addr = ((pc + 4) & ~3) + (imm12form != 0 ? off : -off);
            // literal: R[15] reads as pc + 4 when this executes, so an offset from it reaches the aligned address
            set(kind, regs(rt, 15, 0) | P, addr - (pc + 4));
            return;
        }
        if (imm12form != 0) {
            set(kind, regs(rt, rn, 0) | P, hw2 & 0xFFF);
        } else if ((hw2 & 0x800) != 0) {
            int puw = (hw2 >> 8) & 7;
            int imm8 = hw2 & 0xFF;
            if (puw == 6) { // unprivileged
                int t = switch (kind) {
                    case LDR_I -> LDRT;
                    case LDRB_I -> LDRBT;
                    case LDRH_I -> LDRHT;
                    case LDRSB_I -> LDRSBT;
                    case LDRSH_I -> LDRSHT;
                    case STR_I -> STRT;
                    case STRB_I -> STRBT;
                    default -> STRHT;
                };
                set(t, regs(rt, rn, 0) | P, imm8);
                return;
            }
            boolean index = (puw & 4) != 0, up = (puw & 2) != 0, wback = (puw & 1) != 0;
            if (!index && !wback) {
                set(UNDEFINED, 0, 0);
                return;
            }
            set(kind, regs(rt, rn, 0) | (index ? P : 0) | (wback ? WB : 0), up ? imm8 : -imm8);
            if (wback && rn == rt) {
                set(UNDEFINED, 0, 0);
            }
        } else if ((hw2 & 0xFC0) == 0) {
            int rm = hw2 & 15;
            set(kind - LDR_I + LDR_R, regs(rt, rn, rm) | ((hw2 >> 4) & 3) << SHIFT_POS, 0);
            if (bad(rm)) {
                set(UNDEFINED, 0, 0);
            }
        } else {
            set(UNDEFINED, 0, 0);
        }
        if (this.op != UNDEFINED && rt == 15 && this.op != LDR_I && this.op != LDR_R && this.op != LDRT) {
            set(UNDEFINED, 0, 0);
        }
    }

    private void dataProcessingRegister(int hw1, int hw2) {
        int op1 = (hw1 >> 4) & 15, op2 = (hw2 >> 4) & 15, rn = hw1 & 15, rd = (hw2 >> 8) & 15, rm = hw2 & 15;
        if ((hw2 & 0xF000) != 0xF000) {
            set(UNDEFINED, 0, 0);
            return;
        }
        if (op2 == 0 && (op1 & 8) == 0) {
            int[] ops = {LSL_RR, LSR_RR, ASR_RR, ROR_RR};
            set(ops[op1 >> 1], regs(rd, rn, rm) | ((op1 & 1) != 0 ? S : 0), 0);
        } else if ((op1 & 8) == 0 && (op2 & 8) != 0) {
            int rot = ((hw2 >> 4) & 3) * 8;
            int r = regs(rd, rn, rm) | rot << SHIFT_POS;
            boolean plain = rn == 15;
            switch (op1) {
                case 0 -> set(plain ? SXTH : SXTAH, r, 0);
                case 1 -> set(plain ? UXTH : UXTAH, r, 0);
                case 2 -> set(plain ? SXTB16 : SXTAB16, r, 0);
                case 3 -> set(plain ? UXTB16 : UXTAB16, r, 0);
                case 4 -> set(plain ? SXTB : SXTAB, r, 0);
                case 5 -> set(plain ? UXTB : UXTAB, r, 0);
                default -> set(UNDEFINED, 0, 0);
            }
        } else if ((op1 & 8) != 0 && (op2 & 8) == 0) {
            // parallel add/subtract: op1[2:0] in bits 24-26, op2[2:0] (U and prefix) in bits 27-29
            int o1 = op1 & 7, o2 = op2 & 7;
            if (o1 == 3 || o1 == 7 || (o2 & 3) == 3) {
                set(UNDEFINED, 0, 0);
            } else {
                set(PARALLEL, regs(rd, rn, rm) | o1 << SHIFT_POS | o2 << 27, 0);
            }
        } else if ((op1 & 0xC) == 8 && (op2 & 0xC) == 8) {
            int o1 = op1 & 3, o2 = op2 & 3;
            switch (o1 << 2 | o2) {
                case 0 -> set(QADD, regs(rd, rn, rm), 0);
                case 1 -> set(QDADD, regs(rd, rn, rm), 0);
                case 2 -> set(QSUB, regs(rd, rn, rm), 0);
                case 3 -> set(QDSUB, regs(rd, rn, rm), 0);
                case 4 -> set(REV, regs(rd, 0, rm), 0);
                case 5 -> set(REV16, regs(rd, 0, rm), 0);
                case 6 -> set(RBIT, regs(rd, 0, rm), 0);
                case 7 -> set(REVSH, regs(rd, 0, rm), 0);
                case 8 -> set(SEL, regs(rd, rn, rm), 0);
                case 12 -> set(CLZ, regs(rd, 0, rm), 0);
                default -> set(UNDEFINED, 0, 0);
            }
            if (o1 == 1 || o1 == 3) {
                if (rn != rm) {
                    set(UNDEFINED, 0, 0);
                }
            }
        } else {
            set(UNDEFINED, 0, 0);
        }
        if (bad(rd) || bad(rm) || (rn == 13) || (rn == 15 && op != SXTH && op != UXTH && op != SXTB16
                && op != UXTB16 && op != SXTB && op != UXTB && op != REV && op != REV16 && op != RBIT
                && op != REVSH && op != CLZ)) {
            set(UNDEFINED, 0, 0);
        }
    }

    private void multiplyAccumulate(int hw1, int hw2) {
        int op1 = (hw1 >> 4) & 7, op2 = (hw2 >> 4) & 3, rn = hw1 & 15, ra = (hw2 >> 12) & 15;
        int rd = (hw2 >> 8) & 15, rm = hw2 & 15;
        int r = regs(rd, rn, rm) | ra << 12;
        boolean noAcc = ra == 15;
        // flags: bit 22 = first operand top half (N / X / R), bit 23 = second operand top half (M)
        int nb = (hw2 >> 5) & 1, mb = (hw2 >> 4) & 1;
        switch (op1) {
            case 0 -> {
                if (op2 == 0) {
                    set(noAcc ? MUL : MLA, r, 0);
                } else if (op2 == 1) {
                    set(noAcc ? UNDEFINED : MLS, r, 0);
                } else {
                    set(UNDEFINED, 0, 0);
                }
            }
            case 1 -> set(SMLAXY, r | nb << 22 | mb << 23 | (noAcc ? 1 << 30 : 0), 0);
            case 2 -> set(op2 < 2 ? SMLAD : UNDEFINED, r | mb << 22 | (noAcc ? 1 << 30 : 0), 0);
            case 3 -> set(op2 < 2 ? SMLAWY : UNDEFINED, r | mb << 23 | (noAcc ? 1 << 30 : 0), 0);
            case 4 -> set(op2 < 2 ? SMLSD : UNDEFINED, r | mb << 22 | (noAcc ? 1 << 30 : 0), 0);
            case 5 -> set(op2 < 2 ? SMMLA : UNDEFINED, r | mb << 22 | (noAcc ? 1 << 30 : 0), 0);
            case 6 -> set(op2 < 2 && !noAcc ? SMMLS : UNDEFINED, r | mb << 22, 0);
            default -> set(op2 == 0 ? (noAcc ? USAD8 : USADA8) : UNDEFINED, r, 0);
        }
        if (bad(rd) || bad(rn) || bad(rm) || ra == 13) {
            set(UNDEFINED, 0, 0);
        }
    }

    private void longMultiplyDivide(int hw1, int hw2) {
        int op1 = (hw1 >> 4) & 7, op2 = (hw2 >> 4) & 15, rn = hw1 & 15;
        int rdLo = (hw2 >> 12) & 15, rdHi = (hw2 >> 8) & 15, rm = hw2 & 15;
        int r = regs(rdLo, rn, rm) | rdHi << 12;
        switch (op1 << 4 | op2) {
            case 0x00 -> set(SMULL, r, 0);
            case 0x1F -> set((hw2 & 0xF000) == 0xF000 ? SDIV : UNDEFINED, regs(rdHi, rn, rm), 0);
            case 0x20 -> set(UMULL, r, 0);
            case 0x3F -> set((hw2 & 0xF000) == 0xF000 ? UDIV : UNDEFINED, regs(rdHi, rn, rm), 0);
            case 0x40 -> set(SMLAL, r, 0);
            case 0x48, 0x49, 0x4A, 0x4B -> set(SMLALXY, r | ((op2 >> 1) & 1) << 22 | (op2 & 1) << 23, 0);
            case 0x4C, 0x4D -> set(SMLALD, r | (op2 & 1) << 22, 0);
            case 0x5C, 0x5D -> set(SMLSLD, r | (op2 & 1) << 22, 0);
            case 0x60 -> set(UMLAL, r, 0);
            case 0x66 -> set(UMAAL, r, 0);
            default -> set(UNDEFINED, 0, 0);
        }
        if (op != UNDEFINED) {
            boolean div = op == SDIV || op == UDIV;
            if (bad(rn) || bad(rm) || bad(rdHi) || (!div && (bad(rdLo) || rdLo == rdHi))) {
                set(UNDEFINED, 0, 0);
            }
        }
    }

    // =================================================================== FPv4-SP (A6)

    private void coprocessor(int hw1, int hw2) {
        int coproc = (hw2 >> 8) & 15;
        if ((coproc & 0xE) != 0xA) {
            // no other coprocessors on a Cortex-M4: a UsageFault with UFSR.NOCP, as QEMU raises it
            set(NOCP, 0, 0);
            return;
        }
        FpDecoder.decode(this, hw1, hw2);
    }

    /** Lets the FP decoder fill the result. */
    void result(int op, int a, int b) {
        set(op, a, b);
    }
}
