/*
 * Energy accumulation (README.md, "Energy"). Every period reads channel 1's (the phase current's) wrapping
 * 32-bit energy registers and takes the modular difference from the previous reading, so nothing is lost or
 * counted twice however the periods fall (a failed read only moves the energy into the next period). The
 * difference goes, as counts x 2^16, into a per-register remainder; whole mWh move from the remainder into
 * the 64-bit register, so the register never drifts from the counts by more than its last mWh.
 */
#include "calibration.h"
#include "clock.h"
#include "crc.h"
#include "eeprom.h"
#include "energy.h"
#include "stpm34.h"

#define SLOT_BASE  0x0100u
#define SLOT_SIZE  64u
#define SLOT_COUNT 16u

uint64_t energy[E_COUNT];
uint16_t boot_number;
struct readings now;

static uint64_t remainder[E_COUNT];        /* counts x 2^16 not yet a whole mWh */
static uint32_t last[3];                   /* active, reactive, apparent energy registers at the last read */
static uint32_t slot_sequence;
static unsigned next_slot;

/* read every period: channel 1's active, reactive and apparent energy */
static const uint8_t ENERGY_REGS[] = {
    STPM_PH1_ACTIVE_ENERGY, STPM_PH1_REACTIVE_ENERGY, STPM_PH1_APPARENT_ENERGY,
};
/* read every INSTANT_EVERY periods: powers, RMS values, period */
static const uint8_t INSTANT_REGS[] = {
    STPM_PH1_ACTIVE_POWER, STPM_PH1_REACTIVE_POWER, STPM_PH1_APPARENT_POWER,
    STPM_DSP_REG14, STPM_DSP_REG15, STPM_DSP_REG1,
};
static uint32_t creep_counts;              /* apparent energy counts per period at Un and the starting current */
/*
 * Ripple. Over a period that is not a whole number of half mains cycles (any frequency but 50 Hz, or a
 * period boundary that moves) the energy registers carry part of the double-frequency wave of v.i, whose
 * integral swings by up to S/w: 1.27 % of a 250 ms period's apparent energy at 50 Hz, 1.59 % at 40 Hz, with a
 * sign that changes from period to period. Routed by the sign of each period's difference it would reach
 * both import and export (both reactive quadrants) with no power flowing at all. So the signed differences
 * add up in a pending sum (which telescopes: it is the wave's integral since the last move, never more than
 * S/w), and the sum moves to the register of its sign only once it exceeds 2 % of the period's apparent
 * energy: the ripple stays pending and cancels; nothing is lost (the pending sum is kept) or counted twice.
 */
static int64_t pending_active, pending_reactive;

/* floor(r / e) for r < 2^48: the 32-bit hardware divide on the top bits gives it within one, then it is
   corrected (libgcc's 64-bit division would cost several times more, four times a period) */
static uint64_t whole_mwh(uint64_t r, uint32_t e)
{
    uint32_t d = e >> 16;
    if (d == 0) {
        return r / e;
    }
    uint64_t q = (uint32_t)(r >> 16) / d;
    while (q * e > r) {
        q--;
    }
    while ((q + 1) * e <= r) {
        q++;
    }
    return q;
}

static void add(int reg, uint32_t counts)
{
    uint64_t r = remainder[reg] + ((uint64_t)counts << 16);
    if (r >= cal.e_counts) {
        uint64_t whole = whole_mwh(r, cal.e_counts);
        energy[reg] += whole;
        r -= whole * cal.e_counts;
    }
    remainder[reg] = r;
}

static int32_t signed29(uint32_t raw)
{
    return (int32_t)(raw << 3) >> 3;
}

static int32_t scale(int64_t counts, uint32_t lsb_q16)
{
    return (int32_t)((counts * (int64_t)lsb_q16) / 65536);
}

void energy_start(void)
{
    last[0] = last[1] = last[2] = 0;
    pending_active = pending_reactive = 0;
}

void energy_calibrated(void)
{
    /* mWh per period at Un and the starting current, in counts: mW x us x (counts/mWh x 2^16) / (3.6e9 x 2^16) */
    uint64_t mw = (uint64_t)cal.start_current * cal.nominal_voltage / 1000u;
    creep_counts = (uint32_t)(mw * PERIOD_US * cal.e_counts / (3600000000ull * 65536u));
}

