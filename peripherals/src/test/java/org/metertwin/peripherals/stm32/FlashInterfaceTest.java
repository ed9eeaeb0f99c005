package org.metertwin.peripherals.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metertwin.peripherals.stm32.FlashInterface.*;
import static org.metertwin.peripherals.stm32.SysMachine.FLASH;

import org.junit.jupiter.api.Test;
import org.metertwin.core.bus.BusFault;
import org.metertwin.core.machine.ResetCause;

class FlashInterfaceTest {
    // SR and CR bits (RM0090 3.9.4, 3.9.5)
    static final int EOP = 1, OPERR = 1 << 1, WRPERR = 1 << 4, PGAERR = 1 << 5, PGPERR = 1 << 6, PGSERR = 1 << 7,
            BSY = 1 << 16;
    static final int PG = 1, SER = 1 << 1, MER = 1 << 2, STRT = 1 << 16, EOPIE = 1 << 24, ERRIE = 1 << 25,
            LOCK = 1 << 31;

    static final int KEYR = FLASH + 0x04, OPTKEYR = FLASH + 0x08, SR = FLASH + 0x0C, CR = FLASH + 0x10,
            OPTCR = FLASH + 0x14;
    static final int SECTOR11 = 0x080E0000;
    static final int X8 = 0, X16 = 1 << 8, X32 = 2 << 8;

    final SysMachine m;

    FlashInterfaceTest() throws Exception {
        m = new SysMachine();
    }

    void unlock() {
        m.write(KEYR, KEY1);
        m.write(KEYR, KEY2);
    }

    void waitIdle() {
        while ((m.read(SR) & BSY) != 0) {
            m.run(10_000);
        }
    }

    @Test
    void resetValues() {
        assertThat(m.read(FLASH)).isZero();
        assertThat(m.read(SR)).isZero();
        assertThat(m.read(CR)).isEqualTo(0x8000_0000);
        assertThat(m.read(OPTCR)).isEqualTo(0x0FFF_AAED);
        assertThat(m.read(KEYR)).as("write-only").isZero();
    }

    @Test
    void unlockSequenceAndAWrongKeyLocksUntilReset() {
        m.write(CR, PG);
        assertThat(m.read(CR)).as("locked CR ignores writes").isEqualTo(LOCK);
        unlock();
        assertThat(m.read(CR)).isZero();
        m.write(CR, LOCK);
        assertThat(m.read(CR)).isEqualTo(LOCK);
        m.write(KEYR, KEY1);
        assertThatThrownBy(() -> m.write(KEYR, 0x12345678)).isInstanceOf(BusFault.class);
        assertThatThrownBy(this::unlock).isInstanceOf(BusFault.class);
        assertThat(m.read(CR)).isEqualTo(LOCK);
        m.board.reset(ResetCause.SOFTWARE);
        unlock();
        assertThat(m.read(CR)).isZero();
    }

    @Test
    void sectorEraseKeepsBsyForTheDatasheetTimeThenReadsErased() {
        m.bus.load(SECTOR11 + 0x100, new byte[] {0x12, 0x34}, 0, 2);
        m.bus.load(SECTOR11 - 4, new byte[] {0x55}, 0, 1); // sector 10 stays
        unlock();
        m.write(CR, SER | 11 << 3 | X32 | EOPIE);
        m.write(CR, m.read(CR) | STRT);
        long t0 = m.now();
        assertThat(m.read(SR)).isEqualTo(BSY);
        m.runTo(t0 + 999_000_000L);
        assertThat(m.read(SR)).as("128 KiB at x32: 1 s typical").isEqualTo(BSY);
        assertThat(m.bus.read8(SECTOR11 + 0x100)).isEqualTo(0x12);
        m.runTo(t0 + 1_000_001_000L);
        assertThat(m.read(SR)).isEqualTo(EOP);
        assertThat(m.read(CR) & STRT).isZero();
        assertThat(m.bus.read32(SECTOR11 + 0x100)).isEqualTo(-1);
        assertThat(m.bus.read32(SECTOR11 + 0x1FFFC)).isEqualTo(-1);
        assertThat(m.bus.read8(SECTOR11 - 4)).isEqualTo(0x55);
        assertThat(m.board.cpu().nvic().isPending(16 + 4)).as("EOPIE: flash interrupt").isTrue();
        m.write(SR, EOP);
        assertThat(m.read(SR)).isZero();
    }

    @Test
    void aResetDuringAnEraseLeavesItTornInProportionToItsElapsedTime() {
        byte[] old = new byte[0x20000];
        java.util.Arrays.fill(old, (byte) 0x5A);
        m.bus.load(SECTOR11, old, 0, old.length);
        unlock();
        m.write(CR, SER | 11 << 3 | X32);
        m.write(CR, m.read(CR) | STRT);
        long t0 = m.now();
        m.runTo(t0 + 250_000_000L); // a quarter of the 1 s erase
        m.board.reset(ResetCause.POWER_ON);
        assertThat(m.read(SR) & BSY).isZero();
        int quarter = 0x20000 / 4;
        assertThat(m.bus.read32(SECTOR11)).as("erased so far").isEqualTo(-1);
        assertThat(m.bus.read32(SECTOR11 + quarter - 4)).isEqualTo(-1);
        assertThat(m.bus.read32(SECTOR11 + quarter + 4)).as("not reached").isEqualTo(0x5A5A5A5A);
        assertThat(m.bus.read32(SECTOR11 + 0x1FFFC)).isEqualTo(0x5A5A5A5A);
    }

