package org.metertwin.core.semihosting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.metertwin.core.bus.BusFault;
import org.metertwin.core.bus.SystemBus;
import org.metertwin.core.cpu.BreakpointHandler;
import org.metertwin.core.cpu.CortexM4;

/**
 * ARM semihosting (the "Semihosting for AArch32 and AArch64" call set, trapped on BKPT 0xAB in Thumb).
 * Console I/O goes to the configured streams; time comes from the core's virtual clock, never the host's;
 * host files are reachable only inside a directory the user allows. Behaviour follows QEMU's where the
 * specification leaves room (exit codes, the console handles).
 */
public final class Semihosting implements BreakpointHandler {
    public static final int SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04,
            SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09,
            SYS_SEEK = 0x0A, SYS_FLEN = 0x0C, SYS_TMPNAM = 0x0D, SYS_REMOVE = 0x0E, SYS_RENAME = 0x0F,
            SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
            SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30,
            SYS_TICKFREQ = 0x31;
    public static final int ADP_STOPPED_APPLICATION_EXIT = 0x20026;
    private static final byte[] FEATURES = {'S', 'H', 'F', 'B', 3}; // EXIT_EXTENDED, STDOUT_STDERR
    /** Fixed epoch for SYS_TIME: 2026-01-01T00:00:00Z plus virtual time, so runs are reproducible. */
    private static final long EPOCH_SECONDS = 1767225600L;
    private static final int EBADF = 9, ENOENT = 2, EACCES = 13;

    private final OutputStream stdout;
    private final OutputStream stderr;
    private final InputStream stdin;
    private final Path hostDir;
    private final String commandLine;
    private final int[] heapInfo;
    private final Map<Integer, Handle> handles = new HashMap<>();
    private int nextHandle = 1;
    private int errno;
    private boolean exited;
    private int exitStatus;

    private interface Handle {
    }

    private record Console(int stream) implements Handle { // 0 in, 1 out, 2 err
    }

    private record HostFile(RandomAccessFile file) implements Handle {
    }

    private static final class Features implements Handle {
        int position;
    }

