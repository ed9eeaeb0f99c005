/*
 * The management board's other devices (docs/rtos.md, "Devices"; machines/management.yaml):
 *   /dev/eeprom  the M95M01 (128 KiB) on SPI2, S on PB12, W on PB11 (held high): read and write at the
 *                descriptor's offset (SYS_LSEEK), writes split at the 256-byte pages, each waited for
 *                (M95M01 datasheet: WREN 06h, RDSR 05h with WIP bit 0, READ 03h and WRITE 02h with a 24-bit
 *                address; a page write takes up to 5 ms, during which the kernel polls)
 *   /dev/rtc     the RTC's calendar (RM0430 RTC: LSE 32.768 kHz in the backup domain, kept on the battery):
 *                read and write one struct rtos_time; the first open starts the LSE and the RTC unless the
 *                backup domain already runs them (a battery-backed meter keeps its clock over outages); the
 *                crystal takes about 2 s to start: until then reads and writes wait (checked every 100 ms
 *                from the timer) or, non-blocking, fail with -EAGAIN
 *   /dev/lcd     the HT1621 LCD controller (CS PC8, WR PC9, DATA PC10; HT1621 datasheet "Command format"):
 *                32 bytes, one per RAM address, the low nibble its four segments (COM0 bit 0); seekable;
 *                a write sends the nibbles in successive-address write mode (101, A5..A0, D0..D3 each),
 *                a read gives the kernel's copy; the first open sends SYS EN, LCD ON and BIAS 1/3, 4 commons
 *   /dev/relay   the latching supply relay: write '1' to close (connect) or '0' to open it; the coil (set
 *                PB4, reset PB5) is driven for 40 ms (the relay needs 30) and released from the timer;
 *                read gives the auxiliary contact on PB6 ('1' closed); a write while a pulse lasts: -EBUSY
 *   /dev/nor     the W25Q64JV (8 MiB, boot/nor.c) raw: read and write (program) at the descriptor's offset
 *                (SYS_LSEEK), erase a 4 KiB sector by ioctl; only inside the ranges the caller's
 *                manifest names (/dev/nor:FIRST-LAST, files_nor_reach), so never /data or the bootloader's
 *                records unless named; a read is cut at its range's end. Erase and program wait for the chip
 *                inside the call (up to 45 ms a sector), as /data does
 */
#include <stddef.h>
#include <string.h>

#include "device.h"
#include "kernel_private.h"
#include "nor.h"

#define RCC_AHB1ENR REG(0x40023830u)
#define RCC_APB1ENR REG(0x40023840u)
#define GPIOB 0x40020400u
#define GPIO_MODER(p) REG((p) + 0x00)
#define GPIO_IDR(p) REG((p) + 0x10)
#define GPIO_BSRR(p) REG((p) + 0x18)
#define SPI2 0x40003800u
#define SPI_CR1 REG(SPI2 + 0x00)
#define SPI_SR REG(SPI2 + 0x08)
#define SPI_DR REG(SPI2 + 0x0C)
#define SR_RXNE (1u << 0)
#define SR_TXE (1u << 1)
#define SR_BSY (1u << 7)

enum { EE_WREN = 0x06, EE_RDSR = 0x05, EE_READ = 0x03, EE_WRITE = 0x02, EE_WIP = 0x01 };
#define EE_S 12u
#define EE_W 11u
#define EE_PAGE 256u
#define RELAY_SET 4u
#define RELAY_RESET 5u
#define RELAY_FEEDBACK 6u
#define RELAY_PULSE_MS 40u

static void output(uint32_t port, uint32_t pin, bool high)
{
    GPIO_BSRR(port) = high ? 1u << pin : 1u << (pin + 16);
    GPIO_MODER(port) = (GPIO_MODER(port) & ~(3u << 2 * pin)) | 1u << 2 * pin;
}

/* --- the EEPROM */

static bool eeprom_started;

static void ee_select(void) { GPIO_BSRR(GPIOB) = 1u << (EE_S + 16); }