    @Test
    void aResetDuringAProgramOperationLeavesTheWordHalfWritten() {
        m.bus.load(SECTOR11, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, 0, 8);
        unlock();
        m.write(CR, PG | X32);
        m.write(SECTOR11, 0x12345678);
        waitIdle();
        m.write(SECTOR11 + 4, 0x12345678);
        m.run(100); // well inside its 16 us
        m.board.reset(ResetCause.POWER_ON);
        assertThat(m.bus.read32(SECTOR11)).as("completed before the reset").isEqualTo(0x12345678);
        assertThat(m.bus.read32(SECTOR11 + 4)).as("lower halfword only").isEqualTo(0xFFFF5678);
    }

    @Test
    void smallSectorEraseAtX8TakesLongerAndEopNeedsEopie() {
        unlock();
        m.write(CR, SER | 1 << 3 | X8);
        m.write(CR, m.read(CR) | STRT);
        long t0 = m.now();
        m.runTo(t0 + 399_000_000L);
        assertThat(m.read(SR) & BSY).as("16 KiB at x8: 400 ms").isNotZero();
        m.runTo(t0 + 400_001_000L);
        assertThat(m.read(SR)).as("no EOP without EOPIE (RM0090 3.9.4)").isZero();
    }

    @Test
    void programmingOnlyClearsBitsChecksSizeAndAlignment() {
        m.bus.load(SECTOR11, new byte[] {-1, -1, -1, -1}, 0, 4); // erased
        unlock();
        m.write(CR, PG | X32);
        long t0 = m.now();
        m.write(SECTOR11, 0xFFFF00FF);
        assertThat(m.read(SR)).isEqualTo(BSY);
        m.runTo(t0 + 15_900);
        assertThat(m.read(SR)).as("16 us per program operation").isEqualTo(BSY);
        m.runTo(t0 + 16_100);
        assertThat(m.read(SR)).isZero();
        m.write(SECTOR11, 0x0000FFFF);
        waitIdle();
        assertThat(m.bus.read32(SECTOR11)).isEqualTo(0x000000FF);

        m.bus.load(SECTOR11 + 0x10, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, 0, 8);
        m.bus.write16(SECTOR11 + 0x10, 0x1234);
        assertThat(m.read(SR)).as("halfword at x32").isEqualTo(PGPERR);
        assertThat(m.bus.read32(SECTOR11 + 0x10)).isEqualTo(-1);
        m.write(SR, PGPERR);
        m.bus.write32(SECTOR11 + 0x12, 0x12345678);
        assertThat(m.read(SR)).as("misaligned word").isEqualTo(PGAERR);
        m.write(SR, PGAERR);
        m.write(CR, PG | X16 | ERRIE);
        m.bus.write16(SECTOR11 + 0x12, 0xBEEF);
        m.write(CR, PG | X8 | ERRIE);
        assertThat(m.read(CR) & (3 << 8)).as("CR keeps its value while BSY").isEqualTo(X16);
        waitIdle();
        m.write(CR, PG | X8 | ERRIE);
        m.bus.write8(SECTOR11 + 0x11, 0x42);
        waitIdle();
        assertThat(m.bus.read32(SECTOR11 + 0x10)).isEqualTo(0xBEEF42FF);
        assertThat(m.read(SR)).isZero();
        m.bus.write16(SECTOR11 + 0x14, 0);
        assertThat(m.read(SR)).as("ERRIE adds OPERR").isEqualTo(PGPERR | OPERR);
        assertThat(m.board.cpu().nvic().isPending(16 + 4)).isTrue();
    }

    @Test
    void writesWithoutPgOrWhileLockedAreSequenceErrors() {
        m.bus.load(SECTOR11, new byte[] {-1, -1, -1, -1}, 0, 4);
        m.write(SECTOR11, 0);
        assertThat(m.read(SR)).isEqualTo(PGSERR);
        assertThat(m.bus.read32(SECTOR11)).isEqualTo(-1);
        unlock();
        m.write(CR, X32);
        m.write(SR, PGSERR);
        m.write(SECTOR11, 0);
        assertThat(m.read(SR)).as("unlocked, PG clear").isEqualTo(PGSERR);
        m.write(CR, SER | PG | STRT);
        assertThat(m.read(SR) & BSY).as("STRT with PG: nothing starts").isZero();
    }

    @Test
    void writeProtectedSectorsGiveWrperr() {
        m.write(OPTKEYR, OPTKEY1);
        m.write(OPTKEYR, OPTKEY2);
        assertThat(m.read(OPTCR) & 1).isZero();
        m.write(OPTCR, 0x0FFF_AAEC & ~(1 << (16 + 11))); // nWRP11 = 0
        unlock();
        m.write(CR, SER | 11 << 3 | X32);
        m.write(CR, m.read(CR) | STRT);
        assertThat(m.read(SR)).isEqualTo(WRPERR);
        m.write(SR, WRPERR);
        m.write(CR, PG | X32);
        m.write(SECTOR11, 0);
        assertThat(m.read(SR)).isEqualTo(WRPERR);
        m.write(SR, WRPERR);
        m.write(SECTOR11 - 4, 0); // sector 10 is not protected
        assertThat(m.read(SR)).isEqualTo(BSY);
    }

    @Test
    void massEraseTakesEightSecondsAtX32() {
        unlock();
        m.write(CR, MER | X32);
        m.write(CR, m.read(CR) | STRT);
        long t0 = m.now();
        m.runTo(t0 + 7_999_000_000L);
        assertThat(m.read(SR) & BSY).isNotZero();
        m.runTo(t0 + 8_000_001_000L);
        assertThat(m.read(SR) & BSY).isZero();
        assertThat(m.bus.read32(0x08000000)).isEqualTo(-1);
        assertThat(m.bus.read32(0x080FFFFC)).isEqualTo(-1);
    }
}
