/* MeterTwin demo firmware for mps2-an386: integrates one second of a sampled 230 V / 10 A load at power
 * factor 0.8 the way a meter's DSP does (7812.5 Hz samples, active and apparent power), and prints the
 * result over semihosting. Freestanding: no libc, so the build is small and reproducible. */
#include <stdint.h>

extern uint32_t _estack;
void reset(void);
__attribute__((section(".vectors"))) const void *vectors[16] = {&_estack, reset};

static int semihost(int op, const void *arg) {
    register int r0 asm("r0") = op;
    register const void *r1 asm("r1") = arg;
    asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void puts_(const char *s) { semihost(0x04, s); }

static void put_dec(int64_t v, int decimals) {
    char buf[32];
    int i = 31, neg = v < 0;
    uint64_t u = neg ? (uint64_t)-v : (uint64_t)v;
    buf[i--] = 0;
    for (int d = 0; d < decimals || u > 0 || d <= decimals; d++) {
        if (d == decimals && decimals > 0) buf[i--] = '.';
        buf[i--] = (char)('0' + u % 10);
        u /= 10;
        if (d >= decimals && u == 0) break;
    }
    if (neg) buf[i--] = '-';
    puts_(&buf[i + 1]);
}

/* One mains period as 256 samples of sin() in Q15, built at start-up from a Taylor series reduced to
 * [-pi/2, pi/2] (soft-float double through libgcc). */
static int16_t sine[256];

static double taylor_sin(double x) {
    double x2 = x * x;
    return x * (1 - x2 / 6 * (1 - x2 / 20 * (1 - x2 / 42 * (1 - x2 / 72 * (1 - x2 / 110)))));
}

static void build_sine(void) {
    const double pi = 3.14159265358979323846;
    for (int n = 0; n < 256; n++) {
        double x = 2 * pi * n / 256;
        if (x > pi) x -= 2 * pi;             /* [-pi, pi] */
        if (x > pi / 2) x = pi - x;          /* [-pi/2, pi/2] */
        else if (x < -pi / 2) x = -pi - x;
        double v = taylor_sin(x) * 32767.0;
        sine[n] = (int16_t)(v < 0 ? v - 0.5 : v + 0.5);
    }
}

void reset(void) {
    build_sine();
    const int32_t v_peak = 325269; /* 230 V * sqrt(2), in mV */
    const int32_t i_peak = 14142;  /* 10 A * sqrt(2), in mA */
    const uint32_t step = (uint32_t)(50.0 * 4294967296.0 / 7812.5); /* phase step per sample */
    const uint32_t lag = (uint32_t)(0.6435011 / 6.283185307 * 4294967296.0); /* acos(0.8) */
    uint32_t phase = 0;
    int64_t p_sum = 0, v2_sum = 0, i2_sum = 0;
    const int samples = 7813; /* one second */
    for (int n = 0; n < samples; n++) {
        int32_t v = (int32_t)(((int64_t)v_peak * sine[phase >> 24]) >> 15);
        int32_t i = (int32_t)(((int64_t)i_peak * sine[(phase - lag) >> 24]) >> 15);
        p_sum += (int64_t)v * i;
        v2_sum += (int64_t)v * v;
        i2_sum += (int64_t)i * i;
        phase += step;
    }
    int64_t p_mw = p_sum / samples / 1000;        /* mV*mA/1000 = mW */
    puts_("MeterTwin demo: one second of 230 V, 10 A, PF 0.8\n");
    puts_("active power  [W]: "); put_dec(p_mw, 3); puts_("\n");
    puts_("mean v^2 [V^2]   : "); put_dec(v2_sum / samples / 1000000, 0); puts_("\n");
    puts_("mean i^2 [A^2]   : "); put_dec(i2_sum / samples / 1000, 3); puts_("\n");
    static const uint32_t exit_block[2] = {0x20026, 0};
    semihost(0x20, exit_block);
    for (;;) {
    }
}
