package org.metertwin.management;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the cases of a power-cut sweep: one independent board per cut instant, on {@link #THREADS} host
 * threads (the results do not depend on it: every board has its own virtual time), returned in the order
 * of the instants.
 */
public final class PowerCutSweep {

    /** Host threads for the cases; {@code -Dpowercut.threads=N} changes it. */
    public static final int THREADS = Integer.getInteger("powercut.threads", 2);

    /** One case: the board cut at {@code at}, and what the test wants to know about it. */
    @FunctionalInterface
    public interface Cut<T, R> {
        R at(T at) throws Exception;
    }

    private PowerCutSweep() {
    }

    public static <T, R> List<R> run(List<T> instants, Cut<T, R> cut) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T at : instants) {
                futures.add(pool.submit(() -> cut.at(at)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
