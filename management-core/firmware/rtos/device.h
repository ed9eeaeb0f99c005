/*
 * The kernel's device drivers, as files.c sees them (docs/rtos.md, "Devices"). A driver's calls never
 * block: read and write move what they can now and say so; files.c blocks the calling thread (non-blocking
 * descriptors aside) and retries when the driver reports, from its interrupt, that it can do more
 * (files_device_ready). All of it runs at the kernel's exception priority, so nothing of the kernel preempts
 * a driver; only the UARTs' top halves (dev_uart.c) run above it, and they touch no kernel data.
 */
#ifndef DEVICE_H
#define DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct tcb;
struct fd;

struct device {
    const char *name;        /* under /dev/ */
    uint8_t unit;            /* the driver's own number for it */
    /* may be NULL: always allowed; returns 0 or a negative error (the first open starts the hardware) */
    int32_t (*open)(unsigned unit, uint32_t mode);
    /* > 0 bytes read, 0 at the end (never for a stream), -RTOS_EAGAIN nothing now; NULL: not readable.
       f->position is the offset of a seekable device, which the driver advances */
    int32_t (*read)(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
    /* bytes taken (0 when it can take nothing now) or a negative error; NULL: not writable */
    int32_t (*write)(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
    /* requests of the device's own (rtos.h); pointers in arg are checked against c's memory by the driver */
    int32_t (*ioctl)(unsigned unit, struct fd *f, struct tcb *c, uint32_t request, uint32_t arg);
    uint32_t (*poll)(unsigned unit); /* RTOS_POLLIN / RTOS_POLLOUT that hold now */
    uint32_t size;           /* a seekable device's size in bytes; 0: a stream */
};

/* a driver's interrupt: device `index` (in files.c's table) can read or write more */
void files_device_ready(unsigned index);

/* the drivers: dev_uart.c, dev_memory.c, dev_board.c */
#define UART_DEVICES 5 /* ttyS0-ttyS3 and vbus */
int32_t uart_open(unsigned unit, uint32_t mode);
int32_t uart_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
int32_t uart_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
int32_t uart_ioctl(unsigned unit, struct fd *f, struct tcb *c, uint32_t request, uint32_t arg);
uint32_t uart_poll(unsigned unit);
/* the bus clock the UARTs' baud rates are made from (kernel_init's clock) */
void uart_init(uint32_t pclk_hz, unsigned first_device_index);

/* dev_board.c: /dev/eeprom and /dev/lcd (seekable), /dev/rtc and /dev/relay (a coil pulse ended from the timer) */
#define EEPROM_SIZE 131072u
int32_t eeprom_open(unsigned unit, uint32_t mode);
int32_t eeprom_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
int32_t eeprom_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
uint32_t eeprom_poll(unsigned unit);
int32_t relay_open(unsigned unit, uint32_t mode);
int32_t relay_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
int32_t relay_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
uint32_t relay_poll(unsigned unit);
int32_t rtc_open(unsigned unit, uint32_t mode);
int32_t rtc_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
int32_t rtc_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
uint32_t rtc_poll(unsigned unit);
#define LCD_SIZE 32u
int32_t lcd_open(unsigned unit, uint32_t mode);
int32_t lcd_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
int32_t lcd_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
/* /dev/nor: the whole W25Q64JV, reached only inside the ranges its opener's manifest names */
#define NOR_DEVICE_SIZE (8u << 20)
int32_t nor_dev_open(unsigned unit, uint32_t mode);
int32_t nor_dev_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n);
int32_t nor_dev_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n);
int32_t nor_dev_ioctl(unsigned unit, struct fd *f, struct tcb *c, uint32_t request, uint32_t arg);
/* files.c: may p reach the NOR at address? Then *length is cut to the end of the manifest's range holding it */
struct process;
bool files_nor_reach(const struct process *p, uint32_t address, uint32_t *length);
void board_devices_init(unsigned relay_device_index, unsigned rtc_device_index);
/* a driver's own deadline (ms) for the kernel's timer, and its call when the timer reaches it */
bool board_devices_deadline(uint32_t *next);
void board_devices_timer(uint32_t t);

#endif
