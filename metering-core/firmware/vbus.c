/*
 * Virtual-bus link. The USART2 receive interrupt runs the frame hunter byte by byte (start, SRC, DST,
 * start, C, L, DI, DATA, CS, 0x16; a 20 ms silence inside a frame drops it) and hands a checked frame to
 * the main loop, which answers it from vbus_serve(). Transmission is interrupt driven from a ring buffer.
 */
#include <string.h>
#include "board.h"
#include "calibration.h"
#include "clock.h"
#include "energy.h"
#include "events.h"
#include "meter.h"
#include "vbus.h"

#define USART USART2_BASE
#define INTER_BYTE_US 20000u
#define MAX_FRAME (8u + 255u)

enum { FN_GET = 0x01, FN_SET = 0x02, FN_ACTION = 0x03, FN_REPORT = 0x04 };
enum { ERR_OTHER = 0x01, ERR_NO_DI = 0x02, ERR_DENIED = 0x04, ERR_LENGTH = 0x08 };

/* receiver (interrupt side) */
static uint8_t rx[MAX_FRAME];
static unsigned rx_count;
static uint32_t rx_last_us;
/* the frame handed to the main loop */
static uint8_t request[MAX_FRAME];
static volatile int request_ready;
/* transmitter */
static uint8_t tx[1024];
static volatile unsigned tx_head, tx_tail;

void vbus_init(void)
{
    RCC_APB1ENR |= 1u << 17;   /* USART2EN */
    /* PA2 TX, PA3 RX on AF7 */
    GPIO_AFRL(GPIOA_BASE) = (GPIO_AFRL(GPIOA_BASE) & ~0xFF00u) | 0x7700u;
    GPIO_MODER(GPIOA_BASE) = (GPIO_MODER(GPIOA_BASE) & ~(0xFu << 4)) | (0xAu << 4);
    USART_BRR(USART) = (CLOCK_HZ + 115200u / 2) / 115200u;   /* 139: 115108 baud, -0.08 % */
    USART_CR1(USART) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
    nvic_enable(USART2_IRQn, 2);
}

/* Drops the first byte of the partial frame and hunts again in the rest. */
static void resync(void);

static void hunt(uint8_t b)
{
    rx[rx_count++] = b;
    if (rx_count == 1 && b != 0x68) {
        rx_count = 0;
    } else if (rx_count == 4 && b != 0x68) {
        resync();
    } else if (rx_count == 6 && b < 4) {
        resync();
    } else if (rx_count >= 6 && rx_count == 8u + rx[5]) {
        uint8_t sum = 0;
        for (unsigned i = 0; i < rx_count - 2; i++) {
            sum = (uint8_t)(sum + rx[i]);
        }
        if (sum != rx[rx_count - 2] || b != 0x16) {
            resync();
            return;
        }
        if (!request_ready) {          /* a request while one waits would be a master's mistake: dropped */
            memcpy(request, rx, rx_count);
            request_ready = 1;
        }
        rx_count = 0;
    }
}

static void resync(void)
{
    uint8_t rest[MAX_FRAME];
    unsigned n = rx_count - 1;
    memcpy(rest, rx + 1, n);
    rx_count = 0;
    for (unsigned i = 0; i < n; i++) {
        hunt(rest[i]);
    }
}

void USART2_IRQHandler(void)
{
    uint32_t sr = USART_SR(USART);
    if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
        uint8_t b = (uint8_t)USART_DR(USART);
        uint32_t t = clock_us();
        if (rx_count > 0 && t - rx_last_us > INTER_BYTE_US) {
            rx_count = 0;
        }
        rx_last_us = t;
        hunt(b);
    }
    if ((USART_CR1(USART) & USART_CR1_TXEIE) && (sr & USART_SR_TXE)) {
        if (tx_tail != tx_head) {
            USART_DR(USART) = tx[tx_tail];
            tx_tail = (tx_tail + 1) % sizeof tx;
        } else {
            USART_CR1(USART) &= ~USART_CR1_TXEIE;
        }
    }
}

static void send(uint8_t dst, uint8_t control, uint32_t di, const uint8_t *data, unsigned length)
{
    uint8_t f[MAX_FRAME];
    unsigned n = 0;
    f[n++] = 0x68;
    f[n++] = VBUS_OWN;
    f[n++] = dst;
    f[n++] = 0x68;
    f[n++] = control;
    f[n++] = (uint8_t)(4 + length);
    for (int i = 0; i < 4; i++) {
        f[n++] = (uint8_t)(di >> (8 * i));
    }
    memcpy(f + n, data, length);
    n += length;
    uint8_t sum = 0;
    for (unsigned i = 0; i < n; i++) {
        sum = (uint8_t)(sum + f[i]);
    }
    f[n++] = sum;
    f[n++] = 0x16;
    irq_disable();
    for (unsigned i = 0; i < n; i++) {
        unsigned next = (tx_head + 1) % sizeof tx;
        if (next == tx_tail) {
            break;                     /* full: the rest of the frame is lost, and the receiver drops it */
        }
        tx[tx_head] = f[i];
        tx_head = next;
    }
    USART_CR1(USART) |= USART_CR1_TXEIE;
    irq_enable();
}

void vbus_report(const uint8_t record[8])
{
    send(VBUS_ROUTER, FN_REPORT, 0x03800001u, record, 8);
}

int vbus_pending(void)
{
    return request_ready;
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
            return event_get(di & 0xFFu, out) ? 8 : -ERR_NO_DI;
        }
        return -ERR_NO_DI;
    }
}

/* A set: 0 or -error. */
static int set(uint32_t di, const uint8_t *data, unsigned length)
{
    if (di != 0x04800100u) {
        int known = get(di, (uint8_t[MAX_FRAME]){0}) >= 0;
        return known ? -ERR_DENIED : -ERR_NO_DI;
    }
    if (!meter_calibration_enabled()) {
        return -ERR_DENIED;
    }
    struct calibration c;
    if (length != CAL_SIZE) {
        return -ERR_LENGTH;
    }
    memcpy(&c, data, CAL_SIZE);
    if (!cal_valid(&c)) {
        return -ERR_LENGTH;
    }
    return meter_set_calibration(&c) == 0 ? 0 : -ERR_OTHER;
}

void vbus_serve(void)
{
    if (!request_ready) {
        return;
    }
    uint8_t *f = request;
    uint8_t src = f[1], dst = f[2], control = f[4];
    unsigned length = f[5] - 4u;
    uint32_t di = (uint32_t)f[6] | (uint32_t)f[7] << 8 | (uint32_t)f[8] << 16 | (uint32_t)f[9] << 24;
    const uint8_t *data = f + 10;
    int answer = (dst == VBUS_OWN) && !(control & 0x80u);
    uint8_t out[MAX_FRAME];
    int result = 0;
    if (answer) {
        switch (control & 0x1Fu) {
        case FN_GET:
            result = length != 0 ? -ERR_LENGTH : get(di, out);
            break;
        case FN_SET:
            result = set(di, data, length);
            break;
        case FN_ACTION:
            result = -ERR_NO_DI;
            break;
        default:
            result = -ERR_OTHER;
            break;
        }
    }
    request_ready = 0;                 /* the receiver may take the next frame from here on */
    if (!answer) {
        return;
    }
    if (result < 0) {
        uint8_t e = (uint8_t)-result;
        send(src, (uint8_t)(control | 0xC0u), di, &e, 1);
    } else {
        send(src, (uint8_t)(control | 0x80u), di, out, (unsigned)result);
    }
}
