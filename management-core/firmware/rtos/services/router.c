/*
 * The virtual-bus router, address 0x10 (docs/virtual-bus.md "The router", docs/services.md). It owns the
 * link to the metering core (/dev/vbus, USART2) and the maintenance port (/dev/ttyS1, the RS-485 line,
 * where an external master speaks as address 0x1E), and reads the frames every local client writes into
 * /pipe/vbus. Each checked frame is routed by its destination:
 *   0x01             to the link, if the access table lets its source use that function on that DI;
 *   0x10             the router's own DIs (subscription, counters);
 *   0x1E             to the maintenance port;
 *   0x11-0x7F        to that address's pipe /pipe/vbus-XX, if it exists;
 * and a request that cannot be routed gets an error reply (0x04 not allowed, 0x01 no such destination,
 * 0x02/0x08 for the router's own DIs). The metering core's reports go to every subscriber. The link and the
 * maintenance port are hunted with the 20 ms inter-byte timeout (their read timeout).
 */
#include <stddef.h>
#include <string.h>

#include "services.h"

#define CLIENTS 4

struct router;
struct port {
    struct vbus_hunter hunter; /* first: the deliver callback finds its port from the frame */
    struct router *router;
    int fd;
    uint8_t address;           /* who speaks on it: 0x01 link, 0x1E maintenance, 0 the clients' pipe */
};

struct router {
    struct port link, maintenance, pipe;
    int pipe_writer;           /* the router's own write end of /pipe/vbus: a client's death is no end */
    struct {
        uint8_t address, subscribed;
        int fd;                /* /pipe/vbus-XX, write end, non-blocking */
    } clients[CLIENTS];
    uint8_t maintenance_subscribed;
    uint32_t routed, dropped, errors;
};

/* the access table: what each address may ask the metering core. Functions as bits (1 << function). */
struct access {
    uint8_t address, functions;
    uint32_t first, last;      /* DI range, inclusive */
};
#define F_GET (1u << VBUS_GET)
static const struct access ACCESS[] = {
    {VBUS_MEASUREMENT, F_GET, 0x00000000u, 0x00FFFFFFu}, /* energy */
    {VBUS_MEASUREMENT, F_GET, 0x02000000u, 0x02FFFFFFu}, /* instantaneous values */
    {VBUS_MEASUREMENT, F_GET, 0x03800000u, 0x038000FFu}, /* event log */
    {VBUS_MEASUREMENT, F_GET, 0x04000501u, 0x04000501u}, /* status word */
    {VBUS_MAINTENANCE, F_GET, 0x00000000u, 0x04FFFFFFu}, /* everything readable, nothing written */
    {VBUS_ENERGY_APP, F_GET, 0x02000000u, 0x02FFFFFFu},  /* instantaneous values only */
};

static int allowed(uint8_t address, uint8_t function, uint32_t di)
{
    for (unsigned i = 0; i < sizeof ACCESS / sizeof ACCESS[0]; i++) {
        const struct access *a = &ACCESS[i];
        if (a->address == address && (a->functions & (1u << function)) && di >= a->first && di <= a->last) {
            return 1;
        }
    }
    return 0;
}

/* the client slot of address, its pipe opened on first use; NULL if it has no pipe */
static int client_slot(struct router *r, uint8_t address)
{
    int spare = -1;
    for (int i = 0; i < CLIENTS; i++) {
        if (r->clients[i].address == address) {
            return i;
        }
        if (r->clients[i].address == 0 && spare < 0) {
            spare = i;
        }
    }
    if (spare < 0) {
        return -1;
    }
    char name[16];
    vbus_pipe_name(address, name);
    int fd = rtos_open(name, RTOS_O_WRONLY | RTOS_O_NONBLOCK, 0); /* no O_CREAT: its owner creates it */
    if (fd < 0) {
        return -1;
    }
    r->clients[spare].address = address;
    r->clients[spare].subscribed = 0;
    r->clients[spare].fd = fd;
    return spare;
}

