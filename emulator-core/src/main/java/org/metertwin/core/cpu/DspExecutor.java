package org.metertwin.core.cpu;

/**
 * Executes the DSP-extension operations decoded by {@link ThumbDecoder}. The arithmetic is in {@link Dsp} and
 * {@link DspMultiply}; this class picks operands out of the decoded fields and writes back Rd, Q and GE.
 */
final class DspExecutor {
    private static final int N_HIGH = 1 << 22, M_HIGH = 1 << 23, NO_ACC = 1 << 30;

    private DspExecutor() {
    }

    static int execute(CortexM4 cpu, int op, int a, int b, int rd, int rn, int rm, int npc) {
        final int[] r = cpu.state.r;
        final Dsp.Flags f = cpu.dspFlags;
        f.q = false;
        f.ge = cpu.state.ge;
        int ra = (a >>> 12) & 15;
        switch (op) {
            case Op.PARALLEL -> r[rd] = Dsp.parallelAddSub((a >>> 24) & 7, (a >>> 27) & 7, r[rn], r[rm], f);
            case Op.QADD -> r[rd] = Dsp.qadd(r[rm], r[rn], f);
            case Op.QSUB -> r[rd] = Dsp.qsub(r[rm], r[rn], f);
            case Op.QDADD -> r[rd] = Dsp.qdadd(r[rm], r[rn], f);
            case Op.QDSUB -> r[rd] = Dsp.qdsub(r[rm], r[rn], f);
            case Op.SEL -> r[rd] = Dsp.sel(r[rn], r[rm], cpu.state.ge);
            case Op.USAD8 -> r[rd] = Dsp.usad8(r[rn], r[rm]);
            case Op.USADA8 -> r[rd] = Dsp.usada8(r[rn], r[rm], r[ra]);
            case Op.PKHBT -> r[rd] = Dsp.pkhbt(r[rn], r[rm], (a >>> 24) & 63);
            case Op.PKHTB -> r[rd] = Dsp.pkhtb(r[rn], r[rm], (a >>> 24) & 63);
            case Op.SSAT16 -> r[rd] = Dsp.ssat16(r[rn], b, f);
            case Op.USAT16 -> r[rd] = Dsp.usat16(r[rn], b, f);
            case Op.SXTB16 -> r[rd] = Dsp.sxtb16(r[rm], (a >>> 24) & 31);
            case Op.UXTB16 -> r[rd] = Dsp.uxtb16(r[rm], (a >>> 24) & 31);
            case Op.SXTAB16 -> r[rd] = Dsp.sxtab16(r[rn], r[rm], (a >>> 24) & 31);
            case Op.UXTAB16 -> r[rd] = Dsp.uxtab16(r[rn], r[rm], (a >>> 24) & 31);
            case Op.SMLAXY -> r[rd] = (a & NO_ACC) != 0
                    ? DspMultiply.smulxy(r[rn], r[rm], (a & N_HIGH) != 0, (a & M_HIGH) != 0)
                    : DspMultiply.smlaxy(r[rn], r[rm], r[ra], (a & N_HIGH) != 0, (a & M_HIGH) != 0, f);
            case Op.SMLAWY -> r[rd] = (a & NO_ACC) != 0
                    ? DspMultiply.smulwy(r[rn], r[rm], (a & M_HIGH) != 0)
                    : DspMultiply.smlawy(r[rn], r[rm], r[ra], (a & M_HIGH) != 0, f);
            case Op.SMLAD -> r[rd] = (a & NO_ACC) != 0
                    ? DspMultiply.smuad(r[rn], r[rm], (a & N_HIGH) != 0, f)
                    : DspMultiply.smlad(r[rn], r[rm], r[ra], (a & N_HIGH) != 0, f);
            case Op.SMLSD -> r[rd] = (a & NO_ACC) != 0
                    ? DspMultiply.smusd(r[rn], r[rm], (a & N_HIGH) != 0)
                    : DspMultiply.smlsd(r[rn], r[rm], r[ra], (a & N_HIGH) != 0, f);
            case Op.SMMLA -> r[rd] = (a & NO_ACC) != 0
                    ? DspMultiply.smmul(r[rn], r[rm], (a & N_HIGH) != 0)
                    : DspMultiply.smmla(r[rn], r[rm], r[ra], (a & N_HIGH) != 0);
            case Op.SMMLS -> r[rd] = DspMultiply.smmls(r[rn], r[rm], r[ra], (a & N_HIGH) != 0);
            case Op.SMLALXY, Op.SMLALD, Op.SMLSLD -> {
                long acc = DspMultiply.hiLo(r[ra], r[rd]);
                boolean x = (a & N_HIGH) != 0;
                long res = op == Op.SMLALXY ? DspMultiply.smlalxy(acc, r[rn], r[rm], x, (a & M_HIGH) != 0)
                        : op == Op.SMLALD ? DspMultiply.smlald(acc, r[rn], r[rm], x)
                        : DspMultiply.smlsld(acc, r[rn], r[rm], x);
                r[rd] = (int) res;
                r[ra] = (int) (res >>> 32);
            }
            default -> throw CpuFault.of(Nvic.USAGE_FAULT, 1 << 16);
        }
        cpu.state.q |= f.q;
        cpu.state.ge = f.ge;
        return npc;
    }
}
