package org.metertwin.core.machine;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.metertwin.core.bus.BitBandAlias;
import org.metertwin.core.bus.MmioDevice;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.DebugComponents;
import org.metertwin.core.cpu.SystemControlSpace;
import org.metertwin.core.devices.CmsdkUart;

/**
 * A machine built from its {@link MachineDescription}: the bus with its memories and devices, and the
 * processor with its private peripherals (SCS, DWT/ITM/FPB) at their architectural addresses.
 */
public final class Board {
    /** Device types a description may name, and what they are. */
    public static final Map<String, String> DEVICE_TYPES = Map.of(
            "cmsdk-uart", "ARM CMSDK APB UART (the first one is the console)",
            "bitband", "32 MiB bit-band alias of the 1 MiB region 32 MiB below it");

    private final MachineDescription description;
    private final SystemBus bus = new SystemBus();
    private final CortexM4 cpu;
    private final Map<String, MmioDevice> devices = new HashMap<>();
    private final List<CmsdkUart> uarts = new ArrayList<>();
    private final int[] heapInfo;

    public Board(String source, MachineDescription d, OutputStream console) throws MachineException {
        this.description = d;
        Map<String, byte[]> storage = new HashMap<>();
        MachineDescription.Memory largest = null;
        List<MachineDescription.Memory> memory = d.memory();
        for (int i = 0; i < memory.size(); i++) {
            MachineDescription.Memory m = memory.get(i);
            String where = source + ": memory[" + i + "] (" + m.name() + "): ";
            try {
                if (m.aliasOf() == null) {
                    storage.put(m.name(), bus.addMemory(m.name(), m.base(), m.size(), m.writable()));
                    if (m.writable() && (largest == null || m.size() > largest.size())) {
                        largest = m;
                    }
                } else {
                    byte[] target = storage.get(m.aliasOf());
                    if (target == null) {
                        throw new MachineException(where + "aliasOf: expected the name of a region listed before it, got '"
                                + m.aliasOf() + "'");
                    }
                    if (m.size() > target.length) {
                        throw new MachineException(where + "size: an alias cannot be larger than " + m.aliasOf());
                    }
                    bus.mapMemory(m.name(), m.base(), m.size(), target, 0, m.writable());
                }
            } catch (IllegalArgumentException e) {
                throw new MachineException(where + e.getMessage());
            }
        }
        MachineDescription.Processor p = d.processor();
        cpu = new CortexM4(bus, p.clockHz(), p.irqs(), p.priorityBits());
        cpu.systemControlSpace().setFpuPresent(p.fpu());
        cpu.systemControlSpace().setSysTickReferenceDivider(
                p.sysTickReferenceHz() == 0 ? 0 : (int) (p.clockHz() / p.sysTickReferenceHz()));
        bus.addDevice(SystemControlSpace.BASE, SystemControlSpace.SIZE, cpu.systemControlSpace());
        bus.addDevice(DebugComponents.BASE, DebugComponents.SIZE, cpu.debugComponents());
        List<MachineDescription.Device> list = d.devices();
        for (int i = 0; i < list.size(); i++) {
            MachineDescription.Device dev = list.get(i);
            String where = source + ": devices[" + i + "] (" + dev.name() + "): ";
            MmioDevice device = switch (dev.type()) {
                case "cmsdk-uart" -> {
                    CmsdkUart uart = new CmsdkUart(dev.name(), uarts.isEmpty() ? console : OutputStream.nullOutputStream());
                    uarts.add(uart);
                    yield uart;
                }
                case "bitband" -> new BitBandAlias(bus, dev.base() - 0x02000000);
                default -> throw new MachineException(where + "type: unknown device type '" + dev.type()
                        + "' (known: " + String.join(", ", DEVICE_TYPES.keySet().stream().sorted().toList()) + ")");
            };
            try {
                bus.addDevice(dev.base(), dev.size(), device);
            } catch (IllegalArgumentException e) {
                throw new MachineException(where + e.getMessage());
            }
            devices.put(dev.name(), device);
        }
        // SYS_HEAPINFO as QEMU answers it: the heap is the largest RAM region, the stack its top
        heapInfo = largest == null ? new int[4]
                : new int[] {largest.base(), largest.base() + largest.size(), largest.base() + largest.size(),
                        largest.base()};
    }

    /** A board shipped with MeterTwin, by name. */
    public static Board builtIn(String name, OutputStream console) throws MachineException {
        return new Board(name, MachineDescriptions.load(name), console);
    }

    public String name() {
        return description.name();
    }

    public SystemBus bus() {
        return bus;
    }

    public CortexM4 cpu() {
        return cpu;
    }

    public MmioDevice device(String name) {
        return devices.get(name);
    }

    public int[] heapInfo() {
        return heapInfo.clone();
    }
}
