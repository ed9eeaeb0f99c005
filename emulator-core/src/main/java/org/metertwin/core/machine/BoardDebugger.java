package org.metertwin.core.machine;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.metertwin.core.gdb.GdbServer;

/**
 * A gdb server for one board of a simulation: the server becomes that board's runner
 * ({@link Simulation#hold}), so while gdb holds the core the whole simulation's virtual time stands still,
 * every other board's included. Closing it gives the board back to the simulation.
 */
public final class BoardDebugger implements AutoCloseable {
    private final Simulation simulation;
    private final Board board;
    private final GdbServer server;

    private BoardDebugger(Simulation simulation, Board board, GdbServer server) {
        this.simulation = simulation;
        this.board = board;
        this.server = server;
    }

    /** Serves gdb's remote protocol for {@code board} on {@code host:port} (0: any free port). */
    public static BoardDebugger serve(Simulation simulation, Board board, String host, int port,
                                      boolean waitForDebugger) throws IOException {
        GdbServer server = GdbServer.start(host, port, board.cpu(), () -> board.reset(ResetCause.PIN),
                waitForDebugger);
        simulation.hold(board, server::runUntil);
        return new BoardDebugger(simulation, board, server);
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** Whether the client killed the target ({@code k}). */
    public boolean killed() {
        return server.killed();
    }

    @Override
    public void close() {
        server.close();
        simulation.release(board);
    }
}
