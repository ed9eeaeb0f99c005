package org.metertwin.core.machine;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.metertwin.core.bus.BitBandAlias;
import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.MmioDevice;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.CortexM4;
import org.metertwin.core.cpu.DebugComponents;
import org.metertwin.core.cpu.StopReason;
import org.metertwin.core.cpu.SystemControlSpace;
import org.metertwin.core.devices.CmsdkUart;
import org.metertwin.core.elf.ElfFile;
import org.metertwin.core.elf.ElfFormatException;
import org.metertwin.core.elf.ElfLoader;
import org.metertwin.core.serial.SerialPort;
import org.metertwin.core.signal.SignalNets;

/**
 * A machine built from its {@link MachineDescription}: the bus with its memories and devices, the processor
 * with its private peripherals (SCS, DWT/ITM/FPB) at their architectural addresses, the event queue the
 * devices share with the processor, and the machine's signal nets.
 */
public final class Board {
    private final MachineDescription description;
    private final SystemBus bus = new SystemBus();
    private final CortexM4 cpu;
    private final OutputStream console;
    private final SignalNets nets = new SignalNets();
    private final Map<String, Object> devices = new LinkedHashMap<>();
    private final int[] heapInfo;
    private Runnable imageLoader = () -> { };
    private ResetCause pendingReset = ResetCause.SOFTWARE;

    public Board(String source, MachineDescription d, OutputStream console) throws MachineException {
        this.description = d;
        this.console = console;
        Map<String, byte[]> storage = new java.util.HashMap<>();
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
        cpu.systemControlSpace().setSystemResetHandler(this::performReset);
        bus.addDevice(SystemControlSpace.BASE, SystemControlSpace.SIZE, cpu.systemControlSpace());
        bus.addDevice(DebugComponents.BASE, DebugComponents.SIZE, cpu.debugComponents());
        Map<String, DeviceType> types = deviceTypes();
        List<MachineDescription.Device> list = d.devices();
        for (int i = 0; i < list.size(); i++) {
            MachineDescription.Device dev = list.get(i);
            String where = source + ": devices[" + i + "] (" + dev.name() + "): ";
            if (devices.containsKey(dev.name())) {
                throw new MachineException(where + "name: another device is already called '" + dev.name() + "'");
            }
            DeviceType type = types.get(dev.type());
            if (type == null) {
                throw new MachineException(where + "type: unknown device type '" + dev.type() + "' (known: "
                        + String.join(", ", types.keySet()) + ")");
            }
            DeviceContext context = new DeviceContext(this, dev, where);
            Object device = type.create(context);
            context.checkAllUsed();
            if (device instanceof MmioDevice mmio && dev.base() != null) {
                try {
                    bus.addDevice(dev.base(), dev.size(), mmio);
                } catch (IllegalArgumentException e) {
                    throw new MachineException(where + e.getMessage());
                }
            }
            devices.put(dev.name(), device);
        }
        // SYS_HEAPINFO as QEMU answers it: the heap is the largest RAM region, the stack its top
        heapInfo = largest == null ? new int[4]
                : new int[] {largest.base(), largest.base() + largest.size(), largest.base() + largest.size(),
                        largest.base()};
    }

    /** Every device type known: the built-in ones and those other modules register as services. */
    public static Map<String, DeviceType> deviceTypes() {
        Map<String, DeviceType> types = new TreeMap<>();
        types.put("cmsdk-uart", new DeviceType() {
            public String type() {
                return "cmsdk-uart";
            }

            public String description() {
                return "ARM CMSDK APB UART (the first one is the console)";
            }

            public Object create(DeviceContext c) {
                boolean first = c.devicesOf(CmsdkUart.class).isEmpty();
                return new CmsdkUart(c.name(), first ? c.console() : OutputStream.nullOutputStream());
            }
        });
        types.put("bitband", new DeviceType() {
            public String type() {
                return "bitband";
            }

            public String description() {
                return "32 MiB bit-band alias of the 1 MiB region 32 MiB below it";
            }

            public Object create(DeviceContext c) throws MachineException {
                return new BitBandAlias(c.bus(), c.base() - 0x02000000);
            }
        });
        for (DeviceType t : ServiceLoader.load(DeviceType.class)) {
            types.put(t.type(), t);
        }
        return types;
    }

