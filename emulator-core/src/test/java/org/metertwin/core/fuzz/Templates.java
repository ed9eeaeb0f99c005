package org.metertwin.core.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of Thumb-2 / FPv4-SP encodings the fuzzer generates, by instruction group. Encodings follow
 * the ARMv7-M Architecture Reference Manual (DDI 0403E), chapter A5 (Thumb instruction set encoding) and A6
 * (floating-point), and chapter A7's per-instruction "UNPREDICTABLE" lines, which become predicates here.
 *
 * <p>Conventions: general register fields d, n, m, t, a, l, h, T take r0-r7 (3 bits) or r0-r12 (4 bits):
 * SP, LR and PC belong to the harness (LR holds its context pointer), which also rules out every
 * "d == 13 || d == 15 then UNPREDICTABLE" corner. Encodings whose Rn/Rd = 1111 means another
 * instruction (TST, MOV, ADR, SXTH, MUL, ...) get templates of their own. Memory bases point into the
 * 2 KiB scratch buffer and offsets are bounded so that every access stays inside it.
 */
final class Templates {

    static final String T16_SHIFT_ADDSUB = "t16_shift_addsub";
    static final String T16_IMM8 = "t16_imm8";
    static final String T16_DP = "t16_dp";
    static final String T16_HIREG = "t16_hireg";
    static final String T16_MISC = "t16_misc";
    static final String T16_LDST = "t16_ldst";
    static final String T16_LDM = "t16_ldm_push_pop";
    static final String T32_MODIMM = "t32_dp_modimm";
    static final String T32_PLAINIMM = "t32_dp_plainimm";
    static final String T32_SHIFTREG = "t32_dp_shiftreg";
    static final String T32_REGSHIFT = "t32_regshift";
    static final String T32_BITOPS = "t32_clz_rbit_rev";
    static final String T32_MUL = "t32_mul";
    static final String T32_MULLONG = "t32_mul_long";
    static final String T32_DIV = "t32_div";
    static final String DSP_PARALLEL = "dsp_parallel";
    static final String DSP_SAT = "dsp_saturate";
    static final String DSP_PACK = "dsp_pack_extend_sel";
    static final String DSP_MUL = "dsp_mul";
    static final String T32_LDST = "t32_ldst";
    static final String T32_LDM = "t32_ldm_stm";
    static final String T32_LDRD = "t32_ldrd_strd";
    static final String T32_EXCL = "t32_exclusive";
    static final String STATUS = "mrs_msr";
    static final String IT = "it_block";
    static final String BRANCH = "branch";
    static final String FP_ARITH = "fp_arith";
    static final String FP_CVT = "fp_cvt";
    static final String FP_CMP = "fp_cmp";
    static final String FP_MOV = "fp_mov";
    static final String FP_LDST = "fp_ldst";
    static final String SP_FORMS = "sp_forms";
    static final String SYSTEM = "system";
    static final String EXCEPTION = "exception";
    /** Writes of PC other than B/CBZ (BX, BLX, BL, MOV/ADD PC, loads of PC, TBB/TBH): built as gadgets. */
    static final String CONTROL = "pc_lr_writes";
    /** WFE after SEV, WFI with an interrupt pending under PRIMASK, MSR CONTROL: built as gadgets. */
    static final String SLEEP_CONTROL = "sleep_control";

    private final List<Encoding> all = new ArrayList<>();

    Templates() {
        thumb16();
        thumb32DataProcessing();
        thumb32Multiply();
        dsp();
        loadStore();
        statusAndBranch();
        floatingPoint();
        stackPointerForms();
        system();
        exceptions();
        controlFlow();
        sleepAndControl();
    }

    List<Encoding> all() { return Collections.unmodifiableList(all); }

    Map<String, List<Encoding>> byGroup() {
        Map<String, List<Encoding>> m = new LinkedHashMap<>();
        for (Encoding e : all) m.computeIfAbsent(e.group, g -> new ArrayList<>()).add(e);
        return m;
    }

    Encoding named(String name) {
        for (Encoding e : all) if (e.name.equals(name)) return e;
        throw new IllegalArgumentException(name);
    }

    private Encoding add(String group, String name, String pattern) {
        Encoding e = new Encoding(group, name, pattern);
        all.add(e);
        return e;
    }

    // ---- 16-bit Thumb ---------------------------------------------------------------------------

