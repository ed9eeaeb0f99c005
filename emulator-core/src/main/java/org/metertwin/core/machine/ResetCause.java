package org.metertwin.core.machine;

/** Why a machine resets; reset and clock controllers record it (RCC_CSR on STM32). */
public enum ResetCause {
    /** Power applied (or restored after the supply fell below the brown-out level). */
    POWER_ON,
    /** The NRST pin. */
    PIN,
    /** SYSRESETREQ in AIRCR. */
    SOFTWARE,
    /** The independent watchdog expired. */
    INDEPENDENT_WATCHDOG,
    /** The window watchdog expired or was refreshed outside its window. */
    WINDOW_WATCHDOG,
    /** Entering a low-power mode that the option bytes turn into a reset. */
    LOW_POWER
}
