/*
 * The virtual-bus router, address 0x10 (docs/virtual-bus.md "The router on the management core",
 * docs/services.md). It owns the link to the metering core (/dev/vbus, USART2) and reads the frames every
 * local client writes into /pipe/vbus, with SYS_READ_FROM: the kernel tells it which process wrote each run
 * of bytes, and that process's manifest (SYS_VBUS_MANIFEST) its address and the DIs it may use. Each writer
 * has its own frame hunter, so two writers' bytes never mix. A checked request is routed:
 *   DST 0x01          to the link, if the writer's manifest grants that function on that DI;
 *   DST 0x10          the router's own DIs (subscription, counters, registration), or else, as "any", to the
 *                     process that registered the DI;
 *   DST 0x11-0x7F     to that process, if it registered the DI;
 * replies go to their DST. A frame whose SRC is not the writer's address is refused (error 0x04 to the
 * writer), a request that cannot be routed gets an error reply. The metering core's reports go to every
 * subscriber. A client's registrations and subscription end when it dies: the read end of its reply pipe
 * /pipe/vbus-XX closes, which the router's poll sees (POLLERR on its write end).
 */
#include <stddef.h>
#include <string.h>

#include "services.h"

#define CLIENTS 4
#define REGISTRATIONS 8

struct router;
struct port {
    struct vbus_hunter hunter; /* first: the deliver callback finds its port from the frame */
    struct router *router;
    int fd;
};

struct client {
    struct vbus_hunter hunter; /* first: as for a port */
    struct router *router;
    int32_t pid;               /* 0: a free slot */
    int fd;                    /* /pipe/vbus-XX, write end, non-blocking; -1 until a frame goes to it */
    uint8_t subscribed;
    struct rtos_vbus_manifest manifest;
};

struct router {
    struct port link;
    int pipe, pipe_writer;     /* /pipe/vbus; the router's own write end: a client's death is no end */
    struct client clients[CLIENTS];
    struct {
        uint8_t address;       /* 0: free */
        uint32_t first, last;
    } registered[REGISTRATIONS];
    uint32_t routed, dropped, errors;
};

static void route_client(const uint8_t *frame, unsigned length);

static int granted(const struct rtos_vbus_manifest *m, uint8_t functions, uint32_t first, uint32_t last)
{
    for (unsigned i = 0; i < m->count; i++) {
        if ((m->grant[i].functions & functions) && first >= m->grant[i].first && last <= m->grant[i].last) {
            return 1;
        }
    }
    return 0;
}

static struct client *by_address(struct router *r, uint8_t address)
{
    for (int i = 0; i < CLIENTS; i++) {
        if (r->clients[i].pid != 0 && r->clients[i].manifest.address == address) {
            return &r->clients[i];
        }
    }
    return NULL;
}

/* the slot of the process that wrote, made from its manifest when it writes for the first time; NULL if it
   has no virtual-bus address or every slot is taken */
static struct client *by_writer(struct router *r, int32_t pid)
{
    struct client *spare = NULL;
    for (int i = 0; i < CLIENTS; i++) {
        if (r->clients[i].pid == pid) {
            return &r->clients[i];
        }
        if (r->clients[i].pid == 0 && spare == NULL) {
            spare = &r->clients[i];
        }
    }
    if (spare == NULL || rtos_vbus_manifest((int)pid, &spare->manifest) != 0
        || spare->manifest.address <= VBUS_ROUTER || spare->manifest.address > 0x7F
        || by_address(r, spare->manifest.address) != NULL) {
        return NULL;
    }
    spare->pid = pid;
    spare->fd = -1;
    spare->subscribed = 0;
    spare->router = r;
    vbus_hunter_init(&spare->hunter, route_client);
    return spare;
}

/* a client is gone: what it registered, its subscription, its pipe */
static void forget(struct router *r, struct client *c)
{
    for (int i = 0; i < REGISTRATIONS; i++) {
        if (r->registered[i].address == c->manifest.address) {
            r->registered[i].address = 0;
        }
    }
    if (c->fd >= 0) {
        rtos_close(c->fd);
    }
    memset(c, 0, sizeof *c);
}

/* the process that registered di, or 0 */
static uint8_t server_of(const struct router *r, uint32_t di)
{
    for (int i = 0; i < REGISTRATIONS; i++) {
        if (r->registered[i].address != 0 && di >= r->registered[i].first && di <= r->registered[i].last) {
            return r->registered[i].address;
        }
    }
    return 0;
}