    private void thumb16() {
        String g = T16_SHIFT_ADDSUB;
        // LSL #0 is MOVS Rd, Rm (T2), UNPREDICTABLE inside an IT block (A7.7.77)
        add(g, "LSLS_imm_T1", "00000iiiiimmmddd").writes("d").regs("m").when(f -> !f.inIt || f.get('i') != 0);
        add(g, "LSRS_imm_T1", "00001iiiiimmmddd").writes("d").regs("m");
        add(g, "ASRS_imm_T1", "00010iiiiimmmddd").writes("d").regs("m");
        add(g, "ADDS_reg_T1", "0001100mmmnnnddd").writes("d").regs("nm");
        add(g, "SUBS_reg_T1", "0001101mmmnnnddd").writes("d").regs("nm");
        add(g, "ADDS_imm_T1", "0001110iiinnnddd").writes("d").regs("n");
        add(g, "SUBS_imm_T1", "0001111iiinnnddd").writes("d").regs("n");

        g = T16_IMM8;
        add(g, "MOVS_imm_T1", "00100dddiiiiiiii").writes("d");
        add(g, "CMP_imm_T1", "00101nnniiiiiiii").regs("n");
        add(g, "ADDS_imm_T2", "00110dddiiiiiiii").writes("d");
        add(g, "SUBS_imm_T2", "00111dddiiiiiiii").writes("d");

        g = T16_DP;
        String[] dp = {"ANDS", "EORS", "LSLS_reg", "LSRS_reg", "ASRS_reg", "ADCS", "SBCS", "RORS_reg",
                       "TST", "RSBS_zero", "CMP", "CMN", "ORRS", "MULS", "BICS", "MVNS"};
        for (int op = 0; op < 16; op++) {
            String bits = String.format("%4s", Integer.toBinaryString(op)).replace(' ', '0');
            Encoding e = add(g, dp[op] + "_T1", "010000" + bits + "mmmddd").regs("dm");
            if (op != 8 && op != 10 && op != 11) e.writes("d");
        }

        g = T16_HIREG;
        // d = DN:Rdn, 4-bit fields; SP forms are other instructions, PC forms are excluded by the register set
        add(g, "ADD_reg_T2", "01000100dmmmmddd").writes("d").regs("m");
        add(g, "CMP_reg_T2", "01000101nmmmmnnn").regs("nm").spOk("nm").when(f -> f.get('n') >= 8 || f.get('m') >= 8);
        add(g, "MOV_reg_T1", "01000110dmmmmddd").writes("d").regs("m");
        // PC as the source: the instruction's address + 4 (not word aligned)
        add(g, "ADD_reg_T2_from_PC", "01000100d1111ddd").writes("d").when(f -> f.get('d') != 13 && f.get('d') != 15);
        add(g, "MOV_reg_T1_from_PC", "01000110d1111ddd").writes("d").when(f -> f.get('d') != 13 && f.get('d') != 15);

        g = T16_MISC;
        add(g, "SXTH_T1", "1011001000mmmddd").writes("d").regs("m");
        add(g, "SXTB_T1", "1011001001mmmddd").writes("d").regs("m");
        add(g, "UXTH_T1", "1011001010mmmddd").writes("d").regs("m");
        add(g, "UXTB_T1", "1011001011mmmddd").writes("d").regs("m");
        add(g, "REV_T1", "1011101000mmmddd").writes("d").regs("m");
        add(g, "REV16_T1", "1011101001mmmddd").writes("d").regs("m");
        add(g, "REVSH_T1", "1011101011mmmddd").writes("d").regs("m");
        add(g, "ADR_T1", "10100dddiiiiiiii").writes("d");
        add(g, "ADD_SP_imm_T1", "10101dddiiiiiiii").writes("d");
        add(g, "ADD_SP_SP_imm_T2", "101100000iiiiiii").range('i', 0, 31).spMove(f -> 4 * f.get('i'));
        add(g, "SUB_SP_SP_imm_T1", "101100001iiiiiii").range('i', 0, 31).spMove(f -> 4 * f.get('i'));
        add(g, "NOP_T1", "1011111100000000");

        g = T16_LDST;
        add(g, "STR_imm_T1", "01100iiiiinnnttt").base('n', 1).regs("t");
        add(g, "LDR_imm_T1", "01101iiiiinnnttt").base('n', 1).writes("t");
        add(g, "STRB_imm_T1", "01110iiiiinnnttt").base('n', 1).regs("t");
        add(g, "LDRB_imm_T1", "01111iiiiinnnttt").base('n', 1).writes("t");
        add(g, "STRH_imm_T1", "10000iiiiinnnttt").base('n', 1).regs("t");
        add(g, "LDRH_imm_T1", "10001iiiiinnnttt").base('n', 1).writes("t");
        add(g, "STR_SP_T2", "10010tttiiiiiiii").spBase().regs("t").range('i', 0, 47);
        add(g, "LDR_SP_T2", "10011tttiiiiiiii").spBase().writes("t").range('i', 0, 47);
        add(g, "LDR_lit_T1", "01001tttiiiiiiii").pcBase().writes("t").range('i', 0, 63);
        String[] rOff = {"STR", "STRH", "STRB", "LDRSB", "LDR", "LDRH", "LDRB", "LDRSH"};
        for (int op = 0; op < 8; op++) {
            String bits = String.format("%3s", Integer.toBinaryString(op)).replace(' ', '0');
            Encoding e = add(g, rOff[op] + "_reg_T1", "0101" + bits + "mmmnnnttt").base('n', 1).index('m');
            if (op >= 3) e.writes("t"); else e.regs("t");
        }

        g = T16_LDM;
        // STM T1 with Rn in the list stores an UNKNOWN value unless Rn is the lowest: keep Rn out
        add(g, "STM_T1", "11000nnnrrrrrrrr").base('n', 4)
            .when(f -> f.get('r') != 0 && !Fields.has(f.get('r'), f.get('n')))
            .extraWrites(f -> 1 << f.get('n'));
        // LDM T1 writes back only when Rn is not in the list
        add(g, "LDM_T1", "11001nnnrrrrrrrr").base('n', 4).when(f -> f.get('r') != 0)
            .extraWrites(f -> f.get('r') | (1 << f.get('n')));
        add(g, "PUSH_T1", "10110100rrrrrrrr").when(f -> f.get('r') != 0).writesSp();
        add(g, "POP_T1", "10111100rrrrrrrr").when(f -> f.get('r') != 0).writesSp().extraWrites(f -> f.get('r'));
    }

    // ---- 32-bit data processing -----------------------------------------------------------------

    private static final String[] DP_OPS = {"AND", "BIC", "ORR", "ORN", "EOR", null, null, null,
                                            "ADD", null, "ADC", "SBC", null, "SUB", "RSB", null};

    private static String bin(int v, int width) {
        return String.format("%" + width + "s", Integer.toBinaryString(v)).replace(' ', '0');
    }

    /**
     * ThumbExpandImm_C (A5.3.2): the replicated patterns 00XY00XY, XY00XY00 and XYXYXYXY with imm8 = 0 are
     * UNPREDICTABLE. Field 'i' is i:imm3:imm8.
     */
    static boolean thumbExpandImmDefined(Fields f) {
        int imm12 = f.get('i');
        return (imm12 >>> 10) != 0 || ((imm12 >>> 8) & 3) == 0 || (imm12 & 0xff) != 0;
    }

