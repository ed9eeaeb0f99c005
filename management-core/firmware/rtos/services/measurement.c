/*
 * Measurement management, address 0x11 (docs/services.md "Measurement management"): every second it asks
 * the metering core, through the router, for its energy registers (DI 00.80.00.00) and instantaneous values
 * (DI 02.80.00.00), and publishes them in /shm/measurement (struct measurement, services.h) under a sequence
 * counter. The copy holds the registers as the metering core reports them, never a sum of increments, so a
 * restart of either core cannot count energy twice: after the metering core's power-up report, or a failed
 * poll followed by a successful one, the next poll simply replaces the copy (a resynchronisation, counted).
 * It registers with the router the DIs it serves from that copy (the two blocks, and DI_MEASUREMENT_COPY):
 * a get sent to the router as "any" is answered here, without a round trip on the link.
 */
#include <string.h>

#include "services.h"

#define POLL_MS 1000u
#define REPLY_MS 100u        /* the metering core answers within 10 ms; the router and the pipes add little */
#define SUBSCRIBE_EVERY 60u  /* polls: the subscription is renewed (a restarted router has forgotten it) */

struct state {
    struct vbus_client client;
    struct measurement *shared;
    int resync;              /* a power-up report or a failed poll: the next success is a resynchronisation */
};

static void serve(struct state *s, const struct vbus_frame *f);

static void report(struct state *s, const struct vbus_frame *f)
{
    if (f->di == DI_EVENT_RECORD_1 && f->length >= 1 && f->data[0] == METERING_EVENT_POWER_UP) {
        s->resync = 1;
    }
}

/* asks the metering core for di; 1 and the value in out (exactly length bytes), 0 if it failed */
static int get(struct state *s, uint32_t di, void *out, unsigned length)
{
    struct vbus_client *c = &s->client;
    if (vbus_client_send(c, VBUS_METERING, VBUS_GET, di, NULL, 0) < 0) {
        return 0;
    }
    uint32_t start = rtos_uptime();
    for (;;) {
        uint32_t spent = rtos_uptime() - start;
        if (spent >= REPLY_MS || !vbus_client_next(c, REPLY_MS - spent)) {
            return 0;
        }
        const struct vbus_frame *f = &c->got;
        if ((f->control & VBUS_REPLY) == 0 && (f->control & VBUS_FUNCTION) != VBUS_REPORT) {
            serve(s, f); /* another client asks for the copy meanwhile */
            continue;
        }
        if (f->src != VBUS_METERING) {
            continue; /* the router's answer to a subscription or a registration */
        }
        if (f->control == VBUS_REPORT) {
            report(s, f);
        } else if (f->di == di && f->control == (VBUS_GET | VBUS_REPLY)) {
            if (f->length != length) {
                return 0;
            }
            memcpy(out, f->data, length);
            return 1;
        } else if (f->di == di && f->control == (VBUS_GET | VBUS_REPLY | VBUS_ERROR)) {
            return 0;
        }
    }
}

/* a reply lost on the link (characters dropped: see docs/services.md "Known limits") costs one retry */
static int get_retrying(struct state *s, uint32_t di, void *out, unsigned length)
{
    return get(s, di, out, length) || get(s, di, out, length);
}

/* the router's subscription to the metering core's reports, and the registration of the DIs it serves:
   both live in the router's memory only, so they are renewed */
static void subscribe(struct state *s)
{
    static const uint32_t served[3][2] = {{DI_ENERGY_BLOCK, DI_ENERGY_BLOCK}, {DI_INSTANT_BLOCK, DI_INSTANT_BLOCK},
                                          {DI_MEASUREMENT_COPY, DI_MEASUREMENT_COPY}};
    uint8_t on = 1;
    vbus_client_send(&s->client, VBUS_ROUTER, VBUS_ACTION, VBUS_DI_SUBSCRIBE, &on, 1);
    vbus_client_send(&s->client, VBUS_ROUTER, VBUS_ACTION, VBUS_DI_REGISTER, served, sizeof served);
}

static void answer(struct state *s, const struct vbus_frame *request, uint8_t control, const void *data,
                   unsigned length)
{
    vbus_client_send(&s->client, request->src, control, request->di, data, length);
}

