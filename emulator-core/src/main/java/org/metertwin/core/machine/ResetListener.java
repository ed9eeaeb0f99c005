package org.metertwin.core.machine;

/**
 * A device that needs to know why the machine reset (a reset controller recording the cause, a battery
 * domain that survives all but a power-on reset). Devices that are not listeners get
 * {@link org.metertwin.core.bus.MmioDevice#reset()} on every reset.
 */
public interface ResetListener {
    void reset(ResetCause cause);
}
