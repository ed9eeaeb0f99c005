/*
 * Data-identifier dispatch: a request the link delivered is decoded (vbus_frame.c), answered from the
 * energy registers, instantaneous values, event log, status word, identification and calibration record,
 * and the reply goes back on the link. Choices the document leaves open are in README.md, "Link".
 */
#include <string.h>
#include "calibration.h"
#include "energy.h"
#include "events.h"
#include "image.h"
#include "meter.h"
#include "vbus_dispatch.h"
#include "vbus_frame.h"
#include "vbus_usart.h"

static void send(uint8_t dst, uint8_t control, uint32_t di, const uint8_t *data, unsigned length)
{
    struct vbus_frame f = {
        .src = VBUS_METERING, .dst = dst, .control = control, .di = di, .data = data, .length = length,
    };
    uint8_t bytes[VBUS_FRAME_MAX];
    vbus_usart_send(bytes, vbus_encode(&f, bytes));
}

void vbus_dispatch_report(const uint8_t record[8])
{
    send(VBUS_ROUTER, VBUS_REPORT, 0x03800001u, record, 8);
}

static unsigned put(uint8_t *out, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        out[i] = (uint8_t)(v >> (8 * i));
    }
    return bytes;
}

static unsigned instant(uint8_t *out)
{
    unsigned n = 0;
    n += put(out + n, now.voltage_mv, 4);
    n += put(out + n, now.phase_ma, 4);
    n += put(out + n, now.neutral_ma, 4);
    n += put(out + n, (uint32_t)now.active_mw, 4);
    n += put(out + n, (uint32_t)now.reactive_mvar, 4);
    n += put(out + n, now.apparent_mva, 4);
    n += put(out + n, (uint16_t)now.power_factor, 2);
    n += put(out + n, now.frequency_chz, 2);
    return n;
}

/* The value of a get, into out; returns its length, or -error. */
static int get(uint32_t di, uint8_t *out)
{
    switch (di) {
    case 0x00010000u: return (int)put(out, energy[E_IMPORT], 8);
    case 0x00020000u: return (int)put(out, energy[E_EXPORT], 8);
    case 0x00050000u: return (int)put(out, energy[E_Q1], 8);
    case 0x00060000u: return (int)put(out, energy[E_Q2], 8);
    case 0x00070000u: return (int)put(out, energy[E_Q3], 8);
    case 0x00080000u: return (int)put(out, energy[E_Q4], 8);
    case 0x00090000u: return (int)put(out, energy[E_APPARENT], 8);
    case 0x00800000u: {
        unsigned n = 0;
        for (int r = 0; r < E_COUNT; r++) {
            n += put(out + n, energy[r], 8);
        }
        return (int)n;
    }
    case 0x02010100u: return (int)put(out, now.voltage_mv, 4);
    case 0x02020100u: return (int)put(out, now.phase_ma, 4);
    case 0x02800001u: return (int)put(out, now.neutral_ma, 4);
    case 0x02030000u: return (int)put(out, (uint32_t)now.active_mw, 4);
    case 0x02040000u: return (int)put(out, (uint32_t)now.reactive_mvar, 4);
    case 0x02050000u: return (int)put(out, now.apparent_mva, 4);
    case 0x02060000u: return (int)put(out, (uint16_t)now.power_factor, 2);
    case 0x02800002u: return (int)put(out, now.frequency_chz, 2);
    case 0x02800000u: return (int)instant(out);
    case 0x04000501u: return (int)put(out, meter_status(), 4);
    case 0x03800000u: {
        unsigned n = put(out, events_total, 4);
        return (int)(n + put(out + n, events_held(), 2));
    }
    case 0x04800001u:
        memset(out, 0, 16);
        memcpy(out, FIRMWARE_VERSION, sizeof FIRMWARE_VERSION - 1);
        return 16;
    case 0x04800002u: {
        unsigned n = put(out, image_crc_computed, 4);
        out[n++] = image_crc_good;
        return (int)n;
    }
    case 0x04800100u:
        memcpy(out, &cal, CAL_SIZE);
        return CAL_SIZE;
    default:
        if ((di & 0xFFFFFF00u) == 0x03800000u && (di & 0xFFu) <= EVENT_RECORDS) {
            return event_get(di & 0xFFu, out) ? 8 : -VBUS_ERR_NO_DI;
        }
        return -VBUS_ERR_NO_DI;
    }
}

/* A set: 0 or -error. */
static int set(uint32_t di, const uint8_t *data, unsigned length)
{
    if (di != 0x04800100u) {
        int known = get(di, (uint8_t[VBUS_FRAME_MAX]){0}) >= 0;
        return known ? -VBUS_ERR_DENIED : -VBUS_ERR_NO_DI;
    }
    if (!meter_calibration_enabled()) {
        return -VBUS_ERR_DENIED;
    }
    struct calibration c;
    if (length != CAL_SIZE) {
        return -VBUS_ERR_LENGTH;
    }
    memcpy(&c, data, CAL_SIZE);
    if (!cal_valid(&c)) {
        return -VBUS_ERR_LENGTH;
    }
    return meter_set_calibration(&c) == 0 ? 0 : -VBUS_ERR_OTHER;
}

void vbus_dispatch_serve(void)
{
    const uint8_t *frame = vbus_usart_request();
    if (!frame) {
        return;
    }
    struct vbus_frame q;
    vbus_decode(frame, &q);
    /* requests to us only: broadcasts and replies are not answered */
    int answer = q.dst == VBUS_METERING && !(q.control & VBUS_REPLY);
    uint8_t out[VBUS_FRAME_MAX];
    int result = 0;
    if (answer) {
        switch (q.control & VBUS_FUNCTION) {
        case VBUS_GET:
            result = q.length != 0 ? -VBUS_ERR_LENGTH : get(q.di, out);
            break;
        case VBUS_SET:
            result = set(q.di, q.data, q.length);
            break;
        case VBUS_ACTION:
            result = -VBUS_ERR_NO_DI;          /* there are no actions */
            break;
        default:
            result = -VBUS_ERR_OTHER;
            break;
        }
    }
    vbus_usart_release();              /* the receiver may take the next frame from here on */
    if (!answer) {
        return;
    }
    if (result < 0) {
        uint8_t e = (uint8_t)-result;
        send(q.src, (uint8_t)(q.control | VBUS_REPLY | VBUS_ERROR), q.di, &e, 1);
    } else {
        send(q.src, (uint8_t)(q.control | VBUS_REPLY), q.di, out, (unsigned)result);
    }
}
