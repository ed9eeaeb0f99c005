package org.metertwin.peripherals.meter.stpm34;

import java.util.List;
import org.metertwin.peripherals.meter.mains.AcQuantity;
import org.metertwin.peripherals.meter.mains.Harmonic;
import org.metertwin.peripherals.meter.mains.MainsState;

/**
 * One metering channel (a voltage and a current input) of the STPM34: its inputs in normalised units for one
 * stationary mains state, and its four energy accumulators.
 *
 * <p><b>Units.</b> An input sample x is the ADC input voltage times the channel gain times the calibration
 * factor over VREF: {@code x = u·A·cal/VREF}. The LSB formulas of the datasheet follow: the instantaneous
 * register is x·2^23, the voltage RMS register rms(x)·2^15, the current RMS register rms(x)·2^17, a power
 * register mean(xv·xi)·2^28, and every sample adds its power in power counts divided by 2^11 to the energy
 * register, i.e. xv·xi·2^17 energy counts.
 *
 * <p><b>Per-sample model</b> (what {@link #addSample} does for sample k at fundamental angle θk):
 * <pre>
 *   v  = clip(Σ aV_h·sin(h·θ + φV_h) [+ dcV if the voltage HPF is bypassed], ±calV)
 *   i  = clip(Σ aI_h·sin(h·θ + φI_h) [+ dcI], ±calI)
 *   v1, i1 = the order-1 terms alone; i1q = i1 advanced by 90°
 *   active += v·i, fundamental += v1·i1, reactive += v1·i1q, apparent += S (RMS or vectorial, a constant)
 * </pre>
 * where the phases include the phase compensation delays (φ − h·ω·delay). The clip is the ADC's input range,
 * |u·A| ≤ VREF (unverified: see the doc).
 *
 * <p><b>Closed form</b> ({@link #addClosedForm}): while the inputs stay inside the range every product is a
 * sum of terms {@code Re(C_p·e^{j·p·θk})}, p = 0..2·(highest order), with θk = θ0 + k·d. Summed over N
 * samples each term is {@code Re(C_p·e^{j·p·θ0}·G_p(N))}, with the geometric series
 * {@code G_p(N) = Σ_{k<N} e^{j·p·d·k} = (1 − e^{j·p·d·N}) / (1 − e^{j·p·d})} (= N where e^{j·p·d} = 1). The
 * coefficients C_p are built once per state; so an interval of any length costs O(number of p).
 */
final class DspChannel {
    static final int ACTIVE = 0, FUNDAMENTAL = 1, REACTIVE = 2, APPARENT = 3;
    /** Energy accumulator units: 2^-31 energy counts, so the 32-bit register is bits 62..31. */
    static final int FRACTION_BITS = 31;
    private static final double SAMPLE_TO_UNITS = 0x1p48; // 2^17 energy counts per x², times 2^31
    private static final double COUNTS_PER_X2 = 0x1p17;

    final int number;
    final DspConfig config = new DspConfig();
    /** The four energy accumulators (ACTIVE..APPARENT), in 2^-31 counts, wrapping. */
    final long[] energy = new long[4];
    /**
     * The counts added to each accumulator since its owner last cleared this, not reduced modulo 2^32: how
     * {@link DspEnergyEvents} tells how many times a register wrapped over a long interval.
     */
    final double[] moved = new double[4];

    // The stationary inputs, in x units: peaks and phases of each harmonic, DC parts.
    private int nv, ni;
    private int[] orderV = new int[4], orderI = new int[4];
    private double[] peakV = new double[4], phaseV = new double[4], peakI = new double[4], phaseI = new double[4];
    private double dcV, dcI;
    /** cos and sin of each harmonic's phase, so a latch needs one sine and cosine of θ in all. */
    private double[] cosV = new double[4], sinV = new double[4], cosI = new double[4], sinI = new double[4];
    /** cos(hθ), sin(hθ) for h = 0..highest order, filled per latch. */
    private double[] powRe = new double[8], powIm = new double[8];
    private int topOrder;
    /** The latched sample: instantaneous and fundamental values, x units (set by {@link #sampleAt}). */
    double instV, instI, instV1, instI1;
    private double v1Peak, v1Phase, i1Peak, i1Phase;
    /** True when an input can leave the ADC range: then sums are taken sample by sample. */
    boolean clipping;

