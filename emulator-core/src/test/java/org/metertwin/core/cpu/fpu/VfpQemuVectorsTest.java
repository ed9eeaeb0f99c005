package org.metertwin.core.cpu.fpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Vfp} bit for bit (result and FPSCR) against golden vectors recorded on QEMU
 * mps2-an386 by src/test/firmware/fpu-vectors (see its build.sh). Line format:
 * {@code op fpscr_in operand... result fpscr_out}, all hex.
 */
class VfpQemuVectorsTest {

    private static final String RESOURCE = "/fpu/vectors.txt.gz";

    @Test
    void everyGoldenVectorMatches() throws IOException {
        Map<String, int[]> perOp = new TreeMap<>(); // op family -> {total, failures}
        List<String> failures = new ArrayList<>();
        int total = 0;
        int declared = -1;
        try (InputStream raw = VfpQemuVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(raw).as(RESOURCE).isNotNull();
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("# end ")) {
                    declared = Integer.parseInt(line.split(" ")[2]);
                    continue;
                }
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                total++;
                String[] f = line.split(" ");
                int n = f.length;
                int fpscrIn = hex(f[1]);
                int expected = hex(f[n - 2]);
                int expectedFpscr = hex(f[n - 1]);
                FpContext c = new FpContext(fpscrIn);
                int actual = execute(f, c);
                String family = f[0].contains(".") ? f[0].substring(0, f[0].indexOf('.')) : f[0];
                int[] counts = perOp.computeIfAbsent(family, k -> new int[2]);
                counts[0]++;
                if (actual != expected || c.fpscr != expectedFpscr) {
                    counts[1]++;
                    if (failures.size() < 40) {
                        failures.add(String.format("%s  -> got %08x fpscr %08x", line, actual, c.fpscr));
                    }
                }
            }
        }
        StringBuilder summary = new StringBuilder();
        perOp.forEach((op, k) -> summary.append(String.format("%-10s %7d vectors, %d failures%n", op, k[0], k[1])));
        System.out.print(summary);
        assertThat(declared).as("trailer '# end N vectors' present").isEqualTo(total);
        assertThat(total).isGreaterThan(100_000);
        assertThat(failures).as("mismatches against QEMU (first 40)%n%s", summary).isEmpty();
    }

    /** Runs the operation of one vector line; for compares, merges NZCV into c.fpscr like the CPU. */
    private static int execute(String[] f, FpContext c) {
        String op = f[0];
        int a = hex(f[2]);
        int b = f.length > 5 ? hex(f[3]) : 0;
        int d = f.length > 6 ? hex(f[4]) : 0;
        switch (op) {
            case "add": return Vfp.add(a, b, c);
            case "sub": return Vfp.sub(a, b, c);
            case "mul": return Vfp.mul(a, b, c);
            case "div": return Vfp.div(a, b, c);
            case "nmul": return Vfp.nmul(a, b, c);
            // ternary lines print d n m
            case "mla": return Vfp.mulAdd(a, b, d, c);
            case "mls": return Vfp.mulSub(a, b, d, c);
            case "nmla": return Vfp.negMulAdd(a, b, d, c);
            case "nmls": return Vfp.negMulSub(a, b, d, c);
            case "fma": return Vfp.fusedMulAdd(a, b, d, c);
            case "fms": return Vfp.fusedMulSub(a, b, d, c);
            case "fnma": return Vfp.fusedNegMulAdd(a, b, d, c);
            case "fnms": return Vfp.fusedNegMulSub(a, b, d, c);
            case "sqrt": return Vfp.sqrt(a, c);
            case "abs": return Vfp.abs(a);
            case "neg": return Vfp.neg(a);
            case "cmp": return setNzcv(c, Vfp.compare(a, b, false, c));
            case "cmpe": return setNzcv(c, Vfp.compare(a, b, true, c));
            case "cmpz": return setNzcv(c, Vfp.compare(a, 0, false, c));
            case "cmpez": return setNzcv(c, Vfp.compare(a, 0, true, c));
            case "toint.s32": return Vfp.toInt(a, false, true, c);
            case "toint.u32": return Vfp.toInt(a, true, true, c);
            case "tointr.s32": return Vfp.toInt(a, false, false, c);
            case "tointr.u32": return Vfp.toInt(a, true, false, c);
            case "fromint.s32": return Vfp.fromInt(a, false, c);
            case "fromint.u32": return Vfp.fromInt(a, true, c);
            case "tohalfb":
            case "tohalft": return Vfp.toHalf(a, c);
            case "fromhalfb":
            case "fromhalft": return Vfp.fromHalf(a, c);
            case "vmovi": return Vfp.expandImm(a);
            default:
                break;
        }
        String[] p = op.split("\\.");        // tofix.s16.8, fromfix.u32.32
        boolean unsigned = p[1].charAt(0) == 'u';
        int size = Integer.parseInt(p[1].substring(1));
        int fracBits = Integer.parseInt(p[2]);
        if (p[0].equals("tofix")) {
            return Vfp.toFixed(a, fracBits, size, unsigned, c);
        }
        if (p[0].equals("fromfix")) {
            return Vfp.fromFixed(a, fracBits, size, unsigned, c);
        }
        throw new IllegalArgumentException("unknown op " + op);
    }

    private static int setNzcv(FpContext c, int nzcv) {
        c.fpscr = (c.fpscr & ~Fpscr.NZCV) | nzcv;
        return nzcv;
    }

    private static int hex(String s) {
        return (int) Long.parseLong(s, 16);
    }
}
