/*
 * The virtual-bus frame (docs/virtual-bus.md): its constants, a frame hunter for the receiving side and the
 * encoder for the sending side. Shared by both cores' firmwares: it knows nothing of a board, a UART or a
 * data identifier's meaning, only the bytes of a frame.
 *
 *   0x68 SRC DST 0x68 C L DI0 DI1 DI2 DI3 DATA... CS 0x16      (L = 4 + DATA length, CS = sum mod 256)
 */
#ifndef VBUS_FRAME_H
#define VBUS_FRAME_H
#include <stdint.h>

#define VBUS_START 0x68u
#define VBUS_END   0x16u
#define VBUS_FRAME_MAX (8u + 255u)            /* the longest frame: L = 255 */
#define VBUS_DATA_MAX  (255u - 4u)
#define VBUS_INTER_BYTE_US 20000u             /* silence inside a frame that drops it */

/* Addresses */
enum { VBUS_METERING = 0x01, VBUS_ROUTER = 0x10, VBUS_BROADCAST = 0xFF };

/* Control word: D7 reply, D6 error reply, D5 follow-up, D4-D0 the function */
enum { VBUS_REPLY = 0x80, VBUS_ERROR = 0x40, VBUS_FOLLOW_UP = 0x20, VBUS_FUNCTION = 0x1F };
enum { VBUS_GET = 0x01, VBUS_SET = 0x02, VBUS_ACTION = 0x03, VBUS_REPORT = 0x04 };

/* Error bytes of an error reply */
enum { VBUS_ERR_OTHER = 0x01, VBUS_ERR_NO_DI = 0x02, VBUS_ERR_DENIED = 0x04, VBUS_ERR_LENGTH = 0x08,
       VBUS_ERR_BUSY = 0x10 };

/* A frame's fields. data points into the bytes the frame was decoded from. */
struct vbus_frame {
    uint8_t src, dst, control;
    uint32_t di;
    const uint8_t *data;
    unsigned length;                          /* of DATA: 0 .. VBUS_DATA_MAX */
};

/* The sum modulo 256 of n bytes: a frame's CS is that of everything before it. */
uint8_t vbus_checksum(const uint8_t *bytes, unsigned n);

/* Writes f as a frame into out (room for 8 + 4 + f->length bytes); returns the frame's length. */
unsigned vbus_encode(const struct vbus_frame *f, uint8_t *out);

/* The fields of a frame the hunter delivered (checked: start bytes, L, CS, end byte). */
void vbus_decode(const uint8_t *frame, struct vbus_frame *f);

/*
 * The frame hunter: fed one byte at a time, it discards bytes until it sees 0x68 x x 0x68 and a plausible
 * L, then collects the frame. A frame whose CS or end byte is wrong is not a frame: the hunter drops its
 * first byte and hunts again in the bytes after it, so a real frame inside a false start is still found.
 */
struct vbus_hunter {
    uint8_t bytes[VBUS_FRAME_MAX];
    unsigned count;                           /* bytes of a possible frame so far */
    /* called for each complete, checked frame, from inside vbus_hunt */
    void (*deliver)(const uint8_t *frame, unsigned length);
};

void vbus_hunter_init(struct vbus_hunter *h, void (*deliver)(const uint8_t *frame, unsigned length));
void vbus_hunt(struct vbus_hunter *h, uint8_t byte);
/* Whether part of a frame has been read (the inter-byte timeout applies then). */
static inline int vbus_hunter_inside(const struct vbus_hunter *h) { return h->count > 0; }
/* Forgets the partial frame (the inter-byte timeout expired). */
static inline void vbus_hunter_drop(struct vbus_hunter *h) { h->count = 0; }

#endif
