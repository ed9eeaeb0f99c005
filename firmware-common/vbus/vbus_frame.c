/* The virtual-bus frame codec (vbus_frame.h, docs/virtual-bus.md "Frame"). */
#include <string.h>
#include "vbus_frame.h"

uint8_t vbus_checksum(const uint8_t *bytes, unsigned n)
{
    uint8_t sum = 0;
    for (unsigned i = 0; i < n; i++) {
        sum = (uint8_t)(sum + bytes[i]);
    }
    return sum;
}

unsigned vbus_encode(const struct vbus_frame *f, uint8_t *out)
{
    unsigned n = 0;
    out[n++] = VBUS_START;
    out[n++] = f->src;
    out[n++] = f->dst;
    out[n++] = VBUS_START;
    out[n++] = f->control;
    out[n++] = (uint8_t)(4 + f->length);
    for (int i = 0; i < 4; i++) {
        out[n++] = (uint8_t)(f->di >> (8 * i));   /* DI0 first */
    }
    memcpy(out + n, f->data, f->length);
    n += f->length;
    out[n] = vbus_checksum(out, n);
    n++;
    out[n++] = VBUS_END;
    return n;
}

void vbus_decode(const uint8_t *frame, struct vbus_frame *f)
{
    f->src = frame[1];
    f->dst = frame[2];
    f->control = frame[4];
    f->length = frame[5] - 4u;
    f->di = (uint32_t)frame[6] | (uint32_t)frame[7] << 8 | (uint32_t)frame[8] << 16 | (uint32_t)frame[9] << 24;
    f->data = frame + 10;
}

void vbus_hunter_init(struct vbus_hunter *h, void (*deliver)(const uint8_t *frame, unsigned length))
{
    h->count = 0;
    h->deliver = deliver;
}

/* Not a frame after all: drops its first byte and hunts again in the rest. */
static void resync(struct vbus_hunter *h)
{
    uint8_t rest[VBUS_FRAME_MAX];
    unsigned n = h->count - 1;
    memcpy(rest, h->bytes + 1, n);
    h->count = 0;
    for (unsigned i = 0; i < n; i++) {
        vbus_hunt(h, rest[i]);
    }
}

void vbus_hunt(struct vbus_hunter *h, uint8_t byte)
{
    h->bytes[h->count++] = byte;
    unsigned n = h->count;
    if (n == 1 && byte != VBUS_START) {
        h->count = 0;
    } else if (n == 4 && byte != VBUS_START) {
        resync(h);
    } else if (n == 6 && byte < 4) {           /* L below 4: no room for the DI */
        resync(h);
    } else if (n >= 6 && n == 8u + h->bytes[5]) {
        if (vbus_checksum(h->bytes, n - 2) != h->bytes[n - 2] || byte != VBUS_END) {
            resync(h);
            return;
        }
        h->deliver(h->bytes, n);
        h->count = 0;
    }
}
