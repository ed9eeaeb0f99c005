package org.metertwin.peripherals.host;

/**
 * Bytes that arrived from the host, on host threads, waiting for the emulation thread to take them. Reader
 * threads that may block ({@link #put}) wait while it holds {@link #CAPACITY} bytes; a Netty event loop, which
 * must not block, {@link #offer}s everything and pauses reading while {@link #full()} until told by the
 * space listener that the emulation has taken some. Either way no byte is dropped.
 */
final class HostInput {
    static final int CAPACITY = 4096;

    private byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;
    private boolean ended;
    private Runnable spaceListener = () -> { };

    /** Called (on the emulation thread, outside the lock) whenever bytes are taken and it is less than half full. */
    synchronized void onSpace(Runnable listener) {
        this.spaceListener = listener;
    }

    /** Adds bytes, blocking while the queue is full; returns false when input has ended (closed meanwhile). */
    synchronized boolean put(byte[] b, int off, int len) throws InterruptedException {
        for (int i = 0; i < len; i++) {
            while (count >= ring.length && !ended) {
                wait();
            }
            if (ended) {
                return false;
            }
            ring[(head + count) % ring.length] = b[off + i];
            count++;
        }
        notifyAll();
        return true;
    }

    /** Adds bytes without blocking, growing past {@link #CAPACITY} if it must. */
    synchronized void offer(byte[] b, int off, int len) {
        if (ended) {
            return;
        }
        if (count + len > ring.length) {
            byte[] grown = new byte[Math.max(ring.length * 2, count + len)];
            for (int i = 0; i < count; i++) {
                grown[i] = ring[(head + i) % ring.length];
            }
            ring = grown;
            head = 0;
        }
        for (int i = 0; i < len; i++) {
            ring[(head + count) % ring.length] = b[off + i];
            count++;
        }
        notifyAll();
    }

    /** True when a non-blocking producer should stop reading for now. */
    synchronized boolean full() {
        return count >= CAPACITY;
    }

    /** No more input will come (end of file, port closed); bytes already queued are still taken. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized int available() {
        return count;
    }

    /** Removes up to {@code max} bytes into {@code dst}; returns how many. */
    int take(byte[] dst, int max) {
        int n;
        boolean freed;
        Runnable listener;
        synchronized (this) {
            n = Math.min(max, count);
            for (int i = 0; i < n; i++) {
                dst[i] = ring[head];
                head = (head + 1) % ring.length;
            }
            count -= n;
            freed = n > 0 && count < CAPACITY / 2;
            listener = spaceListener;
            if (n > 0) {
                notifyAll();
            }
        }
        if (freed) {
            listener.run();
        }
        return n;
    }

    /** Waits up to {@code millis} for a byte to arrive or input to end. */
    synchronized void await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (count == 0 && !ended) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
