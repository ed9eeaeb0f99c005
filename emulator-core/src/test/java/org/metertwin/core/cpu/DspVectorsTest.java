package org.metertwin.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks Dsp/DspMultiply against vectors recorded on QEMU 7.2 (mps2-an386, Cortex-M4) by
 * src/test/firmware/dsp-vectors (see its build.sh). Line format:
 * {@code NAME I1 I2 A B C D RLO RHI Q GE}, operands in assembler order, Q/GE cleared before each instruction
 * (SEL gets GE = I1).
 */
class DspVectorsTest {

    private static final String RESOURCE = "/dsp/vectors.txt";

    /** Parallel add/sub mnemonic -> {op1, op2} as documented on Dsp.parallelAddSub. */
    private static final Map<String, int[]> PARALLEL = new LinkedHashMap<>();

    static {
        String[] prefixes = {"S", "Q", "SH", "U", "UQ", "UH"};
        int[] op2s = {0b000, 0b001, 0b010, 0b100, 0b101, 0b110};
        String[] ops = {"ADD16", "ASX", "SAX", "SUB16", "ADD8", "SUB8"};
        int[] op1s = {0b001, 0b010, 0b110, 0b101, 0b000, 0b100};
        for (int p = 0; p < prefixes.length; p++) {
            for (int o = 0; o < ops.length; o++) {
                PARALLEL.put(prefixes[p] + ops[o], new int[] {op1s[o], op2s[p]});
            }
        }
    }

    /** Instructions that write GE[3:0]; all others must leave Flags.ge alone. */
    private static final Set<String> WRITES_GE = Set.of(
            "SADD16", "SASX", "SSAX", "SSUB16", "SADD8", "SSUB8",
            "UADD16", "UASX", "USAX", "USUB16", "UADD8", "USUB8");

    record Vector(int lineNo, String name, int i1, int i2, int a, int b, int c, int d, int rlo, int rhi, boolean q,
                  int ge) {
        long result() {
            return DspMultiply.hiLo(rhi, rlo);
        }

        @Override
        public String toString() {
            return String.format("line %d: %s %d %d %08x %08x %08x %08x -> %08x %08x q=%b ge=%x",
                    lineNo, name, i1, i2, a, b, c, d, rlo, rhi, q, ge);
        }
    }

