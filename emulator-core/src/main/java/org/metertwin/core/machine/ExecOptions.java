package org.metertwin.core.machine;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** Options of one {@code exec} run. */
public final class ExecOptions {
    /** Answer semihosting calls (BKPT 0xAB). Without it, BKPT is a debug event. */
    public boolean semihosting;
    /** Stop after this many instructions; 0 = no limit. */
    public long maxInstructions;
    /** Guest console output (semihosting and UART0). */
    public OutputStream console = System.out;
    /** Guest console error stream (semihosting stderr). */
    public OutputStream errorConsole = System.err;
    public InputStream stdin = InputStream.nullInputStream();
    /** Host directory the guest may open files in through semihosting; null = none. */
    public Path hostDir;
    /** Command line returned by SYS_GET_CMDLINE. */
    public String commandLine = "";
}