/* sends a frame to address: 1 if it has somewhere to go, 0 if there is no such destination */
static int send_to(struct router *r, uint8_t address, const uint8_t *bytes, unsigned n)
{
    int fd;
    if (address == VBUS_METERING) {
        fd = r->link.fd;
    } else {
        struct client *c = by_address(r, address);
        if (c == NULL) {
            return 0;
        }
        if (c->fd < 0) {
            char name[16];
            vbus_pipe_name(address, name);
            c->fd = rtos_open(name, RTOS_O_WRONLY | RTOS_O_NONBLOCK, 0); /* no O_CREAT: its owner creates it */
            if (c->fd < 0) {
                return 0;
            }
        }
        fd = c->fd;
    }
    if (rtos_write(fd, bytes, n) == (int)n) {
        r->routed++;
    } else {
        r->dropped++; /* a full pipe or a dead client: the frame is lost, its reader's hunter drops the rest */
    }
    return 1;
}

/* an answer from the router in the name of the request's destination, to `to` */
static void answer(struct router *r, const struct vbus_frame *request, uint8_t to, uint8_t control,
                   const void *data, unsigned length)
{
    uint8_t bytes[VBUS_FRAME_MAX];
    struct vbus_frame f = {.src = request->dst, .dst = to, .control = control, .di = request->di,
                           .data = data, .length = length};
    send_to(r, to, bytes, vbus_encode(&f, bytes));
}

static void reply(struct router *r, const struct vbus_frame *request, const void *data, unsigned length)
{
    answer(r, request, request->src, request->control | VBUS_REPLY, data, length);
}

static void error_to(struct router *r, const struct vbus_frame *request, uint8_t to, uint8_t error)
{
    r->errors++;
    answer(r, request, to, (uint8_t)(request->control | VBUS_REPLY | VBUS_ERROR), &error, 1);
}

static void error_reply(struct router *r, const struct vbus_frame *request, uint8_t error)
{
    error_to(r, request, request->src, error);
}

static int is_own(uint32_t di)
{
    return di == VBUS_DI_SUBSCRIBE || di == VBUS_DI_ROUTER_COUNTERS || di == VBUS_DI_REGISTER;
}

/* VBUS_DI_REGISTER: the ranges in f's data replace what c registered before */
static void register_ranges(struct router *r, struct client *c, const struct vbus_frame *f)
{
    unsigned n = f->length / 8;
    if (f->length % 8 != 0 || n > REGISTRATIONS) {
        error_reply(r, f, VBUS_ERR_LENGTH);
        return;
    }
    uint32_t range[REGISTRATIONS][2];
    memcpy(range, f->data, f->length);
    unsigned free_slots = 0;
    for (int i = 0; i < REGISTRATIONS; i++) {
        free_slots += r->registered[i].address == 0 || r->registered[i].address == c->manifest.address;
    }
    for (unsigned k = 0; k < n; k++) {
        if (range[k][1] < range[k][0]) {
            error_reply(r, f, VBUS_ERR_LENGTH);
            return;
        }
        if (!granted(&c->manifest, RTOS_VBUS_SERVE, range[k][0], range[k][1])) {
            error_reply(r, f, VBUS_ERR_DENIED); /* not a DI its manifest lets it serve */
            return;
        }
        for (int i = 0; i < REGISTRATIONS; i++) {
            if (r->registered[i].address != 0 && r->registered[i].address != c->manifest.address
                && range[k][0] <= r->registered[i].last && range[k][1] >= r->registered[i].first) {
                error_reply(r, f, VBUS_ERR_OTHER); /* another process serves it */
                return;
            }
        }
    }
    if (n > free_slots) {
        error_reply(r, f, VBUS_ERR_BUSY);
        return;
    }
    for (int i = 0; i < REGISTRATIONS; i++) {
        if (r->registered[i].address == c->manifest.address) {
            r->registered[i].address = 0;
        }
    }
    for (unsigned k = 0, i = 0; k < n; i++) {
        if (r->registered[i].address == 0) {
            r->registered[i].address = c->manifest.address;
            r->registered[i].first = range[k][0];
            r->registered[i].last = range[k][1];
            k++;
        }
    }
    reply(r, f, NULL, 0);
}