static void ee_deselect(void)
{
    while (SPI_SR & SR_BSY) {
    }
    GPIO_BSRR(GPIOB) = 1u << EE_S;
}

static uint8_t ee_transfer(uint8_t out)
{
    while (!(SPI_SR & SR_TXE)) {
    }
    SPI_DR = out;
    while (!(SPI_SR & SR_RXNE)) {
    }
    return (uint8_t)SPI_DR;
}

static void ee_command(uint8_t instruction, uint32_t address)
{
    ee_transfer(instruction);
    ee_transfer((uint8_t)(address >> 16));
    ee_transfer((uint8_t)(address >> 8));
    ee_transfer((uint8_t)address);
}

static void ee_wait(void)
{
    ee_select();
    ee_transfer(EE_RDSR);
    while (ee_transfer(0) & EE_WIP) { /* the status register repeats while S stays low */
    }
    ee_deselect();
}

int32_t eeprom_open(unsigned unit, uint32_t mode)
{
    (void)unit, (void)mode;
    if (!eeprom_started) {
        RCC_AHB1ENR |= 1u << 1;  /* GPIOB */
        RCC_APB1ENR |= 1u << 14; /* SPI2 */
        __asm__ volatile("dsb");
        output(GPIOB, EE_S, true);
        output(GPIOB, EE_W, true); /* writes allowed (the status register's protection is not used) */
        SPI_CR1 = 1u << 9 | 1u << 8 | 1u << 2 | 1u << 6; /* mode 0, master, SSM/SSI, fPCLK/2, enabled */
        eeprom_started = true;
    }
    return 0;
}

int32_t eeprom_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n)
{
    (void)unit;
    if (f->position >= EEPROM_SIZE) {
        return 0;
    }
    if (n > EEPROM_SIZE - f->position) {
        n = EEPROM_SIZE - f->position;
    }
    ee_select();
    ee_command(EE_READ, f->position);
    for (uint32_t i = 0; i < n; i++) {
        buffer[i] = ee_transfer(0);
    }
    ee_deselect();
    f->position += n;
    return (int32_t)n;
}

int32_t eeprom_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n)
{
    (void)unit;
    if (f->position >= EEPROM_SIZE) {
        return -RTOS_ENOSPC;
    }
    if (n > EEPROM_SIZE - f->position) {
        n = EEPROM_SIZE - f->position;
    }
    for (uint32_t done = 0; done < n;) {
        uint32_t at = f->position + done;
        uint32_t k = EE_PAGE - at % EE_PAGE; /* a write wraps inside its page: never across */
        if (k > n - done) {
            k = n - done;
        }
        ee_select();
        ee_transfer(EE_WREN);
        ee_deselect();
        ee_select();
        ee_command(EE_WRITE, at);
        for (uint32_t i = 0; i < k; i++) {
            ee_transfer(data[done + i]);
        }
        ee_deselect();
        ee_wait();
        done += k;
    }
    f->position += n;
    return (int32_t)n;
}

uint32_t eeprom_poll(unsigned unit)
{
    (void)unit;
    return RTOS_POLLIN | RTOS_POLLOUT;
}

/* --- the RTC */

#define RCC_BDCR REG(0x40023870u)
#define PWR_CR REG(0x40007000u)
#define RTC_TR REG(0x40002800u)
#define RTC_DR REG(0x40002804u)
#define RTC_ISR REG(0x4000280Cu)
#define RTC_WPR REG(0x40002824u)
#define BDCR_LSEON (1u << 0)
#define BDCR_LSERDY (1u << 1)
#define BDCR_RTCSEL_LSE (1u << 8)
#define BDCR_RTCEN (1u << 15)
#define ISR_INITF (1u << 6)
#define ISR_INIT (1u << 7)

static uint32_t bcd(uint32_t v) { return (v / 10) << 4 | v % 10; }
static uint32_t unbcd(uint32_t v) { return (v >> 4) * 10 + (v & 15); }

static bool rtc_running, rtc_starting;
static uint32_t rtc_check_at;
static unsigned rtc_index;