    private void thumb32DataProcessing() {
        String g = T32_MODIMM;
        for (int op = 0; op < 16; op++) {
            if (DP_OPS[op] == null) continue;
            String enc = op == 8 || op == 13 ? "T3" : op == 14 ? "T2" : "T1";
            Encoding e = add(g, DP_OPS[op] + "_imm_" + enc, "11110i0" + bin(op, 4) + "snnnn0iiiddddiiiiiiii")
                .writes("d").regs("n").when(Templates::thumbExpandImmDefined);
            if (op == 8 || op == 13) e.spOk("n");
        }
        add(g, "TST_imm_T1", "11110i000001nnnn0iii1111iiiiiiii").regs("n").when(Templates::thumbExpandImmDefined);
        add(g, "TEQ_imm_T1", "11110i001001nnnn0iii1111iiiiiiii").regs("n").when(Templates::thumbExpandImmDefined);
        add(g, "CMN_imm_T1", "11110i010001nnnn0iii1111iiiiiiii").regs("n").when(Templates::thumbExpandImmDefined);
        add(g, "CMP_imm_T2", "11110i011011nnnn0iii1111iiiiiiii").regs("n").when(Templates::thumbExpandImmDefined);
        add(g, "MOV_imm_T2", "11110i00010s11110iiiddddiiiiiiii").writes("d").when(Templates::thumbExpandImmDefined);
        add(g, "MVN_imm_T1", "11110i00011s11110iiiddddiiiiiiii").writes("d").when(Templates::thumbExpandImmDefined);

        g = T32_PLAINIMM;
        add(g, "ADDW_T4", "11110i100000nnnn0iiiddddiiiiiiii").writes("d").regs("n").spOk("n");
        add(g, "SUBW_T4", "11110i101010nnnn0iiiddddiiiiiiii").writes("d").regs("n").spOk("n");
        add(g, "ADR_T3", "11110i10000011110iiiddddiiiiiiii").writes("d");
        add(g, "ADR_T2", "11110i10101011110iiiddddiiiiiiii").writes("d");
        add(g, "MOVW_T3", "11110i100100kkkk0iiiddddiiiiiiii").writes("d");
        add(g, "MOVT_T1", "11110i101100kkkk0iiiddddiiiiiiii").writes("d").regs("d");
        // lsbit + widthminus1 > 31 is UNPREDICTABLE
        add(g, "SBFX_T1", "111100110100nnnn0iiiddddjj0wwwww").writes("d").regs("n")
            .when(f -> ((f.get('i') << 2) | f.get('j')) + f.get('w') <= 31);
        add(g, "UBFX_T1", "111100111100nnnn0iiiddddjj0wwwww").writes("d").regs("n")
            .when(f -> ((f.get('i') << 2) | f.get('j')) + f.get('w') <= 31);
        // msbit < lsbit is UNPREDICTABLE
        add(g, "BFI_T1", "111100110110nnnn0iiiddddjj0wwwww").writes("d").regs("nd")
            .when(f -> f.get('w') >= ((f.get('i') << 2) | f.get('j')));
        add(g, "BFC_T1", "1111001101101111 0iiiddddjj0wwwww").writes("d").regs("d")
            .when(f -> f.get('w') >= ((f.get('i') << 2) | f.get('j')));

        g = T32_SHIFTREG;
        // encoding numbers of the 32-bit (shifted register) forms in DDI 0403E
        String[] regEnc = {"T2", "T2", "T2", "T1", "T2", null, null, null, "T3", null, "T2", "T2", null, "T2", "T1", null};
        for (int op = 0; op < 16; op++) {
            if (DP_OPS[op] == null) continue;
            Encoding e = add(g, DP_OPS[op] + "_reg_" + regEnc[op], "1110101" + bin(op, 4) + "snnnn0iiiddddjjttmmmm")
                .writes("d").regs("nm");
            if (op == 8 || op == 13) e.spOk("n");
        }
        add(g, "TST_reg_T2", "111010100001nnnn0iii1111jjttmmmm").regs("nm");
        add(g, "TEQ_reg_T1", "111010101001nnnn0iii1111jjttmmmm").regs("nm");
        add(g, "CMN_reg_T2", "111010110001nnnn0iii1111jjttmmmm").regs("nm");
        add(g, "CMP_reg_T3", "111010111011nnnn0iii1111jjttmmmm").regs("nm");
        // ORR/ORN with Rn = 1111: MOV/LSL/LSR/ASR/ROR/RRX (immediate) and MVN
        add(g, "MOV_shift_imm_T3", "11101010010s11110iiiddddjjttmmmm").writes("d").regs("m")
            .named(f -> (f.get('t') == 3 && f.get('i') == 0 && f.get('j') == 0) ? "RRX_T1"
                : new String[] {"LSL", "LSR", "ASR", "ROR"}[f.get('t')] + "_imm_T2");
        add(g, "MVN_reg_T2", "11101010011s11110iiiddddjjttmmmm").writes("d").regs("m");

        g = T32_REGSHIFT;
        String[] sh = {"LSL", "LSR", "ASR", "ROR"};
        for (int t = 0; t < 4; t++) {
            add(g, sh[t] + "_reg_T2", "111110100" + bin(t, 2) + "snnnn1111dddd0000mmmm").writes("d").regs("nm");
        }

        g = T32_BITOPS;
        String[][] misc = {{"REV_T2", "1001", "00"}, {"REV16_T2", "1001", "01"}, {"RBIT_T1", "1001", "10"},
                           {"REVSH_T2", "1001", "11"}, {"CLZ_T1", "1011", "00"}};
        for (String[] m : misc) {
            add(g, m[0], "11111010" + m[1] + "mmmm1111dddd10" + m[2] + "MMMM").writes("d").regs("m")
                .post(f -> f.set('M', f.get('m')));   // Rm is encoded twice and must be consistent
        }
    }

    // ---- multiplies and divides -----------------------------------------------------------------

    private void thumb32Multiply() {
        String g = T32_MUL;
        add(g, "MLA_T1", "111110110000nnnnaaaadddd0000mmmm").writes("d").regs("nma");
        add(g, "MLS_T1", "111110110000nnnnaaaadddd0001mmmm").writes("d").regs("nma");
        add(g, "MUL_T2", "111110110000nnnn1111dddd0000mmmm").writes("d").regs("nm");

        g = T32_MULLONG;
        // RdHi == RdLo is UNPREDICTABLE for every long multiply
        String[][] lm = {{"SMULL_T1", "000", "0000"}, {"UMULL_T1", "010", "0000"}, {"SMLAL_T1", "100", "0000"},
                         {"UMLAL_T1", "110", "0000"}};
        for (String[] m : lm) {
            Encoding e = add(g, m[0], "111110111" + m[1] + "nnnnllllhhhh" + m[2] + "mmmm").writes("lh").regs("nm")
                .when(f -> f.get('l') != f.get('h'));
            if (m[0].contains("LA")) e.regs("lh");
        }

        g = T32_DIV;
        add(g, "SDIV_T1", "111110111001nnnn1111dddd1111mmmm").writes("d").regs("nm");
        add(g, "UDIV_T1", "111110111011nnnn1111dddd1111mmmm").writes("d").regs("nm");
    }

    // ---- DSP extension ---------------------------------------------------------------------------