/* a request routed here: answered from the copy (its layout is the metering core's for the blocks) */
static void serve(struct state *s, const struct vbus_frame *f)
{
    const struct measurement *m = s->shared;
    uint8_t error = VBUS_ERR_NO_DI;
    if ((f->control & VBUS_FUNCTION) != VBUS_GET) {
        error = VBUS_ERR_DENIED; /* the copy is read-only */
    } else if (f->di == DI_MEASUREMENT_COPY) {
        uint32_t state[5] = {m->valid, m->taken_ms, m->polls, m->failures, m->resyncs};
        answer(s, f, VBUS_GET | VBUS_REPLY, state, sizeof state);
        return;
    } else if (!m->valid) {
        error = VBUS_ERR_BUSY; /* no successful poll yet */
    } else if (f->di == DI_ENERGY_BLOCK) {
        answer(s, f, VBUS_GET | VBUS_REPLY, m->energy, sizeof m->energy);
        return;
    } else if (f->di == DI_INSTANT_BLOCK) {
        uint8_t instant[28];
        memcpy(instant + 0, &m->voltage_mv, 4);
        memcpy(instant + 4, &m->current_ma, 4);
        memcpy(instant + 8, &m->neutral_ma, 4);
        memcpy(instant + 12, &m->active_mw, 4);
        memcpy(instant + 16, &m->reactive_mvar, 4);
        memcpy(instant + 20, &m->apparent_mva, 4);
        memcpy(instant + 24, &m->power_factor, 2);
        memcpy(instant + 26, &m->frequency_chz, 2);
        answer(s, f, VBUS_GET | VBUS_REPLY, instant, sizeof instant);
        return;
    }
    answer(s, f, (uint8_t)(f->control | VBUS_REPLY | VBUS_ERROR), &error, 1);
}

static void begin_write(struct measurement *m)
{
    m->seq++;
    __asm__ volatile("dmb" ::: "memory");
}

static void end_write(struct measurement *m)
{
    __asm__ volatile("dmb" ::: "memory");
    m->seq++;
}

int measurement_main(void *arg)
{
    struct state *s = arg;
    memset(s, 0, sizeof *s);
    while (vbus_client_open(&s->client, VBUS_MEASUREMENT) < 0) {
        rtos_sleep(100);
        rtos_heartbeat();
    }
    int fd = rtos_open(MEASUREMENT_SHM, RTOS_O_RDWR | RTOS_O_CREAT, sizeof(struct measurement));
    if (fd < 0) {
        return 1;
    }
    s->shared = rtos_mmap(fd);
    if ((int32_t)(uint32_t)s->shared < 0) {
        return 2;
    }
    struct measurement *m = s->shared;
    if (m->seq & 1) { /* a previous run died in the middle of a write: the copy is whole again after the next */
        m->seq++;
    }
    s->resync = 1; /* this run's first copy replaces whatever the last one left */
    subscribe(s);
    uint32_t next = rtos_uptime(), polls = 0;
    for (;;) {
        rtos_heartbeat();
        /* until the next poll: reports (and the router's answers) as they come */
        for (;;) {
            int32_t wait = (int32_t)(next - rtos_uptime());
            if (wait <= 0) {
                break;
            }
            if (!vbus_client_next(&s->client, (uint32_t)wait)) {
                continue;
            }
            const struct vbus_frame *f = &s->client.got;
            if (f->src == VBUS_METERING && f->control == VBUS_REPORT) {
                report(s, f);
            } else if ((f->control & VBUS_REPLY) == 0 && (f->control & VBUS_FUNCTION) != VBUS_REPORT) {
                serve(s, f);
            }
        }
        next += POLL_MS;
#ifdef MEASUREMENT_CRASH_AT_S
        /* the test variant: the first run stores into kernel memory at that uptime (a MemManage fault) */
        struct rtos_process_info info;
        if ((int32_t)(rtos_uptime() - MEASUREMENT_CRASH_AT_S * 1000u) >= 0
            && rtos_process_info(rtos_process_self(), &info) == 0 && info.restarts == 0) {
            *(volatile uint32_t *)0x20000000u = 0xDEADu;
        }
#endif
        if (++polls % SUBSCRIBE_EVERY == 0) {
            subscribe(s);
        }
        uint64_t energy[7];
        uint8_t instant[28];
        uint32_t taken = rtos_uptime();
        int ok = get_retrying(s, DI_ENERGY_BLOCK, energy, sizeof energy)
                 && get_retrying(s, DI_INSTANT_BLOCK, instant, sizeof instant);
        begin_write(m);
        if (ok) {
            if (s->resync) {
                m->resyncs++;
                s->resync = 0;
            }
            memcpy(m->energy, energy, sizeof energy);
            memcpy(&m->voltage_mv, instant + 0, 4);
            memcpy(&m->current_ma, instant + 4, 4);
            memcpy(&m->neutral_ma, instant + 8, 4);
            memcpy(&m->active_mw, instant + 12, 4);
            memcpy(&m->reactive_mvar, instant + 16, 4);
            memcpy(&m->apparent_mva, instant + 20, 4);
            memcpy(&m->power_factor, instant + 24, 2);
            memcpy(&m->frequency_chz, instant + 26, 2);
            m->taken_ms = taken;
            m->valid = 1;
            m->polls++;
        } else {
            m->failures++;
            s->resync = 1;
        }
        end_write(m);
        if (!ok) {
            subscribe(s); /* the router may have restarted */
        }
    }
}
