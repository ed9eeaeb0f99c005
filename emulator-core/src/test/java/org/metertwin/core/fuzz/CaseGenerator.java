package org.metertwin.core.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds snippets of 1..5 instructions (an IT block may add its IT instruction) for one instruction group
 * and the register state they start from. Keeps the harness invariants: memory bases point into the
 * scratch buffer (and are never written before the access that uses them), IT blocks are complete and
 * well formed, branches go forward to an instruction boundary inside the snippet or to its end.
 */
final class CaseGenerator {

    static final int VERSION = 5;
    /** Largest distance SP may move from SP_INIT in one snippet (bounded SP destinations). */
    static final int SP_DRIFT = 448;
    static final int SCRATCH = 0x20000000;
    static final int SCRATCH_BYTES = 2048;
    static final int SP_INIT = SCRATCH + SCRATCH_BYTES / 2;

    /** Relative weight of each group in the corpus. */
    static final Map<String, Integer> WEIGHTS = new LinkedHashMap<>();
    static {
        String[] w = {
            Templates.T16_SHIFT_ADDSUB, "3", Templates.T16_IMM8, "2", Templates.T16_DP, "4", Templates.T16_HIREG, "2",
            Templates.T16_MISC, "3", Templates.T16_LDST, "4", Templates.T16_LDM, "3",
            Templates.T32_MODIMM, "5", Templates.T32_PLAINIMM, "4", Templates.T32_SHIFTREG, "5",
            Templates.T32_REGSHIFT, "2", Templates.T32_BITOPS, "2", Templates.T32_MUL, "2", Templates.T32_MULLONG, "3",
            Templates.T32_DIV, "2", Templates.DSP_PARALLEL, "5", Templates.DSP_SAT, "3", Templates.DSP_PACK, "4",
            Templates.DSP_MUL, "5", Templates.T32_LDST, "6", Templates.T32_LDM, "3", Templates.T32_LDRD, "3",
            Templates.T32_EXCL, "2", Templates.STATUS, "1", Templates.IT, "5", Templates.BRANCH, "4",
            Templates.FP_ARITH, "7", Templates.FP_CVT, "5", Templates.FP_CMP, "3", Templates.FP_MOV, "3",
            Templates.FP_LDST, "3", Templates.SP_FORMS, "4", Templates.SYSTEM, "2", Templates.EXCEPTION, "2",
            Templates.CONTROL, "4", Templates.SLEEP_CONTROL, "1",
        };
        for (int k = 0; k < w.length; k += 2) WEIGHTS.put(w[k], Integer.parseInt(w[k + 1]));
    }

    private static final int ROLE_NONE = 0, ROLE_BASE = 1, ROLE_INDEX = 2, ROLE_FPSCR = 3;

    private final Templates templates;
    private final Map<String, List<Encoding>> groups;
    private final List<Encoding> filler = new ArrayList<>();     // any straight-line instruction
    private final List<Encoding> itFiller = new ArrayList<>();   // straight-line and allowed in IT
    private final List<Encoding> flagSetters = new ArrayList<>();
    private final List<String> weightedGroups = new ArrayList<>();

    CaseGenerator(Templates templates) {
        this.templates = templates;
        this.groups = templates.byGroup();
        for (Encoding e : templates.all()) {
            if (e.branch || e.endsCase || e.group.equals(Templates.IT) || e.group.equals(Templates.T32_EXCL)
                || e.group.equals(Templates.CONTROL) || e.group.equals(Templates.SLEEP_CONTROL)) continue;
            // PRIMASK/FAULTMASK writes stay in their own group: a fault after FAULTMASK = 1 would lock up
            if (e.name.equals("CPS_T1") || e.name.equals("MSR_mask_T1")) continue;
            filler.add(e);
            if (e.itOk) itFiller.add(e);
            if (e.group.startsWith("t16_shift") || e.group.equals(Templates.T16_IMM8) || e.group.equals(Templates.T16_DP)
                || e.group.equals(Templates.T32_MODIMM) || e.group.equals(Templates.T32_SHIFTREG)
                || e.name.startsWith("VMRS_APSR")) {
                flagSetters.add(e);
            }
        }
        for (Map.Entry<String, Integer> w : WEIGHTS.entrySet()) {
            if (!groups.containsKey(w.getKey())) throw new IllegalStateException("no templates for " + w.getKey());
            for (int k = 0; k < w.getValue(); k++) weightedGroups.add(w.getKey());
        }
    }

