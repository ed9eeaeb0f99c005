package org.metertwin.core.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SystemBusTest {
    @Test
    void littleEndianAccessesIncludingUnalignedAndAcrossPages() {
        SystemBus bus = new SystemBus();
        bus.addMemory("ram", 0x20000000, 0x2000, true);
        bus.write32(0x20000000, 0x11223344);
        assertThat(bus.read8(0x20000000)).isEqualTo(0x44);
        assertThat(bus.read16(0x20000002)).isEqualTo(0x1122);
        bus.write32(0x20000FFE, 0xAABBCCDD); // straddles the 4 KiB page boundary
        assertThat(bus.read32(0x20000FFE)).isEqualTo(0xAABBCCDD);
        assertThat(bus.read16(0x20001000)).isEqualTo(0xAABB);
    }

    @Test
    void unmappedAndReadOnlyAccessesAreBusFaults() {
        SystemBus bus = new SystemBus();
        bus.addMemory("flash", 0, 0x1000, false);
        assertThatThrownBy(() -> bus.read32(0x10000000)).isInstanceOf(BusFault.class)
                .hasMessageContaining("0x10000000");
        assertThatThrownBy(() -> bus.write8(0x10, 1)).isInstanceOf(BusFault.class);
        bus.load(0x10, new byte[] {7}, 0, 1); // loaders may write read-only memory
        assertThat(bus.read8(0x10)).isEqualTo(7);
    }

    @Test
    void bitBandAliasSetsAndReadsSingleBits() {
        SystemBus bus = new SystemBus();
        bus.addMemory("sram", 0x20000000, 0x1000, true);
        bus.addDevice(0x22000000, BitBandAlias.ALIAS_SIZE, new BitBandAlias(bus, 0x20000000));
        bus.write32(0x20000010, 0);
        // bit 3 of byte 0x20000011: alias 0x22000000 + 0x11 * 32 + 3 * 4
        bus.write32(0x22000000 + 0x11 * 32 + 3 * 4, 1);
        assertThat(bus.read32(0x20000010)).isEqualTo(0x0800);
        assertThat(bus.read32(0x22000000 + 0x11 * 32 + 3 * 4)).isEqualTo(1);
        assertThat(bus.read32(0x22000000 + 0x11 * 32 + 2 * 4)).isZero();
        bus.write32(0x22000000 + 0x11 * 32 + 3 * 4, 0xFFFFFFFE); // only bit 0 of the value counts
        assertThat(bus.read32(0x20000010)).isZero();
    }

    @Test
    void readOnlyWriteHandlerTakesStoresIntoItsRangeOnly() {
        SystemBus bus = new SystemBus();
        bus.addMemory("flash", 0x08000000, 0x2000, false);
        java.util.List<String> seen = new java.util.ArrayList<>();
        bus.setReadOnlyWriteHandler(0x08001000, 0x1000,
                (a, n, v) -> seen.add(Integer.toHexString(a) + "/" + n + "=" + Integer.toHexString(v)));
        bus.write32(0x08001004, 0xCAFEF00D);
        bus.write16(0x08001FFE, 0x1234);
        bus.write8(0x08001001, 0x5A);
        assertThat(seen).containsExactly("8001004/4=cafef00d", "8001ffe/2=1234", "8001001/1=5a");
        assertThat(bus.read32(0x08001004)).isZero(); // the handler decides what changes, not the bus
        assertThatThrownBy(() -> bus.write32(0x08000000, 1)).isInstanceOf(BusFault.class);
        assertThatThrownBy(() -> bus.write32(0x08000FFE, 1)).isInstanceOf(BusFault.class); // straddles the range
        assertThatThrownBy(() -> bus.setReadOnlyWriteHandler(0x08001800, 0x100, (a, n, v) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A device that answers with its own tag plus the offset it was given. */
    private static MmioDevice tagged(String name, int tag, java.util.List<String> writes) {
        return new MmioDevice() {
            public String name() {
                return name;
            }

            public int read(int offset, int size) {
                return tag + offset;
            }

            public void write(int offset, int size, int value) {
                writes.add(name + "+" + offset + "=" + value);
            }
        };
    }

    @Test
    void devicesSharingAPageAndDevicesSpanningPagesAreEachFound() {
        SystemBus bus = new SystemBus();
        java.util.List<String> writes = new java.util.ArrayList<>();
        bus.addDevice(0x40013000, 0x400, tagged("SPI1", 0x1000, writes));
        bus.addDevice(0x40013800, 0x400, tagged("SYSCFG", 0x2000, writes));
        bus.addDevice(0x40013C00, 0x400, tagged("EXTI", 0x3000, writes));
        bus.addDevice(0x40028000, 0x1400, tagged("ETH", 0x4000, writes)); // two pages and a quarter
        assertThat(bus.read32(0x40013008)).isEqualTo(0x1008);
        assertThat(bus.read32(0x40013804)).isEqualTo(0x2004);
        assertThat(bus.read32(0x40013C14)).isEqualTo(0x3014);
        assertThat(bus.read32(0x40029200)).isEqualTo(0x4000 + 0x1200);
        bus.write32(0x40013C00, 7);
        bus.write32(0x400293FC, 9);
        assertThat(writes).containsExactly("EXTI+0=7", "ETH+5116=9");
        assertThat(bus.mappingAt(0x40013400)).as("the gap between SPI1 and SYSCFG").isNull();
        assertThat(bus.mappingAt(0x40029400)).as("just past ETH").isNull();
        assertThatThrownBy(() -> bus.read32(0x40013400)).isInstanceOf(BusFault.class);
    }
    /** Records each access a device gets. */
    private static final class Recorder implements MmioDevice {
        final StringBuilder log = new StringBuilder();

        @Override
        public String name() {
            return "rec";
        }

        @Override
        public int read(int offset, int size) {
            log.append("r").append(offset).append('/').append(size).append(' ');
            return offset;
        }

        @Override
        public void write(int offset, int size, int value) {
            log.append("w").append(offset).append('/').append(size).append('=').append(value).append(' ');
        }
    }

    /**
     * A device register seen before is reached through the bus's small table: the same device calls, the
     * same bus fault for an access running past the device, and the watcher and new mappings still heard.
     */
    @Test
    void deviceAccessesSeenBeforeReachTheSameDeviceCalls() {
        SystemBus bus = new SystemBus();
        Recorder dev = new Recorder();
        bus.addDevice(0x40013000, 8, dev);
        assertThat(bus.readDevice(0x40013004, 4)).isEqualTo(4);
        assertThat(bus.readDevice(0x40013004, 4)).isEqualTo(4);
        assertThat(bus.readDevice(0x40013004, 2)).isEqualTo(4);
        bus.writeDevice(0x40013004, 4, 9);
        bus.writeDevice(0x40013004, 1, 3);
        assertThat(dev.log.toString()).isEqualTo("r4/4 r4/4 r4/2 w4/4=9 w4/1=3 ");
        assertThat(bus.readDevice(0x40013006, 2)).isEqualTo(6);
        assertThatThrownBy(() -> bus.readDevice(0x40013006, 4)).as("past the device's end").isInstanceOf(BusFault.class);
        assertThatThrownBy(() -> bus.writeDevice(0x40013006, 4, 0)).isInstanceOf(BusFault.class);
        StringBuilder heard = new StringBuilder();
        bus.setAccessWatcher((a, n, w) -> heard.append(Integer.toHexString(a)).append(w ? "w " : "r "));
        bus.readDevice(0x40013004, 4);
        bus.writeDevice(0x40013004, 4, 1);
        assertThat(heard.toString()).as("the watcher hears accesses cached before it came").isEqualTo("40013004r 40013004w ");
        bus.setAccessWatcher(null);
        Recorder other = new Recorder();
        bus.addDevice(0x40013008, 8, other);
        bus.readDevice(0x40013004, 4);
        bus.readDevice(0x40013008, 4);
        assertThat(other.log.toString()).isEqualTo("r0/4 ");
    }

    @Test
    void theCodeWindowIsTheReadOnlyMemoryOfTheEntryPoint() {
        SystemBus bus = new SystemBus();
        bus.addMemory("ram", 0x20000000, 0x2000, true);
        bus.addMemory("flash", 0x08000000, 0x4000, false);
        assertThat(bus.codeReadSize()).as("none asked for").isZero();
        bus.useCodeWindowAt(0x08000101);
        assertThat(bus.codeBase()).isEqualTo(0x08000000);
        assertThat(bus.codeReadSize()).isEqualTo(0x4000);
        bus.watchPage(0x20000000);
        assertThat(bus.codeReadSize()).as("off while a page is watched").isZero();
        bus.unwatchAll();
        assertThat(bus.codeReadSize()).isEqualTo(0x4000);
        bus.useCodeWindowAt(0x20000000);
        assertThat(bus.codeReadSize()).as("writable memory is not a code window").isZero();
    }
}