int32_t rtc_open(unsigned unit, uint32_t mode)
{
    (void)unit, (void)mode;
    if (rtc_running || rtc_starting) {
        return 0;
    }
    RCC_APB1ENR |= 1u << 28; /* PWREN */
    __asm__ volatile("dsb");
    PWR_CR |= 1u << 8;       /* DBP: the backup domain writable */
    if ((RCC_BDCR & (BDCR_RTCEN | BDCR_LSERDY)) == (BDCR_RTCEN | BDCR_LSERDY)) {
        rtc_running = true;  /* kept running by the battery */
        return 0;
    }
    RCC_BDCR |= BDCR_LSEON;
    rtc_starting = true;
    rtc_check_at = now() + 100;
    return 0;
}

static void rtc_check(uint32_t t)
{
    if (!(RCC_BDCR & BDCR_LSERDY)) {
        rtc_check_at = t + 100;
        return;
    }
    RCC_BDCR = (RCC_BDCR & ~(3u << 8)) | BDCR_RTCSEL_LSE | BDCR_RTCEN;
    rtc_starting = false;
    rtc_running = true;
    files_device_ready(rtc_index); /* the waiting reads and writes go on */
}

int32_t rtc_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n)
{
    (void)unit, (void)f;
    if (n < sizeof(struct rtos_time)) {
        return -RTOS_EINVAL;
    }
    if (!rtc_running) {
        return -RTOS_EAGAIN; /* the crystal is starting */
    }
    uint32_t tr = RTC_TR, dr = RTC_DR; /* TR first: DR is then the same second's date */
    struct rtos_time t = {
        .year = (uint16_t)(2000 + unbcd(dr >> 16 & 0xFF)), .month = (uint8_t)unbcd(dr >> 8 & 0x1F),
        .day = (uint8_t)unbcd(dr & 0x3F), .hour = (uint8_t)unbcd(tr >> 16 & 0x3F),
        .minute = (uint8_t)unbcd(tr >> 8 & 0x7F), .second = (uint8_t)unbcd(tr & 0x7F),
        .weekday = (uint8_t)(dr >> 13 & 7)};
    memcpy(buffer, &t, sizeof t);
    return (int32_t)sizeof t;
}

int32_t rtc_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n)
{
    (void)unit, (void)f;
    struct rtos_time t;
    if (n != sizeof t) {
        return -RTOS_EINVAL;
    }
    if (!rtc_running) {
        return 0; /* nothing taken yet: the writer waits for the crystal */
    }
    memcpy(&t, data, sizeof t);
    if (t.year < 2000 || t.year > 2099 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23
        || t.minute > 59 || t.second > 59 || t.weekday < 1 || t.weekday > 7) {
        return -RTOS_EINVAL;
    }
    RTC_WPR = 0xCA; /* the write protection's key */
    RTC_WPR = 0x53;
    RTC_ISR |= ISR_INIT;
    while (!(RTC_ISR & ISR_INITF)) {
    }
    RTC_TR = bcd(t.hour) << 16 | bcd(t.minute) << 8 | bcd(t.second);
    RTC_DR = bcd(t.year - 2000u) << 16 | (uint32_t)t.weekday << 13 | bcd(t.month) << 8 | bcd(t.day);
    RTC_ISR &= ~ISR_INIT;
    RTC_WPR = 0xFF;
    return (int32_t)sizeof t;
}

uint32_t rtc_poll(unsigned unit)
{
    (void)unit;
    return rtc_running ? RTOS_POLLIN | RTOS_POLLOUT : 0;
}

/* --- the LCD */

#define GPIOC 0x40020800u
#define LCD_CS 8u
#define LCD_WR 9u
#define LCD_DATA 10u
#define HT_SYS_EN 0x01u  /* command C8..C1 (C0, don't care, sent 0) */
#define HT_LCD_ON 0x03u
#define HT_BIAS_4COM 0x29u /* BIAS 1/3, 4 commons: 0010 1001 */

static bool lcd_started;
static uint8_t lcd_ram[LCD_SIZE];

