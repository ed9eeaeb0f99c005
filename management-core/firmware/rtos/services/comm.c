/*
 * Communication management (docs/services.md "Communication management"): it owns the meter's external
 * ports, /dev/ttyS1 (RS-485), /dev/ttyS2 (optical) and /dev/ttyS3 (modem), each with its framing (baud,
 * parity, inter-byte timeout) and its list of protocol handlers. Bytes a port receives are gathered until one
 * of its handlers recognises the start of a frame and says where the frame ends; the complete frame goes to
 * that handler. The only handler so far is the maintenance port's virtual-bus frame: forwarded unchanged into
 * the router as client 0x1E, whose replies and reports (read from /pipe/vbus-1e) go back out on the port.
 * The meter-facing protocols (DL/T 645, IEC 62056-21, DLMS) are the next issue's: they are entries of this
 * table, nothing else changes.
 */
#include <stddef.h>
#include <string.h>

#include "services.h"

#define PORT_BUFFER 300u /* the longest frame so far: a virtual-bus frame of 263 bytes */

struct comm;
struct comm_port;

/* A protocol handler. recognise and frame_end look at the bytes gathered so far, bytes[0] the first one
   not yet consumed. */
struct protocol {
    const char *name;
    /* 1: a frame of this protocol may begin at bytes[0]; 0: it cannot; -1: n bytes are too few to say */
    int (*recognise)(const uint8_t *bytes, unsigned n);
    /* the frame's length once it is complete; 0: not yet; -1: broken (the first byte is dropped, the hunt
       goes on from the next) */
    int (*frame_end)(const uint8_t *bytes, unsigned n);
    /* a complete frame */
    void (*handle)(struct comm *c, struct comm_port *port, const uint8_t *frame, unsigned n);
};

/* a port's configuration */
struct port_config {
    const char *path;
    struct rtos_tty tty;
    uint32_t inter_byte_ms;             /* silence inside a frame that drops it */
    const struct protocol *const *handlers;
    unsigned handler_count;
};

struct comm_port {
    const struct port_config *config;
    int fd;
    const struct protocol *current;     /* the handler whose frame is being gathered, or NULL */
    uint32_t count;                     /* bytes gathered */
    uint8_t bytes[PORT_BUFFER];
};

#define PORTS 3

struct comm {
    struct vbus_client client;          /* 0x1E: the maintenance port's frames through the router */
    struct comm_port *maintenance;      /* where the router's frames for 0x1E go out */
    struct comm_port ports[PORTS];
    uint32_t frames, dropped;
};

/* --- the virtual-bus frame on the maintenance port (docs/virtual-bus.md "Frame") */

static int vbus_recognise(const uint8_t *b, unsigned n)
{
    if (b[0] != VBUS_START) {
        return 0;
    }
    if (n < 4) {
        return -1;
    }
    return b[3] == VBUS_START; /* 68 SRC DST 68: DL/T 645's second 0x68 is at offset 7, not 3 */
}

static int vbus_frame_end(const uint8_t *b, unsigned n)
{
    if (n < 6) {
        return 0;
    }
    unsigned length = b[5];
    if (length < 4) {
        return -1;
    }
    unsigned total = 8u + length;
    if (n < total) {
        return 0;
    }
    return vbus_checksum(b, total - 2) == b[total - 2] && b[total - 1] == VBUS_END ? (int)total : -1;
}

static void vbus_handle(struct comm *c, struct comm_port *port, const uint8_t *frame, unsigned n)
{
    c->maintenance = port;
    /* unchanged, SRC included: the router checks it against this process's manifest (0x1E) */
    if (rtos_write(c->client.out, frame, n) != (int)n) {
        c->dropped++;
    }
}

static const struct protocol VBUS_MAINTENANCE_PROTOCOL = {"vbus", vbus_recognise, vbus_frame_end, vbus_handle};

/* --- the ports and their handlers. The next issue adds DL/T 645 (RS-485, optical), IEC 62056-21 (optical,
   300 baud 7E1 at its start) and DLMS (optical, modem) here. */

static const struct protocol *const RS485_HANDLERS[] = {&VBUS_MAINTENANCE_PROTOCOL};

static const struct port_config PORT_CONFIG[PORTS] = {
    {"/dev/ttyS1", {115200, 8, RTOS_PARITY_NONE, 1, 0}, VBUS_INTER_BYTE_US / 1000, RS485_HANDLERS,
     sizeof RS485_HANDLERS / sizeof RS485_HANDLERS[0]},
    {"/dev/ttyS2", {300, 7, RTOS_PARITY_EVEN, 1, 0}, 1500, NULL, 0},  /* optical: IEC 62056-21's opening */
    {"/dev/ttyS3", {9600, 8, RTOS_PARITY_NONE, 1, 0}, 100, NULL, 0},  /* modem */
};