    /** A board shipped with MeterTwin, by name. */
    public static Board builtIn(String name, OutputStream console) throws MachineException {
        return new Board(name, MachineDescriptions.load(name), console);
    }

    public String name() {
        return description.name();
    }

    public MachineDescription description() {
        return description;
    }

    public SystemBus bus() {
        return bus;
    }

    public CortexM4 cpu() {
        return cpu;
    }

    public SignalNets nets() {
        return nets;
    }

    OutputStream console() {
        return console;
    }

    /** The device called {@code name} if it has registers, else null. */
    public MmioDevice device(String name) {
        return devices.get(name) instanceof MmioDevice m ? m : null;
    }

    public Object deviceObject(String name) {
        return devices.get(name);
    }

    public <T> List<T> devicesOf(Class<T> type) {
        List<T> list = new ArrayList<>();
        for (Object d : devices.values()) {
            if (type.isInstance(d)) {
                list.add(type.cast(d));
            }
        }
        return list;
    }

    /** The UART called {@code name}, or null. */
    public SerialPort serialPort(String name) {
        return devices.get(name) instanceof SerialPort s ? s : null;
    }

    /** Names of the devices that are UARTs, in description order. */
    public List<String> serialPortNames() {
        List<String> names = new ArrayList<>();
        devices.forEach((n, d) -> {
            if (d instanceof SerialPort) {
                names.add(n);
            }
        });
        return names;
    }

    public int[] heapInfo() {
        return heapInfo.clone();
    }

    /** What a reset puts back in memory (the loaded image, as QEMU restores its ROM blobs). */
    public void setImageLoader(Runnable loader) {
        this.imageLoader = loader;
    }

    /**
     * Loads the firmware's segments, and has every reset load them again, as QEMU restores its loaded ROM
     * blobs (other RAM keeps its contents). A segment outside the board's memory is the ELF's mistake.
     */
    public void loadFirmware(ElfFile elf) throws ElfFormatException {
        loadSegments(elf);
        setImageLoader(() -> {
            try {
                loadSegments(elf);
            } catch (ElfFormatException e) {
                throw new IllegalStateException(e); // it loaded a moment ago
            }
        });
    }

    private void loadSegments(ElfFile elf) throws ElfFormatException {
        try {
            ElfLoader.load(elf, bus);
        } catch (BusFault f) {
            throw new ElfFormatException(elf.name(), String.format(
                    "a segment reaches 0x%08x, which is not memory on %s", f.address(), name()));
        }
    }

    /** Asks for a reset at the next instruction boundary (a watchdog, SYSRESETREQ is the default cause). */
    public void requestReset(ResetCause cause) {
        pendingReset = cause;
        cpu.requestSystemReset();
    }

    /** Resets devices, reloads the image and resets the core, now. */
    public void reset(ResetCause cause) {
        for (Object d : devices.values()) {
            if (d instanceof ResetListener l) {
                l.reset(cause);
            } else if (d instanceof MmioDevice m) {
                m.reset();
            }
        }
        imageLoader.run();
        cpu.reset();
    }

    private void performReset() {
        ResetCause cause = pendingReset;
        pendingReset = ResetCause.SOFTWARE;
        reset(cause);
    }

    /**
     * Runs the machine until virtual time reaches {@code nanos} or it stops for another reason (lockup,
     * a stop request, sleep with nothing that can wake it: then time has reached {@code nanos} too).
     */
    public StopReason runUntil(long nanos) {
        long target = cpu.cycleAt(nanos);
        StopReason reason = StopReason.BUDGET;
        while (cpu.cycles() < target) {
            reason = cpu.run(target - cpu.cycles());
            if (reason != StopReason.BUDGET) {
                break;
            }
        }
        return reason;
    }
}