static void lcd_bits(uint32_t value, unsigned count, bool msb_first)
{
    for (unsigned i = 0; i < count; i++) {
        unsigned bit = msb_first ? count - 1 - i : i;
        GPIO_BSRR(GPIOC) = 1u << (LCD_WR + 16);                                  /* WR low */
        GPIO_BSRR(GPIOC) = (value >> bit & 1u) ? 1u << LCD_DATA : 1u << (LCD_DATA + 16);
        GPIO_BSRR(GPIOC) = 1u << LCD_WR;                                         /* the rising edge samples */
    }
}

static void lcd_command(uint32_t c)
{
    GPIO_BSRR(GPIOC) = 1u << (LCD_CS + 16);
    lcd_bits(0x4u, 3, true); /* 100: command */
    lcd_bits(c << 1, 9, true);
    GPIO_BSRR(GPIOC) = 1u << LCD_CS;
}

int32_t lcd_open(unsigned unit, uint32_t mode)
{
    (void)unit, (void)mode;
    if (!lcd_started) {
        RCC_AHB1ENR |= 1u << 2; /* GPIOC */
        __asm__ volatile("dsb");
        output(GPIOC, LCD_CS, true);
        output(GPIOC, LCD_WR, true);
        output(GPIOC, LCD_DATA, true);
        lcd_command(HT_SYS_EN);
        lcd_command(HT_BIAS_4COM);
        lcd_command(HT_LCD_ON);
        lcd_started = true;
    }
    return 0;
}

int32_t lcd_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n)
{
    (void)unit;
    if (f->position >= LCD_SIZE) {
        return 0;
    }
    if (n > LCD_SIZE - f->position) {
        n = LCD_SIZE - f->position;
    }
    memcpy(buffer, lcd_ram + f->position, n);
    f->position += n;
    return (int32_t)n;
}

int32_t lcd_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n)
{
    (void)unit;
    if (f->position >= LCD_SIZE) {
        return -RTOS_ENOSPC;
    }
    if (n > LCD_SIZE - f->position) {
        n = LCD_SIZE - f->position;
    }
    GPIO_BSRR(GPIOC) = 1u << (LCD_CS + 16);
    lcd_bits(0x5u, 3, true);          /* 101: write */
    lcd_bits(f->position, 6, true);   /* A5..A0 */
    for (uint32_t i = 0; i < n; i++) {
        lcd_ram[f->position + i] = data[i] & 0xFu;
        lcd_bits(data[i] & 0xFu, 4, false); /* D0..D3, the address advancing by itself */
    }
    GPIO_BSRR(GPIOC) = 1u << LCD_CS;
    f->position += n;
    return (int32_t)n;
}

/* --- the relay */

static bool relay_started, relay_pulsing;
static uint32_t relay_pulse_end;
static unsigned relay_index;

int32_t relay_open(unsigned unit, uint32_t mode)
{
    (void)unit, (void)mode;
    if (!relay_started) {
        RCC_AHB1ENR |= 1u << 1; /* GPIOB */
        __asm__ volatile("dsb");
        output(GPIOB, RELAY_SET, false);
        output(GPIOB, RELAY_RESET, false);
        GPIO_MODER(GPIOB) &= ~(3u << 2 * RELAY_FEEDBACK); /* input */
        relay_started = true;
    }
    return 0;
}

int32_t relay_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n)
{
    (void)unit, (void)f, (void)n;
    buffer[0] = (GPIO_IDR(GPIOB) >> RELAY_FEEDBACK & 1u) ? '1' : '0';
    return 1;
}

int32_t relay_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n)
{
    (void)unit, (void)f;
    if (n == 0) {
        return 0;
    }
    if (data[0] != '0' && data[0] != '1') {
        return -RTOS_EINVAL;
    }
    if (relay_pulsing) {
        return -RTOS_EBUSY;
    }
    GPIO_BSRR(GPIOB) = 1u << (data[0] == '1' ? RELAY_SET : RELAY_RESET);
    relay_pulsing = true;
    relay_pulse_end = now() + RELAY_PULSE_MS;
    return 1;
}