/* --- gathering frames */

static void consume(struct comm_port *p, uint32_t n)
{
    memmove(p->bytes, p->bytes + n, p->count - n);
    p->count -= n;
}

/* the bytes gathered: frames handed on, bytes no handler wants dropped; stops when more are needed */
static void gather(struct comm *c, struct comm_port *p)
{
    const struct port_config *cfg = p->config;
    while (p->count > 0) {
        if (p->current == NULL) {
            int undecided = 0;
            for (unsigned i = 0; i < cfg->handler_count && p->current == NULL; i++) {
                int r = cfg->handlers[i]->recognise(p->bytes, p->count);
                if (r > 0) {
                    p->current = cfg->handlers[i];
                }
                undecided |= r < 0;
            }
            if (p->current == NULL) {
                if (undecided) {
                    return; /* a handler needs more bytes to say */
                }
                consume(p, 1); /* noise */
                continue;
            }
        }
        int end = p->current->frame_end(p->bytes, p->count);
        if (end == 0) {
            if (p->count == PORT_BUFFER) {
                end = -1; /* longer than any frame */
            } else {
                return;
            }
        }
        if (end < 0) {
            c->dropped++;
            p->current = NULL;
            consume(p, 1); /* a real frame may begin behind a false start */
            continue;
        }
        c->frames++;
        p->current->handle(c, p, p->bytes, (unsigned)end);
        p->current = NULL;
        consume(p, (uint32_t)end);
    }
}

/* a port with bytes waiting: reads them, and the rest of a frame begun, until its inter-byte timeout */
static void drain(struct comm *c, struct comm_port *p)
{
    for (;;) {
        int n = rtos_read(p->fd, p->bytes + p->count, PORT_BUFFER - p->count);
        if (n <= 0) {
            if (p->count > 0) {
                c->dropped++; /* silence inside a frame: it is dropped */
                p->count = 0;
                p->current = NULL;
            }
            return;
        }
        p->count += (uint32_t)n;
        gather(c, p);
        if (p->count == 0) {
            return;
        }
    }
}

int comm_main(void *arg)
{
    struct comm *c = arg;
    memset(c, 0, sizeof *c);
    while (vbus_client_open(&c->client, VBUS_MAINTENANCE) < 0) {
        rtos_sleep(100);
        rtos_heartbeat();
    }
    for (int i = 0; i < PORTS; i++) {
        struct comm_port *p = &c->ports[i];
        p->config = &PORT_CONFIG[i];
        struct rtos_tty tty = p->config->tty; /* flash is no pointer argument: the stack's copy is */
        char path[16];
        strcpy(path, p->config->path);
        p->fd = rtos_open(path, RTOS_O_RDWR, 0);
        if (p->fd >= 0) {
            rtos_ioctl(p->fd, RTOS_IOCTL_TTY_SET, (uint32_t)&tty);
            rtos_ioctl(p->fd, RTOS_IOCTL_SET_TIMEOUT, p->config->inter_byte_ms);
        }
        if (p->config->handler_count > 0 && p->config->handlers[0] == &VBUS_MAINTENANCE_PROTOCOL) {
            c->maintenance = p;
        }
    }
    for (;;) {
        struct rtos_pollfd fds[PORTS + 1] = {{c->client.in, RTOS_POLLIN, 0}};
        for (int i = 0; i < PORTS; i++) {
            fds[1 + i] = (struct rtos_pollfd){c->ports[i].fd, RTOS_POLLIN, 0}; /* fd -1: ignored */
        }
        int ready = rtos_poll(fds, PORTS + 1, 1000);
        rtos_heartbeat();
        if (ready <= 0) {
            continue;
        }
        for (int i = 0; i < PORTS; i++) {
            if (fds[1 + i].revents & RTOS_POLLIN) {
                drain(c, &c->ports[i]);
            }
        }
        if (fds[0].revents & RTOS_POLLIN) {
            /* the router's frames for 0x1E, whole: out on the maintenance port as they are */
            uint8_t bytes[64];
            int n;
            rtos_ioctl(c->client.in, RTOS_IOCTL_SET_NONBLOCK, 1);
            while ((n = rtos_read(c->client.in, bytes, sizeof bytes)) > 0) {
                if (c->maintenance != NULL && c->maintenance->fd >= 0) {
                    rtos_write(c->maintenance->fd, bytes, (uint32_t)n);
                }
            }
        }
    }
}
