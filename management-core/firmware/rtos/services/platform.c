/*
 * Platform management, the product image's `platform` process (docs/firmware-update.md, "Platform
 * management"): it counts the boots in /data/boot-count, installs the applications the image carries into
 * /data/apps and starts every application there, reports the system and the kernel's event log on the
 * console, beats for the supervisor, takes image downloads through /pipe/platform and confirms an update on
 * trial once the services it needs are up.
 *
 * Downloads: a protocol handler writes commands (platform.h) into /pipe/platform and reads one text line per
 * command from /pipe/platform-reply. The image goes to the NOR download slot (SYS_UPDATE, update.h); `end`
 * checks it with the bootloader's own image_check (../boot/image, ../boot/crypto, built in), so it is refused
 * here for the reason the bootloader would refuse it; `activate` writes the update request and resets into the
 * bootloader. The verification runs in this process, unprivileged, in a thread of low priority: the
 * bootloader's one crypto variable (the derived curve constants) is placed in the process's data region by
 * product.ld; the region's upper half is the verifier thread's stack.
 *
 * Applications: each image this product carries (CARRIED, packed by build.sh and included below as data) is
 * written to its /data/apps file at boot when the file is missing or differs (its 64-byte header, which holds
 * the CRC of the rest, or its size), through a .new file renamed over it (a cut leaves the old or the new).
 * Then every /data/apps/NAME.app is loaded (SYS_PROCESS_LOAD): its manifest is its image's own, its policy the
 * platform's APP_POLICY, restarts by the kernel.
 *
 * Confirm: an image on trial is confirmed only once every process NEEDED_FOR_CONFIRM has beaten its heartbeat
 * since this process started, within PLATFORM_TRIAL_WINDOW_MS of uptime; otherwise the supervisor stops feeding
 * the watchdog, the reset follows and the bootloader puts the backup back.
 */
#include <stdbool.h>
#include <string.h>

#include "image/image.h"
#include "platform.h"
#include "public_key.h"
#include "records.h"
#include "rtos.h"
#include "services.h"
#include "update.h"

#ifndef PLATFORM_NEED_MISSING
static const char *const NEEDED_FOR_CONFIRM[] = {"vbus", "measurement"};
#else /* the test variant rtos_noconfirm.bin: a service that never comes, so the trial is never confirmed */
static const char *const NEEDED_FOR_CONFIRM[] = {"vbus", "measurement", "missing"};
#endif
#define NEEDED (sizeof NEEDED_FOR_CONFIRM / sizeof NEEDED_FOR_CONFIRM[0])

enum download { IDLE, RECEIVING, VERIFIED, REFUSED };

struct platform {
    int con, commands, replies;
    uint32_t seen;              /* events reported */
    uint8_t download;           /* enum download */
    uint32_t size, received, erased;
    uint8_t version[8];         /* as begun: the header's bytes 20-27 */
    const char *reason;         /* REFUSED: the bootloader's reason word, or the platform's own */
    image_header header;        /* VERIFIED */
    uint32_t trial;             /* the request on trial, until confirmed or given up */
    int needed_pid[NEEDED];
    uint32_t needed_beat[NEEDED]; /* the beat at this process's start */
    uint8_t payload[PLATFORM_BLOCK_MAX];
};
_Static_assert(sizeof(struct platform) <= PLATFORM_DATA_SIZE / 2 - 512, "fits the data region's lower half after the crypto state");

/* the applications this image carries: build.sh packs each (apps/pack.c) and passes its path */
__asm__(".section .rodata.platform_apps,\"a\"\n"
        ".balign 4\n"
        "energy_app_image:\n"
        ".incbin \"" ENERGY_APP_IMAGE "\"\n"
        "energy_app_image_end:\n"
        ".previous\n");