    /**
     * @param heapInfo heap base, heap limit, stack base, stack limit for SYS_HEAPINFO
     * @param hostDir  directory whose files the guest may open, or null for none
     */
    public Semihosting(OutputStream stdout, OutputStream stderr, InputStream stdin, Path hostDir,
                       String commandLine, int[] heapInfo) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
        this.hostDir = hostDir == null ? null : hostDir.toAbsolutePath().normalize();
        this.commandLine = commandLine == null ? "" : commandLine;
        this.heapInfo = heapInfo.clone();
    }

    public boolean exited() {
        return exited;
    }

    public int exitStatus() {
        return exitStatus;
    }

    @Override
    public boolean onBreakpoint(CortexM4 cpu, int imm8) {
        if (imm8 != 0xAB || !cpu.isPrivileged()) {
            return false; // like QEMU: unprivileged code gets no semihosting; the BKPT is a debug event
        }
        int op = cpu.reg(0), arg = cpu.reg(1);
        SystemBus bus = cpu.bus();
        int result;
        try {
            result = call(cpu, bus, op, arg);
        } catch (BusFault f) {
            result = -1; // a bad parameter block: the call fails, the guest goes on
            errno = 14; // EFAULT
        }
        cpu.setReg(0, result);
        return true;
    }

    private int call(CortexM4 cpu, SystemBus bus, int op, int arg) {
        switch (op) {
            case SYS_OPEN:
                return open(bus, bus.read32(arg), bus.read32(arg + 4), bus.read32(arg + 8));
            case SYS_CLOSE:
                return close(bus.read32(arg));
            case SYS_WRITEC:
                write(stdout, new byte[] {(byte) bus.read8(arg)});
                return 0;
            case SYS_WRITE0: {
                java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
                for (int a = arg; ; a++) {
                    int ch = bus.read8(a);
                    if (ch == 0) {
                        break;
                    }
                    text.write(ch);
                }
                write(stdout, text.toByteArray());
                return 0;
            }
            case SYS_WRITE:
                return writeHandle(bus, bus.read32(arg), bus.read32(arg + 4), bus.read32(arg + 8));
            case SYS_READ:
                return readHandle(bus, bus.read32(arg), bus.read32(arg + 4), bus.read32(arg + 8));
            case SYS_READC: {
                try {
                    flush();
                    int ch = stdin.read();
                    return ch < 0 ? -1 : ch;
                } catch (IOException e) {
                    return -1;
                }
            }
            case SYS_ISERROR:
                return bus.read32(arg) < 0 ? 1 : 0;
            case SYS_ISTTY: {
                Handle h = handles.get(bus.read32(arg));
                if (h == null) {
                    errno = EBADF;
                    return -1;
                }
                return h instanceof Console ? 1 : 0;
            }
            case SYS_SEEK:
                return seek(bus.read32(arg), bus.read32(arg + 4));
            case SYS_FLEN:
                return flen(bus.read32(arg));
            case SYS_TMPNAM:
            case SYS_SYSTEM:
                errno = EACCES;
                return -1;
            case SYS_REMOVE:
                return remove(bus.readCString(bus.read32(arg), bus.read32(arg + 4) + 1));
            case SYS_RENAME:
                return rename(bus.readCString(bus.read32(arg), bus.read32(arg + 4) + 1),
                        bus.readCString(bus.read32(arg + 8), bus.read32(arg + 12) + 1));
            case SYS_CLOCK:
                return (int) (cpu.virtualNanos() / 10_000_000L);
            case SYS_TIME:
                return (int) (EPOCH_SECONDS + cpu.virtualNanos() / 1_000_000_000L);
            case SYS_ERRNO:
                return errno;
            case SYS_GET_CMDLINE: {
                int buf = bus.read32(arg), size = bus.read32(arg + 4);
                byte[] text = commandLine.getBytes(StandardCharsets.UTF_8);
                if (text.length + 1 > size) {
                    return -1;
                }
                bus.writeBytes(buf, text, 0, text.length);
                bus.write8(buf + text.length, 0);
                bus.write32(arg + 4, text.length);
                return 0;
            }
            case SYS_HEAPINFO: {
                int block = bus.read32(arg);
                for (int i = 0; i < 4; i++) {
                    bus.write32(block + 4 * i, heapInfo[i]);
                }
                return 0;
            }
            case SYS_EXIT:
                exit(arg == ADP_STOPPED_APPLICATION_EXIT ? 0 : 1, cpu);
                return 0;
            case SYS_EXIT_EXTENDED: {
                int reason = bus.read32(arg), sub = bus.read32(arg + 4);
                exit(reason == ADP_STOPPED_APPLICATION_EXIT ? sub : 1, cpu);
                return 0;
            }
            case SYS_ELAPSED: {
                long ticks = cpu.cycles();
                bus.write32(arg, (int) ticks);
                bus.write32(arg + 4, (int) (ticks >>> 32));
                return 0;
            }
            case SYS_TICKFREQ:
                return (int) cpu.clockHz();
            default:
                errno = 38; // ENOSYS
                return -1;
        }
    }

    private void exit(int status, CortexM4 cpu) {
        exited = true;
        exitStatus = status;
        flush();
        cpu.requestStop();
    }

    private int open(SystemBus bus, int namePtr, int mode, int length) {
        String name = bus.readCString(namePtr, length + 1);
        if (name.equals(":tt")) {
            int stream = mode < 4 ? 0 : mode < 8 ? 1 : 2;
            return register(new Console(stream));
        }
        if (name.equals(":semihosting-features")) {
            return register(new Features());
        }
        Path path = resolve(name);
        if (path == null) {
            errno = EACCES;
            return -1;
        }
        try {
            boolean write = (mode & 0xC) != 0 || (mode & 2) != 0;
            if (!write && !Files.exists(path)) {
                errno = ENOENT;
                return -1;
            }
            RandomAccessFile f = new RandomAccessFile(path.toFile(), write ? "rw" : "r");
            if (mode >= 4 && mode < 8) {
                f.setLength(0);
            } else if (mode >= 8) {
                f.seek(f.length());
            }
            return register(new HostFile(f));
        } catch (IOException e) {
            errno = ENOENT;
            return -1;
        }
    }

    /** Maps a guest file name into the allowed host directory; null when not allowed. */
    private Path resolve(String name) {
        if (hostDir == null) {
            return null;
        }
        Path p = hostDir.resolve(name).normalize();
        return p.startsWith(hostDir) ? p : null;
    }

    private int register(Handle h) {
        int id = nextHandle++;
        handles.put(id, h);
        return id;
    }

    private int close(int handle) {
        Handle h = handles.remove(handle);
        if (h == null) {
            errno = EBADF;
            return -1;
        }
        if (h instanceof HostFile f) {
            try {
                f.file.close();
            } catch (IOException e) {
                return -1;
            }
        }
        return 0;
    }

    private int writeHandle(SystemBus bus, int handle, int buf, int len) {
        Handle h = handles.get(handle);
        if (h == null) {
            errno = EBADF;
            return len;
        }
        byte[] data = bus.readBytes(buf, len);
        if (h instanceof Console c) {
            write(c.stream == 2 ? stderr : stdout, data);
            return 0;
        }
        if (h instanceof HostFile f) {
            try {
                f.file.write(data);
                return 0;
            } catch (IOException e) {
                return len;
            }
        }
        return len;
    }

    private int readHandle(SystemBus bus, int handle, int buf, int len) {
        Handle h = handles.get(handle);
        if (h == null) {
            errno = EBADF;
            return -1;
        }
        byte[] data = new byte[Math.max(0, len)];
        int n;
        try {
            if (h instanceof Console) {
                flush();
                n = stdin.read(data, 0, len);
                // a console read returns what one line gives; EOF reads as zero bytes
            } else if (h instanceof HostFile f) {
                n = f.file.read(data, 0, len);
            } else {
                Features ft = (Features) h;
                n = Math.min(len, FEATURES.length - ft.position);
                System.arraycopy(FEATURES, ft.position, data, 0, Math.max(n, 0));
                ft.position += Math.max(n, 0);
            }
        } catch (IOException e) {
            return -1;
        }
        if (n < 0) {
            n = 0;
        }
        bus.writeBytes(buf, data, 0, n);
        return len - n;
    }

    private int seek(int handle, int pos) {
        Handle h = handles.get(handle);
        try {
            if (h instanceof HostFile f) {
                f.file.seek(pos & 0xFFFFFFFFL);
                return 0;
            }
            if (h instanceof Features ft) {
                ft.position = pos;
                return 0;
            }
        } catch (IOException e) {
            return -1;
        }
        errno = EBADF;
        return -1;
    }

    private int flen(int handle) {
        Handle h = handles.get(handle);
        try {
            if (h instanceof HostFile f) {
                return (int) f.file.length();
            }
            if (h instanceof Features) {
                return FEATURES.length;
            }
        } catch (IOException e) {
            return -1;
        }
        errno = EBADF;
        return -1;
    }

    private int remove(String name) {
        Path p = resolve(name);
        try {
            if (p != null && Files.deleteIfExists(p)) {
                return 0;
            }
        } catch (IOException e) {
            // fall through
        }
        errno = p == null ? EACCES : ENOENT;
        return -1;
    }

    private int rename(String from, String to) {
        Path a = resolve(from), b = resolve(to);
        if (a == null || b == null) {
            errno = EACCES;
            return -1;
        }
        try {
            Files.move(a, b);
            return 0;
        } catch (IOException e) {
            errno = ENOENT;
            return -1;
        }
    }

    private static void write(OutputStream out, byte[] data) {
        try {
            out.write(data);
        } catch (IOException e) {
            // the console went away: the guest cannot do anything about it
        }
    }

    public void flush() {
        try {
            stdout.flush();
            stderr.flush();
        } catch (IOException e) {
            // ignored: see write()
        }
    }
}
