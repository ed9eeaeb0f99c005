/* Helpers the services and apps share (services.h). */
#include <stddef.h>
#include <string.h>

#include "services.h"

void svc_say(int fd, const char *s)
{
    rtos_write(fd, s, (uint32_t)strlen(s)); /* the kernel reads a write's data from flash too */
}

void svc_say_number(int fd, uint32_t v)
{
    char buffer[10];
    int i = 10;
    do {
        buffer[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    rtos_write(fd, buffer + i, (uint32_t)(10 - i));
}

void svc_say_milli(int fd, uint64_t v)
{
    char buffer[24];
    int i = 24;
    for (int d = 0; d < 3; d++) {
        buffer[--i] = (char)('0' + v % 10);
        v /= 10;
    }
    buffer[--i] = '.';
    do {
        buffer[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    rtos_write(fd, buffer + i, (uint32_t)(24 - i));
}

void vbus_pipe_name(uint8_t address, char name[16])
{
    static const char hex[] = "0123456789abcdef";
    memcpy(name, "/pipe/vbus-", 11);
    name[11] = hex[address >> 4];
    name[12] = hex[address & 15];
    name[13] = 0;
}

int measurement_read(const struct measurement *shared, struct measurement *out)
{
    for (int tries = 0; tries < 8; tries++) {
        uint32_t before = shared->seq;
        __asm__ volatile("dmb" ::: "memory");
        memcpy(out, (const void *)shared, sizeof *out);
        __asm__ volatile("dmb" ::: "memory");
        if ((before & 1) == 0 && shared->seq == before) {
            return 0;
        }
        rtos_sleep(1); /* the writer is in the middle of a copy: it runs first */
    }
    return -RTOS_EAGAIN;
}

/* --- a client of the router */

static void client_deliver(const uint8_t *frame, unsigned length)
{
    /* frame is the hunter's bytes, the hunter the client's first member */
    struct vbus_client *c = (struct vbus_client *)(frame - offsetof(struct vbus_hunter, bytes)
                                                   - offsetof(struct vbus_client, hunter));
    memcpy(c->frame, frame, length);
    vbus_decode(c->frame, &c->got);
    c->have = 1;
}

int vbus_client_open(struct vbus_client *c, uint8_t address)
{
    char name[16];
    memset(c, 0, sizeof *c);
    c->address = address;
    vbus_hunter_init(&c->hunter, client_deliver);
    vbus_pipe_name(address, name);
    c->in = rtos_open(name, RTOS_O_RDONLY | RTOS_O_CREAT, 0);
    if (c->in < 0) {
        return c->in;
    }
    /* what the router wrote for this address's previous run (before a restart) is stale */
    uint8_t stale[32];
    rtos_ioctl(c->in, RTOS_IOCTL_SET_NONBLOCK, 1);
    while (rtos_read(c->in, stale, sizeof stale) > 0) {
    }
    rtos_ioctl(c->in, RTOS_IOCTL_SET_NONBLOCK, 0);
    /* created here if the router has not created it yet: the same pipe */
    c->out = rtos_open(VBUS_PIPE, RTOS_O_WRONLY | RTOS_O_CREAT, 0);
    return c->out < 0 ? c->out : 0;
}

int vbus_client_send(struct vbus_client *c, uint8_t dst, uint8_t control, uint32_t di, const void *data,
                     unsigned length)
{
    uint8_t bytes[VBUS_FRAME_MAX];
    struct vbus_frame f = {.src = c->address, .dst = dst, .control = control, .di = di,
                           .data = data, .length = length};
    unsigned n = vbus_encode(&f, bytes);
    return rtos_write(c->out, bytes, n);
}

int vbus_client_next(struct vbus_client *c, uint32_t timeout_ms)
{
    uint32_t start = rtos_uptime();
    c->have = 0;
    for (;;) {
        while (c->rx_pos < c->rx_len) { /* what is left after the previous frame first */
            vbus_hunt(&c->hunter, c->rx[c->rx_pos++]);
            if (c->have) {
                return 1;
            }
        }
        uint32_t spent = rtos_uptime() - start;
        if (spent >= timeout_ms) {
            return 0;
        }
        rtos_ioctl(c->in, RTOS_IOCTL_SET_TIMEOUT, timeout_ms - spent);
        int n = rtos_read(c->in, c->rx, sizeof c->rx);
        if (n <= 0) {
            if (n == -RTOS_ETIMEDOUT) {
                vbus_hunter_drop(&c->hunter);
                return 0;
            }
            rtos_sleep(1);
            continue;
        }
        c->rx_pos = 0;
        c->rx_len = (uint32_t)n;
    }
}