extern const uint8_t energy_app_image[], energy_app_image_end[];
static const struct {
    const char *path, *staged; /* the file and its .new copy */
    const uint8_t *image, *end;
} CARRIED[] = {{"/data/apps/energy.app", "/data/apps/energy.app.new", energy_app_image, energy_app_image_end}};
#define APP_HEADER 64u

/* every loaded application's restart policy: after a fault, 5 s later, at most 5 times, then it stays dead (a
   failing app does not reset the meter); not supervised by heartbeat (none of them beats yet) */
static const struct rtos_load_params APP_POLICY = {.restart = RTOS_RESTART_ON_FAILURE, .restart_delay = 5000,
                                                   .max_restarts = 5, .heartbeat = 0,
                                                   .on_give_up = RTOS_ON_GIVE_UP_STAY_DEAD};

#define update(op, a, b, c) rtos_syscall4(SYS_UPDATE, op, a, b, c)

static void say_hex(int fd, uint32_t v)
{
    char buffer[10] = {'0', 'x'};
    for (int i = 0; i < 8; i++) {
        buffer[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    }
    rtos_write(fd, buffer, sizeof buffer);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* major.minor.revision+build */
static void say_version(int fd, const uint8_t v[8])
{
    svc_say_number(fd, v[0]);
    svc_say(fd, ".");
    svc_say_number(fd, v[1]);
    svc_say(fd, ".");
    svc_say_number(fd, (uint32_t)(v[2] | v[3] << 8));
    svc_say(fd, "+");
    svc_say_number(fd, get32(v + 4));
}

/* the kernel's event log on the console: one line per event recorded since the last look */
static void report_events(struct platform *s)
{
    int con = s->con;
    struct rtos_event e;
    for (;;) {
        int r = rtos_event_read(s->seen, &e);
        if (r == -RTOS_ESRCH) { /* overwritten before it was seen */
            s->seen++;
            continue;
        }
        if (r < 0) {
            break; /* not recorded yet */
        }
        struct rtos_process_info info;
        svc_say(con, "platform: event ");
        svc_say_number(con, e.seq);
        svc_say(con, " at ");
        svc_say_number(con, e.time);
        svc_say(con, " ms: process ");
        svc_say_number(con, e.process);
        if (rtos_process_info((int)e.process, &info) == 0) {
            svc_say(con, " ");
            svc_say(con, info.name);
        }
        if (e.kind == RTOS_EVENT_FAULT) {
            svc_say(con, " fault, exception ");
            svc_say_number(con, e.exception);
            svc_say(con, " cfsr ");
            say_hex(con, e.cfsr);
            svc_say(con, " address ");
            say_hex(con, e.address);
        } else if (e.kind == RTOS_EVENT_HUNG) {
            svc_say(con, " hung");
        } else if (e.kind == RTOS_EVENT_RESTART) {
            svc_say(con, " restarted");
        } else if (e.kind == RTOS_EVENT_GAVE_UP) {
            svc_say(con, " given up");
        }
        svc_say(con, ", restarts ");
        svc_say_number(con, e.restarts);
        svc_say(con, "\n");
        s->seen++;
    }
}

/* is path the image [image, end)? (its header holds the CRC of all the rest; the size too) */
static bool installed(const char *path, const uint8_t *image, const uint8_t *end)
{
    struct rtos_stat st;
    if (rtos_stat(path, &st) != 0 || st.size != (uint32_t)(end - image)) {
        return false;
    }
    uint8_t header[APP_HEADER];
    int fd = rtos_open(path, RTOS_O_RDONLY, 0);
    if (fd < 0) {
        return false;
    }
    int r = rtos_read(fd, header, sizeof header);
    rtos_close(fd);
    return r == (int)sizeof header && memcmp(header, image, sizeof header) == 0;
}

static void install_apps(int con)
{
    for (unsigned i = 0; i < sizeof CARRIED / sizeof CARRIED[0]; i++) {
        uint32_t size = (uint32_t)(CARRIED[i].end - CARRIED[i].image);
        if (installed(CARRIED[i].path, CARRIED[i].image, CARRIED[i].end)) {
            continue;
        }
        int fd = rtos_open(CARRIED[i].staged, RTOS_O_WRONLY | RTOS_O_CREAT | RTOS_O_TRUNC, 0);
        int r = fd < 0 ? fd : rtos_write(fd, CARRIED[i].image, size); /* the kernel reads a write's data from flash */
        int closed = fd < 0 ? fd : rtos_close(fd);
        if (r == (int)size && closed == 0) {
            r = rtos_rename(CARRIED[i].staged, CARRIED[i].path);
        } else {
            r = r < 0 ? r : closed < 0 ? closed : -RTOS_ENOSPC; /* a short write */
        }
        svc_say(con, "platform: install ");
        svc_say(con, CARRIED[i].path + 6);
        if (r == 0) {
            svc_say(con, ", ");
            svc_say_number(con, size);
            svc_say(con, " bytes\n");
        } else {
            svc_say(con, " failed ");
            svc_say_number(con, (uint32_t)-r);
            svc_say(con, "\n");
        }
    }
}

/* every /data/apps/NAME.app, in name order; a refusal is reported and the others still start */
static void start_apps(int con)
{
    uint32_t cursor = 0;
    struct rtos_stat st;
    while (rtos_readdir("/data/apps/", &cursor, &st) == 1) {
        size_t n = strnlen(st.name, sizeof st.name);
        if (n < 4 || n >= sizeof st.name || strcmp(st.name + n - 4, ".app") != 0) {
            continue; /* a staged .new copy, or another file */
        }
        char path[6 + sizeof st.name] = "/data/";
        memcpy(path + 6, st.name, n + 1);
        int pid = rtos_process_load(path, &APP_POLICY);
        if (pid < 0) {
            svc_say(con, "platform: ");
            svc_say(con, st.name);
            svc_say(con, " not loaded: error ");
            svc_say_number(con, (uint32_t)-pid);
            svc_say(con, "\n");
        }
    }
}

static uint32_t next_boot_count(void)
{
    uint32_t count = 0;
    int fd = rtos_open("/data/boot-count", RTOS_O_RDONLY, 0);
    if (fd >= 0) {
        if (rtos_read(fd, &count, sizeof count) != sizeof count) {
            count = 0;
        }
        rtos_close(fd);
    }
    count++;
    /* a new file renamed over the old: after a cut, the old count or the new one, never a torn one */
    fd = rtos_open("/data/boot-count.new", RTOS_O_WRONLY | RTOS_O_CREAT | RTOS_O_TRUNC, 0);
    if (fd >= 0) {
        rtos_write(fd, &count, sizeof count);
        if (rtos_close(fd) == 0) {
            rtos_rename("/data/boot-count.new", "/data/boot-count");
        }
    }
    return count;
}

/* --- confirm after the services are up */

static void say_needed(int con)
{
    for (unsigned i = 0; i < NEEDED; i++) {
        svc_say(con, " ");
        svc_say(con, NEEDED_FOR_CONFIRM[i]);
    }
}

static void trial_start(struct platform *s)
{
    int32_t trial = update(UPDATE_TRIAL, 0, 0, 0);
    if (trial <= 0) {
        return;
    }
    s->trial = (uint32_t)trial;
    for (unsigned i = 0; i < NEEDED; i++) {
        s->needed_pid[i] = -1;
        for (int pid = 1; pid < 12; pid++) {
            struct rtos_process_info info;
            if (rtos_process_info(pid, &info) == 0 && strcmp(info.name, NEEDED_FOR_CONFIRM[i]) == 0) {
                s->needed_pid[i] = pid;
                s->needed_beat[i] = info.last_beat; /* its start: a beat after it is the service's own */
            }
        }
    }
    svc_say(s->con, "platform: trial ");
    svc_say_number(s->con, s->trial);
    svc_say(s->con, ": confirm once these beat:");
    say_needed(s->con);
    svc_say(s->con, "\n");
}

/* the first needed process that has not beaten since, or NULL when all have */
static const char *not_up(const struct platform *s)
{
    for (unsigned i = 0; i < NEEDED; i++) {
        struct rtos_process_info info;
        if (s->needed_pid[i] < 0 || rtos_process_info(s->needed_pid[i], &info) != 0
            || info.state != RTOS_PROCESS_RUNNING || info.last_beat == s->needed_beat[i]) {
            return NEEDED_FOR_CONFIRM[i];
        }
    }
    return NULL;
}

static void trial_check(struct platform *s)
{
    if (s->trial == 0) {
        return;
    }
    const char *missing = not_up(s);
    if (missing == NULL) {
        int32_t confirmed = update(UPDATE_CONFIRM, 0, 0, 0);
        svc_say(s->con, "platform: trial ");
        svc_say_number(s->con, s->trial);
        svc_say(s->con, confirmed == (int32_t)s->trial ? " confirmed at " : " not on trial any more at ");
        svc_say_number(s->con, rtos_uptime());
        svc_say(s->con, " ms, these beat:");
        say_needed(s->con);
        svc_say(s->con, "\n");
        s->trial = 0;
    } else if (rtos_uptime() >= PLATFORM_TRIAL_WINDOW_MS) {
        svc_say(s->con, "platform: trial ");
        svc_say_number(s->con, s->trial);
        svc_say(s->con, " not confirmed: ");
        svc_say(s->con, missing);
        svc_say(s->con, " has not beaten within the trial window; the watchdog resets\n");
        update(UPDATE_STARVE, 0, 0, 0);
        s->trial = 0;
    }
}

/* --- downloads */

static void reply(struct platform *s, const char *a, const char *b, int with_number, uint32_t n)
{
    char line[64];
    uint32_t k = 0;
    for (const char *p = a; *p && k < 40; p++) {
        line[k++] = *p;
    }
    for (const char *p = b; *p && k < 52; p++) {
        line[k++] = *p;
    }
    if (with_number) {
        char digits[10];
        int d = 0;
        line[k++] = ' ';
        do {
            digits[d++] = (char)('0' + n % 10);
            n /= 10;
        } while (n != 0);
        while (d > 0) {
            line[k++] = digits[--d];
        }
    }
    line[k++] = '\n';
    rtos_write(s->replies, line, k); /* non-blocking: a client that does not read loses its replies */
}

static void refuse(struct platform *s, const char *reason)
{
    s->download = REFUSED;
    s->reason = reason;
    svc_say(s->con, "platform: download refused: ");
    svc_say(s->con, reason);
    svc_say(s->con, "\n");
    reply(s, "refused ", reason, 0, 0);
}

static int read_download(void *context, uint32_t offset, uint8_t *out, uint32_t size)
{
    (void)context;
    if ((offset & 0x3FFFu) < size) {
        rtos_heartbeat(); /* hashing a large image takes seconds at 16 MHz */
    }
    for (uint32_t done = 0; done < size;) {
        uint32_t n = size - done > 4096 ? 4096 : size - done;
        if (update(UPDATE_READ, offset + done, out + done, n) != (int32_t)n) {
            return 1;
        }
        done += n;
    }
    return 0;
}

#define VERIFIER_PRIORITY 24 /* below the services (6, 10) and the apps (20) */

/* the verifier thread: the bootloader's image_check on the download slot, against the running image's counter */
static int verify(void *arg)
{
    struct platform *s = arg;
    image_source source = {read_download, NULL, UPDATE_DOWNLOAD_SLOT_SIZE};
    uint32_t installed = get32((const uint8_t *)IMAGE_SLOT_ADDRESS + 28);
    return (int)image_check(&source, BOOT_PUBLIC_KEY, installed, &s->header);
}

static void end(struct platform *s)
{
    if (s->download != RECEIVING || s->received != s->size) {
        reply(s, "error ", s->download == RECEIVING ? "incomplete" : "not-receiving", 1, s->received);
        return;
    }
    /* the check (about 0.5 s of Ed25519 at 16 MHz, and the hash) in a thread below every service, so that the
       router and measurement management run on meanwhile; it beats for the process while it reads */
    uint8_t *region = (uint8_t *)((uint32_t)s & ~(PLATFORM_DATA_SIZE - 1));
    struct rtos_thread_params verifier = {.entry = verify, .arg = s, .priority = VERIFIER_PRIORITY,
                                          .stack = region + PLATFORM_DATA_SIZE / 2, .stack_size = PLATFORM_DATA_SIZE / 2};
    int id = rtos_thread_create(&verifier);
    image_result r = id < 0 ? IMAGE_READ_ERROR : (image_result)rtos_thread_join(id, RTOS_FOREVER);
    if (r != IMAGE_VALID) {
        refuse(s, image_result_name(r));
        return;
    }
    uint8_t v[8];
    if (update(UPDATE_READ, 20, v, sizeof v) != sizeof v || memcmp(v, s->version, sizeof v) != 0) {
        refuse(s, "wrong-version"); /* signed, but not the version begun */
        return;
    }
    s->download = VERIFIED;
    svc_say(s->con, "platform: download of ");
    svc_say_number(s->con, s->size);
    svc_say(s->con, " bytes verified: ");
    say_version(s->con, s->version);
    svc_say(s->con, " counter ");
    svc_say_number(s->con, s->header.security_counter);
    svc_say(s->con, "\n");
    reply(s, "ok end", "", 1, s->size);
}

static void command(struct platform *s, const struct platform_command *c)
{
    switch (c->op) {
    case PLATFORM_BEGIN:
        if (c->length != 8 || c->arg < IMAGE_HEADER_SIZE + 1 + IMAGE_TRAILER_SIZE
            || c->arg > UPDATE_DOWNLOAD_SLOT_SIZE) {
            reply(s, "error ", "bad-begin", 1, c->arg);
            return;
        }
        s->download = RECEIVING;
        s->size = c->arg;
        s->received = s->erased = 0;
        memcpy(s->version, s->payload, sizeof s->version);
        svc_say(s->con, "platform: download of ");
        svc_say_number(s->con, s->size);
        svc_say(s->con, " bytes begun: ");
        say_version(s->con, s->version);
        svc_say(s->con, "\n");
        reply(s, "ok begin", "", 1, s->size);
        return;
    case PLATFORM_BLOCK:
        if (s->download != RECEIVING || c->arg != s->received || c->length == 0
            || c->length > s->size - s->received) {
            reply(s, "error ", s->download != RECEIVING ? "not-receiving" : "out-of-order", 1, s->received);
            return;
        }
        while (s->erased < c->arg + c->length) { /* each 64 KiB block erased when the image reaches it */
            update(UPDATE_ERASE, s->erased, 0, 0);
            s->erased += UPDATE_BLOCK;
        }
        if (update(UPDATE_PROGRAM, c->arg, s->payload, c->length) != c->length) {
            reply(s, "error ", "write", 1, s->received);
            return;
        }
        s->received += c->length;
        reply(s, "ok block", "", 1, s->received);
        return;
    case PLATFORM_END:
        end(s);
        return;
    case PLATFORM_ACTIVATE: {
        if (s->download != VERIFIED) {
            reply(s, "error ", "not-verified", 0, 0);
            return;
        }
        int32_t sequence = update(UPDATE_REQUEST, 0, 0, 0);
        svc_say(s->con, "platform: update request ");
        svc_say_number(s->con, (uint32_t)sequence);
        svc_say(s->con, " for ");
        say_version(s->con, s->version);
        svc_say(s->con, ", resetting\n");
        reply(s, "ok activate", "", 1, (uint32_t)sequence);
        rtos_sleep(100); /* the reply read, the console line out */
        update(UPDATE_RESET, 0, 0, 0);
        return;
    }
    case PLATFORM_STATUS:
        if (s->download == IDLE) {
            reply(s, "status idle", s->trial != 0 ? " trial" : "", 0, 0);
        } else if (s->download == RECEIVING) {
            reply(s, "status receiving", "", 1, s->received);
        } else if (s->download == VERIFIED) {
            reply(s, "status verified", "", 1, s->size);
        } else {
            reply(s, "status refused ", s->reason, 0, 0);
        }
        return;
    default:
        reply(s, "error ", "unknown-command", 1, c->op);
    }
}

/* exactly n bytes from the command pipe (the platform holds a write end: never its end) */
static bool read_exactly(int fd, uint8_t *out, uint32_t n)
{
    for (uint32_t done = 0; done < n;) {
        int r = rtos_read(fd, out + done, n - done);
        if (r <= 0) {
            return false; /* the read timeout: a command cut short is dropped */
        }
        done += (uint32_t)r;
    }
    return true;
}

int platform_main(void *data)
{
    struct platform *s = data;
    memset(s, 0, sizeof *s);
    s->con = rtos_open("/dev/console", RTOS_O_WRONLY, 0);
    uint32_t boots = next_boot_count();
    struct rtos_stat fs;
    svc_say(s->con, "platform: boot ");
    svc_say_number(s->con, boots);
    if (rtos_stat("/data", &fs) == 0) {
        svc_say(s->con, "; /data ");
        svc_say_number(s->con, fs.blocks);
        svc_say(s->con, " of ");
        svc_say_number(s->con, fs.size);
        svc_say(s->con, " blocks used");
    } else {
        svc_say(s->con, "; /data not mounted");
    }
    svc_say(s->con, "\n");
    install_apps(s->con);
    start_apps(s->con);
    for (int pid = 1; pid < 12; pid++) {
        struct rtos_process_info info;
        if (rtos_process_info(pid, &info) == 0 && info.state == RTOS_PROCESS_RUNNING) {
            svc_say(s->con, "platform: process ");
            svc_say_number(s->con, (uint32_t)pid);
            svc_say(s->con, " ");
            svc_say(s->con, info.name);
            svc_say(s->con, "\n");
        }
    }
    trial_start(s);
    s->commands = rtos_open(PLATFORM_PIPE, RTOS_O_RDONLY | RTOS_O_CREAT, 0);
    rtos_open(PLATFORM_PIPE, RTOS_O_WRONLY, 0); /* held: a client's close is not the pipe's end */
    s->replies = rtos_open(PLATFORM_REPLY_PIPE, RTOS_O_WRONLY | RTOS_O_CREAT | RTOS_O_NONBLOCK, 0);
    rtos_ioctl(s->commands, RTOS_IOCTL_SET_TIMEOUT, 100); /* a command's bytes come in one write */
    uint32_t tick = rtos_uptime();
    for (;;) {
        uint32_t t = rtos_uptime();
        if ((int32_t)(t - tick) >= 0) {
            /* every second, every 100 ms while a trial waits for its services */
            tick = t + (s->trial != 0 ? 100 : 1000);
            rtos_heartbeat();
            report_events(s);
            trial_check(s);
        }
        struct rtos_pollfd p = {.fd = s->commands, .events = RTOS_POLLIN};
        if (rtos_poll(&p, 1, tick - t) > 0 && (p.revents & RTOS_POLLIN)) {
            struct platform_command c;
            if (read_exactly(s->commands, (uint8_t *)&c, sizeof c)
                && (c.length <= sizeof s->payload && read_exactly(s->commands, s->payload, c.length))) {
                command(s, &c);
            }
        }
    }
}

#ifdef PLATFORM_FEEDER
/*
 * TEST STAND-IN for the protocol handler (the next issue's), in the variant rtos_feeder.bin only: the image a
 * test staged in internal flash sector 4 (0x0801 0000, the bootloader never touches it; "MTST", the size,
 * then the image) goes through /pipe/platform as a protocol handler would drive it: begin, blocks, end, and
 * activate if the end was ok. Each reply on the console as "feeder: REPLY". Nothing staged, or the staged
 * image running: nothing.
 */
#define STAGING ((const uint8_t *)0x08010000u)
#define STAGING_MAGIC 0x5453544Du /* "MTST" */

static int feeder_reply(int con, int replies, char *line, uint32_t max)
{
    uint32_t k = 0;
    while (k + 1 < max) {
        int r = rtos_read(replies, line + k, 1);
        if (r <= 0) {
            break;
        }
        if (line[k++] == '\n') {
            break;
        }
    }
    line[k] = 0;
    if (strncmp(line, "ok block", 8) != 0) { /* the blocks' replies are counted, not shown */
        svc_say(con, "feeder: ");
        svc_say(con, line);
    }
    return strncmp(line, "ok", 2) == 0;
}

static int feeder_send(int commands, uint8_t op, uint32_t arg, const void *payload, uint16_t length)
{
    uint8_t message[sizeof(struct platform_command) + PLATFORM_BLOCK_MAX];
    struct platform_command c = {.op = op, .length = length, .arg = arg};
    memcpy(message, &c, sizeof c);
    memcpy(message + sizeof c, payload, length);
    return rtos_write(commands, message, sizeof c + length); /* one write: the command's bytes together */
}

int feeder_main(void *data)
{
    (void)data;
    int con = rtos_open("/dev/console", RTOS_O_WRONLY, 0);
    rtos_sleep(2000); /* after the boot lines */
    uint32_t size = get32(STAGING + 4);
    const uint8_t *image = STAGING + 8;
    if (get32(STAGING) != STAGING_MAGIC || size > 0x10000u - 8 || memcmp(image, (const void *)IMAGE_SLOT_ADDRESS, size) == 0) {
        rtos_sleep(RTOS_FOREVER);
    }
    int commands = rtos_open(PLATFORM_PIPE, RTOS_O_WRONLY, 0);
    int replies = rtos_open(PLATFORM_REPLY_PIPE, RTOS_O_RDONLY, 0);
    rtos_ioctl(replies, RTOS_IOCTL_SET_TIMEOUT, 5000); /* the end's verification: about a second */
    char line[64];
    feeder_send(commands, PLATFORM_BEGIN, size, image + 20, 8);
    int ok = feeder_reply(con, replies, line, sizeof line);
    uint32_t blocks = 0;
    for (uint32_t at = 0; ok && at < size; at += PLATFORM_BLOCK_MAX, blocks++) {
        uint32_t n = size - at < PLATFORM_BLOCK_MAX ? size - at : PLATFORM_BLOCK_MAX;
        feeder_send(commands, PLATFORM_BLOCK, at, image + at, (uint16_t)n);
        ok = feeder_reply(con, replies, line, sizeof line);
    }
    svc_say(con, "feeder: ");
    svc_say_number(con, blocks);
    svc_say(con, " blocks sent\n");
    feeder_send(commands, PLATFORM_END, 0, NULL, 0);
    if (feeder_reply(con, replies, line, sizeof line)) {
        feeder_send(commands, PLATFORM_ACTIVATE, 0, NULL, 0);
        feeder_reply(con, replies, line, sizeof line);
    } else {
        feeder_send(commands, PLATFORM_STATUS, 0, NULL, 0);
        feeder_reply(con, replies, line, sizeof line);
    }
    rtos_sleep(RTOS_FOREVER);
    for (;;) {
    }
}
#endif