    /** The case with this id of the corpus with this seed: each case has its own random stream. */
    FuzzCase generate(long seed, int id) {
        FuzzRandom rng = new FuzzRandom(seed * 0x9E3779B97F4A7C15L + id * 0xD1B54A32D192ED03L);
        String group = rng.pick(weightedGroups);
        State st = new State(rng);
        FuzzCase c = new FuzzCase(id, group);
        switch (group) {
            case Templates.IT -> itCase(st, c);
            case Templates.BRANCH -> branchCase(st, c);
            case Templates.T32_EXCL -> exclusiveCase(st, c);
            case Templates.EXCEPTION -> exceptionCase(st, c);
            case Templates.CONTROL -> controlCase(st, c);
            case Templates.SLEEP_CONTROL -> sleepControlCase(st, c);
            default -> plainCase(st, c, groups.get(group));
        }
        fixBranches(st, c);
        int[] addr = addresses(c);
        for (Fixup fx : st.fixups) fx.apply(addr);
        for (FuzzCase.Instr in : c.instrs) in.refresh();
        inputs(st, c);
        return c;
    }

    // ---- snippet shapes -------------------------------------------------------------------------

    private void plainCase(State st, FuzzCase c, List<Encoding> own) {
        int n = st.rng.range(1, 5);
        while (c.instrs.size() < n) {
            List<Encoding> pool = st.rng.percent(75) ? own : filler;
            add(st, c, pool, false);
        }
    }

    private void itCase(State st, FuzzCase c) {
        if (st.rng.percent(60)) add(st, c, st.rng.percent(70) ? flagSetters : filler, false);
        int firstcond = st.rng.below(15);
        int mask = firstcond == 14 ? 8 : st.rng.range(1, 15);
        int len = 4 - Integer.numberOfTrailingZeros(mask);
        Fields f = new Fields();
        f.set('c', firstcond);
        f.set('m', mask);
        c.instrs.add(new FuzzCase.Instr(templates.named("IT_T1"), f, false));
        for (int k = 0; k < len; k++) {
            boolean last = k == len - 1;
            if (last && st.rng.percent(15)) {
                Encoding b = templates.named(st.rng.percent(50) ? "B_T2" : "B_T4");
                c.instrs.add(new FuzzCase.Instr(b, new Fields(), true));
            } else {
                add(st, c, itFiller, true);
            }
        }
        if (c.instrs.size() < 6 && st.rng.percent(40)) add(st, c, filler, false);
    }

    private void branchCase(State st, FuzzCase c) {
        List<Encoding> branches = groups.get(Templates.BRANCH);
        int n = st.rng.range(2, 5);
        int at = st.rng.below(n - 1);
        int second = st.rng.percent(30) ? st.rng.below(n) : -1;
        for (int k = 0; k < n; k++) {
            if (k == at || k == second) {
                Encoding b = st.rng.pick(branches);
                Fields f = new Fields();
                if (!fill(st, b, f, false)) { k--; continue; }
                c.instrs.add(new FuzzCase.Instr(b, f, false));
            } else {
                add(st, c, st.rng.percent(50) ? flagSetters : filler, false);
            }
        }
    }

    /** Straight-line instructions, then one that raises an exception: the harness prints a fault line. */
    private void exceptionCase(State st, FuzzCase c) {
        int n = st.rng.range(0, 3);
        while (c.instrs.size() < n) add(st, c, filler, false);
        add(st, c, groups.get(Templates.EXCEPTION), false);
    }