/* sends a frame to address: 1 if it has somewhere to go, 0 if there is no such destination */
static int send_to(struct router *r, uint8_t address, const uint8_t *bytes, unsigned n)
{
    int fd;
    if (address == VBUS_METERING) {
        fd = r->link.fd;
    } else if (address == VBUS_MAINTENANCE) {
        fd = r->maintenance.fd;
    } else if (address > VBUS_ROUTER && address <= 0x7F) {
        int i = client_slot(r, address);
        if (i < 0) {
            return 0;
        }
        fd = r->clients[i].fd;
    } else {
        return 0;
    }
    if (rtos_write(fd, bytes, n) == (int)n) {
        r->routed++;
    } else {
        r->dropped++; /* a full pipe or a dead client: the frame is lost, its reader's hunter drops the rest */
    }
    return 1;
}

static void reply(struct router *r, const struct vbus_frame *request, uint8_t control, const void *data,
                  unsigned length)
{
    uint8_t bytes[VBUS_FRAME_MAX];
    struct vbus_frame f = {.src = request->dst, .dst = request->src, .control = control, .di = request->di,
                           .data = data, .length = length};
    send_to(r, request->src, bytes, vbus_encode(&f, bytes));
}

static void error_reply(struct router *r, const struct vbus_frame *request, uint8_t error)
{
    r->errors++;
    reply(r, request, (uint8_t)(request->control | VBUS_REPLY | VBUS_ERROR), &error, 1);
}

/* the router's own DIs (docs/virtual-bus.md "The router") */
static void own(struct router *r, const struct vbus_frame *f)
{
    uint8_t function = f->control & VBUS_FUNCTION;
    if (f->di == VBUS_DI_SUBSCRIBE && function == VBUS_ACTION) {
        if (f->length != 1 || f->data[0] > 1) {
            error_reply(r, f, VBUS_ERR_LENGTH);
            return;
        }
        if (f->src == VBUS_MAINTENANCE) {
            r->maintenance_subscribed = f->data[0];
        } else {
            int i = client_slot(r, f->src);
            if (i < 0) {
                r->dropped++; /* nowhere to answer */
                return;
            }
            r->clients[i].subscribed = f->data[0];
        }
        reply(r, f, f->control | VBUS_REPLY, NULL, 0);
    } else if (f->di == VBUS_DI_ROUTER_COUNTERS && function == VBUS_GET) {
        struct rtos_tty_counters link = {0};
        rtos_ioctl(r->link.fd, RTOS_IOCTL_TTY_COUNTERS, (uint32_t)&link);
        uint32_t counters[6] = {r->routed, r->dropped, r->errors, link.received,
                                link.parity_errors + link.framing_errors, link.overruns};
        reply(r, f, f->control | VBUS_REPLY, counters, sizeof counters);
    } else if (f->di == VBUS_DI_SUBSCRIBE || f->di == VBUS_DI_ROUTER_COUNTERS) {
        error_reply(r, f, VBUS_ERR_LENGTH);
    } else {
        error_reply(r, f, VBUS_ERR_NO_DI);
    }
}

/* a report of the metering core to every subscriber, addressed to it */
static void publish(struct router *r, const struct vbus_frame *report)
{
    uint8_t bytes[VBUS_FRAME_MAX];
    struct vbus_frame f = *report;
    for (int i = 0; i < CLIENTS; i++) {
        if (r->clients[i].address != 0 && r->clients[i].subscribed) {
            f.dst = r->clients[i].address;
            send_to(r, f.dst, bytes, vbus_encode(&f, bytes));
        }
    }
    if (r->maintenance_subscribed) {
        f.dst = VBUS_MAINTENANCE;
        send_to(r, f.dst, bytes, vbus_encode(&f, bytes));
    }
}