    static List<Vector> load() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = DspVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            int lineNo = 0;
            int declared = -1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] t = line.trim().split(" ");
                if (t[0].equals("END")) {
                    declared = Integer.parseInt(t[1]);
                    continue;
                }
                assertThat(t).as("line %d", lineNo).hasSize(11);
                out.add(new Vector(lineNo, t[0], Integer.parseInt(t[1]), Integer.parseInt(t[2]),
                        hex(t[3]), hex(t[4]), hex(t[5]), hex(t[6]), hex(t[7]), hex(t[8]),
                        t[9].equals("1"), Integer.parseInt(t[10], 16)));
            }
            assertThat(out).as("vector count vs END line").hasSize(declared);
        }
        return out;
    }

    private static int hex(String s) {
        return Integer.parseUnsignedInt(s, 16);
    }

    /** Runs one vector through the Java implementation; 32-bit results come back in the low word. */
    static long eval(Vector v, Dsp.Flags f) {
        int a = v.a, b = v.b, c = v.c, d = v.d;
        int[] par = PARALLEL.get(v.name);
        if (par != null) {
            return u32(Dsp.parallelAddSub(par[0], par[1], a, b, f));
        }
        String n = v.name;
        switch (n) {
            case "QADD": return u32(Dsp.qadd(a, b, f));
            case "QSUB": return u32(Dsp.qsub(a, b, f));
            case "QDADD": return u32(Dsp.qdadd(a, b, f));
            case "QDSUB": return u32(Dsp.qdsub(a, b, f));
            case "SSAT_LSL": return u32(Dsp.ssat(a, v.i1, false, v.i2, f));
            case "SSAT_ASR": return u32(Dsp.ssat(a, v.i1, true, v.i2, f));
            case "USAT_LSL": return u32(Dsp.usat(a, v.i1, false, v.i2, f));
            case "USAT_ASR": return u32(Dsp.usat(a, v.i1, true, v.i2, f));
            case "SSAT16": return u32(Dsp.ssat16(a, v.i1, f));
            case "USAT16": return u32(Dsp.usat16(a, v.i1, f));
            case "SEL": return u32(Dsp.sel(a, b, f.ge));
            case "USAD8": return u32(Dsp.usad8(a, b));
            case "USADA8": return u32(Dsp.usada8(a, b, c));
            case "PKHBT": return u32(Dsp.pkhbt(a, b, v.i2));
            case "PKHTB": return u32(Dsp.pkhtb(a, b, v.i2));
            case "SXTB16": return u32(Dsp.sxtb16(a, v.i2));
            case "UXTB16": return u32(Dsp.uxtb16(a, v.i2));
            case "SXTB": return u32(Dsp.sxtb(a, v.i2));
            case "SXTH": return u32(Dsp.sxth(a, v.i2));
            case "UXTB": return u32(Dsp.uxtb(a, v.i2));
            case "UXTH": return u32(Dsp.uxth(a, v.i2));
            case "SXTAB16": return u32(Dsp.sxtab16(a, b, v.i2));
            case "UXTAB16": return u32(Dsp.uxtab16(a, b, v.i2));
            case "SXTAB": return u32(Dsp.sxtab(a, b, v.i2));
            case "SXTAH": return u32(Dsp.sxtah(a, b, v.i2));
            case "UXTAB": return u32(Dsp.uxtab(a, b, v.i2));
            case "UXTAH": return u32(Dsp.uxtah(a, b, v.i2));
            case "REV": return u32(Dsp.rev(a));
            case "REV16": return u32(Dsp.rev16(a));
            case "REVSH": return u32(Dsp.revsh(a));
            case "RBIT": return u32(Dsp.rbit(a));
            case "CLZ": return u32(Dsp.clz(a));
            case "SMLABB": case "SMLABT": case "SMLATB": case "SMLATT":
                return u32(DspMultiply.smlaxy(a, b, c, n.charAt(4) == 'T', n.charAt(5) == 'T', f));
            case "SMULBB": case "SMULBT": case "SMULTB": case "SMULTT":
                return u32(DspMultiply.smulxy(a, b, n.charAt(4) == 'T', n.charAt(5) == 'T'));
            case "SMLAWB": case "SMLAWT": return u32(DspMultiply.smlawy(a, b, c, n.charAt(5) == 'T', f));
            case "SMULWB": case "SMULWT": return u32(DspMultiply.smulwy(a, b, n.charAt(5) == 'T'));
            case "SMLAD": case "SMLADX": return u32(DspMultiply.smlad(a, b, c, n.endsWith("X"), f));
            case "SMLSD": case "SMLSDX": return u32(DspMultiply.smlsd(a, b, c, n.endsWith("X"), f));
            case "SMUAD": case "SMUADX": return u32(DspMultiply.smuad(a, b, n.endsWith("X"), f));
            case "SMUSD": case "SMUSDX": return u32(DspMultiply.smusd(a, b, n.endsWith("X")));
            case "SMLALD": case "SMLALDX": return DspMultiply.smlald(DspMultiply.hiLo(b, a), c, d, n.endsWith("X"));
            case "SMLSLD": case "SMLSLDX": return DspMultiply.smlsld(DspMultiply.hiLo(b, a), c, d, n.endsWith("X"));
            case "SMLALBB": case "SMLALBT": case "SMLALTB": case "SMLALTT":
                return DspMultiply.smlalxy(DspMultiply.hiLo(b, a), c, d, n.charAt(5) == 'T', n.charAt(6) == 'T');
            case "SMMUL": case "SMMULR": return u32(DspMultiply.smmul(a, b, n.endsWith("R")));
            case "SMMLA": case "SMMLAR": return u32(DspMultiply.smmla(a, b, c, n.endsWith("R")));
            case "SMMLS": case "SMMLSR": return u32(DspMultiply.smmls(a, b, c, n.endsWith("R")));
            case "UMAAL": return DspMultiply.umaal(a, b, c, d);
            case "SMULL": return DspMultiply.smull(a, b);
            case "UMULL": return DspMultiply.umull(a, b);
            case "SMLAL": return DspMultiply.smlal(DspMultiply.hiLo(b, a), c, d);
            case "UMLAL": return DspMultiply.umlal(DspMultiply.hiLo(b, a), c, d);
            case "MLA": return u32(DspMultiply.mla(a, b, c));
            case "MLS": return u32(DspMultiply.mls(a, b, c));
            default: throw new AssertionError("no Java mapping for " + v);
        }
    }

    private static long u32(int x) {
        return x & 0xffffffffL;
    }

    /** GE before the instruction, as QEMU had it: SEL gets its input, all others start from 0. */
    private static int geBefore(Vector v) {
        return v.name.equals("SEL") ? v.i1 : 0;
    }

    private static String check(Vector v) {
        // As on QEMU: Q and GE cleared (SEL: GE preset).
        Dsp.Flags f = new Dsp.Flags();
        f.ge = geBefore(v);
        long got = eval(v, f);
        if (got != v.result() || f.q != v.q || f.ge != v.ge) {
            return String.format("%s%n    java -> %08x %08x q=%b ge=%x", v, (int) got, (int) (got >>> 32), f.q, f.ge);
        }
        // Q is sticky, and GE must survive instructions that do not write it.
        Dsp.Flags g = new Dsp.Flags();
        g.q = true;
        boolean writesGe = WRITES_GE.contains(v.name);
        int preset = v.name.equals("SEL") ? v.i1 : 0b1010;
        g.ge = preset;
        long again = eval(v, g);
        if (again != got || !g.q || g.ge != (writesGe ? v.ge : preset)) {
            return String.format("%s%n    with q=1 ge=%x preset: java -> %08x q=%b ge=%x", v, preset, (int) again, g.q, g.ge);
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> everyQemuVectorMatches() throws IOException {
        Map<String, List<Vector>> byName = new LinkedHashMap<>();
        for (Vector v : load()) {
            byName.computeIfAbsent(v.name, k -> new ArrayList<>()).add(v);
        }
        return byName.entrySet().stream().map(e -> DynamicTest.dynamicTest(
                e.getKey() + " (" + e.getValue().size() + " vectors)", () -> {
                    List<String> failures = new ArrayList<>();
                    for (Vector v : e.getValue()) {
                        String problem = check(v);
                        if (problem != null && failures.size() < 10) {
                            failures.add(problem);
                        }
                    }
                    assertThat(failures).as(e.getKey()).isEmpty();
                }));
    }

    @Test
    void vectorsCoverEveryInstructionOfTheBrief() throws IOException {
        List<Vector> all = load();
        Set<String> names = new java.util.HashSet<>();
        all.forEach(v -> names.add(v.name));
        assertThat(names).containsAll(PARALLEL.keySet());
        assertThat(names).contains("QADD", "QSUB", "QDADD", "QDSUB", "SSAT_LSL", "SSAT_ASR", "USAT_LSL",
                "USAT_ASR", "SSAT16", "USAT16", "SEL", "USAD8", "USADA8", "PKHBT", "PKHTB", "SXTB16", "UXTB16",
                "SXTAB16", "UXTAB16", "SXTAB", "SXTAH", "UXTAB", "UXTAH", "REV", "REV16", "REVSH", "RBIT", "CLZ",
                "SMLABB", "SMLABT", "SMLATB", "SMLATT", "SMULBB", "SMULBT", "SMULTB", "SMULTT", "SMLAWB", "SMLAWT",
                "SMULWB", "SMULWT", "SMLAD", "SMLADX", "SMLSD", "SMLSDX", "SMUAD", "SMUADX", "SMUSD", "SMUSDX",
                "SMLALD", "SMLALDX", "SMLSLD", "SMLSLDX", "SMLALBB", "SMLALBT", "SMLALTB", "SMLALTT", "SMMUL",
                "SMMULR", "SMMLA", "SMMLAR", "SMMLS", "SMMLSR", "UMAAL", "SMULL", "UMULL", "SMLAL", "UMLAL", "MLA",
                "MLS");
        assertThat(all.size()).isGreaterThan(5000);
        // The vectors must exercise the flag paths, not just the arithmetic.
        assertThat(all.stream().filter(v -> v.q).count()).as("vectors with Q set").isGreaterThan(500);
        assertThat(all.stream().filter(v -> WRITES_GE.contains(v.name)).map(v -> v.ge).distinct().count())
                .as("distinct GE patterns").isEqualTo(16);
    }
}
