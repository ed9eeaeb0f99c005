package org.metertwin.core.cpu;

/**
 * A synchronous fault raised while executing an instruction (UsageFault, MemManage, BusFault). It unwinds
 * the instruction without committing it; the core then enters the fault handler. Preallocated and
 * stackless: raising it costs no allocation.
 */
final class CpuFault extends RuntimeException {
    static final CpuFault INSTANCE = new CpuFault();
    int exception;
    int cfsrBits;
    int address;
    boolean addressValid;

    private CpuFault() {
        super(null, null, false, false);
    }

    static CpuFault of(int exception, int cfsrBits) {
        INSTANCE.exception = exception;
        INSTANCE.cfsrBits = cfsrBits;
        INSTANCE.addressValid = false;
        return INSTANCE;
    }

    static CpuFault of(int exception, int cfsrBits, int address) {
        of(exception, cfsrBits);
        INSTANCE.address = address;
        INSTANCE.addressValid = true;
        return INSTANCE;
    }
}
