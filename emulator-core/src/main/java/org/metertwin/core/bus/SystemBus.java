package org.metertwin.core.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The processor's view of the 32-bit address space.
 *
 * <p>Memory is mapped in 4 KiB pages. A page backed by RAM or flash points straight into the region's
 * byte array ({@link #pageMem}/{@link #pageOff}), so an ordinary load or store is two array reads and a
 * VarHandle access: no virtual call, no allocation. Pages without backing memory go to the slow path,
 * which dispatches to an {@link MmioDevice} or raises a {@link BusFault}.
 *
 * <p>Code pages are tracked so that a store into a page that holds decoded instructions can invalidate the
 * CPU's decode cache (self-modifying code, code copied to RAM, flash programming).
 */
public final class SystemBus {
    public static final int PAGE_BITS = 12;
    public static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGES = 1 << (32 - PAGE_BITS);
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Backing array for reads of each page, or null when the page is MMIO or unmapped. */
    private final byte[][] pageMem = new byte[PAGES][];
    /** Backing array for writes of each page, or null when writes take the slow path. */
    private final byte[][] pageMemW = new byte[PAGES][];
    /** Offset of each page's first byte within its backing array. */
    private final int[] pageOff = new int[PAGES];
    /** True for pages from which the CPU has decoded instructions. */
    private final boolean[] pageHasCode = new boolean[PAGES];

    /** Backing arrays of watched pages, taken off the fast path; null while nothing is watched. */
    private byte[][] watchedMem, watchedMemW;
    /** Told of every slow-path access while watchpoints are set; null otherwise. */
    private AccessWatcher accessWatcher;

    private final List<Mapping> mappings = new ArrayList<>();
    /**
     * The mappings that touch each 4 KiB page (several devices of 0x400 bytes share one), so that finding
     * the device of an MMIO access costs one array lookup and a few compares, not a walk over every mapping:
     * firmware that polls a status register makes that lookup its commonest slow-path operation.
     */
    private final Mapping[][] pageMappings = new Mapping[PAGES][];
    private final List<ReadOnlyWrite> readOnlyWriteHandlers = new ArrayList<>();

    /**
     * Device accesses the slow path resolved before: address -> (device, offset, bytes of the device from
     * there). Firmware touches a handful of registers thousands of times a second; one small table in the
     * cache replaces the page tables, the page's mapping list and the range checks. An entry is made only
     * while no access watcher listens, and the table is emptied whenever a mapping, a watched page or the
     * watcher changes, so a hit goes to exactly the device call the slow path would make. 0 bytes: empty.
     */
    private static final int DEVICE_SLOTS = 512;
    private final int[] deviceAddress = new int[DEVICE_SLOTS];
    private final int[] deviceOffset = new int[DEVICE_SLOTS];
    private final int[] deviceBytes = new int[DEVICE_SLOTS];
    private final MmioDevice[] deviceAt = new MmioDevice[DEVICE_SLOTS];
    private CodeWriteListener codeWriteListener = (a, n) -> { };

    /**
     * The direct window: a writable memory mapping (the RAM holding the stack once the CPU named it with
     * {@link #useDirectWindowAt}, until then the largest), which the CPU's loads and stores
     * reach as one array with one unsigned compare instead of the page tables
     * ({@link org.metertwin.core.cpu.CortexM4}'s load and store paths). Reads go direct unless a page is
     * watched; writes also not once code was decoded from memory that shares its backing array, since such
     * a store must reach {@link CodeWriteListener}. Null before any writable memory is mapped.
     */
    private Mapping direct;
    private boolean directWritable;
    /** The address the CPU asked to have in the window (its initial stack pointer), or null. */
    private Integer directWanted;
    private Runnable directWindowListener = () -> { };
    /**
     * The code window: the read-only memory mapping that holds the reset entry point (the flash), whose
     * literal pools and constant tables the CPU reads as one array, as the direct window; null without one.
     */
    private Mapping code;
    private Integer codeWanted;

    /** A mapped range, kept for lookups on the slow path and for descriptions. */
    public record Mapping(String name, int base, int size, byte[] memory, int memoryOffset, boolean writable,
                          MmioDevice device) {
        boolean contains(int address) {
            return Integer.compareUnsigned(address - base, size) < 0;
        }
    }

    /** Told when a store hits a page that holds decoded code. */
    @FunctionalInterface
    public interface CodeWriteListener {
        void codeWritten(int address, int length);
    }

    /**
     * Takes the stores that software makes to a read-only memory range, instead of a bus fault: a flash
     * interface programs its memory this way (it changes the bytes with {@link #load}). Only the slow path
     * reaches it, since read-only pages have no write backing.
     */
    @FunctionalInterface
    public interface ReadOnlyWriteHandler {
        /** A store of {@code size} bytes at {@code address} (absolute) into the read-only range. */
        void write(int address, int size, int value);
    }

    private record ReadOnlyWrite(int base, int size, ReadOnlyWriteHandler handler) {
        boolean contains(int address) {
            return Integer.compareUnsigned(address - base, size) < 0;
        }
    }

    /** Sends stores into {@code [base, base+size)} of read-only memory to {@code handler}. */
    public void setReadOnlyWriteHandler(int base, int size, ReadOnlyWriteHandler handler) {
        for (ReadOnlyWrite h : readOnlyWriteHandlers) {
            if (Integer.compareUnsigned(base - h.base, h.size) < 0 || Integer.compareUnsigned(h.base - base, size) < 0) {
                throw new IllegalArgumentException(String.format("read-only write handler at 0x%08x overlaps one at 0x%08x", base, h.base));
            }
        }
        readOnlyWriteHandlers.add(new ReadOnlyWrite(base, size, handler));
    }

    /** Told of loads and stores that reach the slow path: accesses to watched pages and to devices. */
    @FunctionalInterface
    public interface AccessWatcher {
        void accessed(int address, int size, boolean write);
    }

    public void setAccessWatcher(AccessWatcher watcher) {
        this.accessWatcher = watcher;
        forgetDevices();
    }

    /**
     * Takes the page holding {@code address} off the fast path, so that every access to it reaches the
     * {@link AccessWatcher} (a debugger's watchpoint). Pages of devices are always on the slow path.
     */
    public void watchPage(int address) {
        int page = address >>> PAGE_BITS;
        if (pageMem[page] == null) {
            return;
        }
        if (watchedMem == null) {
            watchedMem = new byte[PAGES][];
            watchedMemW = new byte[PAGES][];
        }
        watchedMem[page] = pageMem[page];
        watchedMemW[page] = pageMemW[page];
        pageMem[page] = null;
        pageMemW[page] = null;
        forgetDevices();
        directWindowListener.run();
    }

    /** Puts every watched page back on the fast path. */
    public void unwatchAll() {
        if (watchedMem == null) {
            return;
        }
        for (int page = 0; page < PAGES; page++) {
            if (watchedMem[page] != null) {
                pageMem[page] = watchedMem[page];
                pageMemW[page] = watchedMemW[page];
            }
        }
        watchedMem = null;
        watchedMemW = null;
        forgetDevices();
        directWindowListener.run();
    }

    /** The page's backing array for reads, watched or not (paths other than the CPU's loads and stores). */
    private byte[] memory(int page) {
        byte[] m = pageMem[page];
        return m != null || watchedMem == null ? m : watchedMem[page];
    }

    /** Told whenever the direct window or what may go through it changes. */
    public void setDirectWindowListener(Runnable listener) {
        this.directWindowListener = listener;
        listener.run();
    }

    /** The direct window's backing array, or null when there is no window or it is off. */
    public byte[] directMemory() {
        return direct == null || watchedMem != null ? null : direct.memory;
    }

    public int directBase() {
        return direct == null ? 0 : direct.base;
    }

    /** Bytes of the direct window that loads may read as plain memory (0: none). */
    public int directReadSize() {
        return directMemory() == null ? 0 : direct.size;
    }

    /** Bytes of the direct window that stores may write as plain memory (0: none). */
    public int directWriteSize() {
        return directWritable ? directReadSize() : 0;
    }

    /** Offset of the window's first byte in its backing array. */
    public int directMemoryOffset() {
        return direct == null ? 0 : direct.memoryOffset;
    }

    /** The code window's backing array, or null when there is none or it is off (a page is watched). */
    public byte[] codeMemory() {
        return code == null || watchedMem != null ? null : code.memory;
    }

    public int codeBase() {
        return code == null ? 0 : code.base;
    }

    /** Bytes of the code window that loads may read as plain memory (0: none). */
    public int codeReadSize() {
        return codeMemory() == null ? 0 : code.size;
    }

    public int codeMemoryOffset() {
        return code == null ? 0 : code.memoryOffset;
    }

    /** Puts the read-only memory mapping that holds {@code address} (the CPU's reset entry) in the code window. */
    public void useCodeWindowAt(int address) {
        codeWanted = address;
        chooseDirectWindow();
    }

    /**
     * Puts the writable memory mapping that holds {@code address} in the direct window, if there is one:
     * the CPU names the memory of its stack at reset, where most loads and stores of C code go.
     */
    public void useDirectWindowAt(int address) {
        directWanted = address;
        chooseDirectWindow();
    }

    private void chooseDirectWindow() {
        forgetDevices(); // called after every new mapping
        Mapping best = null;
        for (Mapping m : mappings) {
            if (m.memory != null && m.writable && directWanted != null && m.contains(directWanted)) {
                best = m;
                break;
            }
            if (m.memory != null && m.writable && (best == null || m.size > best.size)) {
                best = m;
            }
        }
        if (best != direct) {
            direct = best;
            directWritable = best != null && !holdsCode(best.memory);
        }
        code = null;
        for (Mapping m : mappings) {
            if (m.memory != null && !m.writable && codeWanted != null && m.contains(codeWanted)) {
                code = m;
            }
        }
        directWindowListener.run();
    }

    private boolean holdsCode(byte[] memory) {
        for (int page = 0; page < PAGES; page++) {
            if (pageHasCode[page] && memory(page) == memory) {
                return true;
            }
        }
        return false;
    }

    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeWriteListener = listener;
    }

    /** Maps fresh zeroed memory. Size and base must be page-aligned. */
    public byte[] addMemory(String name, int base, int size, boolean writable) {
        byte[] mem = new byte[size];
        mapMemory(name, base, size, mem, 0, writable);
        return mem;
    }

    /** Maps (a window of) an existing backing array, e.g. an alias of another region. */
    public void mapMemory(String name, int base, int size, byte[] mem, int memOffset, boolean writable) {
        checkPageAligned(name, base, size);
        if (memOffset < 0 || memOffset + (long) size > mem.length) {
            throw new IllegalArgumentException(name + ": window outside its backing memory");
        }
        Mapping m = new Mapping(name, base, size, mem, memOffset, writable, null);
        claim(m);
        for (int off = 0; off < size; off += PAGE_SIZE) {
            int page = (base + off) >>> PAGE_BITS;
            pageMem[page] = mem;
            pageMemW[page] = writable ? mem : null;
            pageOff[page] = memOffset + off;
        }
        chooseDirectWindow();
    }

    /** Maps a device. Base and size need only be 4-byte aligned; pages it touches go to the slow path. */
    public void addDevice(int base, int size, MmioDevice device) {
        Mapping m = new Mapping(device.name(), base, size, null, 0, true, device);
        claim(m);
        for (long a = (base & 0xFFFFFFFFL) & ~(long) PAGE_MASK; a < (base & 0xFFFFFFFFL) + size; a += PAGE_SIZE) {
            int page = (int) (a >>> PAGE_BITS);
            pageMem[page] = null;
            pageMemW[page] = null;
        }
        chooseDirectWindow();
    }

    private void claim(Mapping m) {
        for (Mapping o : mappings) {
            long aStart = m.base & 0xFFFFFFFFL, aEnd = aStart + m.size;
            long bStart = o.base & 0xFFFFFFFFL, bEnd = bStart + o.size;
            if (aStart < bEnd && bStart < aEnd) {
                throw new IllegalArgumentException(String.format("%s at 0x%08x overlaps %s at 0x%08x", m.name, m.base, o.name, o.base));
            }
        }
        mappings.add(m);
        long start = (m.base & 0xFFFFFFFFL) >>> PAGE_BITS, end = ((m.base & 0xFFFFFFFFL) + m.size - 1) >>> PAGE_BITS;
        for (long page = start; page <= end; page++) {
            Mapping[] old = pageMappings[(int) page];
            Mapping[] now = old == null ? new Mapping[1] : java.util.Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = m;
            pageMappings[(int) page] = now;
        }
    }

    private static void checkPageAligned(String name, int base, int size) {
        if ((base & PAGE_MASK) != 0 || (size & PAGE_MASK) != 0 || size <= 0) {
            throw new IllegalArgumentException(String.format("%s: base 0x%08x and size 0x%x must be multiples of 4 KiB", name, base, size));
        }
    }

    public List<Mapping> mappings() {
        return List.copyOf(mappings);
    }

    public Mapping mappingAt(int address) {
        Mapping[] onPage = pageMappings[address >>> PAGE_BITS];
        if (onPage != null) {
            for (Mapping m : onPage) {
                if (m.contains(address)) {
                    return m;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- fast path

    public int read8(int addr) {
        byte[] m = pageMem[addr >>> PAGE_BITS];
        if (m != null) {
            return m[pageOff[addr >>> PAGE_BITS] + (addr & PAGE_MASK)] & 0xFF;
        }
        return slowRead(addr, 1);
    }

    public int read16(int addr) {
        int page = addr >>> PAGE_BITS;
        byte[] m = pageMem[page];
        if (m != null && (addr & PAGE_MASK) <= PAGE_SIZE - 2) {
            return (short) LE16.get(m, pageOff[page] + (addr & PAGE_MASK)) & 0xFFFF;
        }
        return slowRead(addr, 2);
    }

    public int read32(int addr) {
        int page = addr >>> PAGE_BITS;
        byte[] m = pageMem[page];
        if (m != null && (addr & PAGE_MASK) <= PAGE_SIZE - 4) {
            return (int) LE32.get(m, pageOff[page] + (addr & PAGE_MASK));
        }
        return slowRead(addr, 4);
    }

    public void write8(int addr, int value) {
        int page = addr >>> PAGE_BITS;
        byte[] m = pageMemW[page];
        if (m != null) {
            m[pageOff[page] + (addr & PAGE_MASK)] = (byte) value;
            if (pageHasCode[page]) {
                codeWriteListener.codeWritten(addr, 1);
            }
            return;
        }
        slowWrite(addr, 1, value);
    }

    public void write16(int addr, int value) {
        int page = addr >>> PAGE_BITS;
        byte[] m = pageMemW[page];
        if (m != null && (addr & PAGE_MASK) <= PAGE_SIZE - 2) {
            LE16.set(m, pageOff[page] + (addr & PAGE_MASK), (short) value);
            if (pageHasCode[page]) {
                codeWriteListener.codeWritten(addr, 2);
            }
            return;
        }
        slowWrite(addr, 2, value);
    }

    public void write32(int addr, int value) {
        int page = addr >>> PAGE_BITS;
        byte[] m = pageMemW[page];
        if (m != null && (addr & PAGE_MASK) <= PAGE_SIZE - 4) {
            LE32.set(m, pageOff[page] + (addr & PAGE_MASK), value);
            if (pageHasCode[page]) {
                codeWriteListener.codeWritten(addr, 4);
            }
            return;
        }
        slowWrite(addr, 4, value);
    }

    /** Instruction fetch of one halfword; marks the page as holding code. */
    public int fetch16(int addr) {
        int page = addr >>> PAGE_BITS;
        byte[] m = memory(page);
        if (m != null && !pageHasCode[page]) {
            pageHasCode[page] = true;
            if (directWritable && m == direct.memory) {
                directWritable = false; // stores into it must now reach the code-write listener
                directWindowListener.run();
            }
        }
        return read16(addr);
    }

    /** True when the address is backed by plain memory (no device side effects on access). */
    public boolean isMemory(int addr) {
        return memory(addr >>> PAGE_BITS) != null;
    }

    // ---------------------------------------------------------------- device registers seen before

    private static int deviceSlot(int addr) {
        return ((addr >>> 2) ^ (addr >>> 12)) & (DEVICE_SLOTS - 1);
    }

    private void forgetDevices() {
        java.util.Arrays.fill(deviceBytes, 0);
        java.util.Arrays.fill(deviceAt, null);
    }

    private void rememberDevice(int addr, Mapping m) {
        if (accessWatcher == null) {
            int i = deviceSlot(addr);
            deviceAddress[i] = addr;
            deviceOffset[i] = addr - m.base;
            deviceBytes[i] = m.base + m.size - addr;
            deviceAt[i] = m.device;
        }
    }

    /**
     * The CPU's load outside plain memory: {@link #read32} (size 4), {@link #read16} or {@link #read8}, with
     * a device register read or written before reached through one table lookup.
     */
    public int readDevice(int addr, int size) {
        int i = deviceSlot(addr);
        if (deviceAddress[i] == addr && size <= deviceBytes[i]) {
            return deviceAt[i].read(deviceOffset[i], size);
        }
        return size == 4 ? read32(addr) : size == 2 ? read16(addr) : read8(addr);
    }

    /** The CPU's store outside plain memory, as {@link #readDevice} for loads. */
    public void writeDevice(int addr, int size, int value) {
        int i = deviceSlot(addr);
        if (deviceAddress[i] == addr && size <= deviceBytes[i]) {
            deviceAt[i].write(deviceOffset[i], size, value);
            return;
        }
        if (size == 4) {
            write32(addr, value);
        } else if (size == 2) {
            write16(addr, value);
        } else {
            write8(addr, value);
        }
    }

    // ---------------------------------------------------------------- slow path

    private int slowRead(int addr, int size) {
        if (accessWatcher != null) {
            accessWatcher.accessed(addr, size, false);
            if (watchedMem != null && watchedMem[addr >>> PAGE_BITS] != null) {
                return watchedRead(addr, size);
            }
        }
        if (pageMem[addr >>> PAGE_BITS] != null) {
            return readSplit(addr, size); // crosses a page boundary
        }
        Mapping m = mappingAt(addr);
        if (m == null || m.device == null || !m.contains(addr + size - 1)) {
            if (m != null && m.memory != null) {
                return readSplit(addr, size);
            }
            throw BusFault.at(addr, false);
        }
        rememberDevice(addr, m);
        return m.device.read(addr - m.base, size);
    }

    private int readSplit(int addr, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= read8(addr + i) << (8 * i);
        }
        return v;
    }

    private void slowWrite(int addr, int size, int value) {
        int page = addr >>> PAGE_BITS;
        if (accessWatcher != null) {
            accessWatcher.accessed(addr, size, true);
            if (watchedMemW != null && watchedMemW[page] != null) { // read-only pages go on below
                watchedWrite(addr, size, value);
                return;
            }
        }
        if (pageMemW[page] != null) {
            for (int i = 0; i < size; i++) {
                write8(addr + i, value >>> (8 * i));
            }
            return;
        }
        Mapping m = mappingAt(addr);
        if (m != null && m.device == null && !m.writable) {
            for (ReadOnlyWrite h : readOnlyWriteHandlers) {
                if (h.contains(addr) && h.contains(addr + size - 1)) {
                    h.handler.write(addr, size, value);
                    return;
                }
            }
        }
        if (m == null || (m.device == null && !m.writable)) {
            throw BusFault.at(addr, true);
        }
        if (m.device == null) {
            for (int i = 0; i < size; i++) {
                write8(addr + i, value >>> (8 * i));
            }
            return;
        }
        if (!m.contains(addr + size - 1)) {
            throw BusFault.at(addr, true);
        }
        rememberDevice(addr, m);
        m.device.write(addr - m.base, size, value);
    }

    /** A load from a watched page (or one that starts there), byte by byte from the backing arrays. */
    private int watchedRead(int addr, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            int a = addr + i;
            byte[] m = memory(a >>> PAGE_BITS);
            v |= (m != null ? m[pageOff[a >>> PAGE_BITS] + (a & PAGE_MASK)] & 0xFF : read8(a)) << (8 * i);
        }
        return v;
    }

    private void watchedWrite(int addr, int size, int value) {
        for (int i = 0; i < size; i++) {
            int a = addr + i, page = a >>> PAGE_BITS;
            byte[] m = pageMemW[page] != null ? pageMemW[page] : watchedMemW[page];
            if (m == null) {
                write8(a, value >>> (8 * i)); // not writable memory or a device: the usual slow path
                continue;
            }
            m[pageOff[page] + (a & PAGE_MASK)] = (byte) (value >>> (8 * i));
            if (pageHasCode[page]) {
                codeWriteListener.codeWritten(a, 1);
            }
        }
    }

    // ---------------------------------------------------------------- loaders and debuggers

    /** Copies bytes into memory regardless of write protection (ELF loading, debugger writes). */
    public void load(int addr, byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) {
            int a = addr + i;
            byte[] m = memory(a >>> PAGE_BITS);
            if (m == null) {
                throw BusFault.at(a, true);
            }
            m[pageOff[a >>> PAGE_BITS] + (a & PAGE_MASK)] = data[off + i];
            if (pageHasCode[a >>> PAGE_BITS]) {
                codeWriteListener.codeWritten(a, 1);
            }
        }
    }

    /** Reads one byte without side effects: memory directly, devices through {@link MmioDevice#peek}. */
    public int peek8(int addr) {
        byte[] m = memory(addr >>> PAGE_BITS);
        if (m != null) {
            return m[pageOff[addr >>> PAGE_BITS] + (addr & PAGE_MASK)] & 0xFF;
        }
        Mapping map = mappingAt(addr);
        if (map == null || map.device == null) {
            throw BusFault.at(addr, false);
        }
        int aligned = addr & ~3;
        int word = map.device.peek(aligned - map.base, 4);
        return (word >>> (8 * (addr & 3))) & 0xFF;
    }

    /** Reads a NUL-terminated string (semihosting), at most {@code max} bytes. */
    public String readCString(int addr, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < max; i++) {
            int c = read8(addr + i);
            if (c == 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    public byte[] readBytes(int addr, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) read8(addr + i);
        }
        return out;
    }

    public void writeBytes(int addr, byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) {
            write8(addr + i, data[off + i]);
        }
    }
}