    // Closed form coefficients C_p for ACTIVE, FUNDAMENTAL, REACTIVE (real and imaginary parts), p = 0..maxP.
    private int maxP;
    private double[][] cRe = new double[3][9], cIm = new double[3][9];
    /** Cycles per sample of the fundamental (f·128 µs) the coefficients were built for. */
    private double cyclesPerSample;

    // Steady readings, x units.
    double vRms, iRms, activePower, fundamentalPower, reactivePower, apparentRms, apparentVectorial;
    double v1Rms, i1Rms;
    /** The highest |x| of the (clipped) voltage and current over a cycle: what sag/swell compare. */
    double voltagePeak, currentPeak;
    /** The angle (radians) by which the fundamental current lags the fundamental voltage, in [0, 2π). */
    double currentLag;

    // G_p(N) cache: two slots (the sample counts between two regular reads alternate, e.g. 7812 and 7813).
    private final long[] cacheN = {-1, -1};
    private final double[][] cacheRe = new double[2][9], cacheIm = new double[2][9];
    private int cacheNext;

    DspChannel(int number) {
        this.number = number;
    }

    /** Loads the inputs for a stationary mains state (call after {@link DspConfig#read}). */
    void load(MainsState s, SensorNetwork net) {
        DspConfig c = config;
        double kv = c.voltageOn ? net.voltageRatio() * DspConfig.AV * c.calV / c.vref : 0;
        double ki = c.currentOn ? net.ks(number) * c.ai * c.calI / c.vref : 0;
        double omega = 2 * Math.PI * s.frequencyHz();
        AcQuantity v = s.voltage();
        AcQuantity i = net.current(s, number);
        nv = fill(v.harmonics(), kv, omega * c.delayV, true);
        ni = fill(i.harmonics(), ki, omega * c.delayC, false);
        dcV = c.hpfV ? 0 : v.dc() * kv;
        dcI = c.hpfC ? 0 : i.dc() * ki;
        v1Peak = 0;
        i1Peak = 0;
        for (int h = 0; h < nv; h++) {
            if (orderV[h] == 1) {
                v1Peak = peakV[h];
                v1Phase = phaseV[h];
            }
        }
        for (int h = 0; h < ni; h++) {
            if (orderI[h] == 1) {
                i1Peak = peakI[h];
                i1Phase = phaseI[h];
            }
        }
        precomputePhases();
        cyclesPerSample = s.frequencyHz() * Stpm34Dsp.SAMPLE_SECONDS;
        clipping = bound(peakV, nv, dcV) > c.calV || bound(peakI, ni, dcI) > c.calI;
        buildCoefficients();
        steadyReadings();
        cacheN[0] = -1;
        cacheN[1] = -1;
    }

    private int fill(List<Harmonic> hs, double k, double omegaDelay, boolean voltage) {
        int n = hs.size();
        if (voltage && orderV.length < n) {
            orderV = new int[n];
            peakV = new double[n];
            phaseV = new double[n];
        }
        if (!voltage && orderI.length < n) {
            orderI = new int[n];
            peakI = new double[n];
            phaseI = new double[n];
        }
        int[] ord = voltage ? orderV : orderI;
        double[] peak = voltage ? peakV : peakI;
        double[] phase = voltage ? phaseV : phaseI;
        for (int h = 0; h < n; h++) {
            Harmonic x = hs.get(h);
            ord[h] = x.order();
            peak[h] = x.rms() * Math.sqrt(2) * k;
            // A delay d turns sin(hθ + φ) into sin(h(θ − ωd) + φ).
            phase[h] = x.phase() - x.order() * omegaDelay;
        }
        return n;
    }

    private void precomputePhases() {
        if (cosV.length < nv) {
            cosV = new double[nv];
            sinV = new double[nv];
        }
        if (cosI.length < ni) {
            cosI = new double[ni];
            sinI = new double[ni];
        }
        topOrder = 1;
        for (int h = 0; h < nv; h++) {
            cosV[h] = Math.cos(phaseV[h]);
            sinV[h] = Math.sin(phaseV[h]);
            topOrder = Math.max(topOrder, orderV[h]);
        }
        for (int h = 0; h < ni; h++) {
            cosI[h] = Math.cos(phaseI[h]);
            sinI[h] = Math.sin(phaseI[h]);
            topOrder = Math.max(topOrder, orderI[h]);
        }
        if (powRe.length <= topOrder) {
            powRe = new double[topOrder + 1];
            powIm = new double[topOrder + 1];
        }
    }

