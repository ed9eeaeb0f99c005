/*
 * Host test of the frame codec (run by test.sh). The frames are the worked example of docs/virtual-bus.md,
 * copied from the document byte for byte, so the codec is checked against the spec, not against itself.
 */
#include <stdio.h>
#include <string.h>
#include "vbus_frame.h"

/* docs/virtual-bus.md, "Example": 0x10 asks 0x01 for active energy import (DI 00.01.00.00) ... */
static const uint8_t REQUEST[] = {0x68, 0x10, 0x01, 0x68, 0x01, 0x04, 0x00, 0x00, 0x01, 0x00, 0xE7, 0x16};
/* ... and the reply for 2875.000 Wh (2 875 000 mWh = 0x2BDE78) */
static const uint8_t REPLY[] = {0x68, 0x01, 0x10, 0x68, 0x81, 0x0C, 0x00, 0x00, 0x01, 0x00,
                                0x78, 0xDE, 0x2B, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x16};

static int failures;

#define CHECK(what, cond) \
    do { \
        if (!(cond)) { \
            printf("FAIL %s: %s (line %d)\n", what, #cond, __LINE__); \
            failures++; \
        } \
    } while (0)

/* What the hunter delivered */
static uint8_t got[8][VBUS_FRAME_MAX];
static unsigned got_length[8];
static unsigned delivered;

static void deliver(const uint8_t *frame, unsigned length)
{
    if (delivered < 8) {
        memcpy(got[delivered], frame, length);
        got_length[delivered] = length;
    }
    delivered++;
}

static void feed(struct vbus_hunter *h, const uint8_t *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        vbus_hunt(h, bytes[i]);
    }
}

static struct vbus_hunter fresh(void)
{
    struct vbus_hunter h;
    vbus_hunter_init(&h, deliver);
    delivered = 0;
    return h;
}

static void encodes_the_example(void)
{
    uint8_t out[VBUS_FRAME_MAX];
    struct vbus_frame q = {.src = 0x10, .dst = VBUS_METERING, .control = VBUS_GET, .di = 0x00010000u};
    unsigned n = vbus_encode(&q, out);
    CHECK("request", n == sizeof REQUEST && memcmp(out, REQUEST, n) == 0);

    const uint8_t value[8] = {0x78, 0xDE, 0x2B, 0, 0, 0, 0, 0};
    struct vbus_frame r = {.src = VBUS_METERING, .dst = VBUS_ROUTER, .control = VBUS_GET | VBUS_REPLY,
                           .di = 0x00010000u, .data = value, .length = 8};
    n = vbus_encode(&r, out);
    CHECK("reply", n == sizeof REPLY && memcmp(out, REPLY, n) == 0);
    /* "CS = 0x68 + 0x10 + ... + 0x00 = 0x1E7, so 0xE7" */
    CHECK("checksum", vbus_checksum(REQUEST, 10) == 0xE7);
}

static void decodes_the_example(void)
{
    struct vbus_frame f;
    vbus_decode(REQUEST, &f);
    CHECK("request fields", f.src == 0x10 && f.dst == 0x01 && f.control == 0x01 && f.di == 0x00010000u);
    CHECK("request data", f.length == 0);
    vbus_decode(REPLY, &f);
    CHECK("reply fields", f.src == 0x01 && f.dst == 0x10 && f.control == 0x81 && f.di == 0x00010000u);
    uint64_t mwh = 0;
    for (int i = 7; i >= 0; i--) {
        mwh = mwh << 8 | f.data[i];
    }
    CHECK("reply value", f.length == 8 && mwh == 2875000u);
}

static void hunts_frames(void)
{
    struct vbus_hunter h = fresh();
    const uint8_t noise[] = {0x00, 0x16, 0xFF, 0x10};
    feed(&h, noise, sizeof noise);
    feed(&h, REQUEST, sizeof REQUEST);
    CHECK("after noise", delivered == 1 && got_length[0] == sizeof REQUEST
                         && memcmp(got[0], REQUEST, sizeof REQUEST) == 0);
    CHECK("idle after a frame", !vbus_hunter_inside(&h));

    h = fresh();
    feed(&h, REQUEST, sizeof REQUEST);
    feed(&h, REPLY, sizeof REPLY);
    CHECK("back to back", delivered == 2 && memcmp(got[1], REPLY, sizeof REPLY) == 0);

    /* "discards bytes until it sees 0x68 x x 0x68": a stray start byte before the frame */
    h = fresh();
    uint8_t stray[1 + sizeof REQUEST] = {0x68};
    memcpy(stray + 1, REQUEST, sizeof REQUEST);
    feed(&h, stray, sizeof stray);
    CHECK("stray start byte", delivered == 1 && memcmp(got[0], REQUEST, sizeof REQUEST) == 0);
}

static void drops_what_is_not_a_frame(void)
{
    uint8_t bad[sizeof REQUEST];

    /* "A frame whose L is below 4, whose CS is wrong or whose end byte is not 0x16 is dropped" */
    struct vbus_hunter h = fresh();
    memcpy(bad, REQUEST, sizeof REQUEST);
    bad[10] ^= 0x01;
    feed(&h, bad, sizeof bad);
    CHECK("bad CS", delivered == 0);
    feed(&h, REQUEST, sizeof REQUEST);
    CHECK("frame after a bad CS", delivered == 1 && memcmp(got[0], REQUEST, sizeof REQUEST) == 0);

    h = fresh();
    memcpy(bad, REQUEST, sizeof REQUEST);
    bad[11] = 0x17;
    feed(&h, bad, sizeof bad);
    CHECK("bad end byte", delivered == 0);

    h = fresh();
    /* L = 3 with a right CS and end byte: only the L rule drops it */
    const uint8_t short_l[] = {0x68, 0x10, 0x01, 0x68, 0x01, 0x03, 0x00, 0x00, 0x01, 0xE6, 0x16};
    feed(&h, short_l, sizeof short_l);
    CHECK("L below 4", delivered == 0);
    feed(&h, REQUEST, sizeof REQUEST);
    CHECK("frame after L below 4", delivered == 1);

    /* "hears nothing for 20 ms ... drops it and hunts again": the driver drops on the timeout */
    h = fresh();
    feed(&h, REQUEST, 7);
    CHECK("inside a frame", vbus_hunter_inside(&h));
    vbus_hunter_drop(&h);
    feed(&h, REQUEST, sizeof REQUEST);
    CHECK("frame after a timeout", delivered == 1 && memcmp(got[0], REQUEST, sizeof REQUEST) == 0);
}

int main(void)
{
    encodes_the_example();
    decodes_the_example();
    hunts_frames();
    drops_what_is_not_a_frame();
    if (failures) {
        printf("vbus frame codec: %d checks FAILED\n", failures);
        return 1;
    }
    printf("vbus frame codec test OK\n");
    return 0;
}