/* the router's own DIs (docs/virtual-bus.md "The router on the management core") */
static void own(struct router *r, struct client *c, const struct vbus_frame *f)
{
    uint8_t function = f->control & VBUS_FUNCTION;
    if (f->di == VBUS_DI_SUBSCRIBE && function == VBUS_ACTION) {
        if (f->length != 1 || f->data[0] > 1) {
            error_reply(r, f, VBUS_ERR_LENGTH);
            return;
        }
        c->subscribed = f->data[0];
        reply(r, f, NULL, 0);
    } else if (f->di == VBUS_DI_ROUTER_COUNTERS && function == VBUS_GET) {
        struct rtos_tty_counters link = {0};
        rtos_ioctl(r->link.fd, RTOS_IOCTL_TTY_COUNTERS, (uint32_t)&link);
        uint32_t counters[6] = {r->routed, r->dropped, r->errors, link.received,
                                link.parity_errors + link.framing_errors, link.overruns};
        reply(r, f, counters, sizeof counters);
    } else if (f->di == VBUS_DI_REGISTER && function == VBUS_ACTION) {
        register_ranges(r, c, f);
    } else {
        error_reply(r, f, VBUS_ERR_LENGTH); /* one of its DIs with the wrong function */
    }
}

/* a report of the metering core to every subscriber, addressed to it */
static void publish(struct router *r, const struct vbus_frame *report)
{
    uint8_t bytes[VBUS_FRAME_MAX];
    struct vbus_frame f = *report;
    for (int i = 0; i < CLIENTS; i++) {
        if (r->clients[i].pid != 0 && r->clients[i].subscribed) {
            f.dst = r->clients[i].manifest.address;
            send_to(r, f.dst, bytes, vbus_encode(&f, bytes));
        }
    }
}

/* a frame from the link */
static void route_link(const uint8_t *frame, unsigned length)
{
    struct port *p = (struct port *)(frame - offsetof(struct vbus_hunter, bytes) - offsetof(struct port, hunter));
    struct router *r = p->router;
    struct vbus_frame f;
    vbus_decode(frame, &f);
    int is_request = (f.control & VBUS_REPLY) == 0;
    if (f.src != VBUS_METERING) {
        r->dropped++;
    } else if (is_request && (f.control & VBUS_FUNCTION) == VBUS_REPORT) {
        publish(r, &f);
    } else if (is_request || f.dst == VBUS_ROUTER || !send_to(r, f.dst, frame, length)) {
        r->dropped++; /* the metering core asks nobody anything; a reply to nobody */
    }
}

/* a frame one client wrote */
static void route_client(const uint8_t *frame, unsigned length)
{
    struct client *c = (struct client *)(frame - offsetof(struct vbus_hunter, bytes)
                                         - offsetof(struct client, hunter));
    struct router *r = c->router;
    const struct rtos_vbus_manifest *m = &c->manifest;
    struct vbus_frame f;
    vbus_decode(frame, &f);
    int is_request = (f.control & VBUS_REPLY) == 0;
    uint8_t function = f.control & VBUS_FUNCTION;
    if (is_request && (function == VBUS_REPORT || f.dst == VBUS_BROADCAST || f.dst == f.src)) {
        r->dropped++; /* no client reports or broadcasts (yet) */
        return;
    }
    if (f.src != m->address) {
        if (is_request) {
            error_to(r, &f, m->address, VBUS_ERR_DENIED); /* a forged SRC: told to the true writer */
        } else {
            r->dropped++;
        }
        return;
    }
    if (!is_request) { /* a server's reply to its requester */
        if (f.dst == VBUS_METERING || f.dst == VBUS_ROUTER || !send_to(r, f.dst, frame, length)) {
            r->dropped++;
        }
        return;
    }
    uint8_t bit = (uint8_t)(1u << function);
    if (f.dst == VBUS_METERING) {
        if (!granted(m, bit, f.di, f.di)) {
            error_reply(r, &f, VBUS_ERR_DENIED);
        } else {
            send_to(r, VBUS_METERING, frame, length);
        }
        return;
    }
    if (f.dst == VBUS_ROUTER && is_own(f.di)) {
        if (!granted(m, bit, f.di, f.di)) {
            error_reply(r, &f, VBUS_ERR_DENIED);
        } else {
            own(r, c, &f);
        }
        return;
    }
    uint8_t server = server_of(r, f.di);
    if (f.dst != VBUS_ROUTER && server != f.dst) {
        /* a process that serves other DIs, or none there at all */
        error_reply(r, &f, by_address(r, f.dst) != NULL ? VBUS_ERR_NO_DI : VBUS_ERR_OTHER);
    } else if (server == 0) {
        error_reply(r, &f, VBUS_ERR_NO_DI); /* "any": nobody registered it */
    } else if (!granted(m, bit, f.di, f.di)) {
        error_reply(r, &f, VBUS_ERR_DENIED);
    } else if (!send_to(r, server, frame, length)) {
        error_reply(r, &f, VBUS_ERR_OTHER);
    }
}