    /**
     * Computes the sample at angle θ (given by its cosine and sine) into {@link #instV}.. {@link #instI1}:
     * the same values as {@link #voltage}, {@link #current} and the fundamentals, with sin(hθ + φ) expanded
     * as sin(hθ)·cos φ + cos(hθ)·sin φ.
     */
    void sampleAt(double cosTheta, double sinTheta) {
        powRe[0] = 1;
        powIm[0] = 0;
        for (int h = 1; h <= topOrder; h++) {
            powRe[h] = powRe[h - 1] * cosTheta - powIm[h - 1] * sinTheta;
            powIm[h] = powRe[h - 1] * sinTheta + powIm[h - 1] * cosTheta;
        }
        double v = dcV, v1 = 0;
        for (int h = 0; h < nv; h++) {
            int o = orderV[h];
            double x = peakV[h] * (powIm[o] * cosV[h] + powRe[o] * sinV[h]);
            v += x;
            if (o == 1) {
                v1 = x;
            }
        }
        double i = dcI, i1 = 0;
        for (int h = 0; h < ni; h++) {
            int o = orderI[h];
            double x = peakI[h] * (powIm[o] * cosI[h] + powRe[o] * sinI[h]);
            i += x;
            if (o == 1) {
                i1 = x;
            }
        }
        instV = Math.max(-config.calV, Math.min(config.calV, v));
        instI = Math.max(-config.calI, Math.min(config.calI, i));
        instV1 = v1;
        instI1 = i1;
    }

    private static double bound(double[] peak, int n, double dc) {
        double b = Math.abs(dc);
        for (int h = 0; h < n; h++) {
            b += peak[h];
        }
        return b * (1 - 1e-12);
    }

    private void buildCoefficients() {
        int top = 0;
        for (int h = 0; h < nv; h++) {
            top = Math.max(top, orderV[h]);
        }
        int topI = 0;
        for (int h = 0; h < ni; h++) {
            topI = Math.max(topI, orderI[h]);
        }
        maxP = top + topI;
        if (cRe[0].length <= maxP) {
            cRe = new double[3][maxP + 1];
            cIm = new double[3][maxP + 1];
            cacheRe[0] = new double[maxP + 1];
            cacheRe[1] = new double[maxP + 1];
            cacheIm[0] = new double[maxP + 1];
            cacheIm[1] = new double[maxP + 1];
        }
        for (int t = 0; t < 3; t++) {
            java.util.Arrays.fill(cRe[t], 0);
            java.util.Arrays.fill(cIm[t], 0);
        }
        // Active: (dcV + Σ aV sin)(dcI + Σ aI sin).
        add(ACTIVE, 0, dcV * dcI, 0);
        for (int m = 0; m < nv; m++) {
            // dcI·a·sin(mθ + α) = dcI·a·cos(mθ + α − π/2)
            add(ACTIVE, orderV[m], dcI * peakV[m], phaseV[m] - Math.PI / 2);
        }
        for (int n = 0; n < ni; n++) {
            add(ACTIVE, orderI[n], dcV * peakI[n], phaseI[n] - Math.PI / 2);
        }
        for (int m = 0; m < nv; m++) {
            for (int n = 0; n < ni; n++) {
                product(ACTIVE, orderV[m], peakV[m], phaseV[m], orderI[n], peakI[n], phaseI[n]);
            }
        }
        product(FUNDAMENTAL, 1, v1Peak, v1Phase, 1, i1Peak, i1Phase);
        product(REACTIVE, 1, v1Peak, v1Phase, 1, i1Peak, i1Phase + Math.PI / 2);
    }

    /** a·sin(mθ+α)·b·sin(nθ+β) = ab/2·[cos((m−n)θ + α−β) − cos((m+n)θ + α+β)]. */
    private void product(int type, int m, double a, double alpha, int n, double b, double beta) {
        double k = a * b / 2;
        if (k == 0) {
            return;
        }
        if (m >= n) {
            add(type, m - n, k, alpha - beta);
        } else {
            add(type, n - m, k, beta - alpha);
        }
        add(type, m + n, -k, alpha + beta);
    }

    /** C_p += amplitude·e^{j·phase}: the term amplitude·cos(pθ + phase). */
    private void add(int type, int p, double amplitude, double phase) {
        cRe[type][p] += amplitude * Math.cos(phase);
        cIm[type][p] += amplitude * Math.sin(phase);
    }