    /** LDREX/STREX of one size to one address (succeeds), a lone STREX (fails), or with CLREX between. */
    private void exclusiveCase(State st, FuzzCase c) {
        if (st.rng.percent(30)) add(st, c, filler, false);
        String[][] sizes = {{"LDREX_T1", "STREX_T1"}, {"LDREXB_T1", "STREXB_T1"}, {"LDREXH_T1", "STREXH_T1"}};
        String[] pair = sizes[st.rng.below(3)];
        int shape = st.rng.below(6);
        if (shape == 0) {
            addNamed(st, c, pair[1], null);
        } else {
            FuzzCase.Instr ld = addNamed(st, c, pair[0], null);
            if (shape == 1) addNamed(st, c, "CLREX_T1", null);
            addNamed(st, c, pair[1], ld == null ? null : ld.fields);
        }
        if (st.rng.percent(30)) add(st, c, filler, false);
    }

    private FuzzCase.Instr addNamed(State st, FuzzCase c, String name, Fields sameAddress) {
        Encoding e = templates.named(name);
        for (int tries = 0; tries < 200; tries++) {
            Fields f = new Fields();
            if (sameAddress != null) {
                f.set('n', sameAddress.get('n'));
                f.set('i', sameAddress.get('i'));
            }
            if (fill(st, e, f, false, sameAddress != null ? "ni" : "")) {
                FuzzCase.Instr in = new FuzzCase.Instr(e, f, false);
                c.instrs.add(in);
                return in;
            }
        }
        return null;
    }

    private void add(State st, FuzzCase c, List<Encoding> pool, boolean inIt) {
        for (int tries = 0; tries < 100; tries++) {
            Encoding e = st.rng.pick(pool);
            if (inIt && !e.itOk) continue;
            Fields f = new Fields();
            if (fill(st, e, f, inIt)) {
                c.instrs.add(new FuzzCase.Instr(e, f, inIt));
                return;
            }
        }
        // a group's every template can be blocked by the snippet so far (SP drift used up, no free base
        // register): a NOP keeps the case's shape (about one case in 100,000; none in the committed corpus)
        c.instrs.add(new FuzzCase.Instr(templates.named("NOP_T1"), new Fields(), inIt));
    }

    // ---- gadgets: PC and LR writes, sleep, CONTROL ------------------------------------------------

    /** Sets a field of an instruction once the snippet's addresses (relative to its word-aligned start) are known. */
    @FunctionalInterface
    private interface Fixup {
        void apply(int[] addr);
    }

    private FuzzCase.Instr put(State st, FuzzCase c, String name, Object... fieldValues) {
        Fields f = new Fields();
        for (int k = 0; k < fieldValues.length; k += 2) f.set((Character) fieldValues[k], (Integer) fieldValues[k + 1]);
        Encoding e = templates.named(name);
        FuzzCase.Instr in = new FuzzCase.Instr(e, f, false);
        c.instrs.add(in);
        st.written |= e.writtenMask(f) & 0x1fff;
        return in;
    }

