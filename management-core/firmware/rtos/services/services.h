/*
 * The management core's services on the RTOS (docs/services.md): the virtual-bus router (0x10), measurement
 * management (0x11), communication management (the external ports; 0x1E for the maintenance port's frames)
 * and the energy app (0x20, a loaded application: energy_app.c). They are processes: everything they keep lives on
 * their stack or in the data region they are given (a process cannot reach the image's .data/.bss), and a
 * string in flash is copied to the stack before it is passed to a system call.
 */
#ifndef SERVICES_H
#define SERVICES_H
#include <stdint.h>

#include "rtos.h"
#include "vbus_frame.h"

/* addresses (docs/virtual-bus.md "Addresses") */
enum { VBUS_MEASUREMENT = 0x11, VBUS_MAINTENANCE = 0x1E, VBUS_ENERGY_APP = 0x20 };

/* the router's own data identifiers (docs/virtual-bus.md "The router") */
#define VBUS_DI_SUBSCRIBE 0x04801000u      /* action, u8 1 subscribe to the metering core's reports, 0 stop */
#define VBUS_DI_ROUTER_COUNTERS 0x04801001u /* get: u32 frames routed, dropped, error replies; the link's
                                               characters received, with a parity or framing error, overrun */
#define VBUS_DI_REGISTER 0x04801002u       /* action: n x (u32 first, u32 last), n = 0..8, the DI ranges the
                                              sender serves; replaces what it registered before */

/* what measurement management serves from its copy (registered with the router): the two blocks as the
   metering core's DIs, and the copy's own state */
#define DI_MEASUREMENT_COPY 0x04801100u    /* get: u32 valid, taken_ms, polls, failures, resyncs */

/* the metering core's data identifiers used here (docs/virtual-bus.md) */
#define DI_ENERGY_BLOCK 0x00800000u        /* 7 x u64 */
#define DI_INSTANT_BLOCK 0x02800000u       /* 28 bytes */
#define DI_EVENT_RECORD_1 0x03800001u      /* the record a report carries */
#define METERING_EVENT_POWER_UP 0x02u

/* the pipes: every client writes its requests into /pipe/vbus and reads its replies and reports from
   /pipe/vbus-XX, XX its address in two lowercase hex digits */
#define VBUS_PIPE "/pipe/vbus"
void vbus_pipe_name(uint8_t address, char name[16]);

/* /shm/measurement (docs/services.md "Measurement management"): written by measurement management only,
   mapped read-only by the apps. seq is odd while the copy is being written: a reader copies the struct and
   keeps its copy only if seq was even and unchanged before and after (measurement_read). */
#define MEASUREMENT_SHM "/shm/measurement"
struct measurement {
    volatile uint32_t seq;
    uint32_t valid;          /* 1 once a poll succeeded since measurement management started */
    uint32_t taken_ms;       /* management-core uptime of the poll this copy comes from */
    uint32_t polls, failures, resyncs; /* successful polls, failed ones, resynchronisations */
    uint64_t energy[7];      /* DI 00.80.00.00: +A, -A mWh; QI-QIV mvarh; apparent mVAh */
    uint32_t voltage_mv, current_ma, neutral_ma;
    int32_t active_mw, reactive_mvar;
    uint32_t apparent_mva;
    int16_t power_factor;    /* thousandths */
    uint16_t frequency_chz;  /* hundredths of a hertz */
};
/* a consistent copy of *shared into *out; 0, or -RTOS_EAGAIN if it was being written each time of a few tries */
int measurement_read(const struct measurement *shared, struct measurement *out);

/* --- helpers (services.c) */
void svc_say(int fd, const char *s);                           /* s may be in flash */
void svc_say_number(int fd, uint32_t v);
void svc_say_milli(int fd, uint64_t v);                        /* v / 1000 with three decimals */

/* a client of the router: its own pipe, the router's pipe and a frame hunter for what it reads */
struct vbus_client {
    struct vbus_hunter hunter;   /* first: its deliver callback finds the client from the frame */
    uint8_t address;
    int in, out;                 /* /pipe/vbus-XX (read), /pipe/vbus (write) */
    struct vbus_frame got;       /* the last frame delivered */
    uint8_t frame[VBUS_FRAME_MAX];
    int have;                    /* a frame is in got/frame */
    uint8_t rx[64];              /* bytes read from the pipe, not hunted yet: rx[rx_pos .. rx_len) */
    uint32_t rx_pos, rx_len;
};
int vbus_client_open(struct vbus_client *c, uint8_t address);
int vbus_client_send(struct vbus_client *c, uint8_t dst, uint8_t control, uint32_t di, const void *data,
                     unsigned length);
/* the next frame from the router within timeout_ms: 1 (in c->got), 0 on timeout */
int vbus_client_next(struct vbus_client *c, uint32_t timeout_ms);

/* the processes' entries (arg: their data region) */
int router_main(void *arg);
int measurement_main(void *arg);
int comm_main(void *arg);
#define ROUTER_DATA_SIZE 4096u
#define MEASUREMENT_DATA_SIZE 2048u
#define COMM_DATA_SIZE 2048u

#endif