    private void steadyReadings() {
        double sv = dcV * dcV, si = dcI * dcI;
        for (int h = 0; h < nv; h++) {
            sv += peakV[h] * peakV[h] / 2;
        }
        for (int h = 0; h < ni; h++) {
            si += peakI[h] * peakI[h] / 2;
        }
        v1Rms = v1Peak / Math.sqrt(2);
        i1Rms = i1Peak / Math.sqrt(2);
        fundamentalPower = cRe[FUNDAMENTAL][0];
        reactivePower = cRe[REACTIVE][0];
        double lag = (v1Phase - i1Phase) % (2 * Math.PI);
        currentLag = lag < 0 ? lag + 2 * Math.PI : lag;
        if (!clipping) {
            vRms = Math.sqrt(sv);
            iRms = Math.sqrt(si);
            activePower = cRe[ACTIVE][0];
        } else {
            // The period average of the clipped waveforms, over a fine grid of one fundamental period.
            int n = 4096;
            double pv = 0, pi = 0, pp = 0;
            for (int k = 0; k < n; k++) {
                double th = 2 * Math.PI * k / n;
                double v = voltage(th), i = current(th);
                pv += v * v;
                pi += i * i;
                pp += v * i;
            }
            vRms = Math.sqrt(pv / n);
            iRms = Math.sqrt(pi / n);
            activePower = pp / n;
        }
        voltagePeak = peak(true);
        currentPeak = peak(false);
        apparentRms = vRms * iRms;
        apparentVectorial = Math.hypot(fundamentalPower, reactivePower);
    }

    private double peak(boolean voltage) {
        int n = voltage ? nv : ni;
        double dc = voltage ? dcV : dcI;
        double[] pk = voltage ? peakV : peakI;
        if (n == 0) {
            return Math.abs(dc);
        }
        if (n == 1 && dc == 0) {
            return Math.min(pk[0], voltage ? config.calV : config.calI);
        }
        double m = 0;
        for (int k = 0; k < 4096; k++) {
            double th = 2 * Math.PI * k / 4096;
            m = Math.max(m, Math.abs(voltage ? voltage(th) : current(th)));
        }
        return m;
    }

    /** The voltage sample (x units, clipped) at fundamental angle θ. */
    double voltage(double theta) {
        double v = dcV;
        for (int h = 0; h < nv; h++) {
            v += peakV[h] * Math.sin(orderV[h] * theta + phaseV[h]);
        }
        return Math.max(-config.calV, Math.min(config.calV, v));
    }

    double current(double theta) {
        double i = dcI;
        for (int h = 0; h < ni; h++) {
            i += peakI[h] * Math.sin(orderI[h] * theta + phaseI[h]);
        }
        return Math.max(-config.calI, Math.min(config.calI, i));
    }

    double voltageFundamental(double theta) {
        return v1Peak * Math.sin(theta + v1Phase);
    }

    double v1Peak() {
        return v1Peak;
    }

    double v1Phase() {
        return v1Phase;
    }

    double i1Peak() {
        return i1Peak;
    }

    double i1Phase() {
        return i1Phase;
    }

    double currentFundamental(double theta) {
        return i1Peak * Math.sin(theta + i1Phase);
    }

    /** The apparent power that each sample adds to the apparent energy (APMx selects which). */
    double apparentPerSample() {
        return config.vectorialApparent ? apparentVectorial : apparentRms;
    }

    /** One sample of the per-sample model at fundamental angle θ. */
    void addSample(double theta) {
        double v = voltage(theta), i = current(theta);
        double v1 = voltageFundamental(theta);
        addUnits(ACTIVE, Math.round(v * i * SAMPLE_TO_UNITS));
        addUnits(FUNDAMENTAL, Math.round(v1 * currentFundamental(theta) * SAMPLE_TO_UNITS));
        addUnits(REACTIVE, Math.round(v1 * i1Peak * Math.sin(theta + i1Phase + Math.PI / 2) * SAMPLE_TO_UNITS));
        addUnits(APPARENT, Math.round(apparentPerSample() * SAMPLE_TO_UNITS));
    }

    private void addUnits(int type, long units) {
        energy[type] += units;
        moved[type] += units * 0x1p-31;
    }

