package org.metertwin.core.fuzz;

/** xorshift64*: a fixed, documented generator so that a seed means the same corpus on every JDK. */
final class FuzzRandom {
    private long s;

    FuzzRandom(long seed) {
        s = seed ^ 0x9E3779B97F4A7C15L;
        if (s == 0) s = 1;
        for (int k = 0; k < 4; k++) nextLong();
    }

    long nextLong() {
        s ^= s >>> 12;
        s ^= s << 25;
        s ^= s >>> 27;
        return s * 0x2545F4914F6CDD1DL;
    }

    int nextInt() { return (int) (nextLong() >>> 32); }

    /** Uniform in [0, n). */
    int below(int n) { return (int) ((nextLong() >>> 33) % n); }

    /** Uniform in [lo, hi]. */
    int range(int lo, int hi) { return lo + below(hi - lo + 1); }

    /** True with probability 1/n. */
    boolean oneIn(int n) { return below(n) == 0; }

    /** True with probability percent/100. */
    boolean percent(int percent) { return below(100) < percent; }

    <T> T pick(java.util.List<T> list) { return list.get(below(list.size())); }
}