/* the link has bytes waiting: reads them, and the rest of a frame begun, until 20 ms of silence */
static void drain_link(struct port *p)
{
    uint8_t bytes[64];
    do {
        int n = rtos_read(p->fd, bytes, sizeof bytes);
        if (n <= 0) {
            if (vbus_hunter_inside(&p->hunter)) {
                vbus_hunter_drop(&p->hunter); /* the inter-byte timeout: a partial frame */
                p->router->dropped++;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            vbus_hunt(&p->hunter, bytes[i]);
        }
    } while (vbus_hunter_inside(&p->hunter));
}

/* what the clients wrote, each writer's bytes to its own hunter */
static void drain_pipe(struct router *r)
{
    uint8_t bytes[64];
    int32_t writer;
    int k;
    while ((k = rtos_read_from(r->pipe, bytes, sizeof bytes, &writer)) > 0) {
        struct client *c = by_writer(r, writer);
        if (c == NULL) {
            r->dropped++; /* no virtual-bus address in its manifest, or no room for it */
            continue;
        }
        for (int i = 0; i < k; i++) {
            vbus_hunt(&c->hunter, bytes[i]);
        }
    }
}

int router_main(void *arg)
{
    struct router *r = arg;
    memset(r, 0, sizeof *r);
    r->link = (struct port){.router = r};
    vbus_hunter_init(&r->link.hunter, route_link);
    r->link.fd = rtos_open("/dev/vbus", RTOS_O_RDWR, 0);
    r->pipe = rtos_open(VBUS_PIPE, RTOS_O_RDONLY | RTOS_O_CREAT | RTOS_O_NONBLOCK, 0);
    r->pipe_writer = rtos_open(VBUS_PIPE, RTOS_O_WRONLY | RTOS_O_CREAT, 0);
    if (r->link.fd < 0 || r->pipe < 0) {
        return 1; /* failed: restarted by its policy */
    }
    struct rtos_tty tty = {.baud = 115200, .data_bits = 8, .parity = RTOS_PARITY_NONE, .stop_bits = 1};
    rtos_ioctl(r->link.fd, RTOS_IOCTL_TTY_SET, (uint32_t)&tty);
    rtos_ioctl(r->link.fd, RTOS_IOCTL_SET_TIMEOUT, VBUS_INTER_BYTE_US / 1000); /* inside a frame */
    for (;;) {
        /* the link, the pipe, and each client's reply pipe for its death (POLLERR: its read end closed) */
        struct rtos_pollfd fds[2 + CLIENTS] = {{r->link.fd, RTOS_POLLIN, 0}, {r->pipe, RTOS_POLLIN, 0}};
        struct client *watched[CLIENTS];
        unsigned n = 2;
        for (int i = 0; i < CLIENTS; i++) {
            if (r->clients[i].pid != 0 && r->clients[i].fd >= 0) {
                watched[n - 2] = &r->clients[i];
                fds[n++] = (struct rtos_pollfd){r->clients[i].fd, 0, 0};
            }
        }
        int ready = rtos_poll(fds, n, 1000);
        rtos_heartbeat();
        if (ready <= 0) {
            continue;
        }
        if (fds[0].revents & RTOS_POLLIN) {
            drain_link(&r->link);
        }
        if (fds[1].revents & RTOS_POLLIN) {
            drain_pipe(r);
        }
        for (unsigned i = 2; i < n; i++) {
            if (fds[i].revents & (RTOS_POLLERR | RTOS_POLLNVAL)) {
                forget(r, watched[i - 2]);
            }
        }
    }
}