static void route(const uint8_t *frame, unsigned length)
{
    struct port *p = (struct port *)(frame - offsetof(struct vbus_hunter, bytes) - offsetof(struct port, hunter));
    struct router *r = p->router;
    struct vbus_frame f;
    vbus_decode(frame, &f);
    int is_request = (f.control & VBUS_REPLY) == 0;
    uint8_t function = f.control & VBUS_FUNCTION;
    if (p->address == VBUS_METERING) {
        if (f.src != VBUS_METERING) {
            r->dropped++;
        } else if (is_request && function == VBUS_REPORT) {
            publish(r, &f);
        } else if (is_request || !send_to(r, f.dst, frame, length)) {
            r->dropped++; /* the metering core asks nobody anything; a reply to nobody */
        }
        return;
    }
    /* from the maintenance port or a local client: the source must be the port's own (no spoofing) */
    if ((p->address == VBUS_MAINTENANCE && f.src != VBUS_MAINTENANCE)
        || (p->address == 0 && (f.src <= VBUS_ROUTER || f.src == VBUS_MAINTENANCE || f.src > 0x7F))) {
        r->dropped++;
        return;
    }
    if (f.dst == VBUS_ROUTER) {
        if (is_request && function != VBUS_REPORT) {
            own(r, &f);
        } else {
            r->dropped++;
        }
    } else if (f.dst == VBUS_METERING) {
        if (!is_request || function == VBUS_REPORT) {
            r->dropped++;
        } else if (!allowed(f.src, function, f.di)) {
            error_reply(r, &f, VBUS_ERR_DENIED);
        } else {
            send_to(r, VBUS_METERING, frame, length);
        }
    } else if (f.dst == VBUS_BROADCAST || f.dst == f.src || !send_to(r, f.dst, frame, length)) {
        if (is_request && f.dst != VBUS_BROADCAST) {
            error_reply(r, &f, VBUS_ERR_OTHER); /* no such destination */
        } else {
            r->dropped++;
        }
    }
}

static int open_serial(const char *path, uint32_t timeout_ms)
{
    int fd = rtos_open(path, RTOS_O_RDWR, 0);
    if (fd >= 0) {
        struct rtos_tty tty = {.baud = 115200, .data_bits = 8, .parity = RTOS_PARITY_NONE, .stop_bits = 1};
        rtos_ioctl(fd, RTOS_IOCTL_TTY_SET, (uint32_t)&tty);
        rtos_ioctl(fd, RTOS_IOCTL_SET_TIMEOUT, timeout_ms); /* the inter-byte timeout inside a frame */
    }
    return fd;
}

/* a serial port with bytes waiting: reads them, and the rest of a frame begun, until 20 ms of silence */
static void drain_serial(struct port *p)
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

int router_main(void *arg)
{
    struct router *r = arg;
    memset(r, 0, sizeof *r);
    r->link = (struct port){.router = r, .address = VBUS_METERING};
    r->maintenance = (struct port){.router = r, .address = VBUS_MAINTENANCE};
    r->pipe = (struct port){.router = r, .address = 0};
    vbus_hunter_init(&r->link.hunter, route);
    vbus_hunter_init(&r->maintenance.hunter, route);
    vbus_hunter_init(&r->pipe.hunter, route);
    r->link.fd = open_serial("/dev/vbus", VBUS_INTER_BYTE_US / 1000);
    r->maintenance.fd = open_serial("/dev/ttyS1", VBUS_INTER_BYTE_US / 1000);
    r->pipe.fd = rtos_open(VBUS_PIPE, RTOS_O_RDONLY | RTOS_O_CREAT | RTOS_O_NONBLOCK, 0);
    r->pipe_writer = rtos_open(VBUS_PIPE, RTOS_O_WRONLY | RTOS_O_CREAT, 0);
    if (r->link.fd < 0 || r->pipe.fd < 0) {
        return 1; /* failed: restarted by its policy */
    }
    for (;;) {
        struct rtos_pollfd fds[3] = {{r->link.fd, RTOS_POLLIN, 0}, {r->pipe.fd, RTOS_POLLIN, 0},
                                     {r->maintenance.fd, RTOS_POLLIN, 0}};
        int n = rtos_poll(fds, r->maintenance.fd >= 0 ? 3 : 2, 1000);
        rtos_heartbeat();
        if (n <= 0) {
            continue;
        }
        if (fds[0].revents & RTOS_POLLIN) {
            drain_serial(&r->link);
        }
        if (r->maintenance.fd >= 0 && (fds[2].revents & RTOS_POLLIN)) {
            drain_serial(&r->maintenance);
        }
        if (fds[1].revents & RTOS_POLLIN) {
            uint8_t bytes[64];
            int k;
            while ((k = rtos_read(r->pipe.fd, bytes, sizeof bytes)) > 0) {
                for (int i = 0; i < k; i++) {
                    vbus_hunt(&r->pipe.hunter, bytes[i]);
                }
            }
        }
    }
}
