/* GOLDEN: rm0090 */
/*
 * SPI2 as a full-duplex master (RM0090 28.3.3) with MISO wired to MOSI. QEMU's SPI has no such wiring,
 * so this program runs on spi_loop.yaml (netduinoplus2's memories plus SPI2 with loopback: true) and its
 * golden output is written from RM0090:
 *  - reset values: SPI_SR 0x0002 (TXE), SPI_CRCPR 0x0007 (28.5.3, 28.5.5);
 *  - a DR write in master mode moves the word to the shift register: TXE is set again at once and BSY
 *    is set while the word shifts out (28.3.7, 28.3.9); RXNE sets when it has come back in (28.3.8);
 *  - a second word received before DR was read sets OVR, DR keeps the first word, and reading DR then SR
 *    clears OVR (28.4.8);
 *  - DFF = 1 carries 16-bit words (28.5.1);
 *  - CRC: with CRCEN, CRCNEXT set after the last word sends TXCRCR next; CRC-8 with polynomial 7 of 0x31
 *    is 0x97 on both sides and CRCERR stays clear (28.4.7);
 *  - SSM = 1 with SSI = 0 in master mode is a mode fault: MODF sets, SPE and MSTR clear (28.4.8).
 */
#include "stm32f405.h"

#define RCC_APB1ENR REG(RCC_BASE, 0x40)          /* RM0090 RCC_APB1ENR */
#define RCC_SPI2EN  (1u << 14)

#define SPI_CR1    0x00u
#define SPI_SR     0x08u
#define SPI_DR     0x0Cu
#define SPI_CRCPR  0x10u
#define SPI_RXCRCR 0x14u
#define SPI_TXCRCR 0x18u
#define CR1_MSTR    (1u << 2)
#define CR1_BR(n)   ((uint32_t)(n) << 3)
#define CR1_SPE     (1u << 6)
#define CR1_SSI     (1u << 8)
#define CR1_SSM     (1u << 9)
#define CR1_DFF     (1u << 11)
#define CR1_CRCNEXT (1u << 12)
#define CR1_CRCEN   (1u << 13)
#define SR_RXNE   (1u << 0)
#define SR_TXE    (1u << 1)
#define SR_CRCERR (1u << 4)
#define SR_MODF   (1u << 5)
#define SR_OVR    (1u << 6)
#define SR_BSY    (1u << 7)

#define S2(off) REG(SPI2_BASE, off)

static void wait_idle(void)
{
    while (!(S2(SPI_SR) & SR_TXE) || (S2(SPI_SR) & SR_BSY)) {
    }
}

static void flags(const char *when)
{
    uint32_t sr = S2(SPI_SR);
    printf("%s: TXE=%lu RXNE=%lu BSY=%lu OVR=%lu\n", when, (unsigned long)((sr >> 1) & 1),
           (unsigned long)(sr & 1), (unsigned long)((sr >> 7) & 1), (unsigned long)((sr >> 6) & 1));
}

int main(void)
{
    RCC_APB1ENR |= RCC_SPI2EN;
    printf("reset: SR=%04lx CRCPR=%04lx\n", (unsigned long)S2(SPI_SR), (unsigned long)S2(SPI_CRCPR));

    const uint32_t master = CR1_MSTR | CR1_SSM | CR1_SSI | CR1_BR(7) | CR1_SPE;
    S2(SPI_CR1) = master;
    S2(SPI_DR) = 0xA5;
    flags("after write");
    while (!(S2(SPI_SR) & SR_RXNE)) {
    }
    wait_idle();
    flags("after transfer");
    printf("received %02lx\n", (unsigned long)S2(SPI_DR));

    S2(SPI_DR) = 0x11;
    wait_idle();
    S2(SPI_DR) = 0x22;
    wait_idle();
    flags("two words unread");
    printf("DR=%02lx\n", (unsigned long)S2(SPI_DR));
    (void)S2(SPI_SR);
    flags("after DR then SR read");

    S2(SPI_CR1) = master & ~CR1_SPE;          /* DFF may change only with SPE = 0 (28.5.1) */
    S2(SPI_CR1) = master | CR1_DFF;
    S2(SPI_DR) = 0xBEEF;
    while (!(S2(SPI_SR) & SR_RXNE)) {
    }
    printf("16-bit received %04lx\n", (unsigned long)S2(SPI_DR));

    S2(SPI_CR1) = master & ~CR1_SPE;
    S2(SPI_CR1) = (master & ~CR1_SPE) | CR1_CRCEN;
    S2(SPI_CR1) = master | CR1_CRCEN;
    S2(SPI_DR) = 0x31;
    S2(SPI_CR1) = master | CR1_CRCEN | CR1_CRCNEXT;
    while (!(S2(SPI_SR) & SR_RXNE)) {
    }
    (void)S2(SPI_DR);
    wait_idle();
    printf("CRC: TXCRCR=%02lx RXCRCR=%02lx CRCERR=%lu\n", (unsigned long)S2(SPI_TXCRCR),
           (unsigned long)S2(SPI_RXCRCR), (unsigned long)((S2(SPI_SR) >> 4) & 1));

    S2(SPI_CR1) = 0;
    S2(SPI_CR1) = CR1_MSTR | CR1_SSM | CR1_SPE;  /* NSS (SSI) low while master */
    printf("mode fault: MODF=%lu CR1=%04lx\n", (unsigned long)((S2(SPI_SR) >> 5) & 1),
           (unsigned long)S2(SPI_CR1));
    finish(0);
}