int energy_instant(void)
{
    uint32_t r[sizeof INSTANT_REGS];
    if (stpm_read(INSTANT_REGS, sizeof INSTANT_REGS, r) != 0) {
        return -1;
    }
    now.voltage_mv = (uint32_t)scale(r[3] & 0x7FFFu, cal.v_lsb);
    now.phase_ma = (uint32_t)scale(r[3] >> 15, cal.i1_lsb);
    now.neutral_ma = (uint32_t)scale(r[4] >> 15, cal.i2_lsb);
    now.active_mw = scale(signed29(r[0]), cal.p_lsb);
    now.reactive_mvar = scale(signed29(r[1]), cal.p_lsb);
    now.apparent_mva = (uint32_t)scale(signed29(r[2]), cal.p_lsb);
    int64_t s = now.apparent_mva, p1000 = (int64_t)now.active_mw * 1000;
    int32_t pf = s == 0 ? 1000 : (int32_t)((p1000 + (p1000 >= 0 ? s / 2 : -s / 2)) / s);   /* rounded */
    now.power_factor = (int16_t)(pf > 1000 ? 1000 : pf < -1000 ? -1000 : pf);
    uint32_t period = r[5] & 0xFFFu;       /* 8 us units */
    now.frequency_chz = period == 0 ? 0 : (uint16_t)((12500000u + period / 2) / period);
    return 0;
}

int energy_period(void)
{
    uint32_t r[sizeof ENERGY_REGS];
    if (stpm_read(ENERGY_REGS, sizeof ENERGY_REGS, r) != 0) {
        return -1;
    }
    int32_t d_active = (int32_t)(r[0] - last[0]);
    int32_t d_reactive = (int32_t)(r[1] - last[1]);
    int32_t d_apparent = (int32_t)(r[2] - last[2]);
    last[0] = r[0];
    last[1] = r[1];
    last[2] = r[2];
    /* no creep: below the starting current's apparent energy the period's energy is dropped */
    if (d_apparent <= 0 || (uint32_t)d_apparent < creep_counts) {
        return 0;
    }
    int64_t hysteresis = (uint32_t)d_apparent / 50u;
    /* the active direction for the reactive quadrant: this period's, or the filtered power's when the
       period's active energy is within the ripple */
    int import = d_active > hysteresis ? 1 : d_active < -hysteresis ? 0 : now.active_mw >= 0;
    pending_active += d_active;
    if (pending_active > hysteresis || pending_active < -hysteresis) {
        add(pending_active > 0 ? E_IMPORT : E_EXPORT,
            (uint32_t)(pending_active > 0 ? pending_active : -pending_active));
        pending_active = 0;
    }
    pending_reactive += d_reactive;
    if (pending_reactive > hysteresis || pending_reactive < -hysteresis) {
        int reg = pending_reactive > 0 ? (import ? E_Q1 : E_Q2) : (import ? E_Q4 : E_Q3);
        add(reg, (uint32_t)(pending_reactive > 0 ? pending_reactive : -pending_reactive));
        pending_reactive = 0;
    }
    add(E_APPARENT, (uint32_t)d_apparent);
    return 0;
}

/* Slot: u32 sequence, u16 boot number, u16 0, 7 x u48 registers, 12 bytes 0, u32 CRC-32 of bytes 0..59 */
static void pack(uint8_t *s, uint32_t sequence)
{
    for (unsigned i = 0; i < SLOT_SIZE; i++) {
        s[i] = 0;
    }
    for (int i = 0; i < 4; i++) {
        s[i] = (uint8_t)(sequence >> (8 * i));
    }
    s[4] = (uint8_t)boot_number;
    s[5] = (uint8_t)(boot_number >> 8);
    for (int r = 0; r < E_COUNT; r++) {
        for (int i = 0; i < 6; i++) {
            s[8 + 6 * r + i] = (uint8_t)(energy[r] >> (8 * i));
        }
    }
    uint32_t c = crc32(s, 60);
    for (int i = 0; i < 4; i++) {
        s[60 + i] = (uint8_t)(c >> (8 * i));
    }
}

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int energy_restore(void)
{
    uint8_t s[SLOT_SIZE];
    int found = 0;
    uint32_t best = 0;
    uint16_t boot = 0;
    for (unsigned k = 0; k < SLOT_COUNT; k++) {
        eeprom_read((uint16_t)(SLOT_BASE + k * SLOT_SIZE), s, SLOT_SIZE);
        uint32_t sequence = u32_at(s);
        if (u32_at(s + 60) != crc32(s, 60) || (found && sequence <= best)) {
            continue;
        }
        found = 1;
        best = sequence;
        next_slot = (k + 1) % SLOT_COUNT;
        boot = (uint16_t)(s[4] | s[5] << 8);
        for (int r = 0; r < E_COUNT; r++) {
            uint64_t v = 0;
            for (int i = 5; i >= 0; i--) {
                v = v << 8 | s[8 + 6 * r + i];
            }
            energy[r] = v;
        }
    }
    slot_sequence = found ? best : 0;
    boot_number = (uint16_t)(boot + 1);
    return found;
}

int energy_save(void)
{
    uint8_t s[SLOT_SIZE];
    pack(s, slot_sequence + 1);
    if (eeprom_write((uint16_t)(SLOT_BASE + next_slot * SLOT_SIZE), s, SLOT_SIZE) != 0) {
        return -1;
    }
    slot_sequence++;
    next_slot = (next_slot + 1) % SLOT_COUNT;
    return 0;
}