    /**
     * The exact sum of {@code n} samples of the per-sample model, the first at angle θ0 given by its cosine
     * and sine (no clipping).
     */
    void addClosedForm(double cosTheta0, double sinTheta0, long n) {
        int slot = cacheSlot(n);
        double[] gRe = cacheRe[slot], gIm = cacheIm[slot];
        double sa = 0, sf = 0, sr = 0;
        double zRe = cosTheta0, zIm = sinTheta0;
        double eRe = 1, eIm = 0; // e^{j·p·θ0}
        for (int p = 0; p <= maxP; p++) {
            // E = e^{j·p·θ0}·G_p(N); the sum of C_p·E's real part.
            double re = eRe * gRe[p] - eIm * gIm[p];
            double im = eRe * gIm[p] + eIm * gRe[p];
            sa += cRe[ACTIVE][p] * re - cIm[ACTIVE][p] * im;
            sf += cRe[FUNDAMENTAL][p] * re - cIm[FUNDAMENTAL][p] * im;
            sr += cRe[REACTIVE][p] * re - cIm[REACTIVE][p] * im;
            double t = eRe * zRe - eIm * zIm;
            eIm = eRe * zIm + eIm * zRe;
            eRe = t;
        }
        addCounts(ACTIVE, sa * COUNTS_PER_X2);
        addCounts(FUNDAMENTAL, sf * COUNTS_PER_X2);
        addCounts(REACTIVE, sr * COUNTS_PER_X2);
        addCounts(APPARENT, apparentPerSample() * n * COUNTS_PER_X2);
    }

    /**
     * A bound, in x² units, on how far the sum of the accumulator {@code type} over any number of samples
     * strays from its steady line (N times the mean): Σ_{p≥1} |C_p|/|sin(π·fr_p)|, the largest |G_p| of the
     * closed form. Infinite while clipping or when a term aliases to (near) DC: callers then use a coarser
     * bound.
     */
    double rippleBound(int type) {
        if (type == APPARENT) {
            return 0;
        }
        if (clipping) {
            return Double.POSITIVE_INFINITY;
        }
        double b = 0;
        for (int p = 1; p <= maxP; p++) {
            double c = Math.hypot(cRe[type][p], cIm[type][p]);
            if (c == 0) {
                continue;
            }
            double turns = p * cyclesPerSample;
            double half = Math.abs(Math.sin(Math.PI * (turns - Math.floor(turns))));
            if (half < 1e-3) {
                return Double.POSITIVE_INFINITY;
            }
            b += c / half;
        }
        return b;
    }

    /** Adds a (possibly huge) number of energy counts to an accumulator, modulo 2^32 counts. */
    private void addCounts(int type, double counts) {
        double whole = Math.floor(counts);
        // Only the low 33 bits of the whole part matter once shifted into bits 62..31; a long cast of a double
        // below 2^63 is exact, so reduce first.
        double reduced = whole - 0x1p32 * Math.floor(whole / 0x1p32);
        energy[type] += ((long) reduced << FRACTION_BITS) + Math.round((counts - whole) * 0x1p31);
        moved[type] += counts;
    }

    private int cacheSlot(long n) {
        for (int s = 0; s < 2; s++) {
            if (cacheN[s] == n) {
                return s;
            }
        }
        int s = cacheNext;
        cacheNext ^= 1;
        cacheN[s] = n;
        double[] gRe = cacheRe[s], gIm = cacheIm[s];
        for (int p = 0; p <= maxP; p++) {
            double turns = p * cyclesPerSample;
            double fr = turns - Math.floor(turns); // cycles per sample of this term, in [0, 1)
            double half = Math.sin(Math.PI * fr);
            if (Math.abs(half) < 1e-12) {
                gRe[p] = n;
                gIm[p] = 0;
                continue;
            }
            // Σ_{k<N} e^{jks} = e^{j(N−1)s/2}·sin(Ns/2)/sin(s/2), s = 2π·fr; N·fr is reduced exactly (fma)
            // so that long intervals keep their precision.
            double ratio = Math.sin(Math.PI * fracTimes(n, fr, 2)) / half;
            double mid = Math.PI * fracTimes(n - 1, fr, 2);
            gRe[p] = ratio * Math.cos(mid);
            gIm[p] = ratio * Math.sin(mid);
        }
        return s;
    }

    /** n·x modulo m (m a small power of two), with the product's rounding error kept. */
    private static double fracTimes(long n, double x, double m) {
        double hi = n * x;
        double lo = Math.fma((double) n, x, -hi);
        double r = hi - m * Math.floor(hi / m) + lo;
        return r - m * Math.floor(r / m);
    }

    /** The 32-bit energy register of an accumulator. */
    int register(int type) {
        return (int) (energy[type] >> FRACTION_BITS);
    }

    void reset() {
        java.util.Arrays.fill(energy, 0);
        java.util.Arrays.fill(moved, 0);
    }
}