    private void dsp() {
        String g = DSP_PARALLEL;
        String[] op1Names = {"ADD8", "ADD16", "ASX", null, "SUB8", "SUB16", "SAX", null};
        String[] prefix = {"S", "Q", "SH", null, "U", "UQ", "UH", null};
        add(g, "parallel_T1", "111110101ooonnnn1111dddd0pppmmmm").writes("d").regs("nm")
            .oneOf('o', 0, 1, 2, 4, 5, 6).oneOf('p', 0, 1, 2, 4, 5, 6)
            .named(f -> prefix[f.get('p')] + op1Names[f.get('o')] + "_T1");

        g = DSP_SAT;
        String[] q = {"QADD", "QDADD", "QSUB", "QDSUB"};
        for (int k = 0; k < 4; k++) {
            add(g, q[k] + "_T1", "111110101000nnnn1111dddd10" + bin(k, 2) + "mmmm").writes("d").regs("nm");
        }
        // sh = 1 with imm3:imm2 = 0 is SSAT16/USAT16
        // SSAT/USAT (+16) are plain-binary-immediate encodings, grouped here with the other saturations
        add(g, "SSAT_T1", "1111001100h0nnnn0iiiddddjj0sssss").writes("d").regs("n")
            .when(f -> f.get('h') == 0 || f.get('i') != 0 || f.get('j') != 0);
        add(g, "USAT_T1", "1111001110h0nnnn0iiiddddjj0sssss").writes("d").regs("n")
            .when(f -> f.get('h') == 0 || f.get('i') != 0 || f.get('j') != 0);
        add(g, "SSAT16_T1", "111100110010nnnn0000dddd0000ssss").writes("d").regs("n");
        add(g, "USAT16_T1", "111100111010nnnn0000dddd0000ssss").writes("d").regs("n");

        g = DSP_PACK;
        add(g, "PKH_T1", "111010101100nnnn0iiiddddjjb0mmmm").writes("d").regs("nm")
            .named(f -> f.get('b') == 0 ? "PKHBT_T1" : "PKHTB_T1");
        String[] xt = {"SXTAH", "UXTAH", "SXTAB16", "UXTAB16", "SXTAB", "UXTAB"};
        String[] x = {"SXTH", "UXTH", "SXTB16", "UXTB16", "SXTB", "UXTB"};
        for (int op = 0; op < 6; op++) {
            add(g, xt[op] + "_T1", "111110100" + bin(op, 3) + "nnnn1111dddd10rrmmmm").writes("d").regs("nm");
            add(g, x[op] + (op == 2 || op == 3 ? "_T1" : "_T2"), "111110100" + bin(op, 3) + "11111111dddd10rrmmmm")
                .writes("d").regs("m");
        }
        add(g, "SEL_T1", "111110101010nnnn1111dddd1000mmmm").writes("d").regs("nm");
        add(g, "USADA8_T1", "111110110111nnnnaaaadddd0000mmmm").writes("d").regs("nma");
        add(g, "USAD8_T1", "111110110111nnnn1111dddd0000mmmm").writes("d").regs("nm");

        g = DSP_MUL;
        String[] xy = {"BB", "BT", "TB", "TT"};
        add(g, "SMLAxy_T1", "111110110001nnnnaaaadddd00xymmmm").writes("d").regs("nma")
            .named(f -> "SMLA" + xy[f.get('x') * 2 + f.get('y')] + "_T1");
        add(g, "SMULxy_T1", "111110110001nnnn1111dddd00xymmmm").writes("d").regs("nm")
            .named(f -> "SMUL" + xy[f.get('x') * 2 + f.get('y')] + "_T1");
        String[][] acc = {{"SMLAD", "SMUAD", "0010"}, {"SMLAW", "SMULW", "0011"}, {"SMLSD", "SMUSD", "0100"},
                          {"SMMLA", "SMMUL", "0101"}};
        String[] sfx = {"", "X", "", "R"};
        for (int k = 0; k < 4; k++) {
            String[] a = acc[k];
            String s1 = k == 1 ? "B" : "";
            String s2 = k == 1 ? "T" : (k == 3 ? "R" : "X");
            add(g, a[0] + "_T1", "11111011" + a[2] + "nnnnaaaadddd000xmmmm").writes("d").regs("nma")
                .named(f -> a[0] + (f.get('x') == 0 ? s1 : s2) + "_T1");
            add(g, a[1] + "_T1", "11111011" + a[2] + "nnnn1111dddd000xmmmm").writes("d").regs("nm")
                .named(f -> a[1] + (f.get('x') == 0 ? s1 : s2) + "_T1");
        }
        add(g, "SMMLS_T1", "111110110110nnnnaaaadddd000rmmmm").writes("d").regs("nma")
            .named(f -> f.get('r') == 0 ? "SMMLS_T1" : "SMMLSR_T1");
        add(g, "SMLALxy_T1", "111110111100nnnnllllhhhh10xymmmm").writes("lh").regs("nm")
            .when(f -> f.get('l') != f.get('h')).named(f -> "SMLAL" + xy[f.get('x') * 2 + f.get('y')] + "_T1");
        add(g, "SMLALD_T1", "111110111100nnnnllllhhhh110xmmmm").writes("lh").regs("nm")
            .when(f -> f.get('l') != f.get('h')).named(f -> f.get('x') == 0 ? "SMLALD_T1" : "SMLALDX_T1");
        add(g, "SMLSLD_T1", "111110111101nnnnllllhhhh110xmmmm").writes("lh").regs("nm")
            .when(f -> f.get('l') != f.get('h')).named(f -> f.get('x') == 0 ? "SMLSLD_T1" : "SMLSLDX_T1");
        add(g, "UMAAL_T1", "111110111110nnnnllllhhhh0110mmmm").writes("lh").regs("nm")
            .when(f -> f.get('l') != f.get('h'));
    }

    // ---- loads and stores -----------------------------------------------------------------------

    private void loadStore() {
        String g = T32_LDST;
        // {name, bits 24:20 of the first halfword for the imm12 form (bit 23 set), load?}
        String[][] sizes = {{"STRB", "0000", "s"}, {"STRH", "0010", "s"}, {"STR", "0100", "s"},
                            {"LDRB", "0001", "l"}, {"LDRH", "0011", "l"}, {"LDR", "0101", "l"},
                            {"LDRSB", "1001", "l"}, {"LDRSH", "1011", "l"}};
        for (String[] s : sizes) {
            boolean load = s[2].equals("l");
            String hi = "1111100" + s[1].charAt(0);          // 1111100S
            String lo = s[1].substring(1);                    // size:L
            String tRole = load ? "" : "t";
            Encoding imm12 = add(g, s[0] + "_imm12", hi + "1" + lo + "nnnnttttiiiiiiiiiiii").base('n', 1)
                .range('i', 0, 255);
            Encoding imm8 = add(g, s[0] + "_imm8", hi + "0" + lo + "nnnntttt1puwiiiiiiii").base('n', 1)
                // P = W = 0 is UNDEFINED; P:U:W = 110 is the unprivileged form (own template)
                .when(f -> (f.get('p') | f.get('w')) != 0 && !(f.get('p') == 1 && f.get('u') == 1 && f.get('w') == 0))
                // writeback with Rn == Rt is UNPREDICTABLE
                .when(f -> f.get('w') == 0 || f.get('n') != f.get('t'))
                .extraWrites(f -> f.get('w') << f.get('n'))
                .named(f -> s[0] + (f.get('w') == 0 ? "_imm8_offset" : f.get('p') == 1 ? "_imm8_preidx" : "_imm8_postidx"));
            Encoding reg = add(g, s[0] + "_reg_T2", hi + "0" + lo + "nnnntttt000000jjmmmm").base('n', 1).index('m');
            Encoding unpriv = add(g, s[0] + "T_T1", hi + "0" + lo + "nnnntttt1110iiiiiiii").base('n', 1);
            for (Encoding e : new Encoding[] {imm12, imm8, reg, unpriv}) {
                if (load) e.writes("t"); else e.regs(tRole);
            }
            if (load) {
                add(g, s[0] + "_lit", hi + "u" + lo + "1111ttttiiiiiiiiiiii").pcBase().writes("t").range('i', 0, 255);
            }
        }
        add(g, "PUSH_T3", "1111100001001101tttt110100000100").regs("t").writesSp();
        add(g, "POP_T3", "1111100001011101tttt101100000100").writes("t").writesSp();

        g = T32_LDM;
        // bit 13 (SP) must be 0; LR and PC are left out; BitCount < 2 and writeback with Rn in the list
        // are UNPREDICTABLE
        String[][] ldm = {{"STMIA_T2", "01", "0"}, {"LDMIA_T2", "01", "1"}, {"STMDB_T1", "10", "0"}, {"LDMDB_T1", "10", "1"}};
        for (String[] m : ldm) {
            boolean load = m[2].equals("1");
            add(g, m[0], "1110100" + m[1] + "0w" + m[2] + "nnnn000rrrrrrrrrrrrr").base('n', 4)
                .when(f -> Fields.bitCount(f.get('r')) >= 2)
                .when(f -> f.get('w') == 0 || !Fields.has(f.get('r'), f.get('n')))
                .extraWrites(f -> (load ? f.get('r') : 0) | (f.get('w') << f.get('n')));
        }
        add(g, "PUSH_T2", "1110100100101101000rrrrrrrrrrrrr").when(f -> Fields.bitCount(f.get('r')) >= 2).writesSp();
        add(g, "POP_T2", "1110100010111101000rrrrrrrrrrrrr").when(f -> Fields.bitCount(f.get('r')) >= 2)
            .writesSp().extraWrites(f -> f.get('r'));

        g = T32_LDRD;
        // P = W = 0 is the exclusive/table-branch space; LDRD with Rt == Rt2, and writeback with Rn == Rt or
        // Rn == Rt2 are UNPREDICTABLE
        add(g, "STRD_imm_T1", "1110100pu1w0nnnnttttTTTTiiiiiiii").base('n', 4).regs("tT").range('i', 0, 63)
            .when(f -> (f.get('p') | f.get('w')) != 0)
            .when(f -> f.get('w') == 0 || (f.get('n') != f.get('t') && f.get('n') != f.get('T')))
            .extraWrites(f -> f.get('w') << f.get('n'));
        add(g, "LDRD_imm_T1", "1110100pu1w1nnnnttttTTTTiiiiiiii").base('n', 4).writes("tT").range('i', 0, 63)
            .when(f -> (f.get('p') | f.get('w')) != 0 && f.get('t') != f.get('T'))
            .when(f -> f.get('w') == 0 || (f.get('n') != f.get('t') && f.get('n') != f.get('T')))
            .extraWrites(f -> f.get('w') << f.get('n'));
        add(g, "LDRD_lit_T1", "11101001u1011111ttttTTTTiiiiiiii").pcBase().writes("tT").range('i', 0, 63)
            .when(f -> f.get('t') != f.get('T'));

        g = T32_EXCL;   // generated as LDREX/STREX pairs by the snippet builder
        // LDREX{,B,H} Rt == Rn is architected, but the STREX of the pair needs the base: keep them apart
        add(g, "LDREX_T1", "111010000101nnnntttt1111iiiiiiii").base('n', 4).writes("t").range('i', 0, 63)
            .when(f -> f.get('t') != f.get('n'));
        add(g, "STREX_T1", "111010000100nnnnttttddddiiiiiiii").base('n', 4).regs("t").writes("d").range('i', 0, 63)
            .when(f -> f.get('d') != f.get('n') && f.get('d') != f.get('t'));
        add(g, "LDREXB_T1", "111010001101nnnntttt111101001111").base('n', 1).writes("t")
            .when(f -> f.get('t') != f.get('n'));
        add(g, "STREXB_T1", "111010001100nnnntttt11110100dddd").base('n', 1).regs("t").writes("d")
            .when(f -> f.get('d') != f.get('n') && f.get('d') != f.get('t'));
        add(g, "LDREXH_T1", "111010001101nnnntttt111101011111").base('n', 2).writes("t")
            .when(f -> f.get('t') != f.get('n'));
        add(g, "STREXH_T1", "111010001100nnnntttt11110101dddd").base('n', 2).regs("t").writes("d")
            .when(f -> f.get('d') != f.get('n') && f.get('d') != f.get('t'));
        add(g, "CLREX_T1", "11110011101111111000111100101111");
    }

