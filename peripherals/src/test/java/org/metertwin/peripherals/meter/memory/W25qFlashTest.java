package org.metertwin.peripherals.meter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metertwin.core.signal.AnalogLine;
import org.metertwin.core.signal.Pin;
import org.metertwin.peripherals.meter.MeterClock;

/** W25Q-JV behaviour after the Winbond W25Q32JV datasheet ([W25Q32JV]); sections are named in each test. */
class W25qFlashTest {
    static final int WE = 0x06, WD = 0x04, RDSR1 = 0x05, RDSR2 = 0x35, RDSR3 = 0x15, WRSR1 = 0x01, WRSR2 = 0x31,
            WRSR3 = 0x11, READ = 0x03, FAST = 0x0B, PP = 0x02, SE = 0x20, BE32 = 0x52, BE64 = 0xD8, CE = 0xC7,
            CE2 = 0x60, PD = 0xB9, RPD = 0xAB, MID = 0x90, JID = 0x9F, UID = 0x4B, VWE = 0x50, RSTEN = 0x66,
            RST = 0x99;
    static final long MS = 1_000_000;

    final MeterClock clock = new MeterClock();
    final Pin cs = new Pin("cs");
    final AnalogLine vcc = new AnalogLine("vcc", 3.3);

    W25qFlash flash(W25qFlash.Part part, long seed, MemoryImage image) {
        return new W25qFlash("NOR", part, clock.events, cs, vcc, 2.7, image, seed);
    }

    W25qFlash flash() {
        return flash(W25qFlash.Part.W25Q32JV, 1, MemoryImage.inMemory(4 << 20, 0xFF));
    }

    static int[] addr(int op, int a) {
        return new int[] {op, a >> 16 & 0xFF, a >> 8 & 0xFF, a & 0xFF};
    }

    @Test
    void identification() {
        SpiFrames spi = new SpiFrames(cs, flash());
        // [W25Q32JV] manufacturer and device identification table: manufacturer EFh, JEDEC 4016h, device ID 15h
        assertThat(spi.read(3, JID)).containsExactly(0xEF, 0x40, 0x16);
        assertThat(spi.read(4, MID, 0, 0, 0)).containsExactly(0xEF, 0x15, 0xEF, 0x15);
        assertThat(spi.read(2, MID, 0, 0, 1)).containsExactly(0x15, 0xEF); // A0 = 1: device ID first
        assertThat(spi.read(2, RPD, 0, 0, 0)).containsExactly(0x15, 0x15);
        SpiFrames big = new SpiFrames(cs, flash(W25qFlash.Part.W25Q128JV, 1, MemoryImage.inMemory(16 << 20, 0xFF)));
        assertThat(big.read(3, JID)).containsExactly(0xEF, 0x40, 0x18); // W25Q128JV: EF 4018h, ID 17h
        assertThat(big.read(1, RPD, 0, 0, 0)).containsExactly(0x17);
    }