    /** Distinct registers not written so far and holding no role: from r0-r7 for 16-bit fields. */
    private int[] freeRegs(State st, int count, int hi) {
        List<Integer> cand = new ArrayList<>();
        for (int r = 0; r <= hi; r++) if (!Fields.has(st.written, r) && st.role[r] == ROLE_NONE) cand.add(r);
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = cand.remove(st.rng.below(cand.size()));
            st.written |= 1 << out[k];      // kept from the roles of the instructions around the gadget
        }
        return out;
    }

    /** A later instruction boundary (or the snippet's end) at least minDelta bytes after instruction jump. */
    private static int target(FuzzRandom rng, int[] addr, int jump, int minDelta) {
        List<Integer> t = new ArrayList<>();
        for (int j = jump + 1; j < addr.length; j++) if (addr[j] >= addr[jump] + minDelta) t.add(addr[j]);
        return rng.pick(t);
    }

    /** ADR.W Rd, label (+1 for a Thumb address): Align(PC, 4) + imm12, PC = the ADR's address + 4. */
    private static void adrTo(FuzzCase.Instr adr, int adrAddr, int label) {
        adr.fields.set('i', label - ((adrAddr + 4) & ~3));
    }

    /** 0-2 straight-line instructions of any group. */
    private void fillerRun(State st, FuzzCase c, int max) {
        int n = st.rng.range(0, max);
        for (int k = 0; k < n; k++) add(st, c, filler, false);
    }

    /**
     * One PC write other than B/CBZ, with its operand made a label of the snippet: BX/BLX/MOV PC from ADR.W;
     * ADD PC from a MOVW offset; POP/LDM/LDR of PC from a word PUSHed by the gadget; TBB/TBH from a byte or
     * halfword stored at SP; BL. Instructions between the jump and its label are skipped.
     */
    private void controlCase(State st, FuzzCase c) {
        // the gadget's registers first, while all are free: the instructions before it may write them
        // (the gadget sets them afterwards) but take no base or index role from them
        int[] lo = freeRegs(st, 4, 7);
        int hi = freeRegs(st, 1, 12)[0];
        fillerRun(st, c, 2);
        int kind = st.rng.below(13);
        int jump;
        FuzzRandom rng = st.rng;
        switch (kind) {
            case 0, 1, 2 -> {               // BX Rm, BLX Rm, MOV PC, Rm from ADR.W Rm, label(+1)
                int m = hi;
                int a = c.instrs.size();
                put(st, c, "ADR_T3_label", 'd', m);
                jump = c.instrs.size();
                put(st, c, kind == 0 ? "BX_T1" : kind == 1 ? "BLX_reg_T1" : "MOV_reg_T1_to_PC", 'm', m);
                int thumb = kind == 2 ? rng.below(2) : 1;   // MOV PC ignores bit 0 (BranchWritePC)
                int j = jump;
                st.fixups.add(addr -> adrTo(c.instrs.get(a), addr[a], target(rng, addr, j, 2) + thumb));
            }
            case 3 -> {                     // BL label
                jump = c.instrs.size();
                put(st, c, "BL_T1");
            }
            case 4 -> {                     // ADD PC, Rm with Rm = label - (PC + 4)
                int m = hi;
                int a = c.instrs.size();
                put(st, c, "MOVW_T3_offset", 'd', m);
                jump = c.instrs.size();
                put(st, c, "ADD_reg_T2_to_PC", 'm', m);
                int j = jump;
                int bit0 = rng.below(2);
                st.fixups.add(addr -> {
                    int off = target(rng, addr, j, 4) - (addr[j] + 4) + bit0;
                    c.instrs.get(a).fields.set('k', off >>> 12);
                    c.instrs.get(a).fields.set('i', off & 0xfff);
                });
            }
            case 5, 6, 7, 8 -> {            // POP {.., PC} T1 / T2, LDMIA / LDMDB {.., PC}
                int[] r = lo;   // x: label, y: word below it, z: loaded with y, n: base
                int x = Math.max(r[0], r[1]), y = Math.min(r[0], r[1]), z = r[2], n = r[3];
                int a = c.instrs.size();
                put(st, c, "ADR_T3_label", 'd', x);
                boolean single = kind == 5 && rng.oneIn(2);
                put(st, c, "PUSH_T1", 'r', single ? 1 << x : 1 << x | 1 << y);
                st.spDrift += 8;
                if (kind == 7) put(st, c, "MOV_reg_T1_from_SP", 'd', n);
                if (kind == 8) put(st, c, "ADD_SP_imm_T1", 'd', n, 'i', 2);
                jump = c.instrs.size();
                switch (kind) {
                    case 5 -> put(st, c, "POP_T1_PC", 'r', single ? 0 : 1 << z);
                    case 6 -> put(st, c, "POP_T2_PC", 'r', 1 << z);
                    case 7 -> put(st, c, "LDMIA_T2_PC", 'n', n, 'w', rng.below(2), 'r', 1 << z);
                    default -> put(st, c, "LDMDB_T1_PC", 'n', n, 'w', rng.below(2), 'r', 1 << z);
                }
                int j = jump;
                st.fixups.add(addr -> adrTo(c.instrs.get(a), addr[a], target(rng, addr, j, 2) + 1));
            }
            case 9, 10, 11 -> {             // LDR PC, [SP or Rn, #0] / [Rn], #4 / [Rn, Rk, LSL #s] (Rk = 0)
                int[] r = lo;
                int x = r[0], n = r[1], k = r[2];
                int a = c.instrs.size();
                put(st, c, "ADR_T3_label", 'd', x);
                put(st, c, "PUSH_T1", 'r', 1 << x);
                st.spDrift += 4;
                boolean viaSp = kind == 9 && rng.oneIn(2);
                if (!viaSp) put(st, c, "MOV_reg_T1_from_SP", 'd', n);
                if (kind == 11) put(st, c, "MOVS_imm_T1", 'd', k, 'i', 0);
                jump = c.instrs.size();
                switch (kind) {
                    case 9 -> put(st, c, "LDR_imm12_to_PC", 'n', viaSp ? 13 : n, 'i', 0);
                    case 10 -> put(st, c, "LDR_imm8_postidx_to_PC", 'n', n, 'i', 4);
                    default -> put(st, c, "LDR_reg_to_PC", 'n', n, 'm', k, 'j', rng.below(4));
                }
                int j = jump;
                st.fixups.add(addr -> adrTo(c.instrs.get(a), addr[a], target(rng, addr, j, 2) + 1));
            }
            default -> {                    // TBB [Rn, Rm] / TBH [Rn, Rm, LSL #1] from an entry stored at SP
                boolean half = rng.oneIn(2);
                int v = lo[0], m = lo[1];
                int n = hi;
                int slot = rng.below(8);
                int a = c.instrs.size();
                put(st, c, "MOVS_imm_T1", 'd', v, 'i', 0);
                put(st, c, "STR_SP_T2", 't', v, 'i', slot);
                put(st, c, "MOV_reg_T1_from_SP", 'd', n);
                put(st, c, "MOVS_imm_T1", 'd', m, 'i', half ? 2 * slot : 4 * slot);
                jump = c.instrs.size();
                put(st, c, half ? "TBH_T1" : "TBB_T1", 'n', n, 'm', m);
                int j = jump;
                st.fixups.add(addr -> c.instrs.get(a).fields.set('i', (target(rng, addr, j, 4) - (addr[j] + 4)) / 2));
            }
        }
        fillerRun(st, c, 2);                // skipped unless the label is the next instruction
        if (kind == 4 && c.instrs.size() == jump + 1) add(st, c, filler, false);  // ADD PC needs a label >= PC
        if (rng.percent(50)) fillerRun(st, c, 1);
    }

    /**
     * SEV then WFE (the event register is set: WFE returns at once); WFI with SysTick pended under PRIMASK
     * (WFI wakes for an interrupt that PRIMASK masks; the pending state is cleared before PRIMASK is);
     * MSR CONTROL with FPCA 0 or 1 and the privileged, main-stack bits unchanged, read back with MRS; MSR
     * BASEPRI then BASEPRI_MAX, read back.
     */
    private void sleepControlCase(State st, FuzzCase c) {
        int[] r = freeRegs(st, 3, 7);
        fillerRun(st, c, 1);
        FuzzRandom rng = st.rng;
        switch (rng.below(4)) {
            case 0 -> {
                put(st, c, rng.oneIn(2) ? "SEV_T1" : "SEV_T2");
                fillerRun(st, c, 1);
                put(st, c, rng.oneIn(2) ? "WFE_T1" : "WFE_T2");
            }
            case 1 -> {
                int icsr = r[0], v = r[1];
                put(st, c, "CPS_T1", 'm', 1, 'i', 1, 'f', 0);
                put(st, c, "MOVW_T3", 'd', icsr, 'k', 0xe, 'i', 0xd04);      // 0xE000ED04: ICSR
                put(st, c, "MOVT_T1", 'd', icsr, 'k', 0xe, 'i', 0x000);
                put(st, c, "MOVW_T3", 'd', v, 'k', 0, 'i', 0);
                put(st, c, "MOVT_T1", 'd', v, 'k', 0x0, 'i', 0x400);         // PENDSTSET, bit 26
                put(st, c, "STR_imm_T1_ICSR", 'n', icsr, 't', v, 'i', 0);
                put(st, c, rng.oneIn(2) ? "WFI_T1" : "WFI_T2");
                put(st, c, "MOVT_T1", 'd', v, 'k', 0x0, 'i', 0x200);         // PENDSTCLR, bit 25
                put(st, c, "STR_imm_T1_ICSR", 'n', icsr, 't', v, 'i', 0);
            }
            case 2 -> {
                // priority values in bits [7:5]: the bits a priority has on every Cortex-M4 (QEMU's
                // mps2-an386 keeps 8, the AN386's core 3); BASEPRI_MAX writes only a raise of the mask
                put(st, c, "MOVS_imm_T1", 'd', r[0], 'i', rng.below(8) << 5);
                put(st, c, "MSR_BASEPRI_T1", 'n', r[0]);
                put(st, c, "MOVS_imm_T1", 'd', r[1], 'i', rng.below(8) << 5);
                put(st, c, "MSR_BASEPRI_MAX_T1", 'n', r[1]);
                put(st, c, "MRS_special_T1", 'd', r[2], 's', 17);
            }
            default -> {
                put(st, c, "MOVS_imm_T1", 'd', r[0], 'i', rng.oneIn(2) ? 0 : 4);   // CONTROL.FPCA
                put(st, c, "MSR_CONTROL_T1", 'n', r[0]);
                put(st, c, "ISB_T1", 'o', 15);
                put(st, c, "MRS_special_T1", 'd', r[1], 's', 20);
            }
        }
        fillerRun(st, c, 1);
    }

    // ---- field values ---------------------------------------------------------------------------

    private boolean fill(State st, Encoding e, Fields f, boolean inIt) {
        return fill(st, e, f, inIt, "");
    }

    /** Chooses field values (letters in {@code keep} are preset); commits register roles on success. */
    private boolean fill(State st, Encoding e, Fields f, boolean inIt, String keep) {
        FuzzRandom rng = st.rng;
        String letters = e.letters();
        for (int attempt = 0; attempt < 300; attempt++) {
            f.inIt = inIt;
            int baseReg = -1, indexReg = -1, fpReg = -1;
            boolean ok = true;
            for (char ch : letters.toCharArray()) {
                if (keep.indexOf(ch) >= 0) {
                    if (ch == e.base) baseReg = f.get(ch);
                    continue;
                }
                int w = e.fieldWidth(ch);
                int v;
                if (ch == e.base && e.baseKind == Encoding.BaseKind.REGISTER) {
                    v = st.pickRole(w, ROLE_BASE, e.baseAlign);
                    baseReg = v;
                } else if (ch == e.index) {
                    v = st.pickRole(w, ROLE_INDEX, 1);
                    indexReg = v;
                } else if (ch == e.fpscrValue) {
                    v = st.pickRole(w, ROLE_FPSCR, 1);
                    fpReg = v;
                } else if (e.regs.indexOf(ch) >= 0) {
                    int hi = w == 3 ? 7 : 12;
                    v = (e.spOk.indexOf(ch) >= 0 && rng.oneIn(6)) ? 13 : rng.range(0, hi);
                } else {
                    v = randomField(e, ch, w, rng);
                }
                if (v < 0) { ok = false; break; }
                f.set(ch, v);
            }
            if (!ok) return false;     // no register can take the role: try another template
            if (baseReg >= 0 && baseReg == indexReg) continue;
            e.post.accept(f);
            boolean valid = true;
            for (var p : e.valid) if (!p.test(f)) { valid = false; break; }
            if (!valid) continue;
            int move = e.writesSp ? e.spMove.applyAsInt(f) : 0;
            if (st.spDrift + move > SP_DRIFT) continue;
            st.spDrift += e.writesSp ? e.spMove.applyAsInt(f) : 0;
            if (baseReg >= 0) st.commit(baseReg, ROLE_BASE, e.baseAlign);
            if (indexReg >= 0) st.commit(indexReg, ROLE_INDEX, 1);
            if (fpReg >= 0) st.commit(fpReg, ROLE_FPSCR, 1);
            st.written |= e.writtenMask(f) & 0x1fff;
            return true;
        }
        return false;
    }

    private static int randomField(Encoding e, char ch, int width, FuzzRandom rng) {
        for (int[] c : e.choices) if (c[0] == ch) return c[1 + rng.below(c.length - 1)];
        for (int[] r : e.ranges) if (r[0] == ch) return rng.range(r[1], r[2]);
        int v = rng.nextInt() & ((1 << width) - 1);
        if (width == 5 && rng.oneIn(4)) v = new int[] {0, 1, 31, 16}[rng.below(4)];   // shift/width edges
        return v;
    }

    // ---- branches -------------------------------------------------------------------------------

    /** Points every branch at a later instruction boundary outside an IT block's interior, or the end. */
    private void fixBranches(State st, FuzzCase c) {
        for (int b = 0; b < c.instrs.size(); b++) {
            FuzzCase.Instr br = c.instrs.get(b);
            if (!br.encoding.branch) continue;
            List<Integer> targets = new ArrayList<>();
            int[] addr = addresses(c);
            boolean[] interior = itInterior(c);
            for (int j = b + 1; j <= c.instrs.size(); j++) {
                if (addr[j] >= addr[b] + 4 && (j == c.instrs.size() || !interior[j])) targets.add(j);
            }
            if (targets.isEmpty()) {                 // 16-bit branch at the very end: give it room
                c.instrs.add(new FuzzCase.Instr(templates.named("NOP_T1"), new Fields(), false));
                b--;
                continue;
            }
            int j = st.rng.pick(targets);
            int offset = addr[j] - (addr[b] + 4);
            br.fields.set('i', offset >>> 1);
            br.refresh();
        }
    }

    private static int[] addresses(FuzzCase c) {
        int[] a = new int[c.instrs.size() + 1];
        for (int k = 0; k < c.instrs.size(); k++) a[k + 1] = a[k] + c.instrs.get(k).size();
        return a;
    }

    /** True for instructions after the first of an IT block (a branch must not land there). */
    private static boolean[] itInterior(FuzzCase c) {
        boolean[] in = new boolean[c.instrs.size() + 1];
        for (int k = 0; k < c.instrs.size(); k++) {
            FuzzCase.Instr i = c.instrs.get(k);
            if (i.encoding.group.equals(Templates.IT)) {
                int len = 4 - Integer.numberOfTrailingZeros(i.fields.get('m'));
                for (int j = 1; j <= len && k + j < in.length; j++) in[k + j] = true;
            }
        }
        return in;
    }

    // ---- inputs ---------------------------------------------------------------------------------

    private static final int[] SPECIAL = {0, 1, 2, -1, -2, 0x7fffffff, 0x80000000, 0x80000001, 0xffff, 0x8000,
                                          0x7fff, 0xffff8000, 0xff, 0x80, 0x7f, 0x10000, 0x7f7f7f7f, 0x80808080,
                                          0x00ff00ff, 0xff00ff00, 31, 32, 33, 0xdeadbeef};

    private void inputs(State st, FuzzCase c) {
        FuzzRandom rng = st.rng;
        for (int k = 0; k < 13; k++) {
            c.r[k] = switch (st.role[k]) {
                case ROLE_BASE, ROLE_INDEX, ROLE_FPSCR -> st.value[k];
                default -> randomWord(rng);
            };
        }
        divisionEdges(st, c);
        c.apsr = (rng.nextInt() & 0xf8000000) | (rng.nextInt() & 0x000f0000);
        c.fpscr = randomFpscr(rng);
        c.seed = rng.nextInt() | 1;
    }

    /**
     * Random words seldom make the two division corners: give the first SDIV/UDIV of a case whose operands
     * still hold their inputs INT_MIN / -1 (SDIV overflow) or a zero divisor, one time in three each.
     */
    private static void divisionEdges(State st, FuzzCase c) {
        int written = 0;
        for (FuzzCase.Instr in : c.instrs) {
            String name = in.encoding.name;
            if (name.equals("SDIV_T1") || name.equals("UDIV_T1")) {
                int n = in.fields.get('n');
                int m = in.fields.get('m');
                boolean free = n != m && !Fields.has(written, n) && !Fields.has(written, m)
                    && st.role[n] == ROLE_NONE && st.role[m] == ROLE_NONE;
                int pick = st.rng.below(3);
                if (free && pick == 0) {
                    c.r[n] = 0x80000000;
                    c.r[m] = -1;
                } else if (free && pick == 1) {
                    c.r[m] = 0;
                }
                return;
            }
            written |= in.encoding.writtenMask(in.fields);
        }
    }

    static int randomWord(FuzzRandom rng) {
        switch (rng.below(8)) {
            case 0: case 1: return SPECIAL[rng.below(SPECIAL.length)];
            case 2: return rng.range(-64, 64);
            case 3: {                                   // lanes near the saturation edges
                int v = 0;
                int[] lanes = {0, 0x7f, 0x80, 0xff, 0x01, 0xfe};
                for (int k = 0; k < 4; k++) v |= (rng.oneIn(2) ? lanes[rng.below(lanes.length)] : rng.below(256)) << (8 * k);
                return v;
            }
            default: return rng.nextInt();
        }
    }

    /** A value with only FPSCR bits that exist on FPv4-SP: NZCV, AHP, DN, FZ, RMode, IDC, IXC..IOC. */
    static int randomFpscr(FuzzRandom rng) {
        int v = rng.nextInt() & 0xf0000000;
        if (rng.oneIn(4)) v |= 1 << 26;
        if (rng.oneIn(3)) v |= 1 << 25;
        if (rng.oneIn(3)) v |= 1 << 24;
        if (rng.oneIn(2)) v |= rng.below(4) << 22;
        if (rng.oneIn(4)) v |= rng.nextInt() & 0x9f;
        return v;
    }

    /** Per-case generation state: registers written so far and the roles given to initial values. */
    private static final class State {
        final FuzzRandom rng;
        int written;
        int spDrift;            // bound on |SP - SP_INIT| after the instructions so far
        final int[] role = new int[13];
        final int[] value = new int[13];
        final List<Fixup> fixups = new ArrayList<>();

        State(FuzzRandom rng) { this.rng = rng; }

        /** A register not written so far whose initial value can serve the role, or -1. */
        int pickRole(int width, int wantRole, int align) {
            int hi = width == 3 ? 7 : 12;
            int[] cand = new int[13];
            int n = 0;
            for (int r = 0; r <= hi; r++) {
                if (Fields.has(written, r)) continue;
                if (role[r] == ROLE_NONE || (role[r] == wantRole && (wantRole != ROLE_BASE || value[r] % align == 0))) {
                    cand[n++] = r;
                }
            }
            return n == 0 ? -1 : cand[rng.below(n)];
        }

        void commit(int r, int newRole, int align) {
            if (role[r] != ROLE_NONE) return;
            role[r] = newRole;
            value[r] = switch (newRole) {
                case ROLE_BASE -> {
                    int v = SP_INIT + rng.range(-128, 128);
                    if (align > 1 || rng.percent(60)) v &= ~(Math.max(align, 4) - 1);
                    yield v;
                }
                case ROLE_INDEX -> rng.range(0, 63);
                default -> randomFpscr(rng);
            };
        }
    }
}