    // ---- status registers, IT, branches ---------------------------------------------------------

    private void statusAndBranch() {
        String g = STATUS;
        // mask = 00 is UNPREDICTABLE; SYSm 0 = APSR
        add(g, "MSR_APSR_T1", "111100111000nnnn1000kk0000000000").regs("n").oneOf('k', 1, 2, 3)
            .named(f -> new String[] {"", "MSR_APSR_g", "MSR_APSR_nzcvq", "MSR_APSR_nzcvqg"}[f.get('k')]);
        add(g, "MRS_T1", "11110011111011111000dddd00000sss").writes("d").oneOf('s', 0, 1, 2, 3, 5, 6, 7)
            .named(f -> new String[] {"MRS_APSR", "MRS_IAPSR", "MRS_EAPSR", "MRS_XPSR", "", "MRS_IPSR", "MRS_EPSR",
                                      "MRS_IEPSR"}[f.get('s')]);
        // the xPSR views write their APSR part only (B5.2.3)
        add(g, "MSR_xPSR_T1", "111100111000nnnn1000kk00000000ss").regs("n").oneOf('k', 1, 2, 3).range('s', 1, 3)
            .named(f -> new String[] {"", "MSR_IAPSR", "MSR_EAPSR", "MSR_XPSR"}[f.get('s')]);

        g = IT;
        add(g, "IT_T1", "10111111ccccmmmm").notInIt();    // fields set by the snippet builder

        g = BRANCH;
        add(g, "B_T1", "1101cccciiiiiiii").range('c', 0, 13).branch(true);
        add(g, "B_T2", "11100iiiiiiiiiii").branch(false);
        add(g, "B_T3", "111100cccc00000010000iiiiiiiiiii").range('c', 0, 13).branch(true);
        add(g, "B_T4", "11110000000000001011 1iiiiiiiiiii".replace(" ", "")).branch(false);
        add(g, "CBZ_T1", "101100i1iiiiinnn").regs("n").branch(true);
        add(g, "CBNZ_T1", "101110i1iiiiinnn").regs("n").branch(true);
    }

    // ---- FPv4-SP ---------------------------------------------------------------------------------