    @Test
    void uniqueIdFollowsFourDummyBytesAndDependsOnTheSeed() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        int[] id = spi.read(8, UID, 0, 0, 0, 0);
        long value = 0;
        for (int b : id) {
            value = value << 8 | b;
        }
        assertThat(value).isEqualTo(f.uniqueId());
        assertThat(flash(W25qFlash.Part.W25Q32JV, 2, MemoryImage.inMemory(4 << 20, 0xFF)).uniqueId())
                .isNotEqualTo(f.uniqueId());
    }

    @Test
    void erasedArrayReadsFfByReadDataAndFastRead() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        programPage(spi, 0x001000, 0x12, 0x34);
        assertThat(spi.read(3, addr(READ, 0x000FFF))).containsExactly(0xFF, 0x12, 0x34);
        // Fast Read: eight dummy clocks after the address
        assertThat(spi.read(3, FAST, 0x00, 0x0F, 0xFF, 0x00)).containsExactly(0xFF, 0x12, 0x34);
        // reading past the top of the array continues at 0 (unverified: the datasheet says reads may continue)
        assertThat(spi.read(2, addr(READ, 0x3FFFFF))).containsExactly(0xFF, 0xFF);
    }

    void programPage(SpiFrames spi, int address, int... data) {
        spi.frame(WE);
        spi.write(addr(PP, address), data);
        clock.runFor(W25qFlash.T_PP);
    }

    @Test
    void pageProgramIsBusyForTppAndOnlyClearsBits() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        clock.runTo(500);
        spi.frame(WE);
        assertThat(spi.last(RDSR1, 0)).isEqualTo(0x02); // [W25Q32JV] Write Enable Latch (WEL)
        spi.write(addr(PP, 0x000100), 0x0F);
        // [W25Q32JV] AC electrical characteristics: tPP typical 0.4 ms; BUSY (S0) with WEL until it ends
        clock.runTo(500 + 400_000 - 1);
        assertThat(spi.read(2, RDSR1)).containsExactly(0x03, 0x03);
        clock.runTo(500 + 400_000);
        assertThat(spi.last(RDSR1, 0)).isZero(); // WEL cleared by the completed program
        programPage(spi, 0x000100, 0xF3); // 0x0F AND 0xF3: a program cannot set bits back to 1
        assertThat(f.read(0x100, 2)).containsExactly(0x03, 0xFF);
    }

    @Test
    void pageProgramWrapsWithinThe256BytePage() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        // [W25Q32JV] Page Program (02h): past the end of the page the address wraps to its beginning
        programPage(spi, 0x0002FE, 1, 2, 3, 4);
        assertThat(f.read(0x2FE, 2)).containsExactly(1, 2);
        assertThat(f.read(0x200, 2)).containsExactly(3, 4);
        assertThat(f.read(0x300, 1)).containsExactly(0xFF);
    }

    @Test
    void commandsOtherThanReadStatusAreIgnoredWhileBusy() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        spi.frame(WE);
        spi.write(addr(PP, 0), 0x00);
        assertThat(spi.read(3, JID)).containsExactly(0xFF, 0xFF, 0xFF);
        assertThat(spi.read(1, addr(READ, 0))).containsExactly(0xFF);
        spi.frame(WE);
        spi.write(addr(PP, 0x100), 0x00); // ignored: not programmed later either
        assertThat(spi.last(RDSR2, 0)).isZero();
        clock.runFor(W25qFlash.T_PP);
        assertThat(f.read(0, 1)).containsExactly(0);
        assertThat(f.read(0x100, 1)).containsExactly(0xFF);
    }

    @Test
    void programAndEraseNeedTheWriteEnableLatch() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        spi.write(addr(PP, 0), 0x00);
        spi.frame(addr(SE, 0));
        spi.frame(CE);
        assertThat(f.busy()).isFalse();
        spi.frame(WE);
        spi.frame(WD);
        spi.write(addr(PP, 0), 0x00);
        assertThat(f.busy()).isFalse();
        assertThat(f.read(0, 1)).containsExactly(0xFF);
    }

    /** A W25Q32JV whose whole array holds 0x00 (loaded from an image, not programmed). */
    W25qFlash zeroed(long seed) {
        return flash(W25qFlash.Part.W25Q32JV, seed, MemoryImage.inMemory(4 << 20, 0x00));
    }

    @Test
    void erasesTakeTheirTypicalTimesAndEraseOnlyTheirAlignedRange() {
        W25qFlash f = zeroed(1);
        SpiFrames spi = new SpiFrames(cs, f);
        // [W25Q32JV] AC electrical characteristics, typical: tSE 45 ms (4 KiB), tBE1 120 ms (32 KiB),
        // tBE2 150 ms (64 KiB)
        Object[][] cases = {{SE, 0x012345, 0x012000, 4096, 45 * MS}, {BE32, 0x02ABCD, 0x028000, 32768, 120 * MS},
                {BE64, 0x0A0001, 0x0A0000, 65536, 150 * MS}};
        for (Object[] c : cases) {
            int base = (int) c[2];
            int length = (int) c[3];
            long time = (long) c[4];
            spi.frame(WE);
            long start = clock.now();
            spi.frame(addr((int) c[0], (int) c[1]));
            clock.runTo(start + time - 1);
            assertThat(spi.last(RDSR1, 0) & 1).isEqualTo(1);
            clock.runTo(start + time);
            assertThat(spi.last(RDSR1, 0)).isZero();
            assertThat(f.read(base - 1, 1)).containsExactly(0x00);
            byte[] erased = new byte[length];
            Arrays.fill(erased, (byte) 0xFF);
            assertThat(f.read(base, length)).isEqualTo(erased);
            assertThat(f.read(base + length, 1)).containsExactly(0x00);
        }
    }

    @Test
    void chipEraseTakesTceAndAcceptsBothInstructionCodes() {
        for (int op : new int[] {CE, CE2}) {
            W25qFlash f = zeroed(1);
            SpiFrames spi = new SpiFrames(cs, f);
            spi.frame(WE);
            long start = clock.now();
            spi.frame(op);
            clock.runTo(start + 10_000 * MS - 1); // [W25Q32JV] AC electrical characteristics: tCE typical 10 s
            assertThat(f.busy()).isTrue();
            clock.runTo(start + 10_000 * MS);
            assertThat(f.busy()).isFalse();
            assertThat(f.read(0, 1)).containsExactly(0xFF);
            assertThat(f.read((4 << 20) - 1, 1)).containsExactly(0xFF);
        }
    }

    @Test
    void eraseNotExecutedUnlessChipSelectRisesRightAfterTheAddress() {
        W25qFlash f = zeroed(1);
        SpiFrames spi = new SpiFrames(cs, f);
        spi.frame(WE);
        spi.frame(SE, 0, 0x10, 0x00, 0x00); // one byte too many
        spi.frame(SE, 0, 0x10); // one too few
        assertThat(f.busy()).isFalse();
    }

    void writeStatus(SpiFrames spi, int... frame) {
        spi.frame(WE);
        spi.frame(frame);
        clock.runFor(W25qFlash.T_W);
    }

    @Test
    void statusRegistersWriteAfterTwAndKeepReadOnlyBits() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        // factory values: SR1 = SR2 = 00h, SR3 DRV1:0 = 11 (unverified: 60h)
        assertThat(spi.last(RDSR2, 0)).isZero();
        assertThat(spi.last(RDSR3, 0)).isEqualTo(0x60);
        spi.frame(WE);
        long start = clock.now();
        spi.frame(WRSR1, 0xFF); // BUSY and WEL are read only
        clock.runTo(start + W25qFlash.T_W - 1); // [W25Q32JV] AC electrical characteristics: tW typical 10 ms
        assertThat(spi.last(RDSR1, 0)).isEqualTo(0x03);
        clock.runTo(start + W25qFlash.T_W);
        assertThat(spi.last(RDSR1, 0)).isEqualTo(0xFC);
        writeStatus(spi, WRSR1, 0x00, 0x40); // the two-byte form writes SR2 too: CMP
        assertThat(spi.last(RDSR1, 0)).isZero();
        assertThat(spi.last(RDSR2, 0)).isEqualTo(0x40);
        writeStatus(spi, WRSR2, 0x00);
        assertThat(spi.last(RDSR2, 0)).isZero();
        writeStatus(spi, WRSR3, 0x04); // WPS, DRV = 00
        assertThat(spi.last(RDSR3, 0)).isEqualTo(0x04);
        spi.frame(WRSR1, 0x04); // no WEL: ignored
        assertThat(f.busy()).isFalse();
    }

    @Test
    void volatileStatusWritesAreImmediateAndLostAtPowerUp() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        writeStatus(spi, WRSR1, 1 << 5); // non-volatile TB
        // [W25Q32JV] Write Enable for Volatile Status Register (50h): the next status write needs no WEL, no tW
        spi.frame(VWE);
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 5); // 50h does not set WEL
        spi.frame(VWE);
        spi.frame(WRSR1, 1 << 2, 0x40);
        assertThat(f.busy()).isFalse();
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 2);
        assertThat(spi.last(RDSR2, 0)).isEqualTo(0x40);
        // only the instruction right after 50h is volatile
        spi.frame(VWE);
        spi.frame(JID, 0, 0, 0);
        spi.frame(WRSR1, 0);
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 2);
        // a power cycle restores the non-volatile values
        vcc.set(1.5);
        vcc.set(3.3);
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 5);
        assertThat(spi.last(RDSR2, 0)).isZero();
    }

    @Test
    void resetDeviceNeedsEnableResetRightBefore() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        spi.frame(VWE);
        spi.frame(WRSR1, 1 << 3);
        spi.frame(WE);
        spi.frame(RST); // no 66h before: ignored
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 3 | 0x02);
        spi.frame(RSTEN);
        spi.frame(RDSR1, 0); // anything in between cancels the enable
        spi.frame(RST);
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 3 | 0x02);
        // [W25Q32JV] Enable Reset (66h) and Reset Device (99h): WEL cleared, volatile status back to non-volatile
        spi.frame(RSTEN);
        spi.frame(RST);
        assertThat(spi.last(RDSR1, 0)).isZero();
    }

    /** Whether a sector erase at {@code address} is accepted under the status written. */
    boolean eraseAccepted(int sr1, int sr2, int address) {
        W25qFlash f = zeroed(1);
        SpiFrames spi = new SpiFrames(cs, f);
        writeStatus(spi, WRSR1, sr1, sr2);
        spi.frame(WE);
        spi.frame(addr(SE, address));
        boolean accepted = f.busy();
        clock.runFor(W25qFlash.T_SE);
        return accepted;
    }

    @Test
    void blockProtectBitsFollowTheW25Q32JVProtectionTable() {
        // [W25Q32JV] status register memory protection table (CMP = 0) for the 4 MiB array
        int bp1 = 1 << 2, bp2 = 2 << 2, bp5 = 5 << 2, bp6 = 6 << 2, bp7 = 7 << 2, tb = 1 << 5, sec = 1 << 6;
        assertThat(eraseAccepted(0, 0, 0x3FF000)).isTrue();
        // BP=001, TB=0: upper 1/64, 3F0000h..3FFFFFh
        assertThat(eraseAccepted(bp1, 0, 0x3F0000)).isFalse();
        assertThat(eraseAccepted(bp1, 0, 0x3EF000)).isTrue();
        // BP=010: upper 1/32, 3E0000h..
        assertThat(eraseAccepted(bp2, 0, 0x3E0000)).isFalse();
        assertThat(eraseAccepted(bp2, 0, 0x3DF000)).isTrue();
        // BP=101: upper 1/4, 300000h..; BP=110 upper half 200000h..
        assertThat(eraseAccepted(bp5, 0, 0x300000)).isFalse();
        assertThat(eraseAccepted(bp5, 0, 0x2FF000)).isTrue();
        assertThat(eraseAccepted(bp6, 0, 0x200000)).isFalse();
        assertThat(eraseAccepted(bp6, 0, 0x1FF000)).isTrue();
        // TB=1: lower 1/64, 000000h..00FFFFh
        assertThat(eraseAccepted(tb | bp1, 0, 0x00F000)).isFalse();
        assertThat(eraseAccepted(tb | bp1, 0, 0x010000)).isTrue();
        // SEC=1, BP=001: the upper 4 KiB sector only
        assertThat(eraseAccepted(sec | bp1, 0, 0x3FF000)).isFalse();
        assertThat(eraseAccepted(sec | bp1, 0, 0x3FE000)).isTrue();
        // BP=111: everything
        assertThat(eraseAccepted(bp7, 0, 0x000000)).isFalse();
        // CMP=1 complements: BP=001 TB=0 protects 000000h..3EFFFFh
        assertThat(eraseAccepted(bp1, 0x40, 0x3EF000)).isFalse();
        assertThat(eraseAccepted(bp1, 0x40, 0x3F0000)).isTrue();
        // CMP=1 with BP=000 protects everything
        assertThat(eraseAccepted(0, 0x40, 0x3FF000)).isFalse();
    }

    @Test
    void chipEraseIsRefusedWhenAnyRegionIsProtected() {
        W25qFlash f = zeroed(1);
        SpiFrames spi = new SpiFrames(cs, f);
        writeStatus(spi, WRSR1, 1 << 2);
        spi.frame(WE);
        spi.frame(CE);
        assertThat(f.busy()).isFalse(); // [W25Q32JV] Chip Erase (C7h/60h)
        spi.frame(WE);
        spi.write(addr(PP, 0x3F0000), 0x00); // and a program into the protected block
        assertThat(f.busy()).isFalse();
    }

    @Test
    void powerDownIgnoresEverythingButReleasePowerDown() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        spi.frame(PD);
        assertThat(f.poweredDown()).isTrue();
        // [W25Q32JV] Power-down (B9h), Release Power-down (ABh): in power-down only ABh is recognised, not
        // even Read Status Register
        assertThat(spi.read(3, JID)).containsExactly(0xFF, 0xFF, 0xFF);
        assertThat(spi.read(1, RDSR1)).containsExactly(0xFF);
        spi.frame(RPD);
        assertThat(f.poweredDown()).isFalse();
        assertThat(spi.read(3, JID)).containsExactly(0xEF, 0x40, 0x16);
    }

    @Test
    void belowMinimumVoltageTheChipIsSilentAndComesBackWithWelReset() {
        W25qFlash f = flash();
        SpiFrames spi = new SpiFrames(cs, f);
        writeStatus(spi, WRSR1, 1 << 5);
        spi.frame(WE);
        spi.frame(PD);
        vcc.set(2.6); // [W25Q32JV] operating range 2.7 V to 3.6 V
        assertThat(spi.read(3, JID)).containsExactly(0xFF, 0xFF, 0xFF);
        vcc.set(3.0);
        // power-up: WEL cleared, out of power-down, TB non-volatile
        assertThat(spi.last(RDSR1, 0)).isEqualTo(1 << 5);
        assertThat(spi.read(1, JID)).containsExactly(0xEF);
    }

    @Test
    void persistsToAFileAndLoadsItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nor.bin");
        W25qFlash f = flash(W25qFlash.Part.W25Q16JV, 1, MemoryImage.open(file, 2 << 20, 0xFF, "W25Q16JV"));
        SpiFrames spi = new SpiFrames(cs, f);
        programPage(spi, 0x1234, 0x55);
        assertThat(Files.readAllBytes(file)[0x1234]).isEqualTo((byte) 0x55);
        spi.frame(WE);
        spi.frame(addr(SE, 0x1000));
        clock.runFor(W25qFlash.T_SE);
        assertThat(Files.readAllBytes(file)[0x1234]).isEqualTo((byte) 0xFF);
        programPage(spi, 0x1FFFFF, 0x66);
        W25qFlash again = flash(W25qFlash.Part.W25Q16JV, 1, MemoryImage.open(file, 2 << 20, 0xFF, "W25Q16JV"));
        assertThat(again.read(0x1FFFFF, 1)).containsExactly(0x66);
    }

    /** Programs 0x00 over the erased page 0x100 and drops VCC 0.1 ms (a quarter of tPP) into the cycle. */
    W25qFlash tornProgram(long seed) {
        W25qFlash f = flash(W25qFlash.Part.W25Q32JV, seed, MemoryImage.inMemory(4 << 20, 0xFF));
        SpiFrames spi = new SpiFrames(cs, f);
        spi.frame(WE);
        long start = clock.now();
        int[] zeros = new int[256];
        spi.write(addr(PP, 0x100), zeros);
        clock.runTo(start + 100_000);
        vcc.set(0);
        clock.runFor(MS); // the cancelled cycle never completes
        vcc.set(3.3);
        return f;
    }

    @Test
    void anInterruptedPageProgramClearsASeededSubsetOfItsBits() {
        W25qFlash f = tornProgram(5);
        // the documented rule: each bit being cleared is cleared when its draw is below 0.25 (0.1 of 0.4 ms),
        // bytes in address order, bits from b0 up
        SplittableRandom r = new SplittableRandom(5);
        byte[] page = f.read(0x100, 256);
        int complete = 0;
        for (int i = 0; i < 256; i++) {
            int value = 0xFF;
            for (int bit = 1; bit < 0x100; bit <<= 1) {
                if (r.nextDouble() < 0.25) {
                    value &= ~bit;
                }
            }
            complete += value == 0 ? 1 : 0;
            assertThat(page[i] & 0xFF).as("byte %d", i).isEqualTo(value);
        }
        TornWrite t = f.lastTornWrite();
        assertThat(t.operation()).isEqualTo("Page Program");
        assertThat(t.address()).isEqualTo(0x100);
        assertThat(t.length()).isEqualTo(256);
        assertThat(t.fraction()).isEqualTo(0.25);
        assertThat(t.bytesComplete()).isEqualTo(complete);
        assertThat(t.bytesComplete() + t.bytesPartial()).isLessThanOrEqualTo(256);
        assertThat(f.read(0xFF, 1)).containsExactly(0xFF); // nothing outside the page
        assertThat(f.read(0x200, 1)).containsExactly(0xFF);
    }

    @Test
    void tornProgramsRepeatForTheSameSeedAndDifferBetweenSeeds() {
        byte[] a = tornProgram(1).read(0x100, 256);
        byte[] b = new W25qFlashTest().tornProgram(1).read(0x100, 256);
        byte[] c = new W25qFlashTest().tornProgram(2).read(0x100, 256);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    /** Erases the 0x00-filled sector 0x5000 and drops VCC 27 ms (60 % of tSE) into the cycle. */
    W25qFlash tornErase(long seed) {
        W25qFlash f = zeroed(seed);
        SpiFrames spi = new SpiFrames(cs, f);
        spi.frame(WE);
        long start = clock.now();
        spi.frame(addr(SE, 0x5000));
        clock.runTo(start + 27 * MS);
        vcc.set(2.0);
        clock.runFor(100 * MS);
        vcc.set(3.3);
        return f;
    }

    @Test
    void anInterruptedSectorEraseLeavesASeededSetOfBytesErased() {
        W25qFlash f = tornErase(9);
        SplittableRandom r = new SplittableRandom(9);
        byte[] sector = f.read(0x5000, 4096);
        int erased = 0;
        for (int i = 0; i < 4096; i++) {
            int expected = r.nextDouble() < 0.6 ? 0xFF : 0x00;
            erased += expected == 0xFF ? 1 : 0;
            assertThat(sector[i] & 0xFF).as("byte %d", i).isEqualTo(expected);
        }
        assertThat(erased).isBetween(2200, 2700); // about 60 % of 4096
        TornWrite t = f.lastTornWrite();
        assertThat(t.operation()).isEqualTo("Sector Erase");
        assertThat(t.address()).isEqualTo(0x5000);
        assertThat(t.length()).isEqualTo(4096);
        assertThat(t.bytesComplete()).isEqualTo(erased);
        assertThat(f.read(0x4FFF, 1)).containsExactly(0x00);
        assertThat(f.read(0x6000, 1)).containsExactly(0x00);
        assertThat(tornErase(9).read(0x5000, 4096)).isEqualTo(sector);
        assertThat(tornErase(10).read(0x5000, 4096)).isNotEqualTo(sector);
    }
}
