package org.metertwin.core.machine;

import java.io.OutputStream;
import org.metertwin.core.bus.BitBandAlias;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.DebugComponents;
import org.metertwin.core.cpu.SystemControlSpace;
import org.metertwin.core.devices.CmsdkUart;

/**
 * ARM MPS2 FPGA image AN386 (Cortex-M4F) with the memory map of QEMU's {@code mps2-an386} machine, so the
 * same ELF runs on both. Memory: 4 MiB ZBT SSRAM1 at 0 (mirrored at 0x00400000), 4 MiB SSRAM2/3 at
 * 0x20000000 (mirrored at 0x20400000), 16 KiB block RAM at 0x01000000 (mirrored), 16 MiB PSRAM at
 * 0x21000000; bit-band aliases at 0x22000000 and 0x42000000. Devices: CMSDK UART0-4. QEMU also maps CMSDK timers (0x40000000, 0x40001000), the dual
 * timer (0x40002000), the watchdog (0x40008000), GPIO (0x40010000-0x40013fff), FPGAIO (0x40028000), the SCC
 * (0x4002f000) and Ethernet (0x40200000); those are not modelled yet and fault when touched.
 */
public final class Mps2An386 {
    public static final String NAME = "mps2-an386";
    /** SYSCLK of the AN386 image as QEMU models it. */
    public static final long CLOCK_HZ = 25_000_000L;
    public static final int PSRAM_BASE = 0x21000000, PSRAM_SIZE = 16 << 20;

    private final SystemBus bus = new SystemBus();
    private final CortexM4 cpu;
    private final CmsdkUart uart0;

    public Mps2An386(OutputStream console) {
        byte[] ssram1 = bus.addMemory("ssram1", 0x00000000, 4 << 20, true);
        bus.mapMemory("ssram1-mirror", 0x00400000, 4 << 20, ssram1, 0, true);
        byte[] blockRam = bus.addMemory("blockram", 0x01000000, 16 << 10, true);
        bus.mapMemory("blockram-mirror", 0x01004000, 16 << 10, blockRam, 0, true);
        byte[] ssram23 = bus.addMemory("ssram23", 0x20000000, 4 << 20, true);
        bus.mapMemory("ssram23-mirror", 0x20400000, 4 << 20, ssram23, 0, true);
        bus.addMemory("psram", PSRAM_BASE, PSRAM_SIZE, true);
        cpu = new CortexM4(bus, CLOCK_HZ, 32, 3);
        bus.addDevice(SystemControlSpace.BASE, SystemControlSpace.SIZE, cpu.systemControlSpace());
        bus.addDevice(DebugComponents.BASE, DebugComponents.SIZE, cpu.debugComponents());
        // SysTick's reference clock on MPS2 is 1 MHz
        cpu.systemControlSpace().setSysTickReferenceDivider((int) (CLOCK_HZ / 1_000_000L));
        // bit-band aliases of the first MiB of SRAM and of peripherals, as QEMU enables them on this board
        bus.addDevice(0x22000000, BitBandAlias.ALIAS_SIZE, new BitBandAlias(bus, 0x20000000));
        bus.addDevice(0x42000000, BitBandAlias.ALIAS_SIZE, new BitBandAlias(bus, 0x40000000));
        uart0 = new CmsdkUart("uart0", console);
        bus.addDevice(0x40004000, 0x1000, uart0);
        int[] others = {0x40005000, 0x40006000, 0x40007000, 0x40009000};
        for (int i = 0; i < others.length; i++) {
            bus.addDevice(others[i], 0x1000, new CmsdkUart("uart" + (i + 1), OutputStream.nullOutputStream()));
        }
    }

    public SystemBus bus() {
        return bus;
    }

    public CortexM4 cpu() {
        return cpu;
    }

    public CmsdkUart uart0() {
        return uart0;
    }

    /** SYS_HEAPINFO as QEMU answers it: the heap is the largest RAM region (PSRAM), the stack its top. */
    public int[] heapInfo() {
        return new int[] {PSRAM_BASE, PSRAM_BASE + PSRAM_SIZE, PSRAM_BASE + PSRAM_SIZE, PSRAM_BASE};
    }
}