    private void floatingPoint() {
        String g = FP_ARITH;
        // single precision only (sz = 0, coprocessor 10); Sx = Vx:X
        String[][] ar = {{"VMLA", "0D00", "0"}, {"VMLS", "0D00", "1"}, {"VNMLS", "0D01", "0"}, {"VNMLA", "0D01", "1"},
                         {"VMUL", "0D10", "0"}, {"VNMUL", "0D10", "1"}, {"VADD", "0D11", "0"}, {"VSUB", "0D11", "1"},
                         {"VDIV", "1D00", "0"}, {"VFNMS", "1D01", "0"}, {"VFNMA", "1D01", "1"}, {"VFMA", "1D10", "0"},
                         {"VFMS", "1D10", "1"}};
        for (String[] a : ar) {
            add(g, a[0] + ".F32", "11101110" + a[1] + "nnnndddd1010N" + a[2] + "M0mmmm");
        }
        add(g, "VABS.F32", "111011101D110000dddd101011M0mmmm");
        add(g, "VNEG.F32", "111011101D110001dddd101001M0mmmm");
        add(g, "VSQRT.F32", "111011101D110001dddd101011M0mmmm");

        g = FP_CVT;
        add(g, "VCVTx.F32.F16", "111011101D110010dddd1010x1M0mmmm")
            .named(f -> f.get('x') == 0 ? "VCVTB.F32.F16" : "VCVTT.F32.F16");
        add(g, "VCVTx.F16.F32", "111011101D110011dddd1010x1M0mmmm")
            .named(f -> f.get('x') == 0 ? "VCVTB.F16.F32" : "VCVTT.F16.F32");
        add(g, "VCVT.F32.xS32", "111011101D111000dddd1010x1M0mmmm")
            .named(f -> f.get('x') == 0 ? "VCVT.F32.U32" : "VCVT.F32.S32");
        add(g, "VCVT.U32.F32", "111011101D111100dddd1010r1M0mmmm")
            .named(f -> f.get('r') == 0 ? "VCVTR.U32.F32" : "VCVT.U32.F32");
        add(g, "VCVT.S32.F32", "111011101D111101dddd1010r1M0mmmm")
            .named(f -> f.get('r') == 0 ? "VCVTR.S32.F32" : "VCVT.S32.F32");
        // fixed point: op (bit 18) 1 = to fixed, U unsigned, x = 32-bit fixed size; frac_bits = size - imm5 >= 0
        add(g, "VCVT.fixed", "111011101D111o1udddd1010x1i0jjjj")
            .when(f -> f.get('x') == 1 || ((f.get('j') << 1) | f.get('i')) <= 16)
            .named(f -> "VCVT." + (f.get('o') == 1 ? (f.get('u') == 1 ? "U" : "S") + (f.get('x') == 1 ? "32" : "16") + ".F32"
                : "F32." + (f.get('u') == 1 ? "U" : "S") + (f.get('x') == 1 ? "32" : "16")) + "_fixed");

        g = FP_CMP;
        add(g, "VCMPx.F32", "111011101D110100dddd1010e1M0mmmm").named(f -> f.get('e') == 0 ? "VCMP.F32" : "VCMPE.F32");
        add(g, "VCMPx.F32_zero", "111011101D110101dddd1010e1000000")
            .named(f -> f.get('e') == 0 ? "VCMP.F32_#0" : "VCMPE.F32_#0");
        add(g, "VMRS_APSR_nzcv", "1110111011110001111110100001" + "0000");

        g = FP_MOV;
        add(g, "VMOV.F32_imm", "111011101D11iiiidddd10100000jjjj");
        add(g, "VMOV.F32_reg", "111011101D110000dddd101001M0mmmm");
        add(g, "VMOV_core_to_S", "111011100000nnnntttt1010N0010000").regs("t");
        add(g, "VMOV_S_to_core", "111011100001nnnntttt1010N0010000").writes("t");
        // Sm = 31 is UNPREDICTABLE (needs Sm+1); to core with Rt == Rt2 is UNPREDICTABLE
        add(g, "VMOV_2core_to_2S", "111011000100hhhhtttt101000M1mmmm").regs("th")
            .when(f -> f.s('m', 'M') != 31);
        add(g, "VMOV_2S_to_2core", "111011000101hhhhtttt101000M1mmmm").writes("th")
            .when(f -> f.s('m', 'M') != 31 && f.get('t') != f.get('h'));
        add(g, "VMRS_T1", "1110111011110001tttt101000010000").writes("t");
        add(g, "VMSR_T1", "1110111011100001tttt101000010000").fpscrValue('t');

        g = FP_LDST;
        add(g, "VLDR_T2", "11101101uD01nnnndddd1010iiiiiiii").base('n', 4).range('i', 0, 63);
        add(g, "VSTR_T2", "11101101uD00nnnndddd1010iiiiiiii").base('n', 4).range('i', 0, 63);
        add(g, "VLDR_lit_T2", "11101101uD011111dddd1010iiiiiiii").pcBase().range('i', 0, 63);
        // P:U:W in {010, 011, 101}; 1 <= imm8 and d + imm8 <= 32
        String[][] vm = {{"VLDMIA", "01", "1"}, {"VLDMDB", "10", "1"}, {"VSTMIA", "01", "0"}, {"VSTMDB", "10", "0"}};
        for (String[] v : vm) {
            boolean db = v[1].equals("10");
            Encoding e = add(g, v[0] + "_T2", "1110110" + v[1] + "Dw" + v[2] + "nnnndddd1010iiiiiiii").base('n', 4)
                .range('i', 1, 16).when(f -> f.s('d', 'D') + f.get('i') <= 32)
                .extraWrites(f -> f.get('w') << f.get('n'));
            if (db) e.oneOf('w', 1);
        }
        add(g, "VPUSH_T2", "111011010D101101dddd1010iiiiiiii").range('i', 1, 16)
            .when(f -> f.s('d', 'D') + f.get('i') <= 32).writesSp();
        add(g, "VPOP_T2", "111011001D111101dddd1010iiiiiiii").range('i', 1, 16)
            .when(f -> f.s('d', 'D') + f.get('i') <= 32).writesSp();
        // doubleword forms (encodings T1, coprocessor 11): FPv4-SP-D16 has D0-D15 = S0-S31 in pairs, D = 0;
        // imm8 counts words, so two per register (an odd imm8 is FLDMX/FSTMX: not generated)
        add(g, "VLDR_T1", "11101101u001nnnndddd1011iiiiiiii").base('n', 4).range('i', 0, 63);
        add(g, "VSTR_T1", "11101101u000nnnndddd1011iiiiiiii").base('n', 4).range('i', 0, 63);
        add(g, "VLDR_lit_T1", "11101101u0011111dddd1011iiiiiiii").pcBase().range('i', 0, 63);
        for (String[] v : vm) {
            boolean db = v[1].equals("10");
            Encoding e = add(g, v[0] + "_T1", "1110110" + v[1] + "0w" + v[2] + "nnnndddd1011iiiiiiii").base('n', 4)
                .range('i', 1, 16).post(f -> f.set('i', f.get('i') & ~1)).when(f -> f.get('i') >= 2)
                .when(f -> f.get('d') + f.get('i') / 2 <= 16)
                .extraWrites(f -> f.get('w') << f.get('n'));
            if (db) e.oneOf('w', 1);
        }
        add(g, "VPUSH_T1", "1110110100101101dddd1011iiiiiiii").range('i', 2, 16).post(f -> f.set('i', f.get('i') & ~1))
            .when(f -> f.get('d') + f.get('i') / 2 <= 16).spMove(f -> 4 * f.get('i'));
        add(g, "VPOP_T1", "1110110010111101dddd1011iiiiiiii").range('i', 2, 16).post(f -> f.set('i', f.get('i') & ~1))
            .when(f -> f.get('d') + f.get('i') / 2 <= 16).spMove(f -> 4 * f.get('i'));
        g = FP_MOV;
        // a doubleword register and two core registers; to core with Rt == Rt2 is UNPREDICTABLE
        add(g, "VMOV_2core_to_D", "111011000100hhhhtttt101100M1mmmm").regs("th").oneOf('M', 0);
        add(g, "VMOV_D_to_2core", "111011000101hhhhtttt101100M1mmmm").writes("th").oneOf('M', 0)
            .when(f -> f.get('t') != f.get('h'));
        // a 32-bit scalar: Dd[x] (x = bit 21), opc1:opc2 = 0x:00 (A7.7 VMOV (ARM core register to scalar))
        add(g, "VMOV_core_to_scalar", "1110111000x0ddddtttt1011D0010000")
            .regs("t").oneOf('D', 0);
        add(g, "VMOV_scalar_to_core", "1110111000x1nnnntttt1011N0010000").writes("t").oneOf('N', 0);
    }

    // ---- SP as destination, source and base (A7.7 ADD/SUB (SP plus ...), MOV (register), LDR/STR) -------