uint32_t relay_poll(unsigned unit)
{
    (void)unit;
    return RTOS_POLLIN | (relay_pulsing ? 0 : RTOS_POLLOUT);
}

/* --- /dev/nor */

static bool nor_started;

int32_t nor_dev_open(unsigned unit, uint32_t mode)
{
    (void)unit;
    (void)mode;
    if (!nor_started) {
        nor_init(); /* the boot code's mount of /data did it already, unless there is no /data */
        nor_started = true;
    }
    return 0;
}

int32_t nor_dev_read(unsigned unit, struct fd *f, uint8_t *buffer, uint32_t n)
{
    (void)unit;
    if (f->position >= NOR_DEVICE_SIZE) {
        return 0;
    }
    if (n > NOR_DEVICE_SIZE - f->position) {
        n = NOR_DEVICE_SIZE - f->position;
    }
    /* the reader is the running thread: a NOR read never waits, so never runs later from an interrupt */
    if (!files_nor_reach(kernel_current->proc, f->position, &n)) {
        return -RTOS_EACCES;
    }
    nor_read(f->position, buffer, n);
    f->position += n;
    return (int32_t)n;
}

int32_t nor_dev_ioctl(unsigned unit, struct fd *f, struct tcb *c, uint32_t request, uint32_t arg)
{
    (void)unit;
    if (request != RTOS_IOCTL_NOR_ERASE) {
        return -RTOS_ENOTTY;
    }
    if (f->mode == RTOS_O_RDONLY) {
        return -RTOS_EBADF;
    }
    uint32_t n = NOR_SECTOR;
    if (arg % NOR_SECTOR != 0 || arg >= NOR_DEVICE_SIZE) {
        return -RTOS_EINVAL;
    }
    if (!files_nor_reach(c->proc, arg, &n) || n != NOR_SECTOR) {
        return -RTOS_EACCES; /* the whole sector must be the caller's */
    }
    nor_erase_sector(arg);
    return 0;
}

/* programs at the descriptor's offset (a program only clears bits: erase first); the whole write must lie in
   one of the caller's ranges, else nothing is written. nor_program splits it at the 256-byte pages */
int32_t nor_dev_write(unsigned unit, struct fd *f, const uint8_t *data, uint32_t n)
{
    (void)unit;
    uint32_t reach = n;
    if (n == 0) {
        return 0;
    }
    if (f->position >= NOR_DEVICE_SIZE || n > NOR_DEVICE_SIZE - f->position) {
        return -RTOS_EINVAL;
    }
    if (!files_nor_reach(kernel_current->proc, f->position, &reach) || reach != n) {
        return -RTOS_EACCES;
    }
    nor_program(f->position, data, n);
    f->position += n;
    return (int32_t)n;
}

void board_devices_init(unsigned relay_device_index, unsigned rtc_device_index)
{
    eeprom_started = relay_started = relay_pulsing = rtc_running = rtc_starting = lcd_started = false;
    nor_started = false;
    memset(lcd_ram, 0, sizeof lcd_ram);
    relay_index = relay_device_index;
    rtc_index = rtc_device_index;
}

bool board_devices_deadline(uint32_t *next)
{
    bool any = false;
    if (relay_pulsing) {
        *next = relay_pulse_end;
        any = true;
    }
    if (rtc_starting && (!any || (int32_t)(rtc_check_at - *next) < 0)) {
        *next = rtc_check_at;
        any = true;
    }
    return any;
}

void board_devices_timer(uint32_t t)
{
    if (rtc_starting && reached(t, rtc_check_at)) {
        rtc_check(t);
    }
    if (relay_pulsing && reached(t, relay_pulse_end)) {
        GPIO_BSRR(GPIOB) = 1u << (RELAY_SET + 16) | 1u << (RELAY_RESET + 16); /* coils off: it stays latched */
        relay_pulsing = false;
        files_device_ready(relay_index);
    }
}
