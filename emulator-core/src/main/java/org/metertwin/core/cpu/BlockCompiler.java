package org.metertwin.core.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles a hot basic block of decoded instructions into a JVM hidden class, so that HotSpot can turn it
 * into straight-line machine code: no dispatch, constant register numbers, and flags computed only where a
 * later instruction of the block (or what follows it) may read them.
 *
 * <p>The generated code does what the interpreter's cases in {@link CortexM4} do, through the same
 * definitions ({@link Alu}'s shifts, AddWithCarry and bit fields; the core's loads, stores and interworking
 * branches), and adds the same cycles at the same points. A block with an operation this compiler does not handle stays interpreted. Before any instruction
 * that can fault, the code stores that instruction's address in {@code cpu.pc}, so the interpreter's fault
 * path sees exactly the state it would have seen.
 *
 * <p>A compiled method holds a region: the hot block and the blocks it branches to directly (taken,
 * not taken, fall-through), found in the interpreter's block cache. A branch to a block of the region jumps
 * inside the method when the dispatcher would have entered that block at this point
 * ({@link CortexM4#enterBlock}, {@link CortexM4#reenterBlock}: a whole block fits before the limit, which
 * interrupts, stops and code flushes lower to 0), with the same up-front charge; otherwise the method
 * returns the address and {@link CortexM4}'s run loop goes on as before. So loops run without leaving the
 * JVM method, and the points where events and interrupts are looked at do not move.
 */
final class BlockCompiler {
    private static final String CPU = "org/metertwin/core/cpu/CortexM4";
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    /** The core's fields generated code names: its state, and the cycle count and limit of the run loop. */
    private static final String STATE = "state", CYCLES = "cycles", LIMIT = "limit";
    private static final int L_CPU = 1, L_R = 2, L_T = 3, L_U = 4, L_S = 5, L_X = 6, L_Y = 7, L_W = 8;
    /** A region's size: small enough for HotSpot to compile the method as a whole. */
    private static final int MAX_REGION_BLOCKS = 12, MAX_REGION_INSTRUCTIONS = 160;

    private BlockCompiler() {
    }

    /** Tests only: changes an instruction's operand {@code b} as it is compiled (a compiler bug on demand). */
    interface OperandHook {
        int operandB(int pc, int op, int a, int b);
    }

    /** Null except in the self-check's own test, which plants a miscompiled instruction for it to find. */
    static volatile OperandHook operandHook;

    /**
     * Compiles the block at {@code startPc} with the blocks it branches to directly, as far as they are in
     * the interpreter's block cache ({@link CortexM4#cachedBlock}), up to {@link #MAX_REGION_BLOCKS} blocks.
     * Returns null when the first block contains an operation that stays interpreted.
     */
    static CompiledBlock compile(CortexM4 cpu, int startPc, int[] ops, int[] as, int[] bs, int start, int count) {
        if (!allSupported(ops, as, start, count)) {
            return null;
        }
        java.util.List<Region> region = new java.util.ArrayList<>();
        region.add(new Region(startPc, start, count, new Label()));
        int total = count;
        for (int i = 0; i < region.size() && region.size() < MAX_REGION_BLOCKS; i++) {
            Region from = region.get(i);
            for (int target : exits(from, ops, as, bs)) {
                if (find(region, target) != null || region.size() >= MAX_REGION_BLOCKS) {
                    continue;
                }
                long cached = cpu.cachedBlock(target);
                if (cached < 0) {
                    continue;
                }
                int k = (int) (cached >>> 32), n = (int) cached;
                if (total + n <= MAX_REGION_INSTRUCTIONS && allSupported(ops, as, k, n)) {
                    region.add(new Region(target, k, n, new Label()));
                    total += n;
                }
            }
        }
        RegionKey key = operandHook == null ? RegionKey.of(startPc, region, ops, as, bs) : null;
        if (key != null) {
            CompiledBlock shared = SHARED.get(key);
            if (shared != null) {
                return shared;
            }
        }
        CompiledBlock code = generate(startPc, region, ops, as, bs);
        if (key != null && code != null) {
            if (SHARED.size() >= MAX_SHARED) {
                SHARED.clear(); // a bound, not a policy: a JVM that ran this many regions starts afresh
            }
            SHARED.putIfAbsent(key, code);
        }
        return code;
    }

    /**
     * Compiled regions shared by every core of this JVM, keyed by all that their code depends on: the
     * addresses, the block-array positions and the decoded instructions of each block. A board running an
     * ELF another board of the JVM ran (an exec suite, a fleet, a test run twice) gets the class HotSpot
     * already compiled to machine code instead of paying generation and JIT warm-up again. The code is the
     * same either way, so no result depends on whether it was shared.
     */
    private static final java.util.concurrent.ConcurrentHashMap<RegionKey, CompiledBlock> SHARED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SHARED = 50_000;

    /** What a region's generated code is made from, as one array compared by content. */
    private record RegionKey(int[] words, int hash) {
        static RegionKey of(int startPc, java.util.List<Region> region, int[] ops, int[] as, int[] bs) {
            int n = 2;
            for (Region r : region) {
                n += 3 + 3 * r.count();
            }
            int[] w = new int[n];
            int i = 0;
            w[i++] = startPc;
            w[i++] = region.size();
            for (Region r : region) {
                w[i++] = r.pc();
                w[i++] = r.k();
                w[i++] = r.count();
                for (int j = r.k(); j < r.k() + r.count(); j++) {
                    w[i++] = ops[j];
                    w[i++] = as[j];
                    w[i++] = bs[j];
                }
            }
            return new RegionKey(w, java.util.Arrays.hashCode(w));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RegionKey k && k.hash == hash && java.util.Arrays.equals(k.words, words);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static CompiledBlock generate(int startPc, java.util.List<Region> region, int[] ops, int[] as,
                                          int[] bs) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        String name = "org/metertwin/core/cpu/Block_" + Integer.toHexString(startPc);
        cw.visit(V17, ACC_FINAL | ACC_SUPER, name, null, "java/lang/Object",
                new String[] {"org/metertwin/core/cpu/CompiledBlock"});
        MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + CPU + ";)I", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitFieldInsn(GETFIELD, CPU, STATE, "L" + ArchState.Field.OWNER + ";");
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, L_S);
        ArchState.Field.R.get(mv);
        mv.visitVarInsn(ASTORE, L_R);
        for (Region block : region) {
            mv.visitLabel(block.label());
            int[] it = itStates(ops, bs, block.k(), block.count());
            boolean[] flagsLive = flagLiveness(ops, as, it, block.k(), block.count());
            int pc = block.pc();
            for (int i = 0; i < block.count(); i++) {
                int a = as[block.k() + i];
                int npc = pc + 2 + ((a >>> 18) & 2);
                int b = bs[block.k() + i];
                OperandHook hook = operandHook;
                if (hook != null) {
                    b = hook.operandB(pc, ops[block.k() + i], a, b);
                }
                new Emitter(mv, pc, npc, block.count() - i - 1, block, region, it[i])
                        .emitConditional(ops[block.k() + i], a, b, flagsLive[i]);
                pc = npc;
            }
            int last = block.k() + block.count() - 1;
            if (!BlockEnds.leavesByBranch(ops[last], bs[last]) || it[block.count() - 1] != 0) {
                // fell off the end of a block cut at its size limit or a page boundary, or an IT block's last
                // instruction, a branch, did not run
                new Emitter(mv, pc, pc, 0, block, region, 0).exitTo(pc);
            }
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        try {
            Class<?> c = LOOKUP.defineHiddenClass(cw.toByteArray(), true).lookupClass();
            return (CompiledBlock) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // stays interpreted
        }
    }

    private static boolean allSupported(int[] ops, int[] as, int start, int count) {
        for (int i = 0; i < count; i++) {
            if (!supported(ops[start + i], as[start + i], i == count - 1)) {
                return false;
            }
        }
        return true;
    }

    /** The addresses a block continues at that are known when it is compiled. */
    private static int[] exits(Region block, int[] ops, int[] as, int[] bs) {
        int pc = block.pc();
        for (int i = 0; i < block.count(); i++) {
            pc += 2 + ((as[block.k() + i] >>> 18) & 2);
        }
        int last = block.k() + block.count() - 1;
        // the last instruction of an IT block may not run: then the block falls through
        boolean conditional = itStates(ops, bs, block.k(), block.count())[block.count() - 1] != 0;
        return switch (ops[last]) {
            case Op.B, Op.BL -> conditional ? new int[] {bs[last], pc} : new int[] {bs[last]};
            case Op.B_COND, Op.CBZ, Op.CBNZ -> new int[] {bs[last], pc};
            default -> BlockEnds.leavesByBranch(ops[last], bs[last]) && !conditional ? new int[0] : new int[] {pc};
        };
    }

    private static Region find(java.util.List<Region> region, int pc) {
        for (Region block : region) {
            if (block.pc() == pc) {
                return block;
            }
        }
        return null;
    }

    private static boolean supported(int op, int a, boolean last) {
        switch (op) {
            case Op.MOV_I, Op.MVN_I, Op.AND_I, Op.ORR_I, Op.EOR_I, Op.BIC_I, Op.ORN_I, Op.TST_I, Op.TEQ_I,
                    Op.ADD_I, Op.SUB_I, Op.RSB_I, Op.CMP_I, Op.CMN_I, Op.ADC_I, Op.SBC_I, Op.MOVT,
                    Op.MUL, Op.MLA, Op.MLS, Op.UXTB, Op.UXTH, Op.SXTB, Op.SXTH,
                    Op.LDR_I, Op.LDRB_I, Op.LDRH_I, Op.LDRSB_I, Op.LDRSH_I, Op.STR_I, Op.STRB_I, Op.STRH_I,
                    Op.LDR_R, Op.LDRB_R, Op.LDRH_R, Op.LDRSB_R, Op.LDRSH_R, Op.STR_R, Op.STRB_R, Op.STRH_R,
                    Op.LDR_LIT, Op.STM, Op.STMDB, Op.NOP, Op.SBFX, Op.UBFX, Op.BFI, Op.BFC, Op.LDRD, Op.STRD:
                return (a & 15) != 15 || isNoDestination(op);
            case Op.B, Op.B_COND, Op.BL, Op.BX, Op.BLX, Op.CBZ, Op.CBNZ, Op.LDM, Op.LDMDB, Op.IT:
                return true;
            case Op.UMULL, Op.SMULL, Op.UMLAL, Op.SMLAL, Op.UMAAL, Op.SDIV, Op.UDIV, Op.LSL_RR, Op.LSR_RR,
                    Op.ASR_RR, Op.ROR_RR:
                // through the interpreter's own helpers, which read R[n] from the register file: not the PC,
                // which compiled code does not keep there (the decoder makes such encodings UNPREDICTABLE)
                return (a & 15) != 15 && ((a >>> 4) & 15) != 15 && ((a >>> 8) & 15) != 15
                        && (!isLongMultiply(op) || ((a >>> 12) & 15) != 15);
            default:
                return isShiftedRegister(op) || isFp(op) || isDsp(op);
        }
    }

    private static boolean isLongMultiply(int op) {
        return op == Op.UMULL || op == Op.SMULL || op == Op.UMLAL || op == Op.SMLAL || op == Op.UMAAL;
    }

    /** FP operations: executed through {@link FpExecutor}, exactly as the interpreter does. */
    private static boolean isFp(int op) {
        return op >= Op.VFP_DP && op <= Op.VMOV_REG;
    }

    /** DSP operations: executed through {@link DspExecutor}, exactly as the interpreter does. */
    private static boolean isDsp(int op) {
        switch (op) {
            case Op.PARALLEL, Op.QADD, Op.QSUB, Op.QDADD, Op.QDSUB, Op.SEL, Op.USAD8, Op.USADA8, Op.PKHBT,
                    Op.PKHTB, Op.SMLAXY, Op.SMLAWY, Op.SMLAD, Op.SMLSD, Op.SMMLA, Op.SMMLS, Op.SMLALXY, Op.SMLALD,
                    Op.SMLSLD, Op.SSAT16, Op.USAT16, Op.SXTB16, Op.UXTB16, Op.SXTAB16, Op.UXTAB16:
                return true;
            default:
                return false;
        }
    }

    /** The data-processing forms with a register operand shifted by a constant. */
    private static boolean isShiftedRegister(int op) {
        switch (op) {
            case Op.AND_R, Op.ORR_R, Op.EOR_R, Op.BIC_R, Op.ORN_R, Op.MOV_R, Op.MVN_R, Op.TST_R, Op.TEQ_R,
                    Op.ADD_R, Op.SUB_R, Op.RSB_R, Op.CMP_R, Op.CMN_R, Op.ADC_R, Op.SBC_R:
                return true;
            default:
                return false;
        }
    }

    private static boolean isNoDestination(int op) {
        return op == Op.TST_I || op == Op.TEQ_I || op == Op.CMP_I || op == Op.CMN_I || op == Op.NOP
                || op == Op.STRD
                || (op >= Op.STR_I && op <= Op.STRH_I) || (op >= Op.STR_R && op <= Op.STRH_R)
                || op == Op.STM || op == Op.STMDB;
    }

    /**
     * For each instruction of a block: the IT state it runs with, 0 outside an IT block. The block builder
     * puts an IT instruction's whole body in the block after it ({@link CortexM4#itBody}).
     */
    private static int[] itStates(int[] ops, int[] bs, int start, int count) {
        int[] it = new int[count];
        int state = 0;
        for (int i = 0; i < count; i++) {
            it[i] = state;
            state = state != 0 ? CortexM4.itAdvance(state) : ops[start + i] == Op.IT ? bs[start + i] : 0;
        }
        return it;
    }

    /** For each instruction: may its flag results be read before all of N, Z, C, V are written again? */
    private static boolean[] flagLiveness(int[] ops, int[] as, int[] it, int start, int count) {
        boolean[] live = new boolean[count];
        boolean flagsLive = true; // whatever follows the block may read them
        for (int i = count - 1; i >= 0; i--) {
            int op = ops[start + i], a = as[start + i];
            live[i] = flagsLive;
            boolean conditional = it[i] != 0; // reads the flags for its condition; may not write them
            boolean setsAll = !conditional && (a & ThumbDecoder.S) != 0 && (op == Op.ADD_I || op == Op.SUB_I || op == Op.RSB_I
                    || op == Op.ADD_R || op == Op.SUB_R || op == Op.RSB_R || op == Op.ADC_I || op == Op.SBC_I
                    || op == Op.ADC_R || op == Op.SBC_R) || op == Op.CMP_I || op == Op.CMN_I
                    || (!conditional && (op == Op.CMP_R || op == Op.CMN_R));
            boolean reads = conditional || op == Op.B_COND || op == Op.ADC_I || op == Op.SBC_I || op == Op.ADC_R
                    || op == Op.SBC_R || (isShiftedRegister(op) && Alu.isRrx(a)); // RRX shifts C in
            if (setsAll) {
                flagsLive = false;
            }
            if (reads) {
                flagsLive = true;
            }
        }
        return live;
    }

    static void push(MethodVisitor mv, int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    /**
     * One basic block of a compiled region: its address, its decoded instructions in the block arrays
     * ({@code k}, {@code count}), and where its code starts in the generated method.
     */
    private record Region(int pc, int k, int count, Label label) {
    }

    /** Emits one instruction. */
    private static final class Emitter {
        private final MethodVisitor mv;
        private final int pc;
        private final int npc;
        private final int remaining;
        private final Region block;
        private final java.util.List<Region> region;
        /** The IT state this instruction runs with: 0 outside an IT block. */
        private final int it;

        Emitter(MethodVisitor mv, int pc, int npc, int remaining, Region block, java.util.List<Region> region,
                int it) {
            this.mv = mv;
            this.pc = pc;
            this.npc = npc;
            this.remaining = remaining;
            this.block = block;
            this.region = region;
            this.it = it;
        }

        /**
         * The instruction; inside an IT block guarded by its condition (ConditionPassed() on the flags as
         * they are then), which the IT state gives at compile time. The IT instruction itself emits nothing:
         * compiled code keeps no IT state, except where it leaves mid-block ({@link #checkLimit}, faults).
         */
        void emitConditional(int op, int a, int b, boolean flagsLive) {
            if (op == Op.IT) {
                if (remaining == 0) { // its body is not in the block: the dispatcher single-steps it
                    mv.visitVarInsn(ALOAD, L_S);
                    push(mv, b);
                    mv.visitFieldInsn(PUTFIELD, ArchState.Field.OWNER, "itState", "I");
                }
                return;
            }
            int cond = it >>> 4;
            if (it == 0 || cond == 14) {
                emit(op, a, b, flagsLive);
                return;
            }
            Label skip = new Label();
            jumpUnlessPassed(cond, skip);
            emit(op, a, b, flagsLive);
            mv.visitLabel(skip);
        }

        /**
         * Jumps to {@code notPassed} unless ConditionPassed(cond) holds for the flags as they are: the
         * tests of {@link ArchState#conditionPassed} written out for the constant condition, a flag field
         * or two each, instead of a call of its switch (fewer nodes for C2's inlining budget).
         */
        void jumpUnlessPassed(int cond, Label notPassed) {
            Label passed = new Label();
            switch (cond) {
                case 0, 1 -> flagJump(ArchState.Field.Z, cond == 0 ? IFEQ : IFNE, notPassed);
                case 2, 3 -> flagJump(ArchState.Field.C, cond == 2 ? IFEQ : IFNE, notPassed);
                case 4, 5 -> flagJump(ArchState.Field.N, cond == 4 ? IFEQ : IFNE, notPassed);
                case 6, 7 -> flagJump(ArchState.Field.V, cond == 6 ? IFEQ : IFNE, notPassed);
                case 8 -> { // HI: C == 1 and Z == 0
                    flagJump(ArchState.Field.C, IFEQ, notPassed);
                    flagJump(ArchState.Field.Z, IFNE, notPassed);
                }
                case 9 -> { // LS: C == 0 or Z == 1
                    flagJump(ArchState.Field.C, IFEQ, passed);
                    flagJump(ArchState.Field.Z, IFEQ, notPassed);
                }
                case 10, 11 -> nEqualsV(cond == 10 ? IF_ICMPNE : IF_ICMPEQ, notPassed); // GE: N == V; LT: N != V
                case 12 -> { // GT: Z == 0 and N == V
                    flagJump(ArchState.Field.Z, IFNE, notPassed);
                    nEqualsV(IF_ICMPNE, notPassed);
                }
                case 13 -> { // LE: Z == 1 or N != V
                    flagJump(ArchState.Field.Z, IFNE, passed);
                    nEqualsV(IF_ICMPEQ, notPassed);
                }
                default -> { // AL
                }
            }
            mv.visitLabel(passed);
        }

        private void flagJump(ArchState.Field flag, int opcode, Label to) {
            mv.visitVarInsn(ALOAD, L_S);
            flag.get(mv);
            mv.visitJumpInsn(opcode, to);
        }

        private void nEqualsV(int opcode, Label to) {
            mv.visitVarInsn(ALOAD, L_S);
            ArchState.Field.N.get(mv);
            mv.visitVarInsn(ALOAD, L_S);
            ArchState.Field.V.get(mv);
            mv.visitJumpInsn(opcode, to);
        }

        /**
         * Continues at {@code target}: inside the compiled code when the target is a block of the region and
         * the interpreter's dispatcher would enter it now ({@link CortexM4#enterBlock}: the same conditions
         * and up-front charge), otherwise by returning the address to the dispatcher.
         */
        void exitTo(int target) {
            Region next = find(region, target);
            if (next != null) {
                mv.visitVarInsn(ALOAD, L_CPU);
                if (next == block) {
                    push(mv, next.count());
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "reenterBlock", "(I)Z", false);
                } else {
                    push(mv, next.pc());
                    push(mv, next.k());
                    push(mv, next.count());
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "enterBlock", "(III)Z", false);
                }
                mv.visitJumpInsn(IFNE, next.label());
            }
            push(mv, target);
            mv.visitInsn(IRETURN);
        }

        void emit(int op, int a, int b, boolean flagsLive) {
            int rd = a & 15, rn = (a >>> 4) & 15, rm = (a >>> 8) & 15;
            boolean s = (a & ThumbDecoder.S) != 0 && flagsLive;
            switch (op) {
                case Op.NOP -> {
                }
                case Op.MOV_I -> logical(a, rd, s, () -> push(mv, b), true);
                case Op.MVN_I -> logical(a, rd, s, () -> push(mv, ~b), true);
                case Op.AND_I -> logical(a, rd, s, () -> binaryImm(rn, b, IAND), true);
                case Op.ORR_I -> logical(a, rd, s, () -> binaryImm(rn, b, IOR), true);
                case Op.ORN_I -> logical(a, rd, s, () -> binaryImm(rn, ~b, IOR), true);
                case Op.EOR_I -> logical(a, rd, s, () -> binaryImm(rn, b, IXOR), true);
                case Op.BIC_I -> logical(a, rd, s, () -> binaryImm(rn, ~b, IAND), true);
                case Op.TST_I -> logical(a, -1, true, () -> binaryImm(rn, b, IAND), true);
                case Op.TEQ_I -> logical(a, -1, true, () -> binaryImm(rn, b, IXOR), true);
                case Op.ADD_I -> arith(rd, s, () -> reg(rn), () -> push(mv, b), 0);
                case Op.SUB_I -> arith(rd, s, () -> reg(rn), () -> push(mv, ~b), 1);
                case Op.RSB_I -> arith(rd, s, () -> notReg(rn), () -> push(mv, b), 1);
                case Op.CMP_I -> arith(-1, true, () -> reg(rn), () -> push(mv, ~b), 1);
                case Op.CMN_I -> arith(-1, true, () -> reg(rn), () -> push(mv, b), 0);
                case Op.ADC_I -> arith(rd, s, () -> reg(rn), () -> push(mv, b), -1);
                case Op.SBC_I -> arith(rd, s, () -> reg(rn), () -> push(mv, ~b), -1);
                case Op.AND_R -> logical(a, rd, s, () -> binaryReg(rn, a, IAND, false), false);
                case Op.ORR_R -> logical(a, rd, s, () -> binaryReg(rn, a, IOR, false), false);
                case Op.ORN_R -> logical(a, rd, s, () -> binaryReg(rn, a, IOR, true), false);
                case Op.EOR_R -> logical(a, rd, s, () -> binaryReg(rn, a, IXOR, false), false);
                case Op.BIC_R -> logical(a, rd, s, () -> binaryReg(rn, a, IAND, true), false);
                case Op.MOV_R -> logical(a, rd, s, () -> shifted(a), false);
                case Op.MVN_R -> logical(a, rd, s, () -> {
                    shifted(a);
                    push(mv, -1);
                    mv.visitInsn(IXOR);
                }, false);
                case Op.TST_R -> logical(a, -1, true, () -> binaryReg(rn, a, IAND, false), false);
                case Op.TEQ_R -> logical(a, -1, true, () -> binaryReg(rn, a, IXOR, false), false);
                case Op.ADD_R -> arith(rd, s, () -> reg(rn), () -> shiftedNoCarry(a), 0);
                case Op.SUB_R -> arith(rd, s, () -> reg(rn), () -> notShifted(a), 1);
                case Op.RSB_R -> arith(rd, s, () -> notReg(rn), () -> shiftedNoCarry(a), 1);
                case Op.CMP_R -> arith(-1, true, () -> reg(rn), () -> notShifted(a), 1);
                case Op.CMN_R -> arith(-1, true, () -> reg(rn), () -> shiftedNoCarry(a), 0);
                case Op.ADC_R -> arith(rd, s, () -> reg(rn), () -> shiftedNoCarry(a), -1);
                case Op.SBC_R -> arith(rd, s, () -> reg(rn), () -> notShifted(a), -1);
                case Op.MOVT -> store(rd, () -> {
                    reg(rd);
                    push(mv, b);
                    alu("MOVT", "(II)I");
                });
                case Op.MUL -> {
                    store(rd, () -> {
                        reg(rn);
                        reg(rm);
                        mv.visitInsn(IMUL);
                    });
                    if ((a & ThumbDecoder.S) != 0) {
                        setNZ(rd);
                    }
                }
                case Op.MLA, Op.MLS -> {
                    store(rd, () -> {
                        reg(rn);
                        reg(rm);
                        reg((a >>> 12) & 15);
                        alu(op == Op.MLA ? "MLA" : "MLS", "(III)I");
                    });
                    addCycles(Alu.MULTIPLY_ACCUMULATE_EXTRA_CYCLES);
                }
                case Op.UMULL, Op.SMULL, Op.UMLAL, Op.SMLAL, Op.UMAAL -> {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(mv, op);
                    push(mv, a);
                    push(mv, rd);
                    push(mv, rn);
                    push(mv, rm);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "longMultiply", "(IIIII)V", false);
                }
                case Op.SDIV, Op.UDIV -> {
                    setPc(); // a zero divisor faults when CCR.DIV_0_TRP is set
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(mv, rd);
                    push(mv, rn);
                    push(mv, rm);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, op == Op.SDIV ? "signedDivide" : "unsignedDivide",
                            "(III)V", false);
                }
                case Op.LSL_RR, Op.LSR_RR, Op.ASR_RR, Op.ROR_RR -> {
                    // sets N, Z and C when S whether or not they are live: a later writer overwrites them anyway
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(mv, a);
                    push(mv, op - Op.LSL_RR);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "shiftByRegister", "(II)V", false);
                }
                case Op.SBFX, Op.UBFX -> store(rd, () -> {
                    reg(rn);
                    push(mv, a >>> 24);
                    push(mv, b);
                    alu(op == Op.SBFX ? "SBFX" : "UBFX", "(III)I");
                });
                case Op.BFI -> store(rd, () -> {
                    reg(rd);
                    reg(rn);
                    push(mv, a >>> 24);
                    push(mv, b);
                    alu("BFI", "(IIII)I");
                });
                case Op.BFC -> store(rd, () -> {
                    reg(rd);
                    push(mv, a >>> 24);
                    push(mv, b);
                    alu("BFC", "(III)I");
                });
                case Op.LDRD, Op.STRD -> {
                    setPc();
                    if (rn == 15) { // LDRD (literal): the helper reads R[15], which compiled code does not keep
                        mv.visitVarInsn(ALOAD, L_R);
                        push(mv, 15);
                        push(mv, pc + 4);
                        mv.visitInsn(IASTORE);
                    }
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(mv, op == Op.LDRD ? 1 : 0);
                    push(mv, a);
                    push(mv, b);
                    push(mv, rd);
                    push(mv, rn);
                    push(mv, npc);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "loadStoreDual", "(ZIIIII)I", false);
                    mv.visitInsn(POP);
                    if (op == Op.STRD) {
                        checkLimit();
                    }
                }
                case Op.UXTB, Op.UXTH, Op.SXTB, Op.SXTH -> store(rd, () -> {
                    // the interpreter's definitions in Dsp (rotation in bits, bits 24-29 of a)
                    reg(rm);
                    push(mv, a >>> 24);
                    String name = op == Op.UXTB ? "uxtb" : op == Op.UXTH ? "uxth" : op == Op.SXTB ? "sxtb" : "sxth";
                    mv.visitMethodInsn(INVOKESTATIC, "org/metertwin/core/cpu/Dsp", name, "(II)I", false);
                });
                case Op.LDR_LIT -> {
                    setPc();
                    store(rd, () -> load(0, () -> push(mv, b)));
                    addCycles(1);
                }
                case Op.LDR_I, Op.LDRB_I, Op.LDRH_I, Op.LDRSB_I, Op.LDRSH_I -> {
                    setPc();
                    boolean index = (a & ThumbDecoder.P) != 0, wback = (a & ThumbDecoder.WB) != 0;
                    store(rd, () -> load(op - Op.LDR_I, () -> {
                        reg(rn);
                        if (index) {
                            push(mv, b);
                            mv.visitInsn(IADD);
                        }
                    }));
                    if (wback) {
                        // the interpreter computes the written-back base from the base read before the load
                        writeBack(rn, b, rd);
                    }
                    addCycles(1);
                }
                case Op.STR_I, Op.STRB_I, Op.STRH_I -> {
                    setPc();
                    boolean index = (a & ThumbDecoder.P) != 0, wback = (a & ThumbDecoder.WB) != 0;
                    mv.visitVarInsn(ALOAD, L_CPU);
                    reg(rn);
                    if (index) {
                        push(mv, b);
                        mv.visitInsn(IADD);
                    }
                    reg(rd);
                    storeCall(op - Op.STR_I);
                    if (wback) {
                        writeBack(rn, b, -1);
                    }
                    addCycles(1);
                    checkLimit();
                }
                case Op.LDR_R, Op.LDRB_R, Op.LDRH_R, Op.LDRSB_R, Op.LDRSH_R -> {
                    setPc();
                    store(rd, () -> load(op - Op.LDR_R, () -> registerAddress(rn, rm, a >>> 24)));
                    addCycles(1);
                }
                case Op.STR_R, Op.STRB_R, Op.STRH_R -> {
                    setPc();
                    mv.visitVarInsn(ALOAD, L_CPU);
                    registerAddress(rn, rm, a >>> 24);
                    reg(rd);
                    storeCall(op - Op.STR_R);
                    addCycles(1);
                    checkLimit();
                }
                case Op.STM, Op.STMDB -> {
                    setPc();
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(mv, op == Op.STMDB ? 1 : 0);
                    push(mv, a);
                    push(mv, b);
                    push(mv, rn);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "storeMultiple", "(ZIII)V", false);
                    checkLimit();
                }
                case Op.LDM, Op.LDMDB -> {
                    setPc();
                    mv.visitVarInsn(ALOAD, L_CPU);
                    push(mv, op == Op.LDMDB ? 1 : 0);
                    push(mv, a);
                    push(mv, b);
                    push(mv, rn);
                    push(mv, npc);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "loadMultiple", "(ZIIII)I", false);
                    if (remaining == 0) {
                        mv.visitInsn(IRETURN);
                    } else {
                        mv.visitInsn(POP);
                    }
                }
                case Op.B -> {
                    addCycles(BlockEnds.TAKEN_BRANCH_CYCLES);
                    exitTo(b);
                }
                case Op.BL -> {
                    mv.visitVarInsn(ALOAD, L_R);
                    push(mv, 14);
                    push(mv, npc | 1);
                    mv.visitInsn(IASTORE);
                    addCycles(BlockEnds.TAKEN_BRANCH_CYCLES);
                    exitTo(b);
                }
                case Op.B_COND, Op.CBZ, Op.CBNZ -> {
                    Label notTaken = new Label();
                    if (op == Op.B_COND) {
                        jumpUnlessPassed((a >>> 20) & 15, notTaken);
                    } else {
                        reg(rn);
                        mv.visitJumpInsn(op == Op.CBZ ? IFNE : IFEQ, notTaken);
                    }
                    addCycles(BlockEnds.TAKEN_BRANCH_CYCLES);
                    exitTo(b);
                    mv.visitLabel(notTaken);
                    exitTo(npc);
                }
                case Op.BX, Op.BLX -> {
                    setPc();
                    reg(rm);
                    mv.visitVarInsn(ISTORE, L_T);
                    if (op == Op.BLX) {
                        mv.visitVarInsn(ALOAD, L_R);
                        push(mv, 14);
                        push(mv, npc | 1);
                        mv.visitInsn(IASTORE);
                    }
                    addCycles(BlockEnds.TAKEN_BRANCH_CYCLES);
                    mv.visitVarInsn(ALOAD, L_CPU);
                    mv.visitVarInsn(ILOAD, L_T);
                    push(mv, npc);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "bxWritePc", "(II)I", false);
                    mv.visitInsn(IRETURN);
                }
                default -> {
                    if (isFp(op)) {
                        // the interpreter's own FP path: CPACR, lazy stacking, FPCA, cycles, faults
                        setPc();
                        mv.visitVarInsn(ALOAD, L_CPU);
                        push(mv, op);
                        push(mv, a);
                        push(mv, b);
                        push(mv, pc);
                        push(mv, npc);
                        mv.visitMethodInsn(INVOKESTATIC, "org/metertwin/core/cpu/FpExecutor", "execute",
                                "(L" + CPU + ";IIIII)I", false);
                        mv.visitInsn(POP);
                        if (op == Op.VSTR || op == Op.VSTM) {
                            checkLimit();
                        }
                    } else if (isDsp(op)) {
                        setPc();
                        mv.visitVarInsn(ALOAD, L_CPU);
                        push(mv, op);
                        push(mv, a);
                        push(mv, b);
                        push(mv, rd);
                        push(mv, rn);
                        push(mv, rm);
                        push(mv, npc);
                        mv.visitMethodInsn(INVOKESTATIC, "org/metertwin/core/cpu/DspExecutor", "execute",
                                "(L" + CPU + ";IIIIIII)I", false);
                        mv.visitInsn(POP);
                    } else {
                        throw new IllegalStateException("unsupported op " + op);
                    }
                }
            }
        }

        // ------------------------------------------------------------ operands

        private void reg(int n) {
            if (n == 15) {
                push(mv, pc + 4);
            } else {
                mv.visitVarInsn(ALOAD, L_R);
                push(mv, n);
                mv.visitInsn(IALOAD);
            }
        }

        private void notReg(int n) {
            reg(n);
            push(mv, -1);
            mv.visitInsn(IXOR);
        }

        /** r[rd] = value; rd -1 evaluates into L_T only (compare and test). Always leaves value in L_T. */
        private void store(int rd, Runnable value) {
            value.run();
            mv.visitVarInsn(ISTORE, L_T);
            if (rd >= 0) {
                mv.visitVarInsn(ALOAD, L_R);
                push(mv, rd);
                mv.visitVarInsn(ILOAD, L_T);
                if (rd == 13) { // SP bits [1:0] read as zero; flags still come from the whole result in L_T
                    push(mv, ~3);
                    mv.visitInsn(IAND);
                }
                mv.visitInsn(IASTORE);
            }
        }

        private void binaryImm(int rn, int imm, int opcode) {
            reg(rn);
            push(mv, imm);
            mv.visitInsn(opcode);
        }

        private void binaryReg(int rn, int a, int opcode, boolean invert) {
            reg(rn);
            shifted(a);
            if (invert) {
                push(mv, -1);
                mv.visitInsn(IXOR);
            }
            mv.visitInsn(opcode);
        }

        /** Shifted register operand (Alu.immShift); also leaves the unshifted value in L_U for the carry. */
        private void shifted(int a) {
            int rm = (a >>> 8) & 15;
            reg(rm);
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, L_U);
            applyShift(a);
        }

        private void shiftedNoCarry(int a) {
            reg((a >>> 8) & 15);
            applyShift(a);
        }

        private void notShifted(int a) {
            shiftedNoCarry(a);
            push(mv, -1);
            mv.visitInsn(IXOR);
        }

        /** value → Shift(value, type, amount, C): the one of Alu's shift functions the constants select. */
        private void applyShift(int a) {
            int type = (a >>> 17) & 3, amount = (a >>> 24) & 63;
            if (amount == 0 && type != Alu.SRTYPE_ROR) {
                return;
            }
            String name = Alu.shiftName(type, amount);
            if (name.equals("RRX")) {
                mv.visitVarInsn(ALOAD, L_S);
                ArchState.Field.C.get(mv);
                alu(name, "(IZ)I");
            } else {
                push(mv, amount);
                alu(name, "(II)I");
            }
        }

        /** A call of one of {@link Alu}'s definitions. */
        private void alu(String name, String descriptor) {
            mv.visitMethodInsn(INVOKESTATIC, Alu.OWNER, name, descriptor, false);
        }

        private void registerAddress(int rn, int rm, int shift) {
            reg(rn);
            reg(rm);
            if (shift != 0) {
                push(mv, shift);
                mv.visitInsn(ISHL);
            }
            mv.visitInsn(IADD);
        }

        // ------------------------------------------------------------ flags

        private void logical(int a, int rd, boolean setFlags, Runnable value, boolean immediate) {
            store(rd, value);
            if (!setFlags || (a & ThumbDecoder.S) == 0) {
                return;
            }
            setNZfromT();
            if (immediate) {
                if (Alu.immCarryKnown(a)) {
                    mv.visitVarInsn(ALOAD, L_S);
                    push(mv, Alu.immCarry(a) ? 1 : 0);
                    ArchState.Field.C.put(mv);
                }
                return;
            }
            int type = (a >>> 17) & 3, amount = (a >>> 24) & 63;
            if (amount == 0 && type != Alu.SRTYPE_ROR) {
                return; // carry unchanged
            }
            // the shifter's carry out, from the unshifted operand in L_U
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitVarInsn(ILOAD, L_U);
            String name = Alu.shiftName(type, amount);
            if (name.equals("RRX")) {
                alu("RRX_C", "(I)Z");
            } else {
                push(mv, amount);
                alu(name + "_C", "(II)Z");
            }
            ArchState.Field.C.put(mv);
        }

        /**
         * Arithmetic. {@code carry}: 0 or 1 a constant carry-in, -1 the C flag. With flags the operands go
         * through AddWithCarry exactly as in the interpreter (y already inverted for subtraction).
         */
        private void arith(int rd, boolean setFlags, Runnable x, Runnable y, int carry) {
            if (setFlags && carry >= 0) {
                addWithConstantCarry(rd, x, y, carry);
                return;
            }
            if (setFlags) {
                store(rd, () -> {
                    mv.visitVarInsn(ALOAD, L_S);
                    x.run();
                    y.run();
                    carryIn(carry);
                    alu("addWithCarry", "(L" + ArchState.Field.OWNER + ";III)I");
                });
                return;
            }
            store(rd, () -> {
                x.run();
                y.run();
                mv.visitInsn(IADD);
                if (carry != 0) {
                    carryIn(carry);
                    mv.visitInsn(IADD);
                }
            });
        }

        /**
         * AddWithCarry(x, y, carry) with a constant carry (ADD, SUB, RSB, CMP, CMN and their S forms) written
         * out without branches: N = result<31>, Z = IsZero(result), C = the carry out of bit 31
         * ((x AND y) OR ((x OR y) AND NOT result))<31>, V = ((x XOR result) AND (y XOR result))<31>. The
         * same values as {@link Alu#addWithCarry}, in fewer of C2's nodes than inlining it.
         */
        private void addWithConstantCarry(int rd, Runnable x, Runnable y, int carry) {
            x.run();
            mv.visitVarInsn(ISTORE, L_X);
            y.run();
            mv.visitVarInsn(ISTORE, L_Y);
            mv.visitVarInsn(ILOAD, L_X);
            mv.visitVarInsn(ILOAD, L_Y);
            mv.visitInsn(IADD);
            if (carry == 1) {
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IADD);
            }
            mv.visitVarInsn(ISTORE, L_W);
            putFlag(ArchState.Field.N, () -> mv.visitVarInsn(ILOAD, L_W));
            putFlag(ArchState.Field.Z, () -> { // (r OR -r)<31> is 1 unless r == 0
                mv.visitVarInsn(ILOAD, L_W);
                mv.visitVarInsn(ILOAD, L_W);
                mv.visitInsn(INEG);
                mv.visitInsn(IOR);
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
            });
            putFlag(ArchState.Field.C, () -> {
                mv.visitVarInsn(ILOAD, L_X);
                mv.visitVarInsn(ILOAD, L_Y);
                mv.visitInsn(IAND);
                mv.visitVarInsn(ILOAD, L_X);
                mv.visitVarInsn(ILOAD, L_Y);
                mv.visitInsn(IOR);
                mv.visitVarInsn(ILOAD, L_W);
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
                mv.visitInsn(IAND);
                mv.visitInsn(IOR);
            });
            putFlag(ArchState.Field.V, () -> {
                mv.visitVarInsn(ILOAD, L_X);
                mv.visitVarInsn(ILOAD, L_W);
                mv.visitInsn(IXOR);
                mv.visitVarInsn(ILOAD, L_Y);
                mv.visitVarInsn(ILOAD, L_W);
                mv.visitInsn(IXOR);
                mv.visitInsn(IAND);
            });
            store(rd, () -> mv.visitVarInsn(ILOAD, L_W));
        }

        /** Sets a flag to bit 31 of the value {@code word} pushes. */
        private void putFlag(ArchState.Field flag, Runnable word) {
            mv.visitVarInsn(ALOAD, L_S);
            word.run();
            push(mv, 31);
            mv.visitInsn(IUSHR);
            flag.put(mv);
        }

        private void carryIn(int carry) {
            if (carry >= 0) {
                push(mv, carry);
            } else {
                mv.visitVarInsn(ALOAD, L_S);
                ArchState.Field.C.get(mv);
            }
        }

        private void setNZ(int rd) {
            reg(rd);
            mv.visitVarInsn(ISTORE, L_T);
            setNZfromT();
        }

        private void setNZfromT() {
            mv.visitVarInsn(ALOAD, L_S);
            mv.visitVarInsn(ILOAD, L_T);
            alu("setNZ", "(L" + ArchState.Field.OWNER + ";I)V");
        }

        // ------------------------------------------------------------ memory, cycles, control

        private void load(int kind, Runnable address) {
            mv.visitVarInsn(ALOAD, L_CPU);
            address.run();
            switch (kind) {
                case 0 -> mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "load32", "(I)I", false);
                case 1 -> mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "load8", "(I)I", false);
                case 2 -> mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "load16", "(I)I", false);
                case 3 -> {
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "load8", "(I)I", false);
                    mv.visitInsn(I2B);
                }
                default -> {
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "load16", "(I)I", false);
                    mv.visitInsn(I2S);
                }
            }
        }

        private void storeCall(int kind) {
            String method = kind == 0 ? "store32" : kind == 1 ? "store8" : "store16";
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, method, "(II)V", false);
        }

        /**
         * Base writeback after a load or store. For a load into the base register itself the interpreter
         * writes the loaded value last (UNPREDICTABLE encodings are rejected by the decoder anyway).
         */
        private void writeBack(int rn, int offset, int loadedInto) {
            if (loadedInto == rn) {
                return;
            }
            // the load already stored Rt; the base register was read before, so recompute from it: for a
            // load the base is unchanged by the load unless rt == rn, handled above
            mv.visitVarInsn(ALOAD, L_R);
            push(mv, rn);
            reg(rn);
            push(mv, offset);
            mv.visitInsn(IADD);
            mv.visitInsn(IASTORE);
        }

        /** Before an instruction that may fault: the state the fault path expects (and inside an IT block, its IT state). */
        private void setPc() {
            mv.visitVarInsn(ALOAD, L_S);
            push(mv, pc);
            ArchState.Field.PC.put(mv);
            if (it != 0) {
                mv.visitVarInsn(ALOAD, L_CPU);
                mv.visitInsn(DUP);
                push(mv, pc);
                mv.visitFieldInsn(PUTFIELD, CPU, "faultItPc", "I");
                push(mv, it);
                mv.visitFieldInsn(PUTFIELD, CPU, "faultIt", "I");
            }
        }

        private void addCycles(int n) {
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitInsn(DUP);
            mv.visitFieldInsn(GETFIELD, CPU, CYCLES, "J");
            mv.visitLdcInsn((long) n);
            mv.visitInsn(LADD);
            mv.visitFieldInsn(PUTFIELD, CPU, CYCLES, "J");
        }

        /** After a store: when it asked the core to stop (an interrupt became pending), leave the block now. */
        private void checkLimit() {
            if (remaining == 0) {
                return;
            }
            Label go = new Label();
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitFieldInsn(GETFIELD, CPU, LIMIT, "J");
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, go);
            mv.visitVarInsn(ALOAD, L_CPU);
            push(mv, remaining);
            mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "leaveBlockEarly", "(I)V", false);
            int after = it != 0 ? CortexM4.itAdvance(it) : 0;
            if (after != 0) { // the dispatcher single-steps the rest of the IT block
                mv.visitVarInsn(ALOAD, L_S);
                push(mv, after);
                mv.visitFieldInsn(PUTFIELD, ArchState.Field.OWNER, "itState", "I");
            }
            push(mv, npc);
            mv.visitInsn(IRETURN);
            mv.visitLabel(go);
        }
    }
}