    /**
     * SP writes keep SP inside the scratch buffer: immediates are bounded, a register moved into SP holds a
     * value near the buffer's middle (unaligned 40 % of the time: M-profile SP bits [1:0] read as zero), a
     * register added to SP holds 0..63, and the generator caps the drift of a whole snippet.
     */
    private void stackPointerForms() {
        String g = SP_FORMS;
        add(g, "ADD_SP_reg_T1", "01000100d1101ddd").writes("d").when(f -> f.get('d') != 13 && f.get('d') != 15);
        add(g, "ADD_SP_reg_T2", "010001001mmmm101").index('m').spMove(f -> 63);
        add(g, "MOV_reg_T1_to_SP", "010001101mmmm101").base('m', 1).spMove(f -> 128).when(f -> f.get('m') != 13);
        add(g, "MOV_reg_T1_from_SP", "01000110d1101ddd").writes("d").when(f -> f.get('d') != 13 && f.get('d') != 15);
        add(g, "ADD_SP_imm_T3", "11110001000s110100001101iiiiiiii").spMove(f -> f.get('i'));
        add(g, "SUB_SP_imm_T2", "11110001101s110100001101iiiiiiii").spMove(f -> f.get('i'));
        add(g, "ADD_SP_imm_T4", "11110010000011010jjj1101iiiiiiii").range('j', 0, 1)
            .spMove(f -> f.get('j') << 8 | f.get('i'));
        add(g, "SUB_SP_imm_T3", "11110010101011010jjj1101iiiiiiii").range('j', 0, 1)
            .spMove(f -> f.get('j') << 8 | f.get('i'));
        // d == 13 needs LSL #0-3 (A7.7.6)
        add(g, "ADD_SP_reg_T3_SPdst", "11101011000s110100001101jj00mmmm").index('m')
            .spMove(f -> 63 << f.get('j'));
        add(g, "SUB_SP_reg_T1_SPdst", "11101011101s110100001101jj00mmmm").index('m')
            .spMove(f -> 63 << f.get('j'));
        // MOV.W: SP to SP, and flag-setting forms with SP, are UNPREDICTABLE (A7.7.76)
        add(g, "MOV_reg_T3_to_SP", "111010100100111100001101" + "0000mmmm").base('m', 1).spMove(f -> 128)
            .when(f -> f.get('m') != 13);
        add(g, "MOV_reg_T3_from_SP", "11101010010011110000dddd00001101").writes("d");
        add(g, "MSR_MSP_T1", "111100111000nnnn1000100000001000").base('n', 1).spMove(f -> 128);
        String[][] spLdSt = {{"STR", "0100", "s"}, {"LDR", "0101", "l"}, {"STRB", "0000", "s"}, {"LDRB", "0001", "l"},
                             {"STRH", "0010", "s"}, {"LDRH", "0011", "l"}, {"LDRSB", "1001", "l"}, {"LDRSH", "1011", "l"}};
        for (String[] s : spLdSt) {
            Encoding e = add(g, s[0] + "_imm12_SP", "1111100" + s[1].charAt(0) + "1" + s[1].substring(1) + "1101ttttiiiiiiiiiiii")
                .spBase().range('i', 0, 255);
            if (s[2].equals("l")) e.writes("t"); else e.regs("t");
        }
        add(g, "STRD_imm_T1_SP", "11101001u1001101ttttTTTTiiiiiiii").spBase().regs("tT").range('i', 0, 40);
        add(g, "LDRD_imm_T1_SP", "11101001u1011101ttttTTTTiiiiiiii").spBase().writes("tT").range('i', 0, 40)
            .when(f -> f.get('t') != f.get('T'));
        add(g, "VLDR_T2_SP", "11101101uD011101dddd1010iiiiiiii").spBase().range('i', 0, 40);
        add(g, "VSTR_T2_SP", "11101101uD001101dddd1010iiiiiiii").spBase().range('i', 0, 40);
    }

    // ---- hints, barriers, preload, CPS, special registers (A7.7, B5.2) ------------------------------

    private void system() {
        String g = SYSTEM;
        add(g, "NOP_T2", "11110011101011111000000000000000");
        add(g, "YIELD_T1", "1011111100010000");
        add(g, "YIELD_T2", "11110011101011111000000000000001");
        add(g, "SEV_T1", "1011111101000000");
        add(g, "SEV_T2", "11110011101011111000000000000100");
        // hints 5-15 are unallocated and execute as NOP (A5.2.5, A5.3.4)
        add(g, "hint16_unallocated", "10111111hhhh0000").range('h', 5, 15);
        add(g, "DBG_T1", "1111001110101111100000001111oooo");
        // 32-bit hints 5-239 are unallocated and execute as NOP (A5.3.4)
        add(g, "hint32_unallocated", "111100111010111110000000hhhhhhhh").range('h', 5, 239);
        // LDRH/LDRSH (immediate) with Rt = PC: unallocated memory hints, NOP (A5.3.8)
        add(g, "memhint_LDRH_imm12", "111110001011nnnn1111iiiiiiiiiiii").regs("n").spOk("n");
        add(g, "memhint_LDRSH_imm12", "111110011011nnnn1111iiiiiiiiiiii").regs("n").spOk("n");
        add(g, "DSB_T1", "1111001110111111100011110100oooo");
        add(g, "DMB_T1", "1111001110111111100011110101oooo");
        add(g, "ISB_T1", "1111001110111111100011110110oooo");
        // preloads never access memory: any base register
        add(g, "PLD_imm_T1", "111110001001nnnn1111iiiiiiiiiiii").regs("n").spOk("n");
        add(g, "PLD_imm_T2", "111110000001nnnn11111100iiiiiiii").regs("n").spOk("n");
        add(g, "PLD_lit_T1", "11111000u00111111111iiiiiiiiiiii");
        add(g, "PLD_reg_T1", "111110000001nnnn1111000000jjmmmm").regs("nm").spOk("n");
        add(g, "PLI_imm_T1", "111110011001nnnn1111iiiiiiiiiiii").regs("n").spOk("n");
        add(g, "PLI_imm_T2", "111110010001nnnn11111100iiiiiiii").regs("n").spOk("n");
        add(g, "PLI_lit_T3", "11111001u00111111111iiiiiiiiiiii");
        add(g, "PLI_reg_T1", "111110010001nnnn1111000000jjmmmm").regs("nm").spOk("n");
        // CPS changes PRIMASK/FAULTMASK: the harness clears both before a case and prints them after it
        add(g, "CPS_T1", "10110110011m00if").when(f -> (f.get('i') | f.get('f')) != 0).notInIt();
        String[] sysm = {"MSP", "PSP", "PRIMASK", "BASEPRI", "BASEPRI_MAX", "FAULTMASK", "CONTROL"};
        int[] sysmNo = {8, 9, 16, 17, 18, 19, 20};
        add(g, "MRS_special_T1", "11110011111011111000dddd000sssss").writes("d").oneOf('s', 8, 9, 16, 17, 18, 19, 20)
            .named(f -> "MRS_" + sysm[java.util.Arrays.binarySearch(sysmNo, f.get('s'))]);
        // BASEPRI writes are not generated: QEMU's mps2-an386 keeps 8 priority bits, the AN386's M4 has 3
        add(g, "MSR_mask_T1", "111100111000nnnn10001000000sssss").regs("n").oneOf('s', 16, 19)
            .named(f -> "MSR_" + sysm[java.util.Arrays.binarySearch(sysmNo, f.get('s'))]);
    }

