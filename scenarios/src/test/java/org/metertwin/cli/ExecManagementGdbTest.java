package org.metertwin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metertwin exec --machine management --semihosting --gdb 0 --gdb-wait} on the management core's
 * gdbdemo.elf, run in-process, with a raw RSP client: the core waits at the reset vector, and a {@code c}
 * runs the program to its semihosting exit, which the client gets as {@code W68} and the command returns
 * (104).
 *
 * <p>The ELF is a committed copy (src/test/resources/firmware/management-gdbdemo.elf) of what
 * management-core/firmware/build.sh builds into management-core's test resources, which this module's tests
 * do not see on their classpath; the test checks that the copy is still the same when management-core's file
 * is there.
 */
class ExecManagementGdbTest extends CliTestBase {
    private static final Path BUILT = Path.of("../management-core/src/test/resources/firmware/gdbdemo.elf");
    private static final Pattern LISTENING = Pattern.compile("gdb server listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void haltsAtResetAndRunsToTheGuestsExitStatus(@TempDir Path dir) throws Exception {
        Path elf = dir.resolve("gdbdemo.elf");
        try (InputStream in = getClass().getResourceAsStream("/firmware/management-gdbdemo.elf")) {
            Files.copy(in, elf);
        }
        if (Files.exists(BUILT)) {
            assertThat(elf).as("the copy of " + BUILT).hasSameBinaryContentAs(BUILT);
        }
        int entry = ByteBuffer.wrap(Files.readAllBytes(elf), 0x18, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();

        CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() -> run("exec", "--machine",
                "management", "--semihosting", "--gdb", "0", "--gdb-wait", elf.toString()));
        int port = listeningPort(command);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            assertThat(ask(out, in, "?")).startsWith("T05");
            String g = ask(out, in, "g");
            assertThat(register(g, 15)).as("pc: Reset_Handler, the ELF's entry").isEqualTo(entry & ~1);
            assertThat(register(g, 15)).isEqualTo(0x08000204);
            // the vector table's initial SP: the top of the 128 KiB test/link.ld gives it (RAM_SIZE 128K)
            assertThat(register(g, 13)).as("sp").isEqualTo(0x20020000);
            assertThat(ask(out, in, "c")).isEqualTo("W68"); // exit((int)(sum & 0x7f)), sum = 104
        }
        assertThat(command.get(20, TimeUnit.SECONDS)).isEqualTo(104);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty(); // gdbdemo prints nothing
    }

    /** The port from the command's "gdb server listening on" line (it was given port 0: a free one). */
    private int listeningPort(CompletableFuture<Integer> command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(errText());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (command.isDone()) {
                throw new AssertionError("exec ended (" + command.get() + ") before it listened: " + errText());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("exec did not listen: " + errText());
    }

    /** Sends one packet and returns the reply's payload, acknowledging it (the server's acks are skipped). */
    private static String ask(OutputStream out, InputStream in, String payload) throws IOException {
        int sum = 0;
        for (char c : payload.toCharArray()) {
            sum += c;
        }
        out.write(String.format("$%s#%02x", payload, sum & 0xff).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new EOFException("no reply to " + payload);
            }
        }
        StringBuilder reply = new StringBuilder();
        while ((c = in.read()) != '#') {
            if (c < 0) {
                throw new EOFException("reply to " + payload + " cut short: " + reply);
            }
            reply.append((char) c);
        }
        in.read();
        in.read();
        out.write('+');
        out.flush();
        return reply.toString();
    }

    /** Register n of a 'g' reply: 8 hex digits, little-endian. */
    private static int register(String g, int n) {
        byte[] b = HexFormat.of().parseHex(g.substring(8 * n, 8 * n + 8));
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