    // ---- instructions that end a case with an exception (fault lines are golden output) --------

    private void exceptions() {
        String g = EXCEPTION;
        add(g, "SVC_T1", "11011111iiiiiiii").endsCase();
        add(g, "UDF_T1", "11011110iiiiiiii").endsCase();
        add(g, "UDF_T2", "111101111111iiii1010jjjjjjjjjjjj").endsCase();
        // stores with Rn = PC are UNDEFINED (A7.7 STR/STRB/STRH (immediate), (register))
        add(g, "STRB_PC_undefined", "11111000u0001111ttttiiiiiiiiiiii").endsCase();
        add(g, "STRH_PC_undefined", "11111000u0101111ttttiiiiiiiiiiii").endsCase();
        add(g, "STR_PC_undefined", "11111000u1001111ttttiiiiiiiiiiii").endsCase();
        // coprocessors other than CP10/CP11 do not exist: NOCP UsageFault (A5.3.18, B1.5.14)
        int[] noCp = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15};
        add(g, "STC_no_coprocessor", "111o110puNw0nnnnddddcccciiiiiiii").oneOf('c', noCp).range('n', 0, 12)
            .when(f -> (f.get('p') | f.get('u') | f.get('w')) != 0).endsCase();
        add(g, "LDC_imm_no_coprocessor", "111o110puNw1nnnnddddcccciiiiiiii").oneOf('c', noCp).range('n', 0, 12)
            .when(f -> (f.get('p') | f.get('u') | f.get('w')) != 0).endsCase();
        add(g, "LDC_lit_no_coprocessor", "111o1101uN011111ddddcccciiiiiiii").oneOf('c', noCp).endsCase();
        add(g, "MCRR_no_coprocessor", "111o11000100ttttTTTTccccoooommmm").oneOf('c', noCp).range('t', 0, 12)
            .range('T', 0, 12).endsCase();
        add(g, "MRRC_no_coprocessor", "111o11000101ttttTTTTccccoooommmm").oneOf('c', noCp).range('t', 0, 12)
            .range('T', 0, 12).when(f -> f.get('t') != f.get('T')).endsCase();
        add(g, "CDP_no_coprocessor", "111o1110oooonnnnddddccccppp0mmmm").oneOf('c', noCp).endsCase();
        add(g, "MCR_no_coprocessor", "111o1110ooo0nnnnttttccccppp1mmmm").oneOf('c', noCp).range('t', 0, 12).endsCase();
        add(g, "MRC_no_coprocessor", "111o1110ooo1nnnnttttccccppp1mmmm").oneOf('c', noCp).range('t', 0, 12).endsCase();
        // FPv4-SP has no double-precision arithmetic: sz = 1 is UNDEFINED (A6.4)
        add(g, "VFP_double_undefined", "11101110oDoonnnndddd1011NoM0mmmm").endsCase();
        // BKPT without a debugger (imm8 0xAB is the harness's semihosting call): a HardFault
        add(g, "BKPT_T1", "10111110iiiiiiii").when(f -> f.get('i') != 0xab).endsCase();
    }

    // ---- PC and LR writes (gadgets: CaseGenerator builds each with the instructions it needs) ---------

    /**
     * Instructions that write PC other than B/CBZ/CBNZ, and the ones that write LR. CaseGenerator puts each
     * in a gadget that makes its operand a label of the snippet: ADR.W for an address, MOVW for ADD PC's
     * offset, a pushed word for the loads of PC, a stored byte or halfword for TBB/TBH. LR writers end their
     * snippet with harness_back_lr, which records LR before the harness takes its context pointer back.
     */
    private void controlFlow() {
        String g = CONTROL;
        add(g, "ADR_T3_label", "11110i10000011110iiiddddiiiiiiii").writes("d").notInIt();
        add(g, "MOVW_T3_offset", "11110i100100kkkk0iiiddddiiiiiiii").writes("d").notInIt();
        add(g, "BX_T1", "010001110mmmm000").regs("m").notInIt();
        add(g, "BLX_reg_T1", "010001111mmmm000").regs("m").notInIt().writesLr();
        add(g, "BL_T1", "11110000000000001111" + "1iiiiiiiiiii").branch(false).writesLr();
        add(g, "MOV_reg_T1_to_PC", "010001101mmmm111").regs("m").notInIt();
        add(g, "ADD_reg_T2_to_PC", "010001001mmmm111").regs("m").notInIt();
        add(g, "POP_T1_PC", "10111101rrrrrrrr").extraWrites(f -> f.get('r')).writesSp().notInIt();
        add(g, "POP_T2_PC", "1110100010111101100rrrrrrrrrrrrr").extraWrites(f -> f.get('r')).writesSp().notInIt();
        add(g, "LDMIA_T2_PC", "1110100010w1nnnn100rrrrrrrrrrrrr").regs("n")
            .extraWrites(f -> f.get('r') | f.get('w') << f.get('n')).notInIt();
        add(g, "LDMDB_T1_PC", "1110100100w1nnnn100rrrrrrrrrrrrr").regs("n")
            .extraWrites(f -> f.get('r') | f.get('w') << f.get('n')).notInIt();
        add(g, "LDR_imm12_to_PC", "111110001101nnnn1111iiiiiiiiiiii").regs("n").spOk("n").notInIt();
        add(g, "LDR_imm8_postidx_to_PC", "111110000101nnnn11111011iiiiiiii").regs("n")
            .extraWrites(f -> 1 << f.get('n')).notInIt();
        add(g, "LDR_reg_to_PC", "111110000101nnnn1111000000jjmmmm").regs("nm").notInIt();
        add(g, "TBB_T1", "111010001101nnnn111100000000mmmm").regs("nm").notInIt();
        add(g, "TBH_T1", "111010001101nnnn111100000001mmmm").regs("nm").notInIt();
    }

    /** WFE after SEV, WFI with SysTick pending under PRIMASK, MSR CONTROL and BASEPRI (gadgets, see CaseGenerator). */
    private void sleepAndControl() {
        String g = SLEEP_CONTROL;
        add(g, "WFE_T1", "1011111100100000").notInIt();
        add(g, "WFE_T2", "11110011101011111000000000000010").notInIt();
        add(g, "WFI_T1", "1011111100110000").notInIt();
        add(g, "WFI_T2", "11110011101011111000000000000011").notInIt();
        add(g, "STR_imm_T1_ICSR", "01100iiiiinnnttt").regs("nt").notInIt();
        add(g, "MSR_CONTROL_T1", "111100111000nnnn1000100000010100").regs("n").notInIt();
        add(g, "MSR_BASEPRI_T1", "111100111000nnnn1000100000010001").regs("n").notInIt();
        add(g, "MSR_BASEPRI_MAX_T1", "111100111000nnnn1000100000010010").regs("n").notInIt();
    }
}
